using System.Collections.Generic;
using AotNet.Generators.Graph;

namespace AotNet.Generators.Shapes;

/// <summary>
/// What a shape rule sees: the op's display name for messages, its inputs' types and its
/// attributes. Sizes the rule needs equal but cannot prove equal are recorded with
/// <see cref="Require"/>, and the generated code checks them when it runs.
/// </summary>
internal sealed class ShapeContext
{
    readonly List<DimRequirement> _requirements;

    public ShapeContext(string op, IReadOnlyList<TensorType> inputs, OpAttributes attributes, List<DimRequirement> requirements)
    {
        Op = op;
        Inputs = inputs;
        Attributes = attributes;
        _requirements = requirements;
    }

    public string Op { get; }

    public IReadOnlyList<TensorType> Inputs { get; }

    public Shape this[int slot] => Inputs[slot].Shape;

    public OpAttributes Attributes { get; }

    public T Get<T>() where T : OpAttributes => (T)Attributes;

    /// <summary>
    /// Whether <paramref name="left"/> and <paramref name="right"/> can be the same size. Equal
    /// expressions are; two different constants are not; anything else is checked at run time.
    /// </summary>
    public bool Unify(Dim left, Dim right, string message)
    {
        if (left == right)
        {
            return true;
        }
        if (left.IsConstant && right.IsConstant)
        {
            return false;
        }
        var requirement = new DimRequirement(left, right, message);
        if (!_requirements.Contains(requirement))
        {
            _requirements.Add(requirement);
        }
        return true;
    }

    /// <summary>Records a run-time check that <paramref name="left"/> equals <paramref name="right"/>.</summary>
    public void Require(Dim left, Dim right, string message) => Unify(left, right, message);
}
