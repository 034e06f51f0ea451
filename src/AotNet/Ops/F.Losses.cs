using AotNet.Kernels;

namespace AotNet;

/// <summary>Losses, with PyTorch's names, arguments and semantics (<c>torch.nn.functional</c>).</summary>
public static partial class F
{
    /// <summary>
    /// Softmax cross-entropy of <paramref name="logits"/> [n, classes] (or [n, classes, d1, …], the classes on
    /// axis 1) against integer <paramref name="labels"/> [n] (or [n, d1, …]), like PyTorch's <c>F.cross_entropy</c>: optional class
    /// <paramref name="weight"/> [classes], labels equal to <paramref name="ignoreIndex"/> left out,
    /// <paramref name="labelSmoothing"/> ε mixing in the uniform distribution, and
    /// <paramref name="reduction"/> "mean" (weighted by the class weights of the labels not ignored), "sum" or "none" (one loss per label).
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, Labels labels, Tensor? weight = null, int ignoreIndex = -100, string reduction = "mean", float labelSmoothing = 0f)
    {
        var kind = RequireClassLoss(logits, labels, weight, ignoreIndex, reduction, "CrossEntropy", nameof(logits));
        RequireSmoothing(labelSmoothing, "CrossEntropy");
        var rows = ClassRows(logits, out int count, out int classes);
        var logProbabilities = new float[rows.Length];
        var losses = kind == LossReduction.None ? new Tensor(LossShape(logits)) : null;
        float loss = Kernels.CrossEntropy.Forward(rows.Span, labels.Span, weight is null ? default : weight.Span, logProbabilities,
            losses is null ? default : losses.Span, count, classes, ignoreIndex, labelSmoothing, kind);
        return losses ?? Tensor.Scalar(loss);
    }

    /// <summary>
    /// Softmax cross-entropy of <paramref name="logits"/> [n, classes] (or [n, classes, d1, …]) against class
    /// probabilities <paramref name="target"/> of the same shape, like PyTorch's <c>F.cross_entropy</c> with a float
    /// target: <c>−Σ_c w_c·t'_c·log_softmax(x)_c</c> per sample, where <c>t' = (1 − ε)·t + ε/C</c>. "mean" divides by
    /// the number of samples (n·d1·…), not by the weights; "none" keeps one loss per sample. The target has no gradient.
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor target, Tensor? weight = null, string reduction = "mean", float labelSmoothing = 0f)
    {
        var kind = RequireProbabilityLoss(logits, target, weight, reduction, "CrossEntropy");
        RequireSmoothing(labelSmoothing, "CrossEntropy");
        var rows = ClassRows(logits, out int count, out int classes);
        var targets = ClassRows(target, out _, out _);
        var logProbabilities = new float[rows.Length];
        var losses = kind == LossReduction.None ? new Tensor(LossShape(logits)) : null;
        float loss = Kernels.CrossEntropy.ProbabilityForward(rows.Span, targets.Span, weight is null ? default : weight.Span, logProbabilities,
            losses is null ? default : losses.Span, count, classes, labelSmoothing, kind);
        return losses ?? Tensor.Scalar(loss);
    }

    /// <summary>
    /// The negative log-likelihood of log-probabilities <paramref name="input"/> [n, classes] (or [n, classes, d1, …]) against
    /// <paramref name="labels"/> [n] (or [n, d1, …]), like PyTorch's <c>F.nll_loss</c>, with the same weight, ignored label and
    /// reduction as <see cref="CrossEntropy(Tensor, Labels, Tensor?, int, string, float)"/>.
    /// </summary>
    public static Tensor NllLoss(Tensor input, Labels labels, Tensor? weight = null, int ignoreIndex = -100, string reduction = "mean")
    {
        var kind = RequireClassLoss(input, labels, weight, ignoreIndex, reduction, "NllLoss", nameof(input));
        var rows = ClassRows(input, out int count, out int classes);
        var losses = kind == LossReduction.None ? new Tensor(LossShape(input)) : null;
        float loss = Kernels.CrossEntropy.Nll(rows.Span, labels.Span, weight is null ? default : weight.Span,
            losses is null ? default : losses.Span, count, classes, ignoreIndex, 0f, kind);
        return losses ?? Tensor.Scalar(loss);
    }

    /// <summary>
    /// The indices of the largest values along <paramref name="dim"/> (negative counts from the end), like
    /// <c>torch.argmax(x, dim, keepdim)</c>: the first index on ties, and NaN counts as larger than any number
    /// (the first NaN wins). Not differentiable. <paramref name="keepDim"/> keeps the axis as size 1.
    /// </summary>
    public static Labels Argmax(Tensor x, int dim, bool keepDim = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank < 1)
        {
            throw new ArgumentException($"Argmax needs at least one dimension; got x {x.ShapeText}.", nameof(x));
        }
        int axis = dim < 0 ? dim + x.Rank : dim;
        if ((uint)axis >= (uint)x.Rank)
        {
            throw new ArgumentException($"Argmax: dim {dim} is out of range for x {x.ShapeText}.", nameof(dim));
        }
        if (x.Dim(axis) == 0)
        {
            throw new ArgumentException($"Argmax: x {x.ShapeText} has no elements along dim {dim}.", nameof(x));
        }
        int outer = 1, inner = 1;
        for (int a = 0; a < axis; a++)
        {
            outer *= x.Dim(a);
        }
        for (int a = axis + 1; a < x.Rank; a++)
        {
            inner *= x.Dim(a);
        }
        var shape = new List<int>();
        for (int a = 0; a < x.Rank; a++)
        {
            if (a != axis)
            {
                shape.Add(x.Dim(a));
            }
            else if (keepDim)
            {
                shape.Add(1);
            }
        }
        var indices = new int[outer * inner];
        Kernels.Argmax.Apply(x.Span, outer, x.Dim(axis), inner, indices);
        return new Labels(indices, shape.ToArray());
    }

    /// <summary>The squared error <c>(input − target)²</c>, reduced, like PyTorch's <c>F.mse_loss</c>.</summary>
    public static Tensor MseLoss(Tensor input, Tensor target, string reduction = "mean")
    {
        var d = Sub(input, target);
        return Reduced(Mul(d, d), reduction, "MseLoss");
    }

    /// <summary>The absolute error <c>|input − target|</c>, reduced, like PyTorch's <c>F.l1_loss</c>.</summary>
    public static Tensor L1Loss(Tensor input, Tensor target, string reduction = "mean") =>
        Reduced(MapDifference(input, target, static d => Math.Abs(d)), reduction, "L1Loss");

    /// <summary>
    /// PyTorch's <c>F.smooth_l1_loss</c>: <c>½d²/β</c> where <c>|d| &lt; β</c>, else <c>|d| − ½β</c>, for
    /// <c>d = input − target</c>; β = 0 is the L1 loss.
    /// </summary>
    public static Tensor SmoothL1Loss(Tensor input, Tensor target, string reduction = "mean", float beta = 1f)
    {
        if (beta < 0f)
        {
            throw new ArgumentException($"SmoothL1Loss: beta must not be negative; got {beta}.", nameof(beta));
        }
        return Reduced(MapDifference(input, target, d => Math.Abs(d) < beta ? 0.5f * d * d / beta : Math.Abs(d) - (0.5f * beta)), reduction, "SmoothL1Loss");
    }

    /// <summary>PyTorch's <c>F.huber_loss</c>: <c>½d²</c> where <c>|d| &lt; δ</c>, else <c>δ(|d| − ½δ)</c>.</summary>
    public static Tensor HuberLoss(Tensor input, Tensor target, string reduction = "mean", float delta = 1f)
    {
        if (delta <= 0f)
        {
            throw new ArgumentException($"HuberLoss: delta must be positive; got {delta}.", nameof(delta));
        }
        return Reduced(MapDifference(input, target, d => Math.Abs(d) < delta ? 0.5f * d * d : delta * (Math.Abs(d) - (0.5f * delta))), reduction, "HuberLoss");
    }

    /// <summary>
    /// PyTorch's <c>F.binary_cross_entropy_with_logits</c>: <c>(1 − t)·x + (1 + (pos_weight − 1)·t)·softplus(−x)</c>,
    /// stable for logits of any size, times <paramref name="weight"/> (broadcast), then reduced.
    /// <paramref name="posWeight"/> weighs the positive term, one value per class along the last axis.
    /// </summary>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor? weight = null, Tensor? posWeight = null, string reduction = "mean")
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        var one = Tensor.Scalar(1f);
        var softplus = Softplus(Sub(Tensor.Scalar(0f), input));
        var linear = Sub(input, Mul(input, target));
        var loss = posWeight is null ? Add(linear, softplus) : Add(linear, Mul(Add(one, Mul(Sub(posWeight, one), target)), softplus));
        return Reduced(weight is null ? loss : Mul(loss, weight), reduction, "BinaryCrossEntropyWithLogits");
    }

    /// <summary>
    /// PyTorch's <c>F.binary_cross_entropy</c> of probabilities <paramref name="input"/> in [0, 1]:
    /// <c>−(t·log p + (1 − t)·log(1 − p))</c>, each log clamped at −100, times <paramref name="weight"/>, reduced.
    /// </summary>
    public static Tensor BinaryCrossEntropy(Tensor input, Tensor target, Tensor? weight = null, string reduction = "mean")
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        if (!input.Shape.SequenceEqual(target.Shape))
        {
            throw new ArgumentException($"BinaryCrossEntropy: target {target.ShapeText} must have the shape of input {input.ShapeText}.", nameof(target));
        }
        var loss = new Tensor(input.Shape.ToArray());
        for (int i = 0; i < loss.Length; i++)
        {
            float p = input[i], t = target[i];
            if (p is < 0f or > 1f)
            {
                throw new ArgumentException($"BinaryCrossEntropy: input {p} at {i} is not a probability in [0, 1].", nameof(input));
            }
            loss[i] = -((t * MathF.Max(MathF.Log(p), -100f)) + ((1f - t) * MathF.Max(MathF.Log(1f - p), -100f)));
        }
        return Reduced(weight is null ? loss : Mul(loss, weight), reduction, "BinaryCrossEntropy");
    }

    static Tensor MapDifference(Tensor input, Tensor target, Func<float, float> loss)
    {
        var d = Sub(input, target);
        var span = d.Span;
        for (int i = 0; i < span.Length; i++)
        {
            span[i] = loss(span[i]);
        }
        return d;
    }

    static Tensor Reduced(Tensor loss, string reduction, string op) => reduction switch
    {
        "none" => loss,
        "mean" => Mean(loss),
        "sum" => Sum(loss),
        _ => throw new ArgumentException($"{op}: reduction must be \"none\", \"mean\" or \"sum\"; got \"{reduction}\".", nameof(reduction)),
    };

    static void RequireSmoothing(float labelSmoothing, string op)
    {
        if (labelSmoothing is < 0f or > 1f)
        {
            throw new ArgumentException($"{op}: label smoothing must be in [0, 1]; got {labelSmoothing}.", nameof(labelSmoothing));
        }
    }

    /// <summary>Input [n, C] as is; input [n, C, d1, …] with the classes moved last, so its rows are [n·d1·…, C] in the order of the labels.</summary>
    static Tensor ClassRows(Tensor input, out int rows, out int classes)
    {
        classes = input.Dim(1);
        rows = classes == 0 ? 0 : input.Length / classes;
        if (input.Rank == 2)
        {
            return input;
        }
        var axes = new int[input.Rank];
        axes[^1] = 1;
        for (int a = 1; a < input.Rank - 1; a++)
        {
            axes[a] = a + 1;
        }
        return Permute(input, axes);
    }

    /// <summary>The shape of the unreduced loss: the input's without the class axis.</summary>
    static int[] LossShape(Tensor input)
    {
        var shape = new int[input.Rank - 1];
        shape[0] = input.Dim(0);
        for (int a = 2; a < input.Rank; a++)
        {
            shape[a - 1] = input.Dim(a);
        }
        return shape;
    }

    static LossReduction ReductionOf(string reduction, string op) => reduction switch
    {
        "none" => LossReduction.None,
        "mean" => LossReduction.Mean,
        "sum" => LossReduction.Sum,
        _ => throw new ArgumentException($"{op}: reduction must be \"none\", \"mean\" or \"sum\"; got \"{reduction}\".", nameof(reduction)),
    };

    static void RequireClassWeight(Tensor input, Tensor? weight, string op)
    {
        if (weight is not null && (weight.Rank != 1 || weight.Dim(0) != input.Dim(1)))
        {
            throw new ArgumentException($"{op}: the class weights must have shape [{input.Dim(1)}]; got {weight.ShapeText}.", nameof(weight));
        }
    }

    static LossReduction RequireProbabilityLoss(Tensor input, Tensor target, Tensor? weight, string reduction, string op)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        if (input.Rank < 2)
        {
            throw new ArgumentException($"{op} needs logits [n, classes] or [n, classes, d1, …]; got logits {input.ShapeText}.", "logits");
        }
        if (!input.Shape.SequenceEqual(target.Shape))
        {
            throw new ArgumentException($"{op}: class probabilities target {target.ShapeText} must have the shape of logits {input.ShapeText}.", nameof(target));
        }
        RequireClassWeight(input, weight, op);
        return ReductionOf(reduction, op);
    }

    static LossReduction RequireClassLoss(Tensor input, Labels labels, Tensor? weight, int ignoreIndex, string reduction, string op, string inputName)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(labels);
        if (input.Rank < 2)
        {
            throw new ArgumentException($"{op} needs input [n, classes] and labels [n], or input [n, classes, d1, …] and labels [n, d1, …]; got {inputName} {input.ShapeText} and labels {labels.ShapeText}.", inputName);
        }
        var expected = new int[input.Rank - 1];
        expected[0] = input.Dim(0);
        for (int a = 2; a < input.Rank; a++)
        {
            expected[a - 1] = input.Dim(a);
        }
        if (!labels.Shape.SequenceEqual(expected))
        {
            throw new ArgumentException(input.Rank == 2
                ? $"{op}: input {input.ShapeText} needs {input.Dim(0)} labels, one per row; got labels {labels.ShapeText}."
                : $"{op}: input {input.ShapeText} needs labels of shape {Shapes.Format(expected)}, its shape without the class axis 1; got labels {labels.ShapeText}.", nameof(labels));
        }
        RequireClassWeight(input, weight, op);
        int classes = input.Dim(1);
        var span = labels.Span;
        for (int row = 0; row < span.Length; row++)
        {
            if (span[row] != ignoreIndex && (uint)span[row] >= (uint)classes)
            {
                throw new ArgumentException(
                    $"{op}: label {span[row]} at {(input.Rank == 2 ? "row " : "index ")}{row} is not a class of input {input.ShapeText}; labels must be in [0, {classes - 1}] or the ignored label {ignoreIndex}.",
                    nameof(labels));
            }
        }
        return ReductionOf(reduction, op);
    }
}
