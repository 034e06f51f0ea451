using System.Collections;
using System.Globalization;

namespace AotNet;

/// <summary>
/// An ordered list of child modules, like PyTorch's <c>nn.ModuleList</c>: its elements are named
/// <c>0</c>, <c>1</c>, …, so a model's <c>blocks</c> list gives parameters such as
/// <c>blocks.0.up.weight</c>. A <c>[Differentiable]</c> method may loop over it with
/// <c>foreach</c> or with <c>for</c> up to <see cref="Count"/>.
/// </summary>
/// <typeparam name="T">The type of module the list holds.</typeparam>
public sealed class ModuleList<T> : Module, IReadOnlyList<T> where T : Module
{
    readonly T[] _modules;

    /// <summary>A list of <paramref name="modules"/>, in order.</summary>
    public ModuleList(IEnumerable<T> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        _modules = [.. modules];
        for (int i = 0; i < _modules.Length; i++)
        {
            if (_modules[i] is null)
            {
                throw new ArgumentException($"Element {i} of the modules is null; a ModuleList holds modules only.", nameof(modules));
            }
        }
    }

    /// <summary>A list of <paramref name="count"/> modules, the i-th made by <paramref name="create"/>(i).</summary>
    public ModuleList(int count, Func<int, T> create)
        : this(Create(count, create))
    {
    }

    /// <summary>The number of modules.</summary>
    public int Count => _modules.Length;

    /// <summary>The module at <paramref name="index"/>.</summary>
    public T this[int index] => _modules[index];

    /// <inheritdoc />
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_modules).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public override void VisitMembers(IModuleVisitor visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        for (int i = 0; i < _modules.Length; i++)
        {
            visitor.Module(i.ToString(CultureInfo.InvariantCulture), _modules[i]);
        }
    }

    static T[] Create(int count, Func<int, T> create)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentNullException.ThrowIfNull(create);
        var modules = new T[count];
        for (int i = 0; i < count; i++)
        {
            modules[i] = create(i);
        }
        return modules;
    }
}

/// <summary>Helpers the generated <c>VisitMembers</c> calls for members that hold several modules.</summary>
public static class ModuleArrays
{
    /// <summary>Shows each module of <paramref name="modules"/> to <paramref name="visitor"/> as <c>{name}.{index}</c>, as a <see cref="ModuleList{T}"/> names them.</summary>
    public static void Visit<T>(IModuleVisitor visitor, string name, T[]? modules) where T : Module
    {
        ArgumentNullException.ThrowIfNull(visitor);
        if (modules is null)
        {
            return;
        }
        for (int i = 0; i < modules.Length; i++)
        {
            visitor.Module(name.Length == 0 ? i.ToString(CultureInfo.InvariantCulture) : $"{name}.{i.ToString(CultureInfo.InvariantCulture)}", modules[i]
                ?? throw new InvalidOperationException($"Element {i} of '{name}' is null; every element of a module array must be a module."));
        }
    }
}
