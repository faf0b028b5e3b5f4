using System.Reflection;

// The worker's code lives in Weft itself (Weft.Processes.WorkerHost), so it always matches the parent's
// version of Weft; this stub only finds it. The names are constants of this program, never read from input.
// The channel to the pool is named by the WEFT_WORKER_CHANNEL environment variable (see WorkerChannel).
var weft = Assembly.Load(new AssemblyName("Weft"));
var host = weft.GetType("Weft.Processes.WorkerHost", throwOnError: true)!;
var run = host.GetMethod("Run", BindingFlags.NonPublic | BindingFlags.Static, [typeof(string[])])!;
return (int)run.Invoke(null, [args])!;
