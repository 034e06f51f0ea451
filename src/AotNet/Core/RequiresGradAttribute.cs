namespace AotNet;

/// <summary>
/// Asks the generated training step to also compute the gradient with respect to this input.
/// The step then takes one more argument, <c>{name}Grad</c>, a tensor of the input's shape that
/// it overwrites. Inputs without this attribute get no gradient, and none of the work for one.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false, AllowMultiple = false)]
public sealed class RequiresGradAttribute : Attribute
{
}
