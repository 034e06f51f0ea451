namespace AotNet.Compiled;

/// <summary>
/// Checks generated code makes before it runs a variant compiled for one mode: every module
/// whose Training flag the method reads must be in the model's mode.
/// </summary>
public static class ModeGuard
{
    /// <summary>Throws unless <paramref name="module"/> is in the same mode as <paramref name="model"/>.</summary>
    public static void Same(Module model, Module module, string name, string method)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(module);
        if (module.Training != model.Training)
        {
            throw new InvalidOperationException(
                $"{method}: '{name}' is in {Mode(module)} mode but the model is in {Mode(model)} mode. The compiled code follows the model's mode " +
                "for every module it reads; call Train() or Eval() on the model, which sets every module.");
        }
    }

    static string Mode(Module module) => module.Training ? "training" : "evaluation";
}
