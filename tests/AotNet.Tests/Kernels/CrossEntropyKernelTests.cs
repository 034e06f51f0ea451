using AotNet.Kernels;

namespace AotNet.Tests.Kernels;

/// <summary>
/// <see cref="CrossEntropy"/> against plain loops in double: the loss is the mean of
/// <c>-log p[r, label r]</c>, so its gradient is <c>-dloss/rows</c> at each label and, through the
/// softmax, <c>dloss/rows · (p - onehot)</c>. A flipped sign or a missing 1/rows shows here.
/// </summary>
public class CrossEntropyKernelTests
{
    const double Tolerance = 1e-5;

    public static TheoryData<int, int, float> Cases => new()
    {
        { 1, 1, 1f },
        { 1, 4, 1f },
        { 5, 3, 0.7f },
        { 8, 10, -2.5f },
    };

    public static TheoryData<int, int> Shapes => new() { { 1, 1 }, { 1, 4 }, { 5, 3 }, { 8, 10 } };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardMatchesNaiveLoops(int rows, int cols)
    {
        var (logits, labels) = Inputs(rows, cols);
        var logProbabilities = KernelInputs.Poisoned(rows * cols);

        float loss = CrossEntropy.Forward(logits, labels, logProbabilities, rows, cols);

        var expectedLog = SoftmaxKernelTests.NaiveLogSoftmax(logits, rows, cols);
        KernelInputs.AssertClose(expectedLog, logProbabilities, Tolerance, "saved log-softmax");
        KernelInputs.AssertClose([NaiveNll(expectedLog, labels, rows, cols)], [loss], Tolerance, "loss");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BackwardMatchesNaiveLoops(int rows, int cols, float lossGradient)
    {
        var (logits, labels) = Inputs(rows, cols);
        var logProbabilities = SoftmaxKernelTests.ToFloat(SoftmaxKernelTests.NaiveLogSoftmax(logits, rows, cols));
        var gradient = KernelInputs.Poisoned(rows * cols);

        CrossEntropy.Backward(logProbabilities, labels, lossGradient, gradient, rows, cols);

        var expected = new double[rows * cols];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                double oneHot = c == labels[r] ? 1 : 0;
                expected[r * cols + c] = (double)lossGradient / rows * (Math.Exp(logProbabilities[r * cols + c]) - oneHot);
            }
        }
        KernelInputs.AssertClose(expected, gradient, Tolerance, "logits gradient");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void NllForwardMatchesNaiveLoops(int rows, int cols)
    {
        var logProbabilities = KernelInputs.Uniform(rows * cols, seed: rows * 7 + cols, 4f);
        var labels = KernelInputs.Labels(rows, cols, seed: rows + 1);

        float loss = CrossEntropy.NllForward(logProbabilities, labels, rows, cols);

        KernelInputs.AssertClose([NaiveNll(Array.ConvertAll(logProbabilities, v => (double)v), labels, rows, cols)], [loss], Tolerance, "nll");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void NllBackwardMatchesNaiveLoops(int rows, int cols, float lossGradient)
    {
        var labels = KernelInputs.Labels(rows, cols, seed: rows + 2);
        // Stale values from an earlier batch must be overwritten, not added to.
        var gradient = KernelInputs.Uniform(rows * cols, seed: 99, 5f);

        CrossEntropy.NllBackward(labels, lossGradient, gradient, rows, cols);

        var expected = new double[rows * cols];
        for (int r = 0; r < rows; r++)
        {
            expected[r * cols + labels[r]] = -(double)lossGradient / rows;
        }
        KernelInputs.AssertClose(expected, gradient, Tolerance, "log-probabilities gradient");
    }

    [Fact]
    public void NllBackwardIsTheDerivativeOfNllForward()
    {
        const int rows = 4, cols = 5;
        var logProbabilities = KernelInputs.Uniform(rows * cols, seed: 12, 3f);
        var labels = KernelInputs.Labels(rows, cols, seed: 13);
        var gradient = new float[rows * cols];
        CrossEntropy.NllBackward(labels, 1f, gradient, rows, cols);

        // Central differences in float32 with a step of 1e-2: the loss is linear, so they are exact up to rounding.
        for (int i = 0; i < rows * cols; i++)
        {
            float saved = logProbabilities[i];
            logProbabilities[i] = saved + 1e-2f;
            double up = CrossEntropy.NllForward(logProbabilities, labels, rows, cols);
            logProbabilities[i] = saved - 1e-2f;
            double down = CrossEntropy.NllForward(logProbabilities, labels, rows, cols);
            logProbabilities[i] = saved;
            Assert.True(Math.Abs((up - down) / 2e-2 - gradient[i]) < 1e-3, $"element {i}: analytic {gradient[i]}, numeric {(up - down) / 2e-2}.");
        }
    }

    [Fact]
    public void LabelOutsideTheClassesIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => CrossEntropy.NllBackward([0, 3], 1f, new float[6], 2, 3));
        Assert.Contains("label 3 at row 1", error.Message);
    }

    static (float[] Logits, int[] Labels) Inputs(int rows, int cols) =>
        (KernelInputs.Uniform(rows * cols, seed: rows * 31 + cols, 3f), KernelInputs.Labels(rows, cols, seed: rows * 17 + cols));

    static double NaiveNll(double[] logProbabilities, int[] labels, int rows, int cols)
    {
        double total = 0;
        for (int r = 0; r < rows; r++)
        {
            total -= logProbabilities[r * cols + labels[r]];
        }
        return total / rows;
    }
}
