using System.Collections.Generic;

namespace AotNet.Generators.Ops;

internal static partial class OpTable
{
    /// <summary>Tensor methods that are F's ops with the receiver first, by method name: <c>x.View(…)</c> is <c>F.Reshape(x, …)</c>.</summary>
    public static readonly IReadOnlyDictionary<string, string> TensorMethods = new Dictionary<string, string>(System.StringComparer.Ordinal)
    {
        ["Reshape"] = "Reshape",
        ["View"] = "Reshape",
        ["Flatten"] = "Flatten",
        ["MaskedFill"] = "MaskedFill",
        ["Squeeze"] = "Squeeze",
        ["Unsqueeze"] = "Unsqueeze",
        ["Transpose"] = "Transpose",
        ["Permute"] = "Permute",
        ["Narrow"] = "Narrow",
        ["Expand"] = "Expand",
        ["Slice"] = "Slice",
        ["Split"] = "Split",
        ["Chunk"] = "Chunk",
        ["Gather"] = "Gather",
        ["IndexSelect"] = "IndexSelect",
    };

    /// <summary>The methods of Labels that are tensor methods too: views, which keep the labels' type.</summary>
    public static readonly IReadOnlyCollection<string> LabelsMethods = new HashSet<string>(System.StringComparer.Ordinal) { "Reshape", "View", "Flatten" };
}
