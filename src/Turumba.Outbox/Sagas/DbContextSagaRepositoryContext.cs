using MassTransit;
using MassTransit.Context;
using MassTransit.Logging;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;
using Turumba.Outbox;

namespace Turumba.Outbox.Sagas;

/// <summary>What the state machine asks of the repository for one event, on one DbContext.</summary>
internal sealed class DbContextSagaRepositoryContext<TSaga, TMessage> : ConsumeContextScope<TMessage>, SagaRepositoryContext<TSaga, TMessage>, IDisposable
    where TSaga : class, ISaga
    where TMessage : class
{
    private readonly SemaphoreSlim _saving = new(1);
    private readonly DbContext _db;
    private readonly ConsumeContext<TMessage> _context;
    private readonly ISagaConsumeContextFactory<DbContext, TSaga> _factory;

    public DbContextSagaRepositoryContext(DbContext db, ConsumeContext<TMessage> context, ISagaConsumeContextFactory<DbContext, TSaga> factory)
        : base(context, db)
    {
        _db = db;
        _context = context;
        _factory = factory;
    }

    public Task<SagaConsumeContext<TSaga, TMessage>> Add(TSaga instance) =>
        _factory.CreateSagaConsumeContext(_db, _context, instance, SagaConsumeContextMode.Add);

    public async Task<SagaConsumeContext<TSaga, TMessage>> Insert(TSaga instance)
    {
        var entry = _db.Set<TSaga>().Add(instance);
        try
        {
            await _db.SaveChangesAsync(CancellationToken);
            _context.LogInsert<TSaga, TMessage>(instance.CorrelationId);
            return await _factory.CreateSagaConsumeContext(_db, _context, instance, SagaConsumeContextMode.Insert);
        }
        catch (DbUpdateException ex) when (SaveConflict.IsConflict(ex) && !_context.TryGetPayload(out IOutboxTransaction? _))
        {
            // Already there (another event created it first); the caller goes on to load it.
            entry.State = EntityState.Detached;
            _context.LogInsertFault<TSaga, TMessage>(ex, instance.CorrelationId);
            return null!;
        }
    }

    public async Task<SagaConsumeContext<TSaga, TMessage>> Load(Guid correlationId)
    {
        var instance = await _db.Set<TSaga>().AsTracking().SingleOrDefaultAsync(s => s.CorrelationId == correlationId, CancellationToken);
        return instance is null
            ? null!
            : await _factory.CreateSagaConsumeContext(_db, _context, instance, SagaConsumeContextMode.Load);
    }

    public Task Save(SagaConsumeContext<TSaga> context) => SaveAsync(() => _db.Set<TSaga>().Add(context.Saga));

    public Task Update(SagaConsumeContext<TSaga> context) => SaveAsync(() => { });

    public Task Delete(SagaConsumeContext<TSaga> context) => SaveAsync(() => _db.Set<TSaga>().Remove(context.Saga));

    public Task Discard(SagaConsumeContext<TSaga> context) => Task.CompletedTask;

    public Task Undo(SagaConsumeContext<TSaga> context)
    {
        var entry = _db.ChangeTracker.Entries<TSaga>().FirstOrDefault(e => e.Entity.CorrelationId == context.Saga.CorrelationId);
        if (entry is not null)
        {
            entry.State = EntityState.Unchanged;
        }

        return Task.CompletedTask;
    }

    public Task<SagaConsumeContext<TSaga, T>> CreateSagaConsumeContext<T>(ConsumeContext<T> consumeContext, TSaga instance, SagaConsumeContextMode mode)
        where T : class =>
        _factory.CreateSagaConsumeContext(_db, consumeContext, instance, mode);

    public void Dispose() => _saving.Dispose();

    private async Task SaveAsync(Action change)
    {
        await _saving.WaitAsync(CancellationToken);
        try
        {
            change();
            await _db.SaveChangesAsync(CancellationToken);
        }
        finally
        {
            _saving.Release();
        }
    }
}
