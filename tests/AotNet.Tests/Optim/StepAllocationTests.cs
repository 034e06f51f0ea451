using AotNet.Tests.Support;

namespace AotNet.Tests.Optim;

public class StepAllocationTests
{
    public static TheoryData<string> Kinds() => new("adam", "adam_amsgrad", "adamw", "rmsprop", "rmsprop_centered_momentum", "sgd_groups");

    [Theory]
    [MemberData(nameof(Kinds))]
    public void StepAllocatesNothingAfterTheFirst(string kind)
    {
        var layer = new Linear(64, 32, rng: new Rng(1));
        layer.Weight.Grad.Span.Fill(0.01f);
        layer.Bias!.Grad.Span.Fill(0.02f);
        var groups = ParameterGroups.SplitWeightDecay(layer, 1e-4f);
        Optimizer optimizer = kind switch
        {
            "adam" => new Adam(groups, weightDecay: 1e-4f),
            "adam_amsgrad" => new Adam(groups, amsgrad: true),
            "adamw" => new AdamW(groups),
            "rmsprop" => new RmsProp(groups),
            "rmsprop_centered_momentum" => new RmsProp(groups, momentum: 0.9f, centered: true),
            _ => new Sgd(groups, 0.1f, momentum: 0.9f),
        };
        var schedule = new OneCycleLR(optimizer, 0.01, totalSteps: 200);
        optimizer.Step();
        // 6 rounds of 20 steps stay inside the schedule's 200 steps.
        long allocated = SteadyAllocations.Fewest(() =>
        {
            for (int i = 0; i < 20; i++)
            {
                GradientClipping.ClipByGlobalNorm(optimizer.Parameters, 1f);
                optimizer.Step();
                schedule.Step();
            }
        });
        Assert.Equal(0, allocated);
        Assert.NotEqual(0.01f, layer.Weight.Value[0]);
    }
}
