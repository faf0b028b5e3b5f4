using System.Reflection;
using BenchmarkDotNet.Running;
using Weft.Bench.Compare;

// Two modes:
//   dotnet run -c Release --project bench/Weft.Bench -- compare <name|all>   side-by-side ratios in one run
//   dotnet run -c Release --project bench/Weft.Bench -- [BenchmarkDotNet args] micro-benchmarks
if (args.Length > 0 && args[0] == "compare")
{
    var comparisons = typeof(IComparison).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(IComparison).IsAssignableFrom(t))
        .Select(t => (IComparison)Activator.CreateInstance(t)!)
        .OrderBy(c => c.Name, StringComparer.Ordinal)
        .ToList();
    var wanted = args.Length > 1 ? args[1] : "all";
    var selected = comparisons.Where(c => wanted == "all" || c.Name == wanted).ToList();
    if (selected.Count == 0)
    {
        Console.Error.WriteLine($"unknown comparison '{wanted}'; known: {string.Join(", ", comparisons.Select(c => c.Name))}, all");
        return 2;
    }

    foreach (var comparison in selected)
    {
        Console.WriteLine($"== {comparison.Name}: {comparison.Description}");
        comparison.Run(args.Skip(2).ToArray());
        Console.WriteLine();
    }

    return 0;
}

BenchmarkSwitcher.FromAssembly(Assembly.GetExecutingAssembly()).Run(args);
return 0;
