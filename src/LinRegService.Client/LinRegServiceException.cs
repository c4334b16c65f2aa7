using System.Net;
using System.Text;

namespace LinRegService.Client;

/// <summary>
/// An answer of LinRegService other than a success: its status, and the RFC 9457 problem details
/// the service sends with every error (for an answer without them, e.g. from a proxy, the reason
/// phrase and the start of the body).
/// </summary>
public sealed class LinRegServiceException : Exception
{
    /// <summary>Creates the exception for an error answer.</summary>
    /// <param name="status">The HTTP status.</param>
    /// <param name="title">The problem's title.</param>
    /// <param name="detail">The problem's detail.</param>
    /// <param name="type">The problem's type URI.</param>
    /// <param name="errors">Messages by field name (the problem's <c>errors</c> member).</param>
    /// <param name="retryAfter">The answer's <c>Retry-After</c>.</param>
    public LinRegServiceException(
        HttpStatusCode status,
        string? title,
        string? detail,
        string? type = null,
        IReadOnlyDictionary<string, string[]>? errors = null,
        TimeSpan? retryAfter = null)
        : base(Describe(status, title, detail, errors))
    {
        Status = status;
        Title = title;
        Detail = detail;
        Type = type;
        Errors = errors ?? new Dictionary<string, string[]>();
        RetryAfter = retryAfter;
    }

    /// <summary>
    /// The HTTP status: 400 bad input, 401 no API key or one not known or revoked (<see cref="LinRegServiceClientOptions.ApiKey"/>),
    /// 403 a user key where an admin key is needed, 404 unknown job (or another key's), 409 a transition not allowed, 413, 415,
    /// 429/503 (see <see cref="RetryAfter"/>).
    /// </summary>
    public HttpStatusCode Status { get; }

    /// <summary>The problem's short summary, e.g. "Job not found".</summary>
    public string? Title { get; }

    /// <summary>What happened in this case, e.g. "No job has the id 'x'.".</summary>
    public string? Detail { get; }

    /// <summary>The problem's type URI.</summary>
    public string? Type { get; }

    /// <summary>Messages by field name, as the service names fields (e.g. <c>training.batchSize</c>); empty when the problem names none.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; }

    /// <summary>How long the service asked to wait before retrying (429/503), if it said.</summary>
    public TimeSpan? RetryAfter { get; }

    private static string Describe(HttpStatusCode status, string? title, string? detail, IReadOnlyDictionary<string, string[]>? errors)
    {
        var text = new StringBuilder($"LinRegService answered {(int)status}");
        if (!string.IsNullOrEmpty(title))
        {
            text.Append(' ').Append(title);
        }
        if (!string.IsNullOrEmpty(detail))
        {
            text.Append(": ").Append(detail);
        }
        foreach ((string field, string[] messages) in errors ?? new Dictionary<string, string[]>())
        {
            text.Append(" [").Append(field).Append(": ").AppendJoin(" ", messages).Append(']');
        }
        return text.ToString();
    }
}
