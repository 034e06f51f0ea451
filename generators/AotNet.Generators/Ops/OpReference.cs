using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace AotNet.Generators.Ops;

/// <summary>Renders the op table as the reference table of docs/ops.md, so the docs cannot drift from the table.</summary>
internal static class OpReference
{
    public const string Begin = "<!-- op table: generated from generators/AotNet.Generators/Ops; do not edit by hand -->";

    public const string End = "<!-- end of op table -->";

    public static string Markdown()
    {
        var text = new StringBuilder();
        text.Append(Begin).Append('\n');
        foreach (var family in OpTable.All.GroupBy(op => op.Family))
        {
            text.Append('\n').Append("### ").Append(family.Key).Append("\n\n");
            text.Append("| op | computes | called as | gradient | generated as |\n|---|---|---|---|---|\n");
            foreach (var op in family)
            {
                text.Append($"| `{op.Name}` | {op.Summary} | {CalledAs(op)} | {(op.Gradient.Length > 0 ? op.Gradient : "none")} | {GeneratedAs(op)} |\n");
            }
        }
        text.Append('\n').Append(End).Append('\n');
        return text.ToString();
    }

    static string CalledAs(OpDef op)
    {
        var calls = new List<string>();
        calls.AddRange(OpTable.Functions.Values.Where(b => b.Ops.Contains(op)).Select(b => $"`F.{b.Method}`"));
        calls.AddRange(OpTable.Operators.Where(p => p.Value.Ops.Contains(op)).Select(p => p.Key.StartsWith("unary ", System.StringComparison.Ordinal) ? $"`{p.Key.Substring(6)}a`" : $"`a {p.Key} b`"));
        return calls.Count > 0 ? string.Join(", ", calls) : "generated only";
    }

    static string GeneratedAs(OpDef op)
    {
        if (op.IsLeaf)
        {
            return "the caller's buffer";
        }
        if (op.IsProjection)
        {
            return "written by the step of the node it reads";
        }
        var facts = new List<string> { op.IsElementwise ? "a scalar expression in a fused loop" : "a kernel call" };
        if (op.Recomputable)
        {
            facts.Add("recomputed in every loop that reads it");
        }
        if (op.HostsEpilogue)
        {
            facts.Add("absorbs a following bias add and activation");
        }
        if (op.FoldsAsBias)
        {
            facts.Add("folds into a GEMM as its bias");
        }
        if (op.EpilogueActivation is not null)
        {
            facts.Add("folds into a GEMM as its activation");
        }
        return string.Join("; ", facts);
    }
}
