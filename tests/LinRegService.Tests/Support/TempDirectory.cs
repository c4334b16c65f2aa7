using Microsoft.Data.Sqlite;

namespace LinRegService.Tests.Support;

/// <summary>A unique temporary directory holding one SQLite job store, deleted on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "linreg-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
        DatabaseFile = System.IO.Path.Combine(Path, "jobs.db");
        ConnectionString = new SqliteConnectionStringBuilder { DataSource = DatabaseFile }.ToString();
    }

    public string Path { get; }

    /// <summary>The SQLite file the service is pointed at.</summary>
    public string DatabaseFile { get; }

    /// <summary>The value of <c>ConnectionStrings:Jobs</c>.</summary>
    public string ConnectionString { get; }

    public void Dispose()
    {
        // Pooled connections keep the file open; close them before deleting.
        using (var connection = new SqliteConnection(ConnectionString))
        {
            SqliteConnection.ClearPool(connection);
        }
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a host still shutting down may hold the file a moment longer
        }
        catch (UnauthorizedAccessException)
        {
            // best effort
        }
    }
}
