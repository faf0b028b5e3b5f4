using System.Globalization;
using System.Net;

/// <summary>The command line: <c>[silo N | client] [--redis host:port] [--silo-port P] [--gateway-port P] [--primary-port P] [--silos K]</c>.</summary>
internal sealed record ClusterOptionsFromArgs(string Mode, int Silo, string? Redis, int? SiloPort, int? GatewayPort, int Silos, int? PrimaryPort = null)
{
    public const int FirstSiloPort = 11111;
    public const int FirstGatewayPort = 30000;

    public int SiloPortOrDefault => SiloPort ?? FirstSiloPort + Silo;

    public int GatewayPortOrDefault => GatewayPort ?? FirstGatewayPort + Silo;

    /// <summary>The primary silo of localhost clustering, through which the others join.</summary>
    public IPEndPoint Primary => new(IPAddress.Loopback, PrimaryPort ?? FirstSiloPort);

    public static ClusterOptionsFromArgs Parse(string[] args)
    {
        var mode = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "all";
        var silo = mode == "silo" && args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 0;
        return new ClusterOptionsFromArgs(mode, silo, Value(args, "--redis"), Number(args, "--silo-port"), Number(args, "--gateway-port"), Number(args, "--silos") ?? 3, Number(args, "--primary-port"));
    }

    /// <summary>The arguments that start silo <paramref name="number"/> with the same clustering.</summary>
    public IEnumerable<string> SiloArguments(int number)
    {
        yield return "silo";
        yield return number.ToString(CultureInfo.InvariantCulture);
        if (Redis is not null)
        {
            yield return "--redis";
            yield return Redis;
        }
    }

    private static string? Value(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    private static int? Number(string[] args, string name) =>
        Value(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : null;
}
