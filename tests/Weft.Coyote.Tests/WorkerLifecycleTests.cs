using Microsoft.Coyote.Specifications;
using Weft.Processes;

namespace Weft.Coyote.Tests;

/// <summary>
/// The process pool's worker state machine (<see cref="Worker"/>) driven from tasks as the pool's threads drive it:
/// a sender assigns calls while the worker takes them, a reader answers them, the pool retires the worker, breaks
/// (taking every call back) or ends a task on purpose, and the channel ends, all under the dispatcher's gate in
/// any order Coyote picks. Every call is accounted for exactly once (answered, handed back by the break, or
/// reported lost at the end), the worker ends Exited holding nothing, and <see cref="Worker.AssertInvariants"/>,
/// which every transition runs, never fires.
/// </summary>
internal static class WorkerLifecycleTests
{
    public static IEnumerable<(string Name, Func<Task> Test)> All =>
    [
        (nameof(Worker_SenderReaderRetireBreakAndEnd_EveryCallAccountedOnceEndsExited), Worker_SenderReaderRetireBreakAndEnd_EveryCallAccountedOnceEndsExited),
        (nameof(Worker_TerminateRacesAnswers_EndedCallAnsweredOrLostNeverBoth), Worker_TerminateRacesAnswers_EndedCallAnsweredOrLostNeverBoth),
    ];

    public static async Task Worker_SenderReaderRetireBreakAndEnd_EveryCallAccountedOnceEndsExited()
    {
        var gate = new object();
        var worker = new Worker(0, new WorkerConnection());
        var sent = new List<long>();
        var answered = new List<long>();
        var abandoned = new List<WorkItem>();
        List<WorkItem> lost = [];
        lock (gate)
        {
            worker.Connected(processId: 1);
        }

        var sender = Task.Run(async () =>
        {
            for (var id = 1L; id <= 3; id++)
            {
                lock (gate)
                {
                    if (!worker.TakesCalls)
                    {
                        return;   // the dispatcher gives calls only to Ready and Busy workers
                    }

                    worker.Assign(Call(id));
                    sent.Add(id);
                }

                await Task.Yield();
            }
        });
        var reader = Task.Run(async () =>
        {
            for (var i = 0; i < 3; i++)
            {
                lock (gate)
                {
                    if (worker.Running() is { } running && worker.Answered(running.Id, ticks: 100) is { } item)
                    {
                        answered.Add(item.Id);
                    }
                }

                await Task.Yield();
            }
        });
        var retire = Task.Run(() =>
        {
            lock (gate)
            {
                if (worker.State != WorkerState.Exited)
                {
                    worker.Retire();   // Exit frame sent
                }
            }
        });
        var breaker = Task.Run(() =>
        {
            lock (gate)
            {
                if (worker.State != WorkerState.Exited)
                {
                    worker.Abandon(abandoned);   // the pool broke
                }
            }
        });
        await Task.WhenAll(sender, reader, retire, breaker);
        lock (gate)
        {
            lost = worker.Exit();   // the channel ends last: every frame read
        }

        var accounted = answered.Concat(abandoned.Select(i => i.Id)).Concat(lost.Select(i => i.Id)).Order().ToList();
        Specification.Assert(accounted.SequenceEqual(sent.Order()), $"sent [{string.Join(",", sent)}] but accounted [{string.Join(",", accounted)}]");
        Specification.Assert(worker.State == WorkerState.Exited && worker.InFlightCount == 0, $"ended {worker.State} holding {worker.InFlightCount}");
        Specification.Assert(lost.Count == 0, "a worker that was retired and broken still held calls at its end");
    }

    public static async Task Worker_TerminateRacesAnswers_EndedCallAnsweredOrLostNeverBoth()
    {
        var gate = new object();
        var worker = new Worker(0, new WorkerConnection());
        var reason = new TimeoutException("too long");
        WorkItem? ended = null;
        var answered = new List<long>();
        lock (gate)
        {
            worker.Connected(processId: 1);
            for (var id = 1L; id <= 3; id++)
            {
                worker.Assign(Call(id));
            }
        }

        var reader = Task.Run(async () =>
        {
            for (var i = 0; i < 2; i++)
            {
                lock (gate)
                {
                    if (worker.Running() is { } running && worker.Answered(running.Id, ticks: 100) is { } item)
                    {
                        answered.Add(item.Id);
                    }
                }

                await Task.Yield();
            }
        });
        var terminate = Task.Run(() =>
        {
            lock (gate)
            {
                ended = worker.Running();
                if (ended is not null)
                {
                    worker.EndOnPurpose(ended, reason);
                }
            }
        });
        await Task.WhenAll(reader, terminate);
        List<WorkItem> lost;
        lock (gate)
        {
            lost = worker.Exit();
        }

        Specification.Assert(ended is not null && ReferenceEquals(worker.EndReason, reason) && ReferenceEquals(worker.EndTarget, ended),
            "the reason or its call was lost");
        Specification.Assert(answered.Contains(ended!.Id) != lost.Contains(ended),
            "the call ended on purpose must be either answered (its answer won the race) or lost, never both or neither");
        Specification.Assert(lost.Select(i => i.Id).SequenceEqual(Enumerable.Range(1, 3).Select(i => (long)i).Except(answered)),
            "the lost calls are not the unanswered ones, oldest first");
    }

    private static WorkItem<int> Call(long id) =>
        new(new Future<int>(null, null), s_function, []) { Id = id };

    private static readonly TaskFunction s_function = TaskFunction.From(new Func<int, int>(Square), TaskShape.Func1, "fn");

    private static int Square(int x) => x * x;
}
