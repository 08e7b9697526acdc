using MassTransit;
using MassTransit.Configuration;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.DependencyInjection;

namespace Turumba.Outbox.Sagas;

/// <summary>
/// Persists a saga in PostgreSQL through <typeparamref name="TDbContext"/> with optimistic
/// concurrency, like MassTransit.EntityFrameworkCore's <c>EntityFrameworkRepository</c> with
/// <c>ConcurrencyMode.Optimistic</c>. Also registers <see cref="ILoadSagaRepository{TSaga}"/> and
/// <see cref="IQuerySagaRepository{TSaga}"/> so the state can be inspected.
/// </summary>
public static class TurumbaSagaRepositoryRegistrationExtensions
{
    public static ISagaRegistrationConfigurator<TSaga> TurumbaEntityFrameworkRepository<TSaga, TDbContext>(
        this ISagaRegistrationConfigurator<TSaga> saga, Action<TurumbaSagaRepositoryOptions>? configure = null)
        where TSaga : class, ISaga
        where TDbContext : DbContext
    {
        var options = new TurumbaSagaRepositoryOptions();
        configure?.Invoke(options);
        if (options.ConflictRetryLimit < 1)
        {
            throw new ConfigurationException("ConflictRetryLimit must be at least 1.");
        }

        saga.Repository(services =>
        {
            services.AddSingleton(new SagaRepositorySettings<TSaga>(options.ConflictRetryLimit));
            services.RegisterSagaRepository<TSaga, DbContext, SagaConsumeContextFactory<DbContext, TSaga>, DbContextSagaRepositoryContextFactory<TSaga, TDbContext>>();
            services.RegisterQuerySagaRepository<TSaga, DbContextSagaRepositoryContextFactory<TSaga, TDbContext>>();
            services.RegisterLoadSagaRepository<TSaga, DbContextSagaRepositoryContextFactory<TSaga, TDbContext>>();
        });
        return saga;
    }
}

/// <summary>Maps a saga state for the repository.</summary>
public static class SagaEntityTypeBuilderExtensions
{
    /// <summary>
    /// Keys the saga by <see cref="ISaga.CorrelationId"/> and makes PostgreSQL's <c>xmin</c> its
    /// concurrency token: an update that finds the row changed since it was read fails and is retried.
    /// </summary>
    public static EntityTypeBuilder<TSaga> IsTurumbaSaga<TSaga>(this EntityTypeBuilder<TSaga> saga)
        where TSaga : class, ISaga
    {
        saga.HasKey(s => s.CorrelationId);
        saga.Property(s => s.CorrelationId).ValueGeneratedNever();
        saga.Property<uint>("xmin").HasColumnName("xmin").HasColumnType("xid").IsRowVersion();
        return saga;
    }
}

internal sealed record SagaRepositorySettings<TSaga>(int ConflictRetryLimit);
