namespace AotNet.Compiled;

/// <summary>
/// Run-time shape checks for generated code. Constant dimensions were already checked at build
/// time against each other; here the caller's tensors are checked against the declaration, and
/// symbolic dimensions (such as a batch size N) are bound by the first input that has them and
/// checked at every later use. Messages are built only on failure, so checks allocate nothing.
/// </summary>
public static class ShapeGuard
{
    /// <summary>Throws unless <paramref name="tensor"/> has rank <paramref name="rank"/>.</summary>
    public static void Rank(Tensor tensor, int rank, string name, string declared)
    {
        ArgumentNullException.ThrowIfNull(tensor, name);
        if (tensor.Rank != rank)
        {
            throw new ArgumentException($"{name}: expected shape {declared}, got {tensor.ShapeText}.", name);
        }
    }

    /// <summary>Throws unless dimension <paramref name="axis"/> is the constant <paramref name="expected"/>.</summary>
    public static void Dim(Tensor tensor, int axis, int expected, string name, string declared)
    {
        if (tensor.Dim(axis) != expected)
        {
            throw new ArgumentException(
                $"{name}: expected shape {declared}, got {tensor.ShapeText}; dimension {axis} must be {expected}.", name);
        }
    }

    /// <summary>Throws unless dimension <paramref name="axis"/> equals symbol <paramref name="symbol"/>, bound earlier by <paramref name="boundBy"/>.</summary>
    public static void Symbol(Tensor tensor, int axis, int bound, string symbol, string boundBy, string name, string declared)
    {
        if (tensor.Dim(axis) != bound)
        {
            throw new ArgumentException(
                $"{name}: expected shape {declared} with {symbol} = {bound} (from {boundBy}), got {tensor.ShapeText}.", name);
        }
    }

    /// <summary>Throws unless <paramref name="labels"/> holds exactly <paramref name="expected"/> labels.</summary>
    public static void Length([System.Diagnostics.CodeAnalysis.NotNull] Labels? labels, int expected, string name, string declared)
    {
        ArgumentNullException.ThrowIfNull(labels, name);
        if (labels.Rank != 1 || labels.Length != expected)
        {
            throw new ArgumentException($"{name}: expected shape {declared}, got {labels.ShapeText}.", name);
        }
    }

    /// <summary>Throws unless <paramref name="labels"/> holds <paramref name="bound"/> labels, the value of <paramref name="symbol"/> bound by <paramref name="boundBy"/>.</summary>
    public static void Symbol(Labels labels, int bound, string symbol, string boundBy, string name, string declared)
    {
        ArgumentNullException.ThrowIfNull(labels, name);
        if (labels.Rank != 1 || labels.Length != bound)
        {
            throw new ArgumentException(
                $"{name}: expected shape {declared} with {symbol} = {bound} (from {boundBy}), got {labels.ShapeText}.", name);
        }
    }

    /// <summary>Throws unless indices <paramref name="labels"/> have rank <paramref name="rank"/>.</summary>
    public static void Rank(Labels labels, int rank, string name, string declared)
    {
        ArgumentNullException.ThrowIfNull(labels, name);
        if (labels.Rank != rank)
        {
            throw new ArgumentException($"{name}: expected shape {declared}, got {labels.ShapeText}.", name);
        }
    }

    /// <summary>Throws unless axis <paramref name="axis"/> of indices <paramref name="labels"/> is the constant <paramref name="expected"/>.</summary>
    public static void Dim(Labels labels, int axis, int expected, string name, string declared)
    {
        if (labels.Dim(axis) != expected)
        {
            throw new ArgumentException(
                $"{name}: expected shape {declared}, got {labels.ShapeText}; dimension {axis} must be {expected}.", name);
        }
    }

    /// <summary>Throws unless axis <paramref name="axis"/> of indices <paramref name="labels"/> equals symbol <paramref name="symbol"/>, bound earlier by <paramref name="boundBy"/>.</summary>
    public static void Symbol(Labels labels, int axis, int bound, string symbol, string boundBy, string name, string declared)
    {
        if (labels.Dim(axis) != bound)
        {
            throw new ArgumentException(
                $"{name}: expected shape {declared} with {symbol} = {bound} (from {boundBy}), got {labels.ShapeText}.", name);
        }
    }

    /// <summary>
    /// Throws if <paramref name="member"/>, which the module's construction left null and the
    /// generated code was therefore compiled without, holds a value now.
    /// </summary>
    public static void Absent(object? member, string name, string method)
    {
        if (member is not null)
        {
            throw new InvalidOperationException(
                $"{method} was compiled for '{name}' being null, as the module's constructor leaves it, but it now holds a value. " +
                "Create the module with the configuration you want instead of assigning the member afterwards.");
        }
    }

    /// <summary>Throws unless a parameter still has the shape the generated code was planned for.</summary>
    public static void Parameter(Parameter? parameter, string name, params ReadOnlySpan<int> shape)
    {
        if (parameter is null)
        {
            throw new InvalidOperationException(
                $"Parameter {name} is null, but the generated code was built for a module that has it, as its construction made it. " +
                "A module was replaced by one configured differently (a layer without a bias, say); create the model with the configuration you want instead.");
        }
        if (!parameter.Shape.SequenceEqual(shape))
        {
            throw new InvalidOperationException(
                $"Parameter {name} has shape {parameter.Value.ShapeText}, but the generated code was built for {Shapes.Format(shape)}.");
        }
    }

    /// <summary>Throws unless a gradient buffer has the shape of its input.</summary>
    public static void Gradient(Tensor gradient, Tensor input, string name)
    {
        ArgumentNullException.ThrowIfNull(gradient, name);
        if (!gradient.Shape.SequenceEqual(input.Shape))
        {
            throw new ArgumentException($"{name}: expected shape {input.ShapeText}, the shape of its input, got {gradient.ShapeText}.", name);
        }
    }

    /// <summary>
    /// Throws unless two sizes the model needs equal are equal: sizes the build could not prove
    /// equal, such as two different symbols, or a symbol against a constant.
    /// </summary>
    public static void Equal(int left, int right, string leftText, string rightText, string message)
    {
        if (left != right)
        {
            throw new ArgumentException($"{message}; here {leftText} = {left} and {rightText} = {right}.");
        }
    }

    /// <summary>
    /// Throws when a symbolic size is 0: a step over an empty batch would return a NaN loss and
    /// zero gradients without a word.
    /// </summary>
    public static void NotEmpty(int size, string symbol, string boundBy, string method)
    {
        if (size <= 0)
        {
            throw new ArgumentException($"{method}: {symbol} is {size} (from {boundBy}); an empty batch has no loss to compute. Pass at least one sample.", boundBy);
        }
    }
}
