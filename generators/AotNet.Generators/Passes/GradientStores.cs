using System.Collections.Generic;
using System.Linq;

namespace AotNet.Generators.Passes;

/// <summary>
/// A step that accumulates adds each gradient into what its buffer already holds. That is only
/// right if the step that writes the gradient can add (a loop, a GEMM with beta 1, a column sum)
/// and no other step reads the buffer back as this step's value.
/// </summary>
internal static class GradientStores
{
    /// <summary>Whether the gradient <paramref name="value"/> needs a copy to be stored, because its writer cannot add or another step reads it.</summary>
    public static bool NeedsCopy(int value, IReadOnlyList<Step> steps)
    {
        if (steps.Any(s => s.Reads.Contains(value)))
        {
            return true;
        }
        return steps.FirstOrDefault(s => s.Writes.Contains(value)) switch
        {
            FusedStep fused => fused.Output != value,
            KernelStep kernel => kernel.Output != value || !CanAdd(kernel),
            _ => true,
        };
    }

    /// <summary>Whether the kernel of <paramref name="step"/> can add its result to its output; an activation applied after the add would be wrong.</summary>
    public static bool CanAdd(KernelStep step) => step.Activation is null && (step.Node.Op.Accumulates?.Invoke(step.Node) ?? false);
}
