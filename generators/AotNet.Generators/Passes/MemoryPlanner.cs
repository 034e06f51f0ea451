using System.Collections.Generic;
using System.Linq;
using AotNet.Generators.Graph;

namespace AotNet.Generators.Passes;

/// <summary>
/// Plans buffers at build time: every value a step materialises gets a workspace slot, and a
/// slot is handed to a new value once the values in it are dead. An elementwise loop may write
/// over the input it reads last. Values the caller receives go straight to their external
/// buffers (a parameter's gradient, the result tensor).
/// </summary>
internal static class MemoryPlanner
{
    public static MemoryPlan Plan(IReadOnlyList<Node> nodes, IReadOnlyList<Step> steps, IReadOnlyDictionary<int, Storage> external)
    {
        var storage = external.ToDictionary(pair => pair.Key, pair => pair.Value);
        var lastRead = new Dictionary<int, int>();
        for (int s = 0; s < steps.Count; s++)
        {
            foreach (int read in steps[s].Reads)
            {
                lastRead[read] = s;
            }
        }

        var slotLengths = new List<List<string>>();
        var occupant = new List<int>();
        var free = new List<int>();

        for (int s = 0; s < steps.Count; s++)
        {
            var step = steps[s];
            // Slots whose last reader was an earlier step are free again.
            for (int slot = 0; slot < occupant.Count; slot++)
            {
                if (occupant[slot] >= 0 && lastRead.TryGetValue(occupant[slot], out int last) && last < s)
                {
                    occupant[slot] = -1;
                    free.Add(slot);
                }
            }
            if (storage.ContainsKey(step.Output))
            {
                continue;
            }
            var shape = nodes[step.Output].Shape;
            string length = shape.LengthCode;
            int chosen = InPlaceCandidate(step, nodes, storage, lastRead, s, shape)
                ?? free.Cast<int?>().FirstOrDefault(f => slotLengths[f!.Value].Contains(length))
                ?? free.Cast<int?>().FirstOrDefault()
                ?? NewSlot(slotLengths, occupant);
            free.Remove(chosen);
            occupant[chosen] = step.Output;
            if (!slotLengths[chosen].Contains(length))
            {
                slotLengths[chosen].Add(length);
            }
            storage[step.Output] = new Storage(StorageKind.Slot, "", chosen);
        }
        return new MemoryPlan(storage, slotLengths.Select(l => (IReadOnlyList<string>)l).ToList());
    }

    /// <summary>
    /// An elementwise loop reads element i of a same-shape input before writing element i of its
    /// output, so it can reuse that input's slot when this step is its last reader.
    /// </summary>
    static int? InPlaceCandidate(Step step, IReadOnlyList<Node> nodes, Dictionary<int, Storage> storage, Dictionary<int, int> lastRead, int s, Shape shape)
    {
        if (step is not FusedStep)
        {
            return null;
        }
        foreach (int read in step.Reads)
        {
            if (nodes[read].Shape == shape && lastRead[read] == s && storage.TryGetValue(read, out var home) && home.Kind == StorageKind.Slot)
            {
                return home.Slot;
            }
        }
        return null;
    }

    static int NewSlot(List<List<string>> slotLengths, List<int> occupant)
    {
        slotLengths.Add([]);
        occupant.Add(-1);
        return slotLengths.Count - 1;
    }
}
