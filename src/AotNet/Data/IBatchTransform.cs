namespace AotNet;

/// <summary>
/// Changes a batch of inputs in place after <see cref="DataLoader"/> has copied it into its
/// reused buffer, so a transform costs no allocation per batch. The batch is [n, ...]; a
/// transform may also be applied once to a whole dataset's <see cref="TensorDataset.Inputs"/>.
/// </summary>
public interface IBatchTransform
{
    /// <summary>Rewrites <paramref name="batch"/> [n, ...] in place.</summary>
    void Apply(Tensor batch);
}
