using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Turumba.Outbox;

/// <summary>
/// The EF Core transactional outbox, inbox and bus outbox on PostgreSQL, registered like
/// MassTransit.EntityFrameworkCore's <c>AddEntityFrameworkOutbox</c>/<c>UseEntityFrameworkOutbox</c>
/// so that moving to the official package is a change of these two calls.
/// </summary>
public static class TurumbaOutboxConfigurationExtensions
{
    /// <summary>
    /// Registers the outbox of <typeparamref name="TDbContext"/> inside <c>AddMassTransit</c>. The
    /// context's model must contain the outbox tables (<see cref="ModelBuilderOutboxExtensions.AddTurumbaOutboxEntities"/>).
    /// </summary>
    public static void AddTurumbaEntityFrameworkOutbox<TDbContext>(
        this IBusRegistrationConfigurator bus, Action<ITurumbaOutboxConfigurator>? configure = null)
        where TDbContext : DbContext =>
        new TurumbaOutboxConfigurator<TDbContext>(bus).Apply(configure);

    /// <summary>
    /// Consumers and sagas on this endpoint run inside a transaction of <typeparamref name="TDbContext"/>
    /// guarded by the inbox; what they send or publish is released after the commit.
    /// </summary>
    public static void UseTurumbaEntityFrameworkOutbox<TDbContext>(
        this IReceiveEndpointConfigurator endpoint, IRegistrationContext context, Action<IOutboxOptionsConfigurator>? configure = null)
        where TDbContext : DbContext
    {
        var observer = new MassTransit.Configuration.OutboxConsumePipeSpecificationObserver<TDbContext>(endpoint, context);
        configure?.Invoke(observer);
        endpoint.ConnectConsumerConfigurationObserver(observer);
        endpoint.ConnectSagaConfigurationObserver(observer);
    }
}

/// <summary>Adds the outbox tables to a model.</summary>
public static class ModelBuilderOutboxExtensions
{
    /// <summary><c>inbox_state</c>, <c>outbox_state</c> and <c>outbox_message</c> in <paramref name="schema"/> (the model's default when null).</summary>
    public static ModelBuilder AddTurumbaOutboxEntities(this ModelBuilder model, string? schema = null)
    {
        OutboxModel.Configure(model, schema);
        return model;
    }
}

/// <summary>Adds the outbox's write path to a DbContext's options.</summary>
public static class DbContextOptionsOutboxExtensions
{
    /// <summary>Outbox rows saved through <c>SaveChangesAsync</c> are written with binary COPY in the save's transaction.</summary>
    public static DbContextOptionsBuilder UseTurumbaOutbox(this DbContextOptionsBuilder options) =>
        options.AddInterceptors(OutboxSaveChangesInterceptor.Instance);
}
