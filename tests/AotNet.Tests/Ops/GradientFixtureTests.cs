using AotNet.Tests.Support;

namespace AotNet.Tests.Ops;

/// <summary>
/// The gradient fixtures will check generated backward code, so check them first: each stored
/// gradient of <c>sum(output * w)</c> must match central finite differences of the eager op.
/// </summary>
public class GradientFixtureTests
{
    const float Step = 1e-2f;

    // Finite differences in float32 lose about eps/h of precision, so this only catches real
    // disagreement (a wrong axis, a missing broadcast reduction), not rounding.
    const double Tolerance = 2e-2;

    public static TheoryData<string, string> Cases() => EagerOpsPyTorchTests.Cases();

    /// <summary>
    /// Ops that define some gradients as zero though the output depends on those elements, with
    /// why: there the stored gradient must be exactly 0, and elsewhere match finite differences.
    /// </summary>
    static readonly Dictionary<string, string> ZeroByDefinition = new(StringComparer.Ordinal)
    {
        ["Embedding"] = "the padding row gets no gradient (PyTorch's padding_idx)",
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void StoredGradientsMatchFiniteDifferences(string op, string caseName)
    {
        var testCase = OpFixture.Load(op).Cases.Single(c => c.Name == caseName);
        var tensorArgs = testCase.Args.Where(a => a.HasGradient).Select(a => a.Name).ToList();
        Assert.Equal(tensorArgs.Order(), testCase.Grads.Keys.Order());
        var weight = testCase.GradWeight.ToTensor();
        if (EagerOps.ByName[op].All(m => m.ReturnType == typeof(Labels)))
        {
            // Indices (argmax) are piecewise constant and have no gradient; PyTorch's are stored as zeros.
            Assert.All(testCase.Grads.Values, g => Assert.All(g.Data, v => Assert.Equal(0f, v)));
            return;
        }

        foreach (string name in tensorArgs)
        {
            var input = testCase.Arg(name).ToTensor();
            var numeric = new float[input.Length];
            for (int i = 0; i < input.Length; i++)
            {
                var plus = input.Clone();
                var minus = input.Clone();
                plus[i] += Step;
                minus[i] -= Step;
                // The realised step, which differs from 2·Step when input[i] is large.
                double width = (double)plus[i] - minus[i];
                numeric[i] = (float)((Loss(op, testCase, name, plus, weight) - Loss(op, testCase, name, minus, weight)) / width);
            }
            var stored = testCase.Grads[name].Data;
            if (ZeroByDefinition.ContainsKey(op))
            {
                for (int i = 0; i < stored.Length; i++)
                {
                    numeric[i] = stored[i] == 0f ? 0f : numeric[i];
                }
                Assert.Contains(stored, v => v != 0f);
            }
            Close.Assert(stored, numeric, Tolerance, $"{op}/{caseName} d/d{name}");
        }
    }

    static double Loss(string op, OpCase testCase, string name, Tensor value, Tensor weight)
    {
        var output = EagerOps.Run(op, testCase, new Dictionary<string, Tensor> { [name] = value });
        double total = 0;
        for (int i = 0; i < output.Length; i++)
        {
            total += (double)output[i] * weight[i];
        }
        return total;
    }
}
