using MassTransit;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;
using Turumba.Outbox;

namespace Turumba.Outbox.Sagas;

/// <summary>
/// Runs a saga event against the scope's <typeparamref name="TDbContext"/>: load (tracked, no
/// lock), let the state machine change it, save; the <c>xmin</c> token turns a concurrent update
/// into a conflict, and the event is then replayed on freshly loaded state. Inside the consumer
/// outbox the work joins the outbox transaction and the outbox replays the whole attempt.
/// </summary>
internal sealed class DbContextSagaRepositoryContextFactory<TSaga, TDbContext>(
    TDbContext db,
    ISagaConsumeContextFactory<DbContext, TSaga> consumeContextFactory,
    SagaRepositorySettings<TSaga> settings)
    : ISagaRepositoryContextFactory<TSaga>, IQuerySagaRepositoryContextFactory<TSaga>, ILoadSagaRepositoryContextFactory<TSaga>
    where TSaga : class, ISaga
    where TDbContext : DbContext
{
    public Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<TSaga, T>> next)
        where T : class =>
        WithConflictRetry(context, async () =>
        {
            using var repository = new DbContextSagaRepositoryContext<TSaga, T>(db, context, consumeContextFactory);
            await next.Send(repository);
        });

    public Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<TSaga> query, IPipe<SagaRepositoryQueryContext<TSaga, T>> next)
        where T : class =>
        WithConflictRetry(context, async () =>
        {
            var instances = await db.Set<TSaga>().AsTracking().Where(query.FilterExpression).ToListAsync(context.CancellationToken);
            using var repository = new DbContextSagaRepositoryContext<TSaga, T>(db, context, consumeContextFactory);
            await next.Send(new LoadedSagaRepositoryQueryContext<TSaga, T>(repository, instances));
        });

    public Task<T> Execute<T>(Func<LoadSagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class =>
        asyncMethod(new DbContextQuerySagaRepositoryContext<TSaga>(db, cancellationToken));

    public Task<T> Execute<T>(Func<QuerySagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class =>
        asyncMethod(new DbContextQuerySagaRepositoryContext<TSaga>(db, cancellationToken));

    public void Probe(ProbeContext context) =>
        context.CreateScope("sagaRepository").Add("persistence", "turumbaEntityFrameworkCore");

    private async Task WithConflictRetry<T>(ConsumeContext<T> context, Func<Task> attempt)
        where T : class
    {
        if (context.TryGetPayload(out IOutboxTransaction? outbox))
        {
            // Saving through another context would commit the saga apart from its outgoing messages.
            if (db.Database.CurrentTransaction?.TransactionId != outbox.TransactionId)
            {
                throw new InvalidOperationException(
                    $"The saga {typeof(TSaga).Name} is behind the consumer outbox of another DbContext; use the outbox of {typeof(TDbContext).Name} on its endpoint.");
            }

            await attempt();
            return;
        }

        for (var attempts = 1; ; attempts++)
        {
            db.ChangeTracker.Clear();
            try
            {
                await attempt();
                return;
            }
            catch (Exception ex) when (SaveConflict.IsConflict(ex) && attempts < settings.ConflictRetryLimit)
            {
                await SaveConflict.BackOffAsync(attempts, context.CancellationToken);
            }
        }
    }
}
