namespace Weft.Orleans.Workers;

/// <summary>What a silo may run: whole modules (<see cref="WeftWorkerOptions.Allow(System.Reflection.Assembly)"/>) and
/// single methods (<see cref="WeftWorkerOptions.Allow(Type)"/>), by module version id and metadata token. Checked
/// against the numbers a call carries before anything is resolved, so a refused call loads nothing and resolves nothing.</summary>
internal sealed class AllowList(IReadOnlySet<Guid> modules, IReadOnlySet<(Guid Module, int Token)> methods)
{
    /// <summary>The longest function name echoed in a refusal (the name comes from the caller).</summary>
    private const int MaxEchoedName = 200;

    public bool IsEmpty => modules.Count == 0 && methods.Count == 0;

    /// <summary>Refuses a function that no <c>Allow</c> covers.</summary>
    /// <exception cref="UnauthorizedAccessException">It is not allowed; the message names it and <c>Allow</c>.</exception>
    public void Check(Guid module, int token, string? name)
    {
        if (modules.Contains(module) || methods.Contains((module, token)))
        {
            return;
        }

        var shown = name is null ? "this function" : name.Length > MaxEchoedName ? name[..MaxEchoedName] + "..." : name;
        throw new UnauthorizedAccessException(
            $"{shown} is not allowed on this silo: Weft's workers run only functions declared in a type or assembly " +
            "that the silo allows, as in AddWeftWorkers(o => o.Allow(typeof(MyFunctions))) or o.Allow(typeof(MyFunctions).Assembly).");
    }
}
