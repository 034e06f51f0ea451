namespace AotNet;

/// <summary>
/// Receives the members of a module: its parameters and its child modules, by their
/// PyTorch-style names.
/// </summary>
public interface IModuleVisitor
{
    /// <summary>Called for each parameter the module owns directly.</summary>
    void Parameter(string name, Parameter parameter);

    /// <summary>Called for each child module.</summary>
    void Module(string name, Module module);
}

/// <summary>
/// The base of every layer and model. Members are enumerated by <see cref="VisitMembers"/>,
/// which the generator writes for <c>partial</c> modules (the runtime's layers among them) and
/// which other modules write by hand, so no reflection is needed and NativeAOT trims nothing that matters.
/// </summary>
public abstract class Module
{
    /// <summary>True in training mode (the default), false after <see cref="Eval"/>.</summary>
    public bool Training { get; private set; } = true;

    /// <summary>Shows this module's own parameters and child modules to <paramref name="visitor"/>, in declaration order.</summary>
    public abstract void VisitMembers(IModuleVisitor visitor);

    /// <summary>Sets training mode on this module and every descendant.</summary>
    public void Train(bool training = true)
    {
        Training = training;
        VisitMembers(new ModeSetter(training));
    }

    /// <summary>Sets evaluation mode on this module and every descendant.</summary>
    public void Eval() => Train(false);

    /// <summary>Every parameter with its hierarchical name, such as <c>fc1.weight</c>, in declaration order.</summary>
    public IReadOnlyList<KeyValuePair<string, Parameter>> NamedParameters()
    {
        var collector = new ParameterCollector("");
        VisitMembers(collector);
        return collector.Found;
    }

    /// <summary>Every parameter, in declaration order.</summary>
    public IReadOnlyList<Parameter> Parameters()
    {
        var named = NamedParameters();
        var result = new Parameter[named.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = named[i].Value;
        }
        return result;
    }

    /// <summary>Sets every parameter's gradient to zero.</summary>
    public void ZeroGrad()
    {
        foreach (var parameter in Parameters())
        {
            parameter.Grad.Span.Clear();
        }
    }

    sealed class ModeSetter(bool training) : IModuleVisitor
    {
        public void Parameter(string name, Parameter parameter)
        {
        }

        public void Module(string name, Module module) => module.Train(training);
    }

    sealed class ParameterCollector(string prefix, HashSet<Parameter>? seen = null) : IModuleVisitor
    {
        readonly HashSet<Parameter> _seen = seen ?? new(ReferenceEqualityComparer.Instance);

        public List<KeyValuePair<string, Parameter>> Found { get; } = [];

        // A parameter reached twice (a module shared by two members, or listed twice) is listed
        // once, under its first name, as PyTorch lists it, so an optimizer steps it once.
        public void Parameter(string name, Parameter parameter)
        {
            if (_seen.Add(parameter))
            {
                Found.Add(new(prefix + name, parameter));
            }
        }

        public void Module(string name, Module module)
        {
            var child = new ParameterCollector(prefix + name + ".", _seen);
            module.VisitMembers(child);
            Found.AddRange(child.Found);
        }
    }
}
