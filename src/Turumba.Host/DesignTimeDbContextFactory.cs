using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Npgsql;
using Turumba.Platform.Persistence;
using Turumba.Platform.Tenancy;

namespace Turumba.Host;

/// <summary>Lets <c>dotnet ef migrations add</c> build the composed model without starting the host.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<TurumbaDbContext>
{
    public TurumbaDbContext CreateDbContext(string[] args)
    {
        var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__Postgres")
            ?? "Host=127.0.0.1;Username=turumba;Password=turumba;Database=turumba";
        var dataSource = new NpgsqlDataSourceBuilder(connectionString).Build();
        var options = new DbContextOptionsBuilder<TurumbaDbContext>();
        PersistenceServiceCollectionExtensions.ConfigureDbContext(options, dataSource, typeof(Program).Assembly);
        return new TurumbaDbContext(options.Options, TurumbaModules.Catalog, new NoAccount(), TimeProvider.System);
    }

    private sealed class NoAccount : ICurrentAccount
    {
        public Guid? AccountId => null;

        public void Use(Guid accountId) => throw new NotSupportedException();
    }
}
