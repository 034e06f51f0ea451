using System.Text;
using Xunit.Sdk;

namespace AotNet.Generators.Tests.Support;

/// <summary>A tensor the check perturbs (a parameter's value or an input) and the gradient the generated step wrote for it.</summary>
public sealed record GradTarget(string Name, Tensor Value, Tensor Grad);

/// <summary>One checked element: the analytic gradient, the central difference and whether it was skipped as a kink.</summary>
public sealed record GradSample(string Target, int Index, double Analytic, double Numeric, double Tolerance, bool Kink, double Floor = GradCheck.AbsoluteTolerance)
{
    public double Error => Math.Abs(Analytic - Numeric);
}

/// <summary>
/// Central finite differences of a loss (the eager method in float, or the naive reference in
/// double) against the gradients of a generated step. An element passes when
/// |g − fd| ≤ rtol·(|fd| + 0.1·scale) + atol, where scale is the largest |fd| in that tensor and
/// atol the finite difference's own noise; so a sign flip or a factor of two fails on every
/// element that matters.
/// </summary>
public static class GradCheck
{
    public const double RelativeTolerance = 1e-2;
    /// <summary>atol for a float loss: the rounding noise of a central difference of a float loss of order 1.</summary>
    public const double AbsoluteTolerance = 2e-4;

    /// <summary>atol for a double-precision reference loss.</summary>
    public const double ReferenceAbsoluteTolerance = 1e-6;

    /// <summary>The kink detector's floor, as a fraction of the largest |fd| in the tensor.</summary>
    public const double KinkFloor = 1e-2;

    const double FloatEpsilon = 1.0 / (1 << 23);
    const double DoubleEpsilon = 1.0 / (1L << 52);

    /// <summary>
    /// Checks up to <paramref name="maxPerTarget"/> elements of each target (all of them when
    /// fewer, else a seeded random subset). <paramref name="analytic"/> are the gradients to
    /// judge, one per target, read before any perturbation. With <paramref name="allowKinks"/>,
    /// elements whose one-sided differences disagree (a relu crossing within ±eps) are skipped.
    /// </summary>
    public static IReadOnlyList<GradSample> Run(Func<float> eagerLoss, IReadOnlyList<GradTarget> targets, IReadOnlyList<float[]> analytic,
        float eps = 1e-2f, int maxPerTarget = 40, ulong seed = 7, bool allowKinks = false) =>
        Run(() => eagerLoss(), FloatEpsilon, AbsoluteTolerance, targets, analytic, eps, maxPerTarget, seed, allowKinks);

    /// <summary>As above, for a loss computed in double precision (the naive reference), with a far smaller atol.</summary>
    public static IReadOnlyList<GradSample> RunReference(Func<double> referenceLoss, IReadOnlyList<GradTarget> targets, IReadOnlyList<float[]> analytic,
        float eps = 1e-3f, int maxPerTarget = 40, ulong seed = 7, bool allowKinks = false) =>
        Run(referenceLoss, DoubleEpsilon, ReferenceAbsoluteTolerance, targets, analytic, eps, maxPerTarget, seed, allowKinks);

    static IReadOnlyList<GradSample> Run(Func<double> loss, double lossEpsilon, double atol, IReadOnlyList<GradTarget> targets, IReadOnlyList<float[]> analytic,
        float eps, int maxPerTarget, ulong seed, bool allowKinks)
    {
        var rng = new Rng(seed);
        var samples = new List<GradSample>();
        for (int t = 0; t < targets.Count; t++)
        {
            var values = targets[t].Value.Span;
            var indices = Choose(values.Length, maxPerTarget, rng);
            var numeric = new double[indices.Length];
            var oneSidedGap = new double[indices.Length];
            var noise = new double[indices.Length];
            // Every perturbation is undone exactly, so the unperturbed loss is the same for all elements.
            double center = loss();
            for (int k = 0; k < indices.Length; k++)
            {
                int i = indices[k];
                float original = values[i];
                targets[t].Value.Span[i] = original + eps;
                double plus = loss();
                targets[t].Value.Span[i] = original - eps;
                double minus = loss();
                targets[t].Value.Span[i] = original;
                double h = (double)(original + eps) - (original - eps);
                numeric[k] = (plus - minus) / h;
                double forward = (plus - center) / (h / 2), backward = (center - minus) / (h / 2);
                oneSidedGap[k] = Math.Abs(forward - backward);
                // A few float roundings of the loss, seen through one one-sided difference.
                noise[k] = 8 * Math.Max(Math.Abs(center), Math.Max(Math.Abs(plus), Math.Abs(minus))) * lossEpsilon / (h / 2);
            }
            double scale = numeric.Select(Math.Abs).DefaultIfEmpty(0).Max();
            var kinks = new bool[indices.Length];
            for (int k = 0; k < indices.Length; k++)
            {
                // The one-sided differences of a smooth loss agree to O(eps); across a relu kink they
                // differ by as much as the gradient itself. The floor follows this tensor's gradients,
                // so a tensor of small gradients (a mean over a large batch) is not all "kinks".
                kinks[k] = allowKinks && oneSidedGap[k] > 0.1 * Math.Abs(numeric[k]) + KinkFloor * scale + noise[k];
            }
            for (int k = 0; k < indices.Length; k++)
            {
                double tolerance = RelativeTolerance * (Math.Abs(numeric[k]) + 0.1 * scale) + atol;
                samples.Add(new GradSample(targets[t].Name, indices[k], analytic[t][indices[k]], numeric[k], tolerance, kinks[k], atol));
            }
        }
        return samples;
    }

    /// <summary>Runs the generated step once, then checks its gradients; returns the largest relative error seen.</summary>
    public static double Check(Func<float> eagerLoss, Action step, IReadOnlyList<GradTarget> targets, float eps = 1e-2f, bool allowKinks = false) =>
        AssertClose(Run(eagerLoss, targets, StepGradients(step, targets), eps, allowKinks: allowKinks));

    /// <summary>
    /// As <see cref="Check"/>, leaving out the elements <paramref name="zeroByDefinition"/> picks: those
    /// whose gradient an op defines as zero though the loss depends on them (an embedding's padding row).
    /// </summary>
    public static double CheckExcept(Func<float> eagerLoss, Action step, IReadOnlyList<GradTarget> targets, Func<string, int, bool> zeroByDefinition, float eps = 1e-2f)
    {
        var analytic = StepGradients(step, targets);
        var samples = Run(eagerLoss, targets, analytic, eps).Where(s => !zeroByDefinition(s.Target, s.Index)).ToList();
        Assert.NotEmpty(samples);
        return AssertClose(samples);
    }

    /// <summary>Runs the generated step once, then checks its gradients against the double-precision reference loss.</summary>
    public static double CheckReference(Func<double> referenceLoss, Action step, IReadOnlyList<GradTarget> targets, float eps = 1e-3f, bool allowKinks = false) =>
        AssertClose(RunReference(referenceLoss, targets, StepGradients(step, targets), eps, allowKinks: allowKinks));

    /// <summary>NaN-fills every gradient, runs the step, requires every element written, and returns copies of the gradients.</summary>
    static List<float[]> StepGradients(Action step, IReadOnlyList<GradTarget> targets)
    {
        foreach (var target in targets)
        {
            target.Grad.Span.Fill(float.NaN);
        }
        step();
        AssertEveryElementWritten(targets);
        return targets.Select(t => t.Grad.ToArray()).ToList();
    }

    /// <summary>Fails listing the worst elements when any checked element is outside its tolerance; returns the largest error relative to max(|fd|, 0.1·scale).</summary>
    public static double AssertClose(IReadOnlyList<GradSample> samples)
    {
        var checkedSamples = samples.Where(s => !s.Kink).ToList();
        int kinks = samples.Count - checkedSamples.Count;
        if (kinks > samples.Count / 4)
        {
            throw new XunitException($"{kinks} of {samples.Count} elements sit on a kink; move the inputs away from zero.");
        }
        foreach (var group in checkedSamples.GroupBy(s => s.Target))
        {
            if (group.All(s => Math.Abs(s.Numeric) < 5 * s.Floor))
            {
                throw new XunitException($"The finite-difference gradient of {group.Key} is ~0 everywhere, so the check proves nothing.");
            }
        }
        var failures = checkedSamples.Where(s => !(s.Error <= s.Tolerance)).OrderByDescending(s => s.Error / s.Tolerance).ToList();
        if (failures.Count > 0)
        {
            var text = new StringBuilder($"{failures.Count} of {checkedSamples.Count} gradient elements disagree with finite differences:\n");
            foreach (var s in failures.Take(10))
            {
                text.Append($"  {s.Target}[{s.Index}]: generated {s.Analytic:G6}, finite difference {s.Numeric:G6}, tolerance {s.Tolerance:G3}\n");
            }
            throw new XunitException(text.ToString());
        }
        return checkedSamples.GroupBy(s => s.Target)
            .SelectMany(g =>
            {
                double scale = g.Max(s => Math.Abs(s.Numeric));
                return g.Select(s => s.Error / Math.Max(Math.Abs(s.Numeric), 0.1 * scale));
            })
            .DefaultIfEmpty(0)
            .Max();
    }

    /// <summary>
    /// Fails when any element of any gradient is still NaN (the fill before the step) or not
    /// finite: the sampled comparison reads only some elements, this reads all of them.
    /// </summary>
    public static void AssertEveryElementWritten(IReadOnlyList<GradTarget> targets)
    {
        var text = new StringBuilder();
        foreach (var target in targets)
        {
            var grad = target.Grad.Span;
            var bad = new List<int>();
            for (int i = 0; i < grad.Length; i++)
            {
                if (!float.IsFinite(grad[i]))
                {
                    bad.Add(i);
                }
            }
            if (bad.Count > 0)
            {
                text.Append($"  {target.Name}: {bad.Count} of {grad.Length} elements are {grad[bad[0]]} (first at {bad[0]})\n");
            }
        }
        if (text.Length > 0)
        {
            throw new XunitException("The step left gradient elements unwritten or non-finite:\n" + text);
        }
    }

    static int[] Choose(int length, int max, Rng rng)
    {
        if (length <= max)
        {
            return Enumerable.Range(0, length).ToArray();
        }
        var chosen = new HashSet<int>();
        while (chosen.Count < max)
        {
            chosen.Add((int)(rng.NextUInt64() % (ulong)length));
        }
        return chosen.Order().ToArray();
    }
}
