using System.Collections.Generic;

namespace AotNet.Generators.Emit;

/// <summary>
/// Names of the locals every generated method declares, chosen so they never hide one of the
/// user's inputs or shape symbols (an input called <c>i</c> must not clash with the loop index).
/// </summary>
internal sealed record LocalNames(string Index, string Workspace, string Result)
{
    public static LocalNames Avoiding(IEnumerable<string> userNames)
    {
        var taken = new HashSet<string>(userNames, System.StringComparer.Ordinal);
        string Free(string name)
        {
            while (!taken.Add(name))
            {
                name += "_";
            }
            return name;
        }
        return new LocalNames(Free("i"), Free("workspace"), Free("result"));
    }
}
