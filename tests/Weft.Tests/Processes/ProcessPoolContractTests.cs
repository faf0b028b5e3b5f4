namespace Weft.Tests.Processes;

/// <summary>Values cross exactly, or Submit refuses them up front (issue 9.5).</summary>
public sealed class ProcessPoolContractTests(PoolFixture fixture) : IClassFixture<PoolFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private ProcessPoolExecutor Pool => fixture.Pool;

    [Fact]
    public void Submit_ClassWithPrivateSetters_ArrivesWithItsValues()
    {
        var result = Pool.Submit(static (Account a) => a.Deposit(5), new Account("alice", 100)).Result(Timeout);

        Assert.Equal("alice", result.Owner);
        Assert.Equal(105, result.Balance);
    }

    [Fact]
    public void Submit_GetOnlyAutoPropertySetInConstructor_ArrivesWithItsValue()
    {
        var created = new DateTime(2026, 11, 30, 12, 0, 0, DateTimeKind.Utc);

        var result = Pool.Submit(static (Stamp s) => s, new Stamp(created)).Result(Timeout);

        Assert.Equal(created, result.Created);
    }

    [Fact]
    public async Task Submit_ValueTaskResult_AwaitedInWorkerValueComesBack()
    {
        var future = Pool.Submit(static (int x) => new ValueTask<int>(x * 2), 21);

        Assert.Equal(42, await future.Result(Timeout));
    }

    [Fact]
    public async Task Submit_AsyncFunction_AwaitedInWorkerResultComesBack()
    {
        var future = Pool.Submit(WorkerFunctions.AddAfterDelayAsync, 41);

        var task = future.Result(Timeout);

        Assert.True(task.IsCompletedSuccessfully);
        Assert.Equal(42, await task);
    }

    [Fact]
    public void Submit_AsyncFunctionThatFails_FutureHasItsException()
    {
        var error = Pool.Submit(WorkerFunctions.FailAfterDelayAsync, 3).GetException(Timeout);

        Assert.Equal("async failure 3", Assert.IsType<InvalidOperationException>(error).Message);
    }

    [Fact]
    public void Map_AsyncFunctionInChunks_ResultsInOrder()
    {
        var results = Pool.Map(WorkerFunctions.AddAfterDelayAsync, [1, 2, 3, 4, 5], Timeout, chunkSize: 2).ToList();

        Assert.Equal([2, 3, 4, 5, 6], results.Select(t => t.IsCompletedSuccessfully ? t.Result : -1));
    }

    [Fact]
    public void Submit_TuplesAndDictionaries_RoundTrip()
    {
        var tuple = Pool.Submit(static (Tuple<int, string> t) => Tuple.Create(t.Item1 + 1, t.Item2 + "!"), Tuple.Create(1, "a"));
        var map = Pool.Submit(
            static (Dictionary<string, Point> d) => d.ToDictionary(p => p.Key + "2", p => p.Value with { X = 9 }),
            new Dictionary<string, Point> { ["k"] = new Point(1, 2) });

        Assert.Equal(Tuple.Create(2, "a!"), tuple.Result(Timeout));
        Assert.Equal(new Point(9, 2), Assert.Single(map.Result(Timeout)).Value);
    }

    [Fact]
    public void Submit_FieldNoPropertyCarries_ArrivesWithIt()
    {
        var ledger = new Ledger();
        ledger.Add(3);
        ledger.Add(4);

        Assert.Equal(7, Pool.Submit(static (Ledger l) => l.Entries.Sum(), ledger).Result(Timeout));
    }

    [Fact]
    public void Submit_FieldOfATypeThatCannotCross_RefusedNamingTypeAndField()
    {
        var error = Assert.Throws<ArgumentException>(() => Pool.Submit(static (Guarded g) => 1, new Guarded()));

        Assert.Contains(nameof(Guarded) + "._gate", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, Pool.PendingCount);
    }

    [Fact]
    public void Submit_ObjectResult_RefusedBeforeRunning()
    {
        var error = Assert.Throws<ArgumentException>(() => Pool.Submit(static (int x) => (object)x, 1));

        Assert.Contains("System.Object", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Submit_InterfaceArgument_RefusedNamingInterface()
    {
        var error = Assert.Throws<ArgumentException>(() => Pool.Submit(static (IShape s) => s.Area, new Square(2)));

        Assert.Contains(nameof(IShape), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Submit_TaskArgument_Refused()
    {
        var error = Assert.Throws<ArgumentException>(() => Pool.Submit(static (Task<int> t) => 1, Task.FromResult(1)));

        Assert.Contains("await it", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Submit_DerivedInstanceDeclaredAsBase_RefusedAtSubmit()
    {
        var error = Assert.Throws<ArgumentException>(() => Pool.Submit(static (Animal a) => a.Name, new Dog { Name = "rex", Tricks = 3 }));

        Assert.Contains(typeof(Dog).FullName!, error.Message, StringComparison.Ordinal);
    }
}

public sealed class Account
{
    public Account()
    {
    }

    public Account(string owner, int balance)
    {
        Owner = owner;
        Balance = balance;
    }

    public string? Owner { get; private set; }

    public int Balance { get; private set; }

    public Account Deposit(int amount) => new(Owner!, Balance + amount);
}

/// <summary>The serializer uses the parameterless constructor, so <see cref="Created"/> has no constructor
/// parameter to arrive through: only its backing field can carry it.</summary>
public sealed class Stamp
{
    public Stamp()
    {
    }

    public Stamp(DateTime created) => Created = created;

    public DateTime Created { get; }
}

public sealed class Ledger
{
    private readonly List<int> _entries = [];

    public IReadOnlyList<int> Entries => _entries;

    public void Add(int entry) => _entries.Add(entry);
}

public sealed class Guarded
{
    private readonly object _gate = new();

    public override string ToString() => _gate.ToString()!;
}

public interface IShape
{
    double Area { get; }
}

public sealed record Square(double Side) : IShape
{
    public double Area => Side * Side;
}

public class Animal
{
    public string? Name { get; set; }
}

public sealed class Dog : Animal
{
    public int Tricks { get; set; }
}
