namespace LinRegService.Tests.Support;

/// <summary>Request bodies the tests share.</summary>
public static class Requests
{
    /// <summary>
    /// A job that runs for many seconds on two cores (2M × 16 values, 50 epochs): long enough to be
    /// seen running, canceled or interrupted. Tests cancel it or stop its host.
    /// </summary>
    public static string LongJob(int examples = 2_000_000, int features = 16, int epochs = 50, string extraTraining = "")
    {
        string weights = string.Join(", ", Enumerable.Range(0, features).Select(i => i % 2 == 0 ? "1" : "-1"));
        return $$"""
            {
              "dataset": { "weights": [{{weights}}], "examples": {{examples}}, "seed": 11 },
              "training": { "epochs": {{epochs}}, "seed": 12{{extraTraining}} },
              "sampleCount": 0
            }
            """;
    }
}
