using System.Collections.Generic;
using AotNet.Generators.Graph;

namespace AotNet.Generators.Passes;

/// <summary>The storage of every materialised value, and the sizes (in floats) each workspace slot must hold.</summary>
internal sealed record MemoryPlan(IReadOnlyDictionary<int, Storage> Storage, IReadOnlyList<IReadOnlyList<Dim>> SlotLengths)
{
    public int SlotCount => SlotLengths.Count;
}
