using System.Collections.Generic;

namespace AotNet.Generators.Passes;

/// <summary>The storage of every materialised value, and the lengths each workspace slot must hold.</summary>
internal sealed record MemoryPlan(IReadOnlyDictionary<int, Storage> Storage, IReadOnlyList<IReadOnlyList<string>> SlotLengths)
{
    public int SlotCount => SlotLengths.Count;
}
