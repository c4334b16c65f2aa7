using LinRegService.Storage;
using Npgsql;

namespace LinRegService.Tests.Storage;

/// <summary>A replica's pool is capped to what it uses unless the connection string sets a size.</summary>
public sealed class PostgresPoolTests
{
    [Fact]
    public void Without_a_size_the_pool_is_workers_plus_spare()
    {
        string sized = PostgresDialect.SizedPool("Host=db;Database=linreg;Username=linreg", workers: 2);

        Assert.Equal(2 + PostgresDialect.SpareConnections, new NpgsqlConnectionStringBuilder(sized).MaxPoolSize);
        Assert.Equal("db", new NpgsqlConnectionStringBuilder(sized).Host);
    }

    [Theory]
    [InlineData("Host=db;Maximum Pool Size=50")]
    [InlineData("Host=db;maxpoolsize=50")]
    public void A_size_in_the_connection_string_is_kept(string connectionString)
    {
        Assert.Equal(50, new NpgsqlConnectionStringBuilder(PostgresDialect.SizedPool(connectionString, workers: 2)).MaxPoolSize);
    }
}
