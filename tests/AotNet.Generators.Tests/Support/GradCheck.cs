using System.Text;
using Xunit.Sdk;

namespace AotNet.Generators.Tests.Support;

/// <summary>A tensor the check perturbs (a parameter's value or an input) and the gradient the generated step wrote for it.</summary>
public sealed record GradTarget(string Name, Tensor Value, Tensor Grad);

/// <summary>One checked element: the analytic gradient, the central difference and whether it was skipped as a kink.</summary>
public sealed record GradSample(string Target, int Index, double Analytic, double Numeric, double Tolerance, bool Kink)
{
    public double Error => Math.Abs(Analytic - Numeric);
}

/// <summary>
/// Central finite differences of an eager loss against the gradients of a generated step.
/// An element passes when |g − fd| ≤ rtol·(|fd| + 0.1·scale) + atol, where scale is the largest
/// |fd| in that tensor; so a sign flip or a factor of two fails on every element that matters.
/// </summary>
public static class GradCheck
{
    public const double RelativeTolerance = 1e-2;
    public const double AbsoluteTolerance = 2e-4;

    /// <summary>
    /// Checks up to <paramref name="maxPerTarget"/> elements of each target (all of them when
    /// fewer, else a seeded random subset). <paramref name="analytic"/> are the gradients to
    /// judge, one per target, read before any perturbation. With <paramref name="allowKinks"/>,
    /// elements whose one-sided differences disagree (a relu crossing within ±eps) are skipped.
    /// </summary>
    public static IReadOnlyList<GradSample> Run(Func<float> eagerLoss, IReadOnlyList<GradTarget> targets, IReadOnlyList<float[]> analytic,
        float eps = 1e-2f, int maxPerTarget = 40, ulong seed = 7, bool allowKinks = false)
    {
        var rng = new Rng(seed);
        var samples = new List<GradSample>();
        for (int t = 0; t < targets.Count; t++)
        {
            var values = targets[t].Value.Span;
            var indices = Choose(values.Length, maxPerTarget, rng);
            var numeric = new double[indices.Length];
            var kinks = new bool[indices.Length];
            for (int k = 0; k < indices.Length; k++)
            {
                int i = indices[k];
                float original = values[i];
                double center = eagerLoss();
                targets[t].Value.Span[i] = original + eps;
                double plus = eagerLoss();
                targets[t].Value.Span[i] = original - eps;
                double minus = eagerLoss();
                targets[t].Value.Span[i] = original;
                double h = (double)(original + eps) - (original - eps);
                numeric[k] = (plus - minus) / h;
                double forward = (plus - center) / (h / 2), backward = (center - minus) / (h / 2);
                kinks[k] = allowKinks && Math.Abs(forward - backward) > 0.1 * Math.Abs(numeric[k]) + 1e-3;
            }
            double scale = numeric.Select(Math.Abs).DefaultIfEmpty(0).Max();
            for (int k = 0; k < indices.Length; k++)
            {
                double tolerance = RelativeTolerance * (Math.Abs(numeric[k]) + 0.1 * scale) + AbsoluteTolerance;
                samples.Add(new GradSample(targets[t].Name, indices[k], analytic[t][indices[k]], numeric[k], tolerance, kinks[k]));
            }
        }
        return samples;
    }

    /// <summary>Runs the generated step once, then checks its gradients; returns the largest relative error seen.</summary>
    public static double Check(Func<float> eagerLoss, Action step, IReadOnlyList<GradTarget> targets, float eps = 1e-2f, bool allowKinks = false)
    {
        foreach (var target in targets)
        {
            target.Grad.Span.Fill(float.NaN);
        }
        step();
        var analytic = targets.Select(t => t.Grad.ToArray()).ToList();
        var samples = Run(eagerLoss, targets, analytic, eps, allowKinks: allowKinks);
        return AssertClose(samples);
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
            if (group.All(s => Math.Abs(s.Numeric) < 1e-3))
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
