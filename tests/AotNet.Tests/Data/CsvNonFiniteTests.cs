using AotNet.Tests.Support;

namespace AotNet.Tests.Data;

/// <summary>
/// NaN, infinities and numbers beyond float32's range parse, but would poison a training run
/// silently; they are refused with the file, line and column unless the caller opts in.
/// </summary>
public class CsvNonFiniteTests : IDisposable
{
    readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("1e39")]
    [InlineData("-3.5e38")]
    public void NonFiniteFeatureIsRefused(string cell)
    {
        string path = Write($"label,a,b\n0,1,2\n1,0.5,{cell}\n");

        var error = Assert.Throws<InvalidDataException>(() => CsvDataset.Load(path));

        Assert.Contains($"{path}, line 3, column 3 ('b')", error.Message);
        Assert.Contains("finite", error.Message);
    }

    [Fact]
    public void LargestFloatStillLoads()
    {
        string path = Write("label,a\n0,3.4028235e38\n");

        Assert.Equal(float.MaxValue, CsvDataset.Load(path).Inputs[0]);
    }

    [Fact]
    public void NonFiniteValuesLoadWhenAllowed()
    {
        string path = Write("label,a,b,c\n0,NaN,Infinity,1e39\n");

        var inputs = CsvDataset.Load(path, new CsvOptions { AllowNonFinite = true }).Inputs;

        Assert.True(float.IsNaN(inputs[0]));
        Assert.Equal(float.PositiveInfinity, inputs[1]);
        Assert.Equal(float.PositiveInfinity, inputs[2]);
    }

    [Fact]
    public void LabelOutsideTheClassCountIsRefusedWithItsLine()
    {
        string path = Write("x,label\n0.5,1\n0.25,2\n0.75,3\n");

        var error = Assert.Throws<InvalidDataException>(() => CsvDataset.Load(path, new CsvOptions { LabelColumn = -1, ClassCount = 3 }));

        Assert.Contains($"{path}, line 4, column 2 ('label'): label 3 is outside the 3 classes 0 to 2", error.Message);
        Assert.Equal(3, CsvDataset.Load(path, new CsvOptions { LabelColumn = -1, ClassCount = 4 }).Count);
    }

    string Write(string text)
    {
        string path = _dir.File("data.csv");
        File.WriteAllText(path, text);
        return path;
    }
}
