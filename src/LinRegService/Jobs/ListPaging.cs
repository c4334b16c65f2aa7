using Microsoft.AspNetCore.Http.HttpResults;

namespace LinRegService.Jobs;

/// <summary>
/// The paging of every list (jobs, sweeps, datasets): <c>limit</c> 1–100 (default 20) and the
/// opaque <c>cursor</c> a page's <c>next</c> gave, read the same way everywhere.
/// </summary>
internal static class ListPaging
{
    /// <summary>The page size and where to continue below, or the problem naming the bad parameter.</summary>
    public static (int Take, long? Before, ValidationProblem? Problem) Read(int? limit, string? cursor)
    {
        int take = limit ?? JobEndpoints.DefaultListLimit;
        if (take is < 1 or > JobEndpoints.MaxListLimit)
        {
            return (0, null, Problems.BadField("limit", $"limit must be between 1 and {JobEndpoints.MaxListLimit}; got {take}."));
        }
        if (string.IsNullOrEmpty(cursor))
        {
            return (take, null, null);
        }
        return JobMapping.TryDecodeCursor(cursor, out long before)
            ? (take, before, null)
            : (0, null, Problems.BadField("cursor", "The cursor is not one this service returned; pass the `next` of a previous page."));
    }

    /// <summary>The <c>next</c> of a page that continues below <paramref name="before"/>; null on the last page.</summary>
    public static string? Next(long? before) => before is { } value ? JobMapping.EncodeCursor(value) : null;
}
