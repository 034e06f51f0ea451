using AotNet.Generators.Graph;

namespace AotNet.Generators.Emit;

/// <summary>
/// A generated source file: its hint name and its text. When emission failed, <see cref="Failure"/>
/// says why and <see cref="Origin"/> is the method it failed on, for an AOTNET0013 there.
/// </summary>
internal sealed record GeneratedFile(string HintName, string Text, string? Failure = null, string? Subject = null, SourceRange? Origin = null);
