using System.Diagnostics;
using AotNet.Tests.Support;

namespace AotNet.Tests.IO;

/// <summary>
/// Seeded, bounded fuzzing of both loaders with mutants of a real checkpoint. Whatever the mutant,
/// a load either succeeds or is refused with a documented exception that names the file, a
/// refused load changes nothing (weights, optimizer state and settings, schedule, generator), and
/// no byte past the header is read before the header has been checked.
/// </summary>
public class CheckpointFuzzTests
{
    const int Mutants = 5000;
    const string ModelPath = "/fuzz/model.safetensors";
    const string RunPath = "/fuzz/run.safetensors";

    [Fact]
    public void ModelCheckpointMutants()
    {
        var stream = new MemoryStream();
        var saved = new TwoLayer(3, 4, 2, seed: 1);
        Safetensors.Write(stream, Checkpoint.StateDict(saved));
        var (refused, loaded) = Fuzz(stream.ToArray(), seed: 11, ModelPath, () =>
        {
            var model = new TwoLayer(3, 4, 2, seed: 2);
            return (model, null, null, null, () => Checkpoint.Load(model, ModelPath, Files));
        });
        Assert.True(refused > Mutants / 2 && loaded > 0, $"{refused} refused, {loaded} loaded");
    }

    [Fact]
    public void TrainingCheckpointMutants()
    {
        var model = new TwoLayer(3, 4, 2, seed: 1);
        var optimizer = TwoGroupAdam(model);
        var schedule = new StepLR(optimizer, stepSize: 2, gamma: 0.5);
        Step(model, optimizer, schedule, 3);
        var position = new TrainingPosition { Epoch = 1, BatchInEpoch = 2, Step = 3 };
        position.RngStates["loader"] = new Rng(4).State;
        position.Values["best"] = 0.25;
        string path = Path.Combine(Path.GetTempPath(), $"aotnet-fuzz-{Guid.NewGuid():N}.safetensors");
        byte[] bytes;
        try
        {
            TrainingCheckpoint.Save(path, model, optimizer, position, schedule);
            bytes = File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
        var (refused, loaded) = Fuzz(bytes, seed: 12, RunPath, () =>
        {
            var target = new TwoLayer(3, 4, 2, seed: 2);
            var targetOptimizer = TwoGroupAdam(target);
            var targetSchedule = new StepLR(targetOptimizer, stepSize: 2, gamma: 0.5);
            Step(target, targetOptimizer, targetSchedule, 1);
            var loader = new Rng(9);
            return (target, targetOptimizer, targetSchedule, loader, () =>
            {
                // As a resuming program does: the generator takes the saved state only from a load that succeeded.
                var resumed = TrainingCheckpoint.Load(RunPath, target, targetOptimizer, targetSchedule, Files);
                if (resumed.RngStates.TryGetValue("loader", out var state))
                {
                    loader.State = state;
                }
            });
        });
        Assert.True(refused > Mutants / 2 && loaded > 0, $"{refused} refused, {loaded} loaded");
    }

    readonly InMemoryFiles Files = new();

    (int Refused, int Loaded) Fuzz(byte[] original, ulong seed, string path,
        Func<(Module Model, Optimizer? Optimizer, LearningRateSchedule? Schedule, Rng? Generator, Action Load)> target)
    {
        var clock = Stopwatch.StartNew();
        var mutator = new CheckpointMutator(original, seed);
        var current = target();
        var before = State.Of(current.Model, current.Optimizer, current.Schedule, current.Generator);
        int refused = 0, loaded = 0;
        for (int trial = 0; trial < Mutants; trial++)
        {
            byte[] mutant = mutator.Next();
            string what = $"mutant {trial} ({mutator.Describe})";
            Files.Put(path, mutant);
            bool headerValid = HeaderIsCheckedBeforeData(path, mutant, what);
            try
            {
                current.Load();
                Assert.True(headerValid, $"{what}: loaded although its header was refused");
                loaded++;
                current = target();
                before = State.Of(current.Model, current.Optimizer, current.Schedule, current.Generator);
            }
            catch (Exception error) when (error is not Xunit.Sdk.XunitException)
            {
                Assert.True(error.GetType() == typeof(InvalidDataException) || error.GetType() == typeof(ArgumentException),
                    $"{what}: {error.GetType().Name} escaped: {error.Message}");
                Assert.True(error.Message.Contains(path, StringComparison.Ordinal), $"{what}: the message does not name the file: {error.Message}");
                if (!headerValid)
                {
                    Assert.True(Files.FurthestRead <= HeaderEnd(mutant), $"{what}: a load with a bad header read up to byte {Files.FurthestRead}");
                }
                before.AssertUnchanged(current.Model, current.Optimizer, current.Schedule, current.Generator, what);
                refused++;
            }
        }
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"{Mutants} mutants took {clock.Elapsed}");
        return (refused, loaded);
    }

    /// <summary>Reads the mutant's header alone, checking that nothing past it is read; true when it is accepted.</summary>
    bool HeaderIsCheckedBeforeData(string path, byte[] mutant, string what)
    {
        try
        {
            using var file = Safetensors.Read(path, Files);
            return true;
        }
        catch (Exception error) when (error is not Xunit.Sdk.XunitException)
        {
            Assert.True(error is InvalidDataException, $"{what}: reading the header threw {error.GetType().Name}: {error.Message}");
            Assert.StartsWith(path, error.Message);
            return false;
        }
        finally
        {
            Assert.True(Files.Reads.Count == 0 || Files.Reads[0] == (0, 8), $"{what}: the first read was not the 8-byte prefix");
            Assert.True(Files.FurthestRead <= HeaderEnd(mutant), $"{what}: checking the header read up to byte {Files.FurthestRead}");
        }
    }

    /// <summary>Where the data section would start if the prefix is believed, bounded by the file.</summary>
    static long HeaderEnd(byte[] mutant) =>
        mutant.Length < 8 ? 0 : (long)Math.Min(BitConverter.ToUInt64(mutant), (ulong)mutant.Length - 8) + 8;

    static Adam TwoGroupAdam(TwoLayer model) =>
        new([new ParameterGroup([model.Fc1.Weight, model.Fc1.Bias!]), new ParameterGroup([model.Fc2.Weight, model.Fc2.Bias!]) { Beta1 = 0.8f, LearningRate = 0.02f }], 0.01f, amsgrad: true);

    static void Step(Module model, Optimizer optimizer, LearningRateSchedule schedule, int steps)
    {
        for (int s = 0; s < steps; s++)
        {
            foreach (var parameter in model.Parameters())
            {
                var grad = parameter.Grad.Span;
                for (int i = 0; i < grad.Length; i++)
                {
                    grad[i] = MathF.Sin(s + i);
                }
            }
            optimizer.Step();
            schedule.Step();
        }
    }

    /// <summary>What a refused load must not change, the generator a resume would restore included.</summary>
    sealed class State
    {
        Snapshot? _snapshot;
        float[][] _weights = [];
        (int, double[], double[])? _schedule;
        (ulong, ulong, ulong, ulong)? _rng;

        public static State Of(Module model, Optimizer? optimizer, LearningRateSchedule? schedule, Rng? generator) => new()
        {
            _snapshot = optimizer is null ? null : Snapshot.Of(model, optimizer),
            _weights = model.Parameters().Select(p => p.Value.ToArray()).ToArray(),
            _schedule = schedule is null ? null : (schedule.LastEpoch, schedule.BaseLearningRates.ToArray(), schedule.CurrentLearningRates.ToArray()),
            _rng = generator?.State,
        };

        public void AssertUnchanged(Module model, Optimizer? optimizer, LearningRateSchedule? schedule, Rng? generator, string what)
        {
            Assert.True(_weights.Zip(model.Parameters(), (w, p) => w.AsSpan().SequenceEqual(p.Value.Span)).All(same => same), $"{what}: weights changed");
            if (optimizer is not null)
            {
                _snapshot!.AssertUnchanged(model, optimizer);
            }
            if (schedule is not null)
            {
                var (epoch, bases, rates) = _schedule!.Value;
                Assert.True(epoch == schedule.LastEpoch && bases.SequenceEqual(schedule.BaseLearningRates) && rates.SequenceEqual(schedule.CurrentLearningRates), $"{what}: schedule changed");
            }
            Assert.True(_rng == generator?.State, $"{what}: the generator changed");
        }
    }
}
