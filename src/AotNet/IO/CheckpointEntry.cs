namespace AotNet;

/// <summary>One parameter as a checkpoint file holds it: its name, shape, and where its floats are.</summary>
sealed record CheckpointEntry(string Name, int[] Shape, int DataOffset, int DataLength);
