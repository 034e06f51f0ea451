using System.Globalization;
using AotNet.Tests.Support;

namespace AotNet.Tests.Data;

public class CsvDatasetTests
{
    static TensorDataset LoadText(string text, CsvOptions? options = null, string name = "data.csv")
    {
        using var directory = new TempDirectory();
        string path = directory.File(name);
        File.WriteAllText(path, text);
        return CsvDataset.Load(path, options);
    }

    static InvalidDataException Refused(string text, CsvOptions? options = null) =>
        Assert.Throws<InvalidDataException>(() => LoadText(text, options));

    [Fact]
    public void ReadsLabelsFromTheFirstColumnAndFeaturesFromTheRest()
    {
        var data = LoadText("label,a,b\n2,0.5,-1\n0,1e3,3.25\n");
        Assert.Equal("[2, 2]", data.Inputs.ShapeText);
        Assert.Equal([0.5f, -1f, 1000f, 3.25f], data.Inputs.Span.ToArray());
        Assert.Equal([2, 0], data.Targets.Span.ToArray());
    }

    [Fact]
    public void LabelColumnCanBeNamedOrCountedFromTheEnd()
    {
        const string Text = "x,y,class\n1,2,3\n4,5,6\n";
        var byName = LoadText(Text, new CsvOptions { LabelColumnName = "class" });
        var fromEnd = LoadText(Text, new CsvOptions { LabelColumn = -1 });
        var middle = LoadText(Text, new CsvOptions { LabelColumn = 1 });
        Assert.Equal([1f, 2f, 4f, 5f], byName.Inputs.Span.ToArray());
        Assert.Equal([3, 6], byName.Targets.Span.ToArray());
        Assert.Equal(byName.Inputs.Span.ToArray(), fromEnd.Inputs.Span.ToArray());
        Assert.Equal([1f, 3f, 4f, 6f], middle.Inputs.Span.ToArray());
        Assert.Equal([2, 5], middle.Targets.Span.ToArray());
    }

    [Fact]
    public void WithoutHeaderTheFirstLineIsData()
    {
        var data = LoadText("1;0.25\n\n  \n0;0.75\n", new CsvOptions { HasHeader = false, Delimiter = ';' });
        Assert.Equal([0.25f, 0.75f], data.Inputs.Span.ToArray());
        Assert.Equal([1, 0], data.Targets.Span.ToArray());
    }

    [Fact]
    public void QuotedHeadersAndSpacesAroundCellsAreAccepted()
    {
        var data = LoadText("\"the label\", \"pixel \"\"1\"\"\"\r\n 1 , 2.5 \r\n", new CsvOptions { LabelColumnName = "the label" });
        Assert.Equal([2.5f], data.Inputs.Span.ToArray());
        Assert.Equal([1], data.Targets.Span.ToArray());
        var error = Refused("l,\"pixel \"\"1\"\"\"\n1,x\n");
        Assert.Contains("('pixel \"1\"')", error.Message);
    }

    [Fact]
    public void NumbersParseInTheInvariantCultureWhateverTheCurrentCulture()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            var data = LoadText("l,a\n0,1.5\n");
            Assert.Equal([1.5f], data.Inputs.Span.ToArray());
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
        var german = LoadText("l;a\n0;1,5\n", new CsvOptions { Delimiter = ';', Culture = CultureInfo.GetCultureInfo("de-DE") });
        Assert.Equal([1.5f], german.Inputs.Span.ToArray());
    }

    [Fact]
    public void NonNumericCellNamesFileLineColumnAndHeader()
    {
        var error = Refused("label,width,height\n0,1,2\n1,3,abc\n");
        Assert.Contains("data.csv, line 3, column 3 ('height'): 'abc' is not a number", error.Message);
    }

    [Fact]
    public void EmptyFeatureCellIsRefused()
    {
        var error = Refused("label,a,b\n0,,2\n");
        Assert.Contains("line 2, column 2 ('a'): is empty", error.Message);
    }

    [Fact]
    public void DecimalCommaGetsAHint()
    {
        var error = Refused("l;a\n0;1,5\n", new CsvOptions { Delimiter = ';' });
        Assert.Contains("'1,5' is not a number in culture 'invariant'", error.Message);
        Assert.Contains("CsvOptions.Culture", error.Message);
    }

    [Theory]
    [InlineData("l,a,b\n0,1,2\n1,2\n", "line 3: has 2 columns, but the header names 3")]
    [InlineData("0,1,2\n1,2,3,4\n", "line 2: has 4 columns, but the first row has 3")]
    public void RaggedRowIsRefused(string text, string expected)
    {
        var error = Refused(text, new CsvOptions { HasHeader = text.StartsWith('l') });
        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("1.5", "label '1.5' is not an integer")]
    [InlineData("-1", "label -1 is negative")]
    [InlineData("cat", "label 'cat' is not a number")]
    [InlineData("", "the label is empty")]
    [InlineData("3000000000", "label 3000000000 is too large")]
    public void BadLabelIsRefused(string label, string expected)
    {
        var error = Refused($"label,a\n0,1\n{label},2\n");
        Assert.Contains("line 3, column 1 ('label'): " + expected, error.Message);
    }

    [Fact]
    public void EmptyFileIsRefused()
    {
        var error = Refused("\n\n");
        Assert.Contains("data.csv is empty", error.Message);
        Assert.Contains("has a header but no data rows", Refused("label,a\n").Message);
    }

    [Fact]
    public void MissingLabelColumnIsRefused()
    {
        var named = Refused("x,y\n1,2\n", new CsvOptions { LabelColumnName = "label" });
        Assert.Contains("line 1: has no column named 'label'; the columns are 'x', 'y'", named.Message);
        var indexed = Refused("x,y\n1,2\n", new CsvOptions { LabelColumn = 5 });
        Assert.Contains("label column 5 does not exist", indexed.Message);
        Assert.Throws<ArgumentException>(() => LoadText("1,2\n", new CsvOptions { HasHeader = false, LabelColumnName = "y" }));
    }

    [Fact]
    public void SingleColumnSuggestsCheckingTheDelimiter()
    {
        var error = Refused("label;a\n0;1\n");
        Assert.Contains("is the delimiter ',' right?", error.Message);
    }

    [Fact]
    public void UnclosedQuoteIsRefused()
    {
        var error = Refused("label,\"a\n0,1\n");
        Assert.Contains("line 1: the quote that opens cell 2 is not closed", error.Message);
    }

    [Fact]
    public void LoadedDatasetFeedsADataLoader()
    {
        var data = LoadText("label,a\n0,1\n1,2\n2,3\n");
        var sizes = new DataLoader(data, batchSize: 2).Select(b => b.Count).ToArray();
        Assert.Equal([2, 1], sizes);
    }
}
