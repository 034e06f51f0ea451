namespace AotNet;

/// <summary>
/// Marks a method of a <c>partial</c> class as a static graph. The method still runs eagerly as
/// written; at build time the generator also emits <c>{Method}Compiled</c>, an inference path
/// that keeps no activations, and, when the method returns a scalar, <c>{Method}Step</c>, a
/// fused forward and backward pass that fills every parameter's gradient.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class DifferentiableAttribute : Attribute
{
}
