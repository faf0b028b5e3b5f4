using System.Runtime.ExceptionServices;

namespace Weft.Tests.Threading;

/// <summary>A dedicated thread whose result or exception the test collects with a bounded join.</summary>
internal sealed class TestThread<T>
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly Thread _thread;
    private T? _result;
    private ExceptionDispatchInfo? _error;

    private TestThread(Func<T> body)
    {
        _thread = new Thread(() =>
        {
            try
            {
                _result = body();
            }
            catch (Exception e)
            {
                _error = ExceptionDispatchInfo.Capture(e);
            }
        })
        { IsBackground = true };
        _thread.Start();
    }

    public bool IsAlive => _thread.IsAlive;

    public static TestThread<T> Start(Func<T> body) => new(body);

    /// <summary>Joins (failing the test after <see cref="Timeout"/>) and returns the result or rethrows the exception.</summary>
    public T Join()
    {
        Assert.True(_thread.Join(Timeout), "thread did not finish in time");
        _error?.Throw();
        return _result!;
    }
}

internal static class TestThread
{
    public static TestThread<bool> Start(Action body) => TestThread<bool>.Start(() =>
    {
        body();
        return true;
    });
}
