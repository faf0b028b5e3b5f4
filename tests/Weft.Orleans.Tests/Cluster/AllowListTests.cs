using System.Reflection;
using Weft.Orleans.Wire;
using Weft.Orleans.Workers;
using Weft.Processes;

namespace Weft.Orleans.Tests.Cluster;

/// <summary>Deny by default: what a silo refuses, checked on the silo's own entry point with no cluster around it.</summary>
public sealed class AllowListTests
{
    [Theory]
    [InlineData(typeof(File))]                 // System.Private.CoreLib
    [InlineData(typeof(System.Diagnostics.Process))]
    [InlineData(typeof(Executor))]             // Weft
    [InlineData(typeof(ClusterExecutor))]      // Weft.Orleans
    [InlineData(typeof(IGrainFactory))]        // Orleans
    public void Allow_FrameworkType_RefusedWithArgumentException(Type type)
    {
        var options = new WeftWorkerOptions();

        var error = Assert.Throws<ArgumentException>(() => options.Allow(type));

        Assert.Equal("type", error.ParamName);
        Assert.Contains("cannot be allowed", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => options.Allow(type.Assembly));
    }

    [Fact]
    public void Run_AssemblyLoadNamedByARawCall_RefusedBeforeAnythingIsLoaded()
    {
        // The attack from issue 21: a raw grain call naming Assembly.Load(byte[]) with a payload. The silo must
        // refuse it from the numbers alone: nothing loaded, nothing resolved.
        var load = typeof(Assembly).GetMethod(nameof(Assembly.Load), [typeof(byte[])])!;
        var function = Definition(load);
        var arguments = ClusterWire.Serialize(new byte[] { 0x4d, 0x5a, 1, 2, 3 }, "payload");
        var allowed = new WeftWorkerOptions().Allow(typeof(AllowListTests)).ToAllowList();
        var before = AppDomain.CurrentDomain.GetAssemblies().Length;

        var reply = ClusterWire.ReadReply(ClusterWire.Run(function, arguments, "silo-under-test", allowed, CancellationToken.None));

        var error = Assert.IsType<UnauthorizedAccessException>(reply.Error);
        Assert.Contains("System.Reflection.Assembly.Load", error.Message, StringComparison.Ordinal);
        Assert.Contains("Allow(", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, AppDomain.CurrentDomain.GetAssemblies().Length);
    }

    [Fact]
    public void Run_AllowedType_RunsItsMethodsAndLambdasButNotAnotherTypesOfTheSameAssembly()
    {
        var allowed = new WeftWorkerOptions().Allow(typeof(AllowedFunctions)).ToAllowList();

        var square = Run(ClusterWire.Function(AllowedFunctions.Square, CallShape.Func1), 7, allowed);
        var lambda = Run(ClusterWire.Function(AllowedFunctions.Lambda, CallShape.Func1), 7, allowed);
        var other = Run(ClusterWire.Function(OtherFunctions.Square, CallShape.Func1), 7, allowed);

        Assert.Equal(49, ClusterWire.Deserialize<int>(square.Result!, "square"));
        Assert.Equal(8, ClusterWire.Deserialize<int>(lambda.Result!, "lambda"));
        var refused = Assert.IsType<UnauthorizedAccessException>(other.Error);
        Assert.Contains(typeof(OtherFunctions).FullName + ".Square", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_NothingAllowed_RefusesEvenTheApplicationsOwnFunctions()
    {
        var allowed = new WeftWorkerOptions().ToAllowList();

        var reply = Run(ClusterWire.Function(AllowedFunctions.Square, CallShape.Func1), 7, allowed);

        Assert.IsType<UnauthorizedAccessException>(reply.Error);
    }

    private static Reply Run(FunctionRef function, int argument, AllowList allowed) =>
        ClusterWire.ReadReply(ClusterWire.Run(function.Bytes, ClusterWire.Serialize(argument, "argument"), "silo-under-test", allowed, CancellationToken.None));

    /// <summary>A function definition as a raw caller would write it (the layout of <c>TaskFunction.WriteDefinition</c>).</summary>
    private static byte[] Definition(MethodInfo method)
    {
        var writer = new BodyWriter();
        writer.WriteInt32(1);
        writer.WriteByte((byte)TaskShape.Func1);
        writer.WriteByte(0);
        writer.WriteString(method.Module.Assembly.FullName);
        writer.WriteGuid(method.Module.ModuleVersionId);
        writer.WriteInt32(method.MetadataToken);
        writer.WriteString($"{method.DeclaringType!.FullName}.{method.Name}");
        return writer.WrittenSpan.ToArray();
    }

    internal static class AllowedFunctions
    {
        public static readonly Func<int, int> Lambda = static x => x + 1;

        public static int Square(int x) => x * x;
    }

    internal static class OtherFunctions
    {
        public static int Square(int x) => x * x;
    }
}
