using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Runtime;
using Weft.Orleans.Workers;

namespace Weft.Orleans;

/// <summary>Adds Weft's workers to an Orleans silo.</summary>
public static class WeftSiloBuilderExtensions
{
    /// <summary>Hosts Weft's workers in this silo: a stateless worker grain that runs functions submitted to a
    /// <see cref="ClusterExecutor"/>, found only in the assemblies this silo has loaded.</summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="maxLocalWorkers">Tasks this silo runs at once; <see langword="null"/>:
    /// <see cref="Environment.ProcessorCount"/>.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLocalWorkers"/> is zero or negative.</exception>
    /// <remarks>Python has no counterpart: Dask's <c>dask-worker --nthreads</c> is the nearest.</remarks>
    public static ISiloBuilder AddWeftWorkers(this ISiloBuilder builder, int? maxLocalWorkers = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (maxLocalWorkers is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max, nameof(maxLocalWorkers));
        }

        builder.Services.AddSingleton(services => new LocalWorkers(
            maxLocalWorkers ?? Environment.ProcessorCount,
            services.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToString()));
        return builder;
    }
}
