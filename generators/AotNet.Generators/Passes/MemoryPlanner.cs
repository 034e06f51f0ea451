using System.Collections.Generic;
using System.Linq;
using AotNet.Generators.Graph;

namespace AotNet.Generators.Passes;

/// <summary>
/// Plans buffers at build time: every value a step materialises gets a workspace slot, and a
/// slot is handed to a new value once the values in it are dead. Sizes are compared as
/// dimension expressions, so <c>C * H * W</c> and <c>W * H * C</c> are one size. An
/// elementwise loop may write over the input it reads last. Values the caller receives go
/// straight to their external buffers, and a value the method returns from its workspace
/// (the loss) keeps its slot to the end.
/// </summary>
internal static class MemoryPlanner
{
    public static MemoryPlan Plan(IReadOnlyList<Node> nodes, IReadOnlyList<Step> steps, IReadOnlyDictionary<int, Storage> external, IReadOnlyCollection<int>? returned = null)
    {
        var storage = external.ToDictionary(pair => pair.Key, pair => pair.Value);
        // A view shares its source's buffer, so the buffer lives until the last read of either:
        // lifetimes are kept per buffer, named by the value that owns it.
        var owner = new Dictionary<int, int>();
        int Owner(int value) => owner.TryGetValue(value, out int source) ? Owner(source) : value;
        foreach (var view in steps.OfType<ViewStep>())
        {
            owner[view.Output] = view.Node.Input0;
        }
        var lastRead = new Dictionary<int, int>();
        for (int s = 0; s < steps.Count; s++)
        {
            foreach (int written in steps[s].Writes)
            {
                // A value nothing reads (a kernel's scratch output) dies with its step.
                lastRead[Owner(written)] = System.Math.Max(s, lastRead.TryGetValue(Owner(written), out int earlier) ? earlier : s);
            }
        }
        for (int s = 0; s < steps.Count; s++)
        {
            foreach (int read in steps[s].Reads)
            {
                lastRead[Owner(read)] = s;
            }
        }
        foreach (int value in returned ?? [])
        {
            lastRead[Owner(value)] = int.MaxValue;
        }

        var slotLengths = new List<List<Dim>>();
        var occupants = new List<HashSet<int>>();
        var free = new List<int>();

        for (int s = 0; s < steps.Count; s++)
        {
            var step = steps[s];
            // Slots whose values were all last read by an earlier step are free again.
            for (int slot = 0; slot < occupants.Count; slot++)
            {
                if (occupants[slot].Count > 0 && occupants[slot].All(v => lastRead.TryGetValue(Owner(v), out int last) && last < s))
                {
                    occupants[slot].Clear();
                    free.Add(slot);
                }
            }
            if (step is ViewStep)
            {
                storage[step.Output] = storage[Owner(step.Output)];
                continue;
            }
            var claimedHere = new HashSet<int>();
            foreach (int value in step.Writes)
            {
                if (storage.ContainsKey(value))
                {
                    continue;
                }
                var length = Floats(nodes[value].Outputs[0]);
                int chosen = (value == step.Output ? InPlaceCandidate(step, nodes, storage, lastRead, s, claimedHere, Owner) : null)
                    ?? free.Cast<int?>().FirstOrDefault(f => slotLengths[f!.Value].Contains(length))
                    ?? free.Cast<int?>().FirstOrDefault()
                    ?? NewSlot(slotLengths, occupants);
                free.Remove(chosen);
                claimedHere.Add(chosen);
                occupants[chosen].Add(value);
                if (!slotLengths[chosen].Contains(length))
                {
                    slotLengths[chosen].Add(length);
                }
                storage[value] = new Storage(StorageKind.Slot, "", chosen);
            }
        }
        return new MemoryPlan(storage, slotLengths.Select(l => (IReadOnlyList<Dim>)l).ToList());
    }

    /// <summary>How many floats of workspace a value takes: masks and indices share the float slots.</summary>
    public static Dim Floats(TensorType type) => type.DType switch
    {
        DType.Bool => (type.Shape.Length + Dim.Of(3)) / Dim.Of(4),
        DType.Int64 => type.Shape.Length * Dim.Of(2),
        _ => type.Shape.Length,
    };

    /// <summary>
    /// An elementwise loop reads element i of a same-shape input before writing element i of its
    /// output, so it can reuse that input's slot when this step is its last reader.
    /// </summary>
    static int? InPlaceCandidate(Step step, IReadOnlyList<Node> nodes, Dictionary<int, Storage> storage, Dictionary<int, int> lastRead, int s, HashSet<int> claimedHere, System.Func<int, int> owner)
    {
        if (step is not FusedStep)
        {
            return null;
        }
        var output = nodes[step.Output].Outputs[0];
        foreach (int read in step.Reads)
        {
            if (nodes[read].Outputs[0] == output && lastRead[owner(read)] == s && storage.TryGetValue(read, out var home) && home.Kind == StorageKind.Slot && !claimedHere.Contains(home.Slot))
            {
                return home.Slot;
            }
        }
        return null;
    }

    static int NewSlot(List<List<Dim>> slotLengths, List<HashSet<int>> occupants)
    {
        slotLengths.Add([]);
        occupants.Add([]);
        return slotLengths.Count - 1;
    }
}
