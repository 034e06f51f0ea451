namespace AotNet.Tests.Ops;

/// <summary>Eager ops refuse bad shapes with an <see cref="ArgumentException"/> that names every shape involved.</summary>
public class BadShapeTests
{
    static void AssertNamesShapes(Action call, string parameter, params string[] shapes)
    {
        var error = Assert.ThrowsAny<ArgumentException>(call);
        Assert.Equal(parameter, error.ParamName);
        foreach (string shape in shapes)
        {
            Assert.Contains(shape, error.Message);
        }
    }

    [Fact]
    public void MatMulInnerDimensionMismatch() =>
        AssertNamesShapes(() => F.MatMul(new Tensor(2, 3), new Tensor(4, 5)), "b", "[2, 3]", "[4, 5]");

    [Fact]
    public void MatMulVectorOperand() =>
        AssertNamesShapes(() => F.MatMul(new Tensor(3), new Tensor(3, 4)), "a", "[3]", "[3, 4]");

    [Fact]
    public void MatMulBatchAxesThatDoNotBroadcast() =>
        Assert.Throws<ArgumentException>(() => F.MatMul(new Tensor(2, 2, 3), new Tensor(3, 3, 4)));

    [Fact]
    public void LinearFeatureMismatch() =>
        AssertNamesShapes(() => F.Linear(new Tensor(2, 3), new Tensor(4, 5)), "x", "[2, 3]", "[4, 5]");

    [Fact]
    public void LinearWeightGivenAsInByOut()
    {
        // The PyTorch layout is [out, in]; a transposed weight is the likeliest mistake, so say so.
        var error = Assert.Throws<ArgumentException>(() => F.Linear(new Tensor(2, 3), new Tensor(3, 4)));
        Assert.Contains("[out, in]", error.Message);
    }

    [Fact]
    public void LinearVectorInputWithTheWrongFeatureCount() =>
        AssertNamesShapes(() => F.Linear(new Tensor(5), new Tensor(4, 3)), "x", "[5]", "[4, 3]");

    [Fact]
    public void LinearScalarInput() =>
        AssertNamesShapes(() => F.Linear(new Tensor(), new Tensor(4, 3)), "x", "[]", "[4, 3]");

    [Fact]
    public void LinearBiasMismatch() =>
        AssertNamesShapes(() => F.Linear(new Tensor(2, 3), new Tensor(4, 3), new Tensor(3)), "bias", "[3]", "[4, 3]", "[4]");

    [Fact]
    public void LinearMatrixBias() =>
        AssertNamesShapes(() => F.Linear(new Tensor(2, 3), new Tensor(4, 3), new Tensor(1, 4)), "bias", "[1, 4]", "[4, 3]");

    [Theory]
    [InlineData("Add")]
    [InlineData("Sub")]
    [InlineData("Mul")]
    public void ElementwiseShapesThatDoNotBroadcast(string op)
    {
        Func<Tensor, Tensor, Tensor> call = op switch
        {
            "Add" => F.Add,
            "Sub" => F.Sub,
            _ => F.Mul,
        };
        var error = Assert.Throws<ArgumentException>(() => call(new Tensor(2, 3), new Tensor(2)));
        Assert.StartsWith(op, error.Message);
        Assert.Contains("[2, 3]", error.Message);
        Assert.Contains("[2]", error.Message);
    }

    [Fact]
    public void BroadcastMismatchInAnOuterDimension()
    {
        var error = Assert.Throws<ArgumentException>(() => F.Add(new Tensor(2, 3, 4), new Tensor(5, 1, 4)));
        Assert.Contains("[2, 3, 4]", error.Message);
        Assert.Contains("[5, 1, 4]", error.Message);
        Assert.Contains("2 against 5", error.Message);
    }

    [Fact]
    public void CrossEntropyLabelCountMismatch() =>
        AssertNamesShapes(() => F.CrossEntropy(new Tensor(4, 3), new Labels(0, 1, 2)), "labels", "[4, 3]", "[3]");

    [Fact]
    public void CrossEntropyVectorLogits() =>
        AssertNamesShapes(() => F.CrossEntropy(new Tensor(3), new Labels(1)), "logits", "[3]", "[1]");

    [Theory]
    [InlineData(3)]
    [InlineData(-1)]
    public void CrossEntropyLabelOutOfRange(int label)
    {
        var error = Assert.Throws<ArgumentException>(() => F.CrossEntropy(new Tensor(2, 3), new Labels(0, label)));
        Assert.Equal("labels", error.ParamName);
        Assert.Contains($"label {label} at row 1", error.Message);
        Assert.Contains("[2, 3]", error.Message);
    }

    [Fact]
    public void LogSoftmaxOfAScalar() =>
        AssertNamesShapes(() => F.LogSoftmax(Tensor.Scalar(1f)), "x", "[]");

    [Fact]
    public void NullArgumentsAreNamed()
    {
        Assert.Equal("b", Assert.Throws<ArgumentNullException>(() => F.Add(new Tensor(1), null!)).ParamName);
        Assert.Equal("weight", Assert.Throws<ArgumentNullException>(() => F.Linear(new Tensor(1, 1), null!)).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentNullException>(() => F.CrossEntropy(new Tensor(1, 1), (Labels)null!)).ParamName);
        Assert.Equal("target", Assert.Throws<ArgumentNullException>(() => F.CrossEntropy(new Tensor(1, 1), (Tensor)null!)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentNullException>(() => F.Relu(null!)).ParamName);
    }
}
