using System.Linq;
using AotNet.Generators.Graph;

namespace AotNet.Generators.Emit;

/// <summary>
/// Writes the methods of a loop over a module list: its body, compiled once for every element,
/// and the three loops the Loop node calls. Inference runs the body element after element; a
/// step's forward does the same and saves each element's input; its backward goes from the last
/// element to the first, recomputing each body from its saved input inside the body's own step.
/// </summary>
internal static class LoopEmitter
{
    public static void Emit(SourceWriter writer, ModelSpec model, LoopBody body)
    {
        var bodyModel = model with { IsModule = false, Conditions = default, Variants = default, ModeFlags = default };
        string note = $"This is the body of its loop over {body.Collection}, for one element, which it reads through '{body.Module.TrimStart('@')}'.";
        string module = $"{body.Element} {body.Module}";
        string list = $"global::System.Collections.Generic.IReadOnlyList<{body.Element}>";
        var input = body.Forward.Inputs[0];
        string dims = string.Join(", ", input.Shape.Dims.Select(d => d.Code));
        string sizes = string.Concat(body.Forward.Inputs.SelectMany(i => i.Shape.Dims).Where(d => !d.IsConstant).Select(d => d.Symbol!).Distinct().Select(s => $", int {s}"));
        // Values the body reads from outside the loop, the same for every element.
        var captured = body.Forward.Inputs.Skip(1).ToList();
        string capturedParameters = string.Concat(captured.Select(c => $", global::System.ReadOnlySpan<{(c.IsLabels ? "int" : "float")}> {c.Name}Values"));
        string capturedArguments = string.Concat(captured.Select(c => $", {c.Name}Tensor"));

        ModelEmitter.EmitMethod(writer, bodyModel, body.Forward, ModelEmitter.Plan(body.Forward, training: false), training: false,
            body.Name + "Compiled", "private", note, moduleParameter: module);
        writer.Line();
        ModelEmitter.EmitMethod(writer, bodyModel, body.Forward, ModelEmitter.Plan(body.Forward, training: false), training: false,
            body.Name + "Kept", "private", note + " Its result is a tensor the model keeps, for the steps.", moduleParameter: module, keepResults: true);
        writer.Line();
        ModelEmitter.EmitMethod(writer, bodyModel, body.Step, ModelEmitter.Plan(body.Step, training: true), training: true,
            body.Name + "Step", "private", note + " Its loss is Σ next ⊙ dNext, so its gradients are the loop's.", moduleParameter: module);
        writer.Line();

        string carry = Field(body.Name, "Carry");
        string gradient = Field(body.Name, "Gradient");
        string next = Field(body.Name, "NextGradient");
        writer.Line($"private global::AotNet.Tensor? {carry};");
        writer.Line($"private global::AotNet.Tensor? {gradient};");
        writer.Line($"private global::AotNet.Tensor? {next};");
        foreach (var c in captured)
        {
            writer.Line($"private {TypeOf(c)}? {Field(body.Name, Capital(c.Name))};");
        }
        writer.Line();

        writer.Line($"/// <summary>Inference: the body for each element in turn; each call takes a workspace of its own, so concurrent calls are safe.</summary>");
        writer.Open($"private void {body.Name}Infer({list} modules, global::System.ReadOnlySpan<float> input{capturedParameters}, global::System.Span<float> output, global::System.Span<float> saved{sizes})");
        writer.Line($"var value = new global::AotNet.Tensor({dims});");
        writer.Line("input.CopyTo(value.Span);");
        foreach (var c in captured)
        {
            writer.Line($"var {c.Name}Tensor = {New(c)};");
            writer.Line($"{c.Name}Values.CopyTo({c.Name}Tensor.Span);");
        }
        writer.Open("for (int k = 0; k < modules.Count; k++)");
        writer.Line($"value = this.{body.Name}Compiled(modules[k], value{capturedArguments});");
        writer.Close();
        writer.Line("value.Span.CopyTo(output);");
        writer.Close();
        writer.Line();

        writer.Line($"/// <summary>A step's forward: the body for each element in turn, saving each element's input for the backward.</summary>");
        writer.Open($"private void {body.Name}Forward({list} modules, global::System.ReadOnlySpan<float> input{capturedParameters}, global::System.Span<float> output, global::System.Span<float> saved{sizes})");
        writer.Line($"var value = global::AotNet.Compiled.Workspace.Result(ref this.{carry}, {dims});");
        writer.Line("int length = input.Length;");
        writer.Line("input.CopyTo(value.Span);");
        WriteKeptCaptured(writer, body, captured);
        writer.Open("for (int k = 0; k < modules.Count; k++)");
        writer.Line("value.Span.CopyTo(saved.Slice(k * length, length));");
        writer.Line($"this.{body.Name}Kept(modules[k], value{capturedArguments}).Span.CopyTo(value.Span);");
        writer.Close();
        writer.Line("value.Span.CopyTo(output);");
        writer.Close();
        writer.Line();

        writer.Line($"/// <summary>");
        writer.Line($"/// A step's backward: from the last element to the first, the body's step from its saved input, which adds");
        writer.Line($"/// into that element's parameter gradients and gives the gradient of its input.");
        writer.Line($"/// </summary>");
        writer.Open($"private void {body.Name}Backward({list} modules, global::System.ReadOnlySpan<float> saved, global::System.ReadOnlySpan<float> outputGradient{capturedParameters}, global::System.Span<float> inputGradient{sizes})");
        writer.Line($"var value = global::AotNet.Compiled.Workspace.Result(ref this.{carry}, {dims});");
        writer.Line($"var gradient = global::AotNet.Compiled.Workspace.Result(ref this.{gradient}, {dims});");
        writer.Line($"var previous = global::AotNet.Compiled.Workspace.Result(ref this.{next}, {dims});");
        writer.Line("int length = outputGradient.Length;");
        writer.Line("outputGradient.CopyTo(gradient.Span);");
        WriteKeptCaptured(writer, body, captured);
        writer.Open("for (int k = modules.Count - 1; k >= 0; k--)");
        writer.Line("saved.Slice(k * length, length).CopyTo(value.Span);");
        writer.Line("// The body's step adds to its input's gradient as to its parameters', so that starts from zero.");
        writer.Line("previous.Span.Clear();");
        writer.Line($"this.{body.Name}Step(modules[k], value{capturedArguments}, gradient, previous, global::AotNet.GradientWrite.Accumulate());");
        writer.Line("previous.Span.CopyTo(gradient.Span);");
        writer.Close();
        writer.Line("gradient.Span.CopyTo(inputGradient);");
        writer.Close();
    }

    static string Field(string body, string what) => "_" + char.ToLowerInvariant(body[0]) + body.Substring(1) + what;

    static string Capital(string name) => char.ToUpperInvariant(name[0]) + name.Substring(1);

    static string TypeOf(InputSpec input) => input.IsLabels ? "global::AotNet.Labels" : "global::AotNet.Tensor";

    static string Dims(InputSpec input) => string.Join(", ", input.Shape.Dims.Select(d => d.Code));

    static string New(InputSpec input) => input.IsLabels
        ? $"new global::AotNet.Labels(new int[{input.Shape.LengthCode}], new int[] {{ {Dims(input)} }})"
        : $"new global::AotNet.Tensor({Dims(input)})";

    /// <summary>Copies the values the body reads from outside into tensors the model keeps, once per call rather than per element.</summary>
    static void WriteKeptCaptured(SourceWriter writer, LoopBody body, System.Collections.Generic.IReadOnlyList<InputSpec> captured)
    {
        foreach (var c in captured)
        {
            writer.Line($"var {c.Name}Tensor = global::AotNet.Compiled.Workspace.Result(ref this.{Field(body.Name, Capital(c.Name))}, {Dims(c)});");
            writer.Line($"{c.Name}Values.CopyTo({c.Name}Tensor.Span);");
        }
    }
}
