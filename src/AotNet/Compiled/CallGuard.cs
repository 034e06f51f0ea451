namespace AotNet.Compiled;

/// <summary>
/// Refuses a second call of a generated training step on one model while the first is running:
/// the step writes the model's gradients and reuses one workspace, so two at once would corrupt
/// both, silently. The check is one interlocked exchange, so it costs nothing a step would notice.
/// </summary>
public static class CallGuard
{
    /// <summary>Marks <paramref name="inUse"/> taken, or throws when another thread holds it.</summary>
    /// <exception cref="InvalidOperationException">The step is already running on this model.</exception>
    public static void Enter(ref int inUse, string method)
    {
        if (Interlocked.CompareExchange(ref inUse, 1, 0) != 0)
        {
            throw new InvalidOperationException(
                $"{method} is already running on this model in another thread. A training step writes the model's gradients and workspace, " +
                "so concurrent steps would corrupt each other; give each thread its own model, or serialise the calls.");
        }
    }

    /// <summary>Releases what <see cref="Enter"/> took.</summary>
    public static void Exit(ref int inUse) => Volatile.Write(ref inUse, 0);
}
