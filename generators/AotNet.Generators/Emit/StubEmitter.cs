using System.Linq;
using AotNet.Generators.Graph;

namespace AotNet.Generators.Emit;

/// <summary>
/// Declares the members of a method whose graph could not be read, so the build reports that
/// method's real error and not a missing <c>ForwardCompiled</c> at every caller. The bodies throw,
/// but they never run: the error that caused them fails the build.
/// </summary>
internal static class StubEmitter
{
    public static GeneratedFile Emit(StubSpec stub)
    {
        var writer = TypeScope.Begin(stub.Type);
        string inputs = string.Join(", ", stub.Inputs.Select(i => (i.IsLabels ? "global::AotNet.Labels " : "global::AotNet.Tensor ") + i.Code));
        string gradients = string.Concat(stub.Inputs.Where(i => i.RequiresGrad).Select(i => $", global::AotNet.Tensor {Names.Escape(i.Name + "Grad")}"));
        string failure = $"throw new global::System.InvalidOperationException({Literals.String($"'{stub.MethodName}' has build errors, so it was not compiled.")});";
        writer.Line($"/// <summary>Not generated: <see cref=\"{stub.MethodName}\"/> has build errors.</summary>");
        writer.Line($"{stub.Accessibility} {Returned(stub, "global::AotNet.Tensor")} {stub.MethodName}Compiled({inputs}) => {failure}");
        writer.Line();
        writer.Line($"/// <summary>Not generated: <see cref=\"{stub.MethodName}\"/> has build errors.</summary>");
        writer.Line($"{stub.Accessibility} {Returned(stub, "float")} {stub.MethodName}Step({inputs}{gradients}) => {failure}");
        return new GeneratedFile($"{stub.Type.HintPrefix}.{stub.MethodName}.g.cs", TypeScope.End(writer, stub.Type));
    }

    static string Returned(StubSpec stub, string first) => stub.TupleNames.Count == 0
        ? first
        : "(" + string.Join(", ", stub.TupleNames.Select((name, k) => $"{(k == 0 ? first : "global::AotNet.Tensor")} {name}")) + ")";
}
