namespace AotNet.Generators.Parsing;

/// <summary>The constant configuration of a <c>Linear</c> member, read from its initializer.</summary>
internal sealed record LinearLayerInfo(int InFeatures, int OutFeatures, bool HasBias);
