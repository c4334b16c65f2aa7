namespace LinRegService.Jobs;

/// <summary>
/// The <c>Idempotency-Key</c> header: exactly one, 1 to 200 characters of a printable, URL- and
/// log-safe set (letters, digits and <c>- _ . ~ : + / =</c>), so UUIDs and base64 fit and two
/// headers are never merged into one key (<c>a1,b2</c>).
/// </summary>
internal static class IdempotencyKeys
{
    public const string Header = "Idempotency-Key";
    public const int MaxLength = 200;

    /// <summary>The allowed characters as a regular expression (for the OpenAPI document).</summary>
    public const string Pattern = "^[A-Za-z0-9._~:+/=-]*$";

    /// <summary>Why the header's values are not one usable key, or null when they are.</summary>
    public static string? Check(string[] values)
    {
        if (values.Length > 1)
        {
            return $"Send one Idempotency-Key header; got {values.Length}.";
        }
        string key = values[0] ?? "";
        if (key.Length is 0 or > MaxLength)
        {
            return $"The Idempotency-Key header must be 1 to {MaxLength} characters; got {key.Length}.";
        }
        int bad = key.AsSpan().IndexOfAnyExcept(_allowed);
        return bad < 0
            ? null
            : $"The Idempotency-Key may hold only letters, digits and - _ . ~ : + / =; character {bad + 1} is not one of them.";
    }

    private static readonly System.Buffers.SearchValues<char> _allowed = System.Buffers.SearchValues.Create(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~:+/=");
}
