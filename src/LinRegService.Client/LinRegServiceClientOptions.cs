namespace LinRegService.Client;

/// <summary>Settings of <see cref="LinRegServiceClient"/>.</summary>
public sealed class LinRegServiceClientOptions
{
    /// <summary>The first pause between two polls of <see cref="ILinRegServiceClient.WaitAsync"/>; each next pause doubles.</summary>
    public TimeSpan FirstPollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest pause between two polls of <see cref="ILinRegServiceClient.WaitAsync"/> when a call does not name one.</summary>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(2);
}
