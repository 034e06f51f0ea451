namespace AotNet;

/// <summary>
/// An opt-in check, like PyTorch's <c>torch.autograd.detect_anomaly</c>: while it is on, generated
/// code checks every value it computes, forward and backward, and the first one with a NaN or an
/// infinity throws an <see cref="ArithmeticException"/> that names the value, the math that made
/// it and its line in the model's source. Off, each check is one test of a static flag.
/// </summary>
/// <example>
/// <code>
/// using (AnomalyDetection.Enable())
/// {
///     model.LossStep(x, y);   // throws at the first non-finite value, naming its line
/// }
/// </code>
/// </example>
public static class AnomalyDetection
{
    static volatile bool s_enabled;

    /// <summary>Whether generated code checks its values now.</summary>
    public static bool IsEnabled => s_enabled;

    /// <summary>Turns checking on for every thread until the returned scope is disposed, which restores the previous setting.</summary>
    public static IDisposable Enable() => new Scope(enable: true);

    /// <summary>Turns checking off until the returned scope is disposed.</summary>
    public static IDisposable Disable() => new Scope(enable: false);

    sealed class Scope : IDisposable
    {
        readonly bool _previous;
        bool _disposed;

        public Scope(bool enable)
        {
            _previous = s_enabled;
            s_enabled = enable;
        }

        public void Dispose()
        {
            if (!_disposed)
            {
                s_enabled = _previous;
                _disposed = true;
            }
        }
    }
}
