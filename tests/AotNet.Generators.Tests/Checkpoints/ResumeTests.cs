namespace AotNet.Generators.Tests.Checkpoints;

/// <summary>
/// Training resumed from a mid-epoch checkpoint ends bit-identical to training that never
/// stopped: same parameters, same optimizer state, same data order.
/// </summary>
public sealed class ResumeTests : IDisposable
{
    const int TotalSteps = 40;
    const int BatchSize = 8;
    readonly string _path = Path.Combine(Path.GetTempPath(), $"aotnet-resume-{Guid.NewGuid():N}.safetensors");

    public void Dispose() => File.Delete(_path);

    /// <summary>A run's objects, built from seeds so a fresh run can differ from the saved one in every way that loading must fix.</summary>
    sealed class Run
    {
        public Run(string optimizer, ulong seed)
        {
            Model = new TinyClassifier(seed);
            // 50 samples in batches of 8 give 7 batches per epoch, the last one short.
            Loader = new DataLoader(SyntheticDataset.Create(50, 6, 3, seed: 11), BatchSize, shuffle: true, generator: new Rng(seed + 100));
            Optimizer = optimizer switch
            {
                "sgd" => new Sgd(Model.Parameters(), lr: 0.05f, momentum: 0.9f, weightDecay: 1e-4f),
                "adam" => new Adam(Model.Parameters(), lr: 0.01f, weightDecay: 1e-4f),
                _ => throw new ArgumentException(optimizer),
            };
            Schedule = new StepLR(Optimizer, stepSize: 9, gamma: 0.7);
        }

        public TinyClassifier Model { get; }
        public DataLoader Loader { get; }
        public Optimizer Optimizer { get; }
        public StepLR Schedule { get; }
        public TrainingPosition Position { get; set; } = new();
    }

    /// <summary>
    /// Trains until <see cref="TotalSteps"/>, starting where <paramref name="run"/>'s position says,
    /// replaying the epoch in progress when resuming, and saving a checkpoint after step <paramref name="saveAt"/>.
    /// </summary>
    void Train(Run run, bool resuming, int saveAt = -1)
    {
        var position = run.Position;
        while (position.Step < TotalSteps)
        {
            var batches = resuming
                ? run.Loader.ResumeEpoch(position.RngStates["loader"], position.BatchInEpoch)
                : run.Loader.GetEnumerator();
            resuming = false;
            // Rng.Default is restored and saved though this model never draws from it, as a loop with dropout must.
            while (batches.MoveNext() && position.Step < TotalSteps)
            {
                var (x, y) = batches.Current;
                run.Model.LossStep(x, y);
                run.Optimizer.Step();
                run.Schedule.Step();
                position.Step++;
                if (position.Step == saveAt)
                {
                    position.BatchInEpoch = batches.BatchIndex;
                    position.RngStates["loader"] = run.Loader.EpochStartState;
                    position.RngStates["default"] = Rng.Default.State;
                    TrainingCheckpoint.Save(_path, run.Model, run.Optimizer, position, run.Schedule);
                }
            }
            if (position.Step < TotalSteps)
            {
                position.Epoch++;
            }
        }
    }

    static uint[] Bits(Module model) =>
        model.Parameters().SelectMany(p => p.Value.ToArray()).Select(BitConverter.SingleToUInt32Bits).ToArray();

    [Theory]
    [InlineData("sgd", 10)]
    [InlineData("sgd", 7)] // after the last batch of the first epoch
    [InlineData("adam", 17)]
    [InlineData("adam", 1)]
    public void ResumingFromACheckpointIsBitIdentical(string optimizer, int saveAt)
    {
        var straight = new Run(optimizer, seed: 1);
        Train(straight, resuming: false, saveAt);

        var resumed = new Run(optimizer, seed: 2);
        Assert.NotEqual(Bits(straight.Model), Bits(resumed.Model));
        resumed.Position = TrainingCheckpoint.Load(_path, resumed.Model, resumed.Optimizer, resumed.Schedule);
        Assert.Equal(saveAt, resumed.Position.Step);
        // A save after an epoch's last batch records that epoch as complete (batch 7 of 7), not the next as begun.
        Assert.Equal((saveAt - 1) / 7, resumed.Position.Epoch);
        Assert.Equal(saveAt - 7 * ((saveAt - 1) / 7), resumed.Position.BatchInEpoch);
        Rng.Default.State = resumed.Position.RngStates["default"];
        Train(resumed, resuming: true);

        Assert.Equal(TotalSteps, resumed.Position.Step);
        Assert.Equal(straight.Position.Epoch, resumed.Position.Epoch);
        Assert.Equal(Bits(straight.Model), Bits(resumed.Model));
        Assert.Equal(straight.Optimizer.LearningRate, resumed.Optimizer.LearningRate);
        var expected = straight.Optimizer.GetState();
        var actual = resumed.Optimizer.GetState();
        Assert.Equal(expected.Scalars.OrderBy(p => p.Key), actual.Scalars.OrderBy(p => p.Key));
        foreach (var (key, tensor) in expected.Tensors)
        {
            Assert.Equal(tensor.ToArray().Select(BitConverter.SingleToUInt32Bits), actual.Tensors[key].ToArray().Select(BitConverter.SingleToUInt32Bits));
        }
    }

    [Fact]
    public void StartingTheEpochAfreshInsteadOfReplayingItDiverges()
    {
        // Shows the test above can fail: resuming without replaying the loader's epoch changes the result.
        var straight = new Run("sgd", seed: 1);
        Train(straight, resuming: false, saveAt: 10);
        var resumed = new Run("sgd", seed: 2);
        resumed.Position = TrainingCheckpoint.Load(_path, resumed.Model, resumed.Optimizer, resumed.Schedule);
        Train(resumed, resuming: false);
        Assert.NotEqual(Bits(straight.Model), Bits(resumed.Model));
    }
}
