namespace LinRegService.Tests.Support;

/// <summary>A fact that needs PostgreSQL: reported as skipped when <c>LINREG_TEST_POSTGRES</c> is not set.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresDatabase.ServerConnectionString is null)
        {
            Skip = PostgresDatabase.SkipReason;
        }
    }
}
