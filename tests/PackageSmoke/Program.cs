using AotNet;
using static AotNet.F;

// Prints "package smoke: OK" when the generated members exist and agree with the eager method.
var model = new Net();
var x = Tensor.Full(0.5f, 3, 4);
var compiled = model.ForwardCompiled(x);
var eager = model.Forward(x);
bool agrees = compiled.ToArray().SequenceEqual(eager.ToArray());
Console.WriteLine(agrees ? "package smoke: OK" : "package smoke: FAILED (compiled and eager outputs differ)");
return agrees ? 0 : 1;

public sealed partial class Net : Module
{
    readonly Linear fc = new(4, 2);

    [Differentiable]
    public Tensor Forward([Shape("N", 4)] Tensor x) => Relu(fc.Forward(x));
}
