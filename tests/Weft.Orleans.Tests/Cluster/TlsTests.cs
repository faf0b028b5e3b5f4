using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Hosting;
using Weft.Tests.Futures;

namespace Weft.Orleans.Tests.Cluster;

/// <summary>A cluster on a network runs over TLS (docs/cluster.md): the executor works unchanged over it.</summary>
public sealed class TlsTests
{
    private static int s_validations;

    [Fact]
    public async Task Map_OverTlsWithACertificateMadeHere_EveryResultArrivesAndEachPeerCheckedTheOthersCertificate()
    {
        using var certificate = MakeCertificate();
        var thumbprint = certificate.Thumbprint;
        var (siloPort, gatewayPort) = (RedisServer.FreePort(), RedisServer.FreePort());
        Volatile.Write(ref s_validations, 0);
        using var silo = await StartAsync(Host.CreateApplicationBuilder(), b => b.UseOrleans(silo => silo
            .UseLocalhostClustering(siloPort, gatewayPort, new IPEndPoint(IPAddress.Loopback, siloPort))
            .UseTls(certificate, o => o.RemoteCertificateValidation = (c, _, _) => Validate(c, thumbprint))
            .AddWeftWorkers(o => o.Allow(typeof(TlsTests)))));
        using var client = await StartAsync(Host.CreateApplicationBuilder(), b => b.UseOrleansClient(client => client
            .UseLocalhostClustering(gatewayPort)
            .UseTls(certificate, o => o.RemoteCertificateValidation = (c, _, _) => Validate(c, thumbprint))));
        using var executor = new ClusterExecutor(client.Services.GetRequiredService<IClusterClient>());

        var squares = executor.Map(static (int x) => x * x, Enumerable.Range(0, 50), timeout: TestFutures.Long).ToList();

        Assert.Equal(Enumerable.Range(0, 50).Select(x => x * x), squares);
        Assert.True(Volatile.Read(ref s_validations) >= 2, "no TLS handshake checked a certificate");
        await executor.DisposeAsync().AsTask().WaitAsync(TestFutures.Long);
        await client.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        await silo.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Accepts exactly the test's certificate (a real cluster pins its CA or certificate the same way).</summary>
    private static bool Validate(X509Certificate2? certificate, string thumbprint)
    {
        Interlocked.Increment(ref s_validations);
        return certificate?.Thumbprint == thumbprint;
    }

    private static X509Certificate2 MakeCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=weft-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));   // server and client auth
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pfx), null);
    }

    private static async Task<IHost> StartAsync(HostApplicationBuilder builder, Action<HostApplicationBuilder> configure)
    {
        builder.Logging.SetMinimumLevel(LogLevel.Critical);
        configure(builder);
        var host = builder.Build();
        await host.StartAsync().WaitAsync(TimeSpan.FromMinutes(1));
        return host;
    }
}
