using Microsoft.Extensions.Logging;

namespace Weft.Orleans;

/// <summary>What the executor tells the Orleans client's logger: resends, suspect silos, lost tasks, membership.</summary>
public sealed partial class ClusterExecutor
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "{Function} (task {Id}) was lost on silo {Silo} (attempt {Attempt}: {Reason}); sending it again.")]
    private partial void LogResend(string function, long id, string silo, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Function} (task {Id}) was lost {Attempts} times and fails ({Reason}).")]
    private partial void LogLostForGood(string function, long id, int attempts, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo {Silo} answered no heartbeat for {Seconds} s: its tasks are sent elsewhere.")]
    private partial void LogLeaseExpired(string silo, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {Silo} answers heartbeats again.")]
    private partial void LogRevived(string silo);

    [LoggerMessage(Level = LogLevel.Debug, Message = "A heartbeat to silo {Silo} failed ({Error}).")]
    private partial void LogHeartbeatFailed(string silo, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No silo answers: dispatch is paused until one does (tasks keep their retries).")]
    private partial void LogCircuitOpen();

    [LoggerMessage(Level = LogLevel.Information, Message = "A silo answers again: dispatch resumes.")]
    private partial void LogCircuitClosed();

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {Silo} with {Capacity} Weft workers joined.")]
    private partial void LogJoined(string silo, int capacity);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {Silo} left the cluster.")]
    private partial void LogLeft(string silo);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Asking the cluster for its silos failed ({Error}: {Message}); the old table stays.")]
    private partial void LogRefreshFailed(string error, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo {Silo} has no Weft workers (no AddWeftWorkers): task {Id} goes elsewhere.")]
    private partial void LogNoWorkers(string silo, long id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {Id} meant for silo {Target} was placed on silo {Actual}.")]
    private partial void LogMisplaced(long id, string target, string actual);

    [LoggerMessage(Level = LogLevel.Debug, Message = "A second reply of task {Id} (from silo {Silo}) was dropped: the first one won.")]
    private partial void LogDuplicate(long id, string silo);

    [LoggerMessage(Level = LogLevel.Error, Message = "The reply of task {Id} could not be read.")]
    private partial void LogUnreadableReply(long id, Exception error);
}
