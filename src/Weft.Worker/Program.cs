using System.Reflection;

// The worker's code lives in Weft itself (Weft.Processes.WorkerHost), so it always matches the parent's
// version of Weft; this stub only finds it. The names are constants of this program, never read from input.
// The channel to the pool is named by the WEFT_WORKER_CHANNEL environment variable (see WorkerChannel).
var weft = Assembly.Load(new AssemblyName("Weft"));
var run = FindByToken(weft) ?? weft.GetType("Weft.Processes.WorkerHost", throwOnError: true)!
    .GetMethod("Run", BindingFlags.NonPublic | BindingFlags.Static, [typeof(string[])])!;
return (int)run.Invoke(null, [args])!;

// The pool also passes WorkerHost.Run's metadata token (WEFT_WORKER_ENTRY, see WorkerLaunch): resolving a token
// spares a fresh worker the first lookup of a type by name, which builds Weft's type-name table (~7 ms). The token
// only finds faster the one method named above: whatever else it resolves to is ignored, and the lookup by name runs.
static MethodInfo? FindByToken(Assembly weft)
{
    const string Variable = "WEFT_WORKER_ENTRY";
    var text = Environment.GetEnvironmentVariable(Variable);
    if (text is null)
    {
        return null;
    }

    Environment.SetEnvironmentVariable(Variable, null);   // not inherited by processes a task starts
    var token = 0;
    foreach (var c in text)
    {
        // By hand: int.Parse would load the ICU libraries, which the first call may never need.
        if (c is < '0' or > '9' || token > (int.MaxValue - 9) / 10)
        {
            return null;
        }

        token = (token * 10) + (c - '0');
    }

    MethodBase? method;
    try
    {
        method = weft.ManifestModule.ResolveMethod(token);
    }
    catch (ArgumentException)
    {
        return null;   // another build of Weft: not a method token there
    }

    return method is MethodInfo { Name: "Run", IsStatic: true, DeclaringType: { Name: "WorkerHost", Namespace: "Weft.Processes", IsNested: false } } run
        && run.ReturnType == typeof(int)
        && run.GetParameters() is [{ ParameterType: var parameter }]
        && parameter == typeof(string[])
        ? run
        : null;
}
