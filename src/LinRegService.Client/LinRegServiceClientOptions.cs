namespace LinRegService.Client;

/// <summary>Settings of <see cref="LinRegServiceClient"/>.</summary>
public sealed class LinRegServiceClientOptions
{
    /// <summary>
    /// The API key sent as <c>Authorization: Bearer &lt;key&gt;</c> with every request; none when null or empty (a service
    /// with <c>Auth:Mode</c> None on the same machine). Keep it out of source code: read it from configuration or a secret store.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>The first pause between two polls of <see cref="ILinRegServiceClient.WaitAsync"/>; each next pause doubles.</summary>
    public TimeSpan FirstPollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest pause between two polls of <see cref="ILinRegServiceClient.WaitAsync"/> when a call does not name one.</summary>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(2);
}
