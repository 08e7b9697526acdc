using MassTransit;
using Turumba.Contracts;

namespace Turumba.Groups.Saga;

/// <summary>
/// The life of a group send: queued → fanning out → dispatching → completed | partially_failed |
/// failed, or cancelled at any point. Fed by the API (queued, cancelled), the fan-out (per page and at
/// the end) and the progress service (about once a second per running send) — never by single
/// messages. Runs behind the consumer outbox, so its state, the group message's row and the
/// commands it sends commit together.
/// </summary>
internal sealed class GroupSendStateMachine : MassTransitStateMachine<GroupSendState>
{
    public GroupSendStateMachine()
    {
        InstanceState(s => s.CurrentState);
        Event(() => Queued, e => e.CorrelateById(m => m.Message.GroupMessageId));
        Event(() => FanOutProgressed, e => { e.CorrelateById(m => m.Message.GroupMessageId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => FanOutCompleted, e => { e.CorrelateById(m => m.Message.GroupMessageId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => FanOutFailed, e => { e.CorrelateById(m => m.Message.GroupMessageId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => Progressed, e => { e.CorrelateById(m => m.Message.GroupMessageId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => CancelRequested, e => { e.CorrelateById(m => m.Message.GroupMessageId); e.OnMissingInstance(m => m.Discard()); });

        Initially(
            When(Queued)
                .ThenAsync(GroupSendActivities.StartAsync)
                .If(c => c.Saga.CompletedAt is null, started => started
                    .Send(GroupQueues.ProcessingAddress, c => new FanOutGroupSend(c.Saga.CorrelationId, c.Saga.AccountId))
                    .TransitionTo(FanningOut))
                .If(c => c.Saga.CompletedAt is not null, cancelled => cancelled.TransitionTo(Cancelled)));

        // Events of one fan-out can arrive out of order (the saga consumes concurrently) or twice (a
        // resumed fan-out repeats its last report), so pages and completion are taken in either state.
        During(FanningOut,
            When(FanOutCompleted).Then(GroupSendActivities.ApplyFanOutCompleted).TransitionTo(Dispatching));
        During(Dispatching,
            When(FanOutCompleted).Then(GroupSendActivities.ApplyFanOutCompleted));
        During(FanningOut, Dispatching,
            When(FanOutProgressed).Then(GroupSendActivities.ApplyPage));

        During(FanningOut, Dispatching,
            When(Progressed)
                .Then(GroupSendActivities.ApplyProgress)
                .If(c => GroupSendActivities.OutcomeOf(c.Saga, c.Message) == Outcome.Completed,
                    done => done.ThenAsync(c => GroupSendActivities.FinishAsync(c, GroupMessages.GroupMessageStatus.Completed)).TransitionTo(Completed))
                .If(c => GroupSendActivities.OutcomeOf(c.Saga, c.Message) == Outcome.PartiallyFailed,
                    done => done.ThenAsync(c => GroupSendActivities.FinishAsync(c, GroupMessages.GroupMessageStatus.PartiallyFailed)).TransitionTo(PartiallyFailed))
                .If(c => GroupSendActivities.OutcomeOf(c.Saga, c.Message) == Outcome.Failed,
                    done => done.ThenAsync(c => GroupSendActivities.FinishAsync(c, GroupMessages.GroupMessageStatus.Failed)).TransitionTo(Failed)),
            When(FanOutFailed).ThenAsync(GroupSendActivities.FailAsync).TransitionTo(Failed),
            When(CancelRequested).Then(GroupSendActivities.ApplyCancelled).TransitionTo(Cancelled));

        // Receipts keep arriving after a send ends (sent → delivered); the counters follow them.
        During(Completed, PartiallyFailed, Failed, Cancelled,
            When(Progressed).Then(GroupSendActivities.ApplyProgress),
            Ignore(FanOutProgressed),
            Ignore(FanOutCompleted),
            Ignore(FanOutFailed),
            Ignore(CancelRequested));
        DuringAny(Ignore(Queued));
    }

    public State FanningOut { get; private set; } = null!;

    public State Dispatching { get; private set; } = null!;

    public State Completed { get; private set; } = null!;

    public State PartiallyFailed { get; private set; } = null!;

    public State Failed { get; private set; } = null!;

    public State Cancelled { get; private set; } = null!;

    public Event<GroupSendQueued> Queued { get; private set; } = null!;

    public Event<GroupFanOutProgressed> FanOutProgressed { get; private set; } = null!;

    public Event<GroupFanOutCompleted> FanOutCompleted { get; private set; } = null!;

    public Event<GroupFanOutFailed> FanOutFailed { get; private set; } = null!;

    public Event<GroupSendProgressed> Progressed { get; private set; } = null!;

    public Event<GroupSendCancelled> CancelRequested { get; private set; } = null!;
}

internal enum Outcome
{
    Running,
    Completed,
    PartiallyFailed,
    Failed,
}
