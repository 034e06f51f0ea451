using AotNet.Kernels;

namespace AotNet.Tests.Training;

/// <summary>
/// in → hidden (ReLU) → classes with a hand-written training step over the same kernels the
/// generated code calls (the threaded GEMM, the fused cross-entropy), because this test project
/// does not run the source generator.
/// </summary>
sealed class TwoLayerNet : Module
{
    readonly Linear _fc1;
    readonly Linear _fc2;
    readonly int _batch;
    readonly float[] _hidden, _logProbabilities, _dLogits, _dHidden;

    public TwoLayerNet(int inputs, int hidden, int classes, int batch)
    {
        _fc1 = new Linear(inputs, hidden);
        _fc2 = new Linear(hidden, classes);
        _batch = batch;
        _hidden = new float[batch * hidden];
        _logProbabilities = new float[batch * classes];
        _dLogits = new float[batch * classes];
        _dHidden = new float[batch * hidden];
    }

    public override void VisitMembers(IModuleVisitor visitor)
    {
        visitor.Module("fc1", _fc1);
        visitor.Module("fc2", _fc2);
    }

    /// <summary>Mean cross-entropy of one batch of exactly the planned size; overwrites every gradient.</summary>
    public float LossStep(Tensor x, Labels y)
    {
        int n = y.Length, inputs = _fc1.InFeatures, hidden = _fc1.OutFeatures, classes = _fc2.OutFeatures;
        if (n != _batch)
        {
            throw new ArgumentException($"Planned for batches of {_batch}, got {n}.");
        }
        var w1 = _fc1.Weight;
        var b1 = _fc1.Bias!;
        var w2 = _fc2.Weight;
        var b2 = _fc2.Bias!;

        // h = relu(x · W1ᵀ + b1); logits = h · W2ᵀ + b2 (written into dLogits, then replaced by its gradient)
        Gemm.Multiply(x.Span, false, w1.Value.Span, true, _hidden, n, hidden, inputs, bias: b1.Value.Span, activation: Activation.Relu);
        Gemm.Multiply(_hidden, false, w2.Value.Span, true, _dLogits, n, classes, hidden, bias: b2.Value.Span);
        float loss = CrossEntropy.Forward(_dLogits, y.Span, _logProbabilities, n, classes);
        CrossEntropy.Backward(_logProbabilities, y.Span, 1f, _dLogits, n, classes);

        // dW2 = dLogitsᵀ · h; db2 = Σ_n dLogits; dh = (dLogits · W2) ⊙ [h > 0]
        Gemm.Multiply(_dLogits, true, _hidden, false, w2.Grad.Span, classes, hidden, n);
        Reduce.SumOverRows(_dLogits, n, classes, b2.Grad.Span, accumulate: false);
        Gemm.Multiply(_dLogits, false, w2.Value.Span, false, _dHidden, n, hidden, classes);
        for (int i = 0; i < _dHidden.Length; i++)
        {
            _dHidden[i] = _hidden[i] > 0f ? _dHidden[i] : 0f;
        }

        // dW1 = dhᵀ · x; db1 = Σ_n dh
        Gemm.Multiply(_dHidden, true, x.Span, false, w1.Grad.Span, hidden, inputs, n);
        Reduce.SumOverRows(_dHidden, n, hidden, b1.Grad.Span, accumulate: false);
        return loss;
    }
}
