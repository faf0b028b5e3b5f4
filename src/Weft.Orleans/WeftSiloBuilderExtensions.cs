using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Hosting;
using Orleans.Runtime;
using Weft.Orleans.Workers;

namespace Weft.Orleans;

/// <summary>Adds Weft's workers to an Orleans silo.</summary>
public static class WeftSiloBuilderExtensions
{
    /// <summary>Hosts Weft's workers in this silo, so that <see cref="ClusterExecutor"/>s send it tasks. Deny by
    /// default: a task runs only when its function is declared in a type or assembly that
    /// <paramref name="configure"/> allows (<see cref="WeftWorkerOptions.Allow(Type)"/>,
    /// <see cref="WeftWorkerOptions.Allow(System.Reflection.Assembly)"/>); anything else, the framework's own methods
    /// included, fails with an <see cref="UnauthorizedAccessException"/> that names the function and <c>Allow</c>.</summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="configure">Sets the silo's size and its allow-list, as in
    /// <c>o =&gt; o.Allow(typeof(MyFunctions))</c>.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="WeftWorkerOptions.MaxLocalWorkers"/> is zero or negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="configure"/> allowed an assembly of .NET, Orleans or Weft.</exception>
    /// <remarks>Python has no counterpart: Dask's <c>dask-worker --nthreads</c> is the nearest.</remarks>
    public static ISiloBuilder AddWeftWorkers(this ISiloBuilder builder, Action<WeftWorkerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new WeftWorkerOptions();
        configure(options);
        if (options.MaxLocalWorkers is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max, nameof(configure));
        }

        builder.Services.AddSingleton(services => new LocalWorkers(
            options,
            services.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToString(),
            services.GetRequiredService<ILogger<LocalWorkers>>(),
            TimeProvider.System));
        return builder;
    }
}
