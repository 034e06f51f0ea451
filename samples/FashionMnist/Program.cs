using System.CommandLine;
using System.Globalization;
using AotNet;
using AotNet.Samples.FashionMnist;
using Spectre.Console;
using FashionMnistData = AotNet.FashionMnist;

var epochs = new Option<int>("--epochs") { Description = "Passes over the training set.", DefaultValueFactory = _ => 10 };
var data = new Option<string?>("--data") { Description = "Folder with the Fashion-MNIST .gz files (default " + FashionMnistData.DefaultDirectory + ")." };
var batchSize = new Option<int>("--batch-size") { Description = "Samples per training step.", DefaultValueFactory = _ => 64 };
var learningRate = new Option<double>("--lr") { Description = "SGD learning rate.", DefaultValueFactory = _ => 0.05 };
var seed = new Option<ulong>("--seed") { Description = "Seed for initialisation and shuffling.", DefaultValueFactory = _ => 0UL };
var output = new Option<string>("--out") { Description = "Folder for the checkpoint and the metrics.", DefaultValueFactory = _ => "out" };
var deterministic = new Option<bool>("--deterministic")
{
    Description = "Check reproducibility: print a SHA-256 of the trained weights, which is the same for every run with the same --seed, batch size and CPU (see docs/determinism.md).",
};
var resume = new Option<string?>("--resume")
{
    Description = "Continue the run saved in this training checkpoint (out/training.ckpt is written after every epoch, and when Ctrl+C interrupts a run). Pass the same --epochs as the original run: the cosine schedule spans them.",
};
var schedule = new Option<string>("--schedule")
{
    Description = "Learning rate over the run: 'cosine' decays it to zero by the last epoch; 'constant' keeps it, exactly as torch_reference.py does.",
    DefaultValueFactory = _ => "cosine",
};
schedule.AcceptOnlyFromAmong("cosine", "constant");
var normalize = new Option<bool>("--normalize") { Description = "Standardise pixels with the training set's mean and std (a Normalize transform on each batch)." };

var root = new RootCommand("Trains workload W1 (a 784-256-128-10 MLP) on Fashion-MNIST through AotNet's generated training step.")
{
    epochs, data, batchSize, learningRate, schedule, seed, output, deterministic, normalize, resume,
};
root.SetAction(parsed =>
{
    var options = new TrainingOptions(
        parsed.GetValue(epochs), parsed.GetValue(batchSize), parsed.GetValue(learningRate),
        Momentum: 0.9, WeightDecay: 1e-4, parsed.GetValue(seed), parsed.GetValue(data), parsed.GetValue(output)!,
        parsed.GetValue(deterministic), parsed.GetValue(normalize), parsed.GetValue(resume),
        CosineSchedule: parsed.GetValue(schedule) == "cosine");
    if (options.Epochs < 1 || options.BatchSize < 1 || !(options.LearningRate > 0))
    {
        Console.Error.WriteLine("--epochs and --batch-size must be at least 1, and --lr must be positive.");
        return 2;
    }
    try
    {
        return Run(options);
    }
    catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException)
    {
        // Missing data, a damaged file or a checkpoint that does not fit: the message says which.
        Console.Error.WriteLine(e.Message);
        return 1;
    }
});
return root.Parse(args).Invoke();

static int Run(TrainingOptions options)
{
    var (train, test, description) = DataSource.Load(options.DataDirectory, options.Seed, Console.Out);
    Console.WriteLine($"Data: {description}");
    Rng.ManualSeed(options.Seed);
    var model = new Mlp();
    Normalize? transform = options.Normalize ? Normalize.FromDataset(train, perFeature: false) : null;
    if (transform is not null)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Normalising pixels with mean {transform.Mean[0]:F4} and std {transform.Std[0]:F4}."));
    }
    var loader = new DataLoader(train, options.BatchSize, shuffle: true, dropLast: true, generator: new Rng(options.Seed + 1), transform: transform);
    var trainer = new Trainer(model, options, loader);
    Directory.CreateDirectory(options.OutputDirectory);
    string checkpoint = Path.Combine(options.OutputDirectory, "mlp.safetensors");
    string csv = Path.Combine(options.OutputDirectory, "metrics.csv");
    string png = Path.Combine(options.OutputDirectory, "metrics.png");
    string run = Path.Combine(options.OutputDirectory, "training.ckpt");
    var metrics = new List<EpochReport>();
    if (options.ResumePath is not null)
    {
        metrics = RunCheckpoint.Load(options.ResumePath, model, trainer, loader);
        Console.WriteLine($"Resumed from {options.ResumePath} after epoch {trainer.Loop.CompletedEpochs}, batch {trainer.Loop.BatchesInEpoch} (step {trainer.Loop.GlobalStep}).");
    }
    // Ctrl+C stops after the current step and saves the run, which --resume then continues.
    using var interrupt = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        interrupt.Cancel();
    };

    while (!trainer.Loop.IsComplete)
    {
        EpochSummary summary = default;
        try
        {
            AnsiConsole.Progress()
                .AutoClear(true)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn())
                .Start(context =>
                {
                    var task = context.AddTask($"epoch {trainer.Loop.CompletedEpochs + 1}/{options.Epochs}", maxValue: loader.Count);
                    task.Increment(trainer.Loop.BatchesInEpoch);
                    summary = trainer.TrainEpoch(new LiveProgress(task), interrupt.Token);
                });
        }
        catch (OperationCanceledException)
        {
            RunCheckpoint.Save(run, model, trainer, loader, metrics);
            Console.WriteLine($"Interrupted in epoch {trainer.Loop.CompletedEpochs + 1} after {trainer.Loop.BatchesInEpoch} batches; saved the run to {run}.");
            Console.WriteLine($"Continue it with: --epochs {options.Epochs} --resume {run}");
            return 130;
        }
        double accuracy = trainer.Evaluate(test);
        var report = new EpochReport(summary.Epoch, summary.LastLoss, summary.MeanLoss, accuracy, summary.SamplesPerSecond, summary.Elapsed);
        metrics.Add(report);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"epoch {report.Epoch,2}  loss {report.MeanLoss:F4}  test accuracy {report.TestAccuracy:P2}  {report.SamplesPerSecond,8:F0} samples/s  ({report.Elapsed.TotalSeconds:F2} s)"));
        // Written after every epoch, so an interrupted run keeps what it had.
        Checkpoint.Save(model, checkpoint);
        RunCheckpoint.Save(run, model, trainer, loader, metrics);
        MetricsFile.Write(csv, metrics);
        MetricsPlot.Write(png, metrics);
    }

    Console.WriteLine($"Saved the model to {checkpoint}, per-epoch metrics to {csv} and their plot to {png}.");
    if (options.Deterministic)
    {
        Console.WriteLine($"Weights SHA-256 (seed {options.Seed}): {WeightsFingerprint.Of(model)}");
    }
    return 0;
}
