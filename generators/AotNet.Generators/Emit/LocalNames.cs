using System.Collections.Generic;
using AotNet.Generators.Graph;

namespace AotNet.Generators.Emit;

/// <summary>
/// The identifiers of one generated method. The method's parameters and shape symbols come
/// first and keep their names; every local the generator adds (the loop index, the workspace,
/// spans of parameters and gradients, values) is made unique against all of them and against
/// each other, so no member, input or symbol name can collide with generated code. Keywords get
/// an <c>@</c>.
/// </summary>
internal sealed class LocalNames
{
    readonly HashSet<string> _taken = new(System.StringComparer.Ordinal);

    public LocalNames(IEnumerable<string> fixedNames)
    {
        foreach (string name in fixedNames)
        {
            _taken.Add(Bare(name));
        }
    }

    /// <summary>A fresh identifier based on <paramref name="desired"/>: itself if free, else with a number after it.</summary>
    public string Unique(string desired)
    {
        string name = Bare(desired);
        string candidate = name;
        for (int suffix = 2; !_taken.Add(candidate); suffix++)
        {
            candidate = name + suffix;
        }
        return Names.Escape(candidate);
    }

    static string Bare(string name) => name.StartsWith("@", System.StringComparison.Ordinal) ? name.Substring(1) : name;
}
