using AotNet.Generators.Graph;

namespace AotNet.Generators.Parsing;

/// <summary>The configuration of a <c>Linear</c> member: its sizes (constants, or read when the code runs) and whether it has a bias.</summary>
internal sealed record LinearLayerInfo(Dim InFeatures, Dim OutFeatures, bool HasBias);
