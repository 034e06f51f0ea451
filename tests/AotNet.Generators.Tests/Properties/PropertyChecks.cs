using System.Globalization;
using System.Text;
using AotNet.Generators.Tests.Support;
using Xunit.Sdk;

namespace AotNet.Generators.Tests.Properties;

/// <summary>
/// What the property tests share: value draws that keep finite differences away from kinks, the
/// comparison of the generated forward with the eager one, and a gradient check that also accepts
/// a draw whose exact gradient is zero (a reduction of one element, a softmax over a size-1 axis)
/// as long as the step's gradient is zero there too.
/// </summary>
static class PropertyChecks
{
    /// <summary>Generated against eager: |a − e| ≤ tolerance · (1 + |e|) for every element.</summary>
    public const double ValueTolerance = 1e-5;

    /// <summary>The tensor sizes CsCheck draws per axis: 1 exercises broadcasting and one-element reductions.</summary>
    public const int MaxSize = 3;

    /// <summary>
    /// Distinct values spread over about [−2, 2], in random order, no two closer than 2 / n: a
    /// central difference of eps = 0.01 never swaps two of them, so a max, a min or a comparison
    /// never flips within a difference, and a variance is never near zero.
    /// </summary>
    public static Tensor Distinct(Rng rng, int[] shape)
    {
        int n = Product(shape);
        var order = Enumerable.Range(0, n).ToArray();
        rng.Shuffle(order.AsSpan());
        double step = 4.0 / Math.Max(n, 2);
        return new Tensor(order.Select(k => (float)((k + rng.Uniform(0.25f, 0.75f)) * step - 2)).ToArray(), shape);
    }

    /// <summary>Uniform values in [low, high].</summary>
    public static Tensor Uniform(Rng rng, int[] shape, float low, float high) =>
        new(Enumerable.Range(0, Product(shape)).Select(_ => rng.Uniform(low, high)).ToArray(), shape);

    /// <summary>Values in ±[low, high], random sign: a weight that makes every output element count.</summary>
    public static Tensor AwayFromZero(Rng rng, int[] shape, float low = 0.5f, float high = 1.5f) =>
        new(Enumerable.Range(0, Product(shape)).Select(_ => rng.Uniform(low, high) * (rng.NextFloat() < 0.5f ? -1 : 1)).ToArray(), shape);

    /// <summary>
    /// Values on a grid of 0.1 in [−1, 1], shifted by <paramref name="offset"/> (0 or 0.05): two
    /// tensors drawn with different offsets never come within 0.05 of each other, so a maximum,
    /// minimum or comparison of the two does not flip within a central difference.
    /// </summary>
    public static Tensor Grid(Rng rng, int[] shape, double offset) =>
        new(Enumerable.Range(0, Product(shape)).Select(_ => (float)((rng.NextInt(21) - 10) * 0.1 + offset)).ToArray(), shape);

    /// <summary>Fails unless both tensors have the same shape and every element agrees (NaN only where the other is NaN).</summary>
    public static void AssertSameValues(Tensor generated, Tensor eager, string where)
    {
        Assert.True(generated.Shape.SequenceEqual(eager.Shape), $"{where}: generated shape {generated.ShapeText}, eager {eager.ShapeText}");
        for (int i = 0; i < eager.Length; i++)
        {
            double g = generated[i], e = eager[i];
            bool same = double.IsNaN(e) ? double.IsNaN(g) : Math.Abs(g - e) <= ValueTolerance * (1 + Math.Abs(e));
            Assert.True(same, $"{where}: element {i} is {g:G9} generated, {e:G9} eager");
        }
    }

    /// <summary>
    /// Runs <paramref name="step"/> once (gradients NaN-filled first, every element must be written),
    /// then compares its gradients with central differences of <paramref name="eagerLoss"/>. A
    /// target whose differences are all ~0 must have a step gradient within the same tolerance of
    /// 0; returns whether any target had a gradient that is not ~0, i.e. whether the draw could
    /// catch a wrong gradient.
    /// </summary>
    public static bool CheckGradients(Func<float> eagerLoss, Action step, IReadOnlyList<GradTarget> targets, string where)
    {
        foreach (var target in targets)
        {
            target.Grad.Span.Fill(float.NaN);
        }
        step();
        try
        {
            GradCheck.AssertEveryElementWritten(targets);
            var analytic = targets.Select(t => t.Grad.ToArray()).ToList();
            var samples = GradCheck.Run(eagerLoss, targets, analytic);
            var failures = samples.Where(s => !(s.Error <= s.Tolerance)).OrderByDescending(s => s.Error / s.Tolerance).ToList();
            if (failures.Count > 0)
            {
                var text = new StringBuilder($"{failures.Count} of {samples.Count} gradient elements disagree with finite differences:\n");
                foreach (var s in failures.Take(8))
                {
                    text.Append(CultureInfo.InvariantCulture, $"  {s.Target}[{s.Index}]: generated {s.Analytic:G6}, finite difference {s.Numeric:G6}, tolerance {s.Tolerance:G3}\n");
                }
                throw new XunitException(text.ToString());
            }
            return samples.GroupBy(s => s.Target).Any(g => g.Any(s => Math.Abs(s.Numeric) >= 5 * s.Floor));
        }
        catch (XunitException e)
        {
            throw new XunitException($"{where}: {e.Message}");
        }
    }

    /// <summary>A new gradient tensor for <paramref name="value"/>, and the target pairing them.</summary>
    public static GradTarget Target(string name, Tensor value) => new(name, value, new Tensor(value.Shape.ToArray()));

    public static int Product(IEnumerable<int> dims) => dims.Aggregate(1, (x, y) => x * y);

    public static string Format(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray().Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";

    /// <summary>A C# <c>[Shape(…)]</c> attribute argument list: names in quotes, literal 1s bare; none for a scalar.</summary>
    public static string ShapeAttribute(IEnumerable<string> dims) => dims.Any() ? $"Shape({string.Join(", ", dims)})" : "Shape";
}
