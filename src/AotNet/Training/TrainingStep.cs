namespace AotNet;

/// <summary>
/// A training step that takes the <see cref="GradientWrite"/> a <see cref="TrainingLoop"/> asks
/// for: it computes the loss of one batch and writes its gradients as <paramref name="gradients"/>
/// says. A generated <c>LossStep</c> is one, as a method group: <c>new TrainingLoop(model.LossStep, ...)</c>.
/// </summary>
/// <returns>The batch's loss, unscaled.</returns>
public delegate float TrainingStep(Tensor x, Labels y, GradientWrite gradients);
