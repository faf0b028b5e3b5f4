using System.Diagnostics.Metrics;

namespace Weft.Orleans;

/// <summary>The cluster's own counters in the <c>Weft</c> meter, beside the ones every executor publishes (resends
/// are core's <c>weft.tasks.resent</c>): late duplicate replies dropped, silos whose lease expired, tasks that never reached a silo answering heartbeats, tasks lost for good.</summary>
internal static class ClusterMetrics
{
    private static readonly Meter s_meter = new("Weft");
    private static readonly Counter<long> s_duplicates = s_meter.CreateCounter<long>("weft.cluster.duplicates", "{reply}", "Replies dropped because their task already had one");
    private static readonly Counter<long> s_suspects = s_meter.CreateCounter<long>("weft.cluster.suspects", "{silo}", "Silos whose heartbeat lease expired");
    private static readonly Counter<long> s_undelivered = s_meter.CreateCounter<long>("weft.cluster.undelivered", "{task}", "Tasks a silo answering heartbeats never listed (the message was lost on the way), sent again");
    private static readonly Counter<long> s_lost = s_meter.CreateCounter<long>("weft.cluster.lost", "{task}", "Tasks that failed after maxRetries lost attempts");

    public static void Duplicate(string executor) => s_duplicates.Add(1, new KeyValuePair<string, object?>("weft.executor", executor));

    public static void Suspected(string executor) => s_suspects.Add(1, new KeyValuePair<string, object?>("weft.executor", executor));

    public static void Undelivered(string executor) => s_undelivered.Add(1, new KeyValuePair<string, object?>("weft.executor", executor));

    public static void LostForGood(string executor) => s_lost.Add(1, new KeyValuePair<string, object?>("weft.executor", executor));
}
