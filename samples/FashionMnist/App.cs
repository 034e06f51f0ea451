using System.Globalization;
using Spectre.Console;

namespace AotNet.Samples.FashionMnist;

/// <summary>
/// A training run from its options to its results: checks them, takes a resumed run's own
/// options from its checkpoint, trains and writes the model, the metrics and the run checkpoint.
/// </summary>
public static class App
{
    /// <summary>The files a run writes into its output folder.</summary>
    public static readonly string[] ResultFiles = ["mlp.safetensors", "metrics.csv", "metrics.png", "training.ckpt"];

    /// <summary>Runs training and returns the process exit code: 0 done, 1 failed (the message says why), 2 bad options, 130 interrupted (the run is saved).</summary>
    /// <param name="interactive">Whether <paramref name="output"/> is a terminal that can show a live progress bar; otherwise progress is plain lines.</param>
    public static int Run(TrainingOptions options, TextWriter output, TextWriter error, bool interactive, CancellationToken interrupt)
    {
        var problems = options.Validate();
        foreach (string problem in problems)
        {
            error.WriteLine(problem);
        }
        if (problems.Count > 0)
        {
            return 2;
        }
        try
        {
            return Train(options, output, interactive, interrupt);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException)
        {
            // Missing data, a damaged file, a checkpoint that does not fit or results in the way: the message says which.
            error.WriteLine(e.Message);
            return 1;
        }
    }

    static int Train(TrainingOptions options, TextWriter output, bool interactive, CancellationToken interrupt)
    {
        RunRecord? record = null;
        if (options.ResumePath is { } resumePath)
        {
            if (!File.Exists(resumePath))
            {
                throw new FileNotFoundException($"--resume {resumePath}: no such file.");
            }
            record = RunCheckpoint.ReadRecord(resumePath);
            if (record is null)
            {
                output.WriteLine($"{resumePath} records neither its options nor its data; resuming with the options given here, unchecked.");
            }
            else
            {
                options = WithRecordedOptions(options, record, resumePath);
            }
        }

        var data = DataSource.Load(options.DataDirectory, options.Synthetic, options.Seed, output);
        output.WriteLine($"Data: {data.Description}");
        if (record is not null && record.Data != data.Fingerprint)
        {
            throw new ArgumentException(
                $"{options.ResumePath} was trained on {record.Data.Describe()}, but this run has {data.Fingerprint.Describe()}. "
                + $"Resume it with the data it was trained on ({(record.Data.Kind == DataKind.Synthetic ? "--synthetic" : "--data DIR")}), or start a new run without --resume.");
        }
        string outputDirectory = options.OutputDirectory
            ?? (options.ResumePath is not null ? FolderOf(options.ResumePath) : TrainingOptions.DefaultOutput(data.Fingerprint.Kind));
        options = options with { OutputDirectory = outputDirectory };
        RefuseToOverwrite(options, outputDirectory);

        Rng.ManualSeed(options.Seed);
        var model = new Mlp();
        Normalize? transform = options.Normalize ? Normalize.FromDataset(data.Train, perFeature: false) : null;
        if (transform is not null)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Normalising pixels with mean {transform.Mean[0]:F4} and std {transform.Std[0]:F4}."));
        }
        var loader = new DataLoader(data.Train, options.BatchSize, shuffle: true, dropLast: true, generator: new Rng(options.Seed + 1), transform: transform);
        var trainer = new Trainer(model, options, loader);
        var runRecord = new RunRecord(options.Epochs, options.BatchSize, options.LearningRate, options.Momentum, options.WeightDecay,
            options.Seed, options.CosineSchedule, options.Normalize, data.Fingerprint);
        Directory.CreateDirectory(outputDirectory);
        string checkpoint = Path.Combine(outputDirectory, "mlp.safetensors");
        string csv = Path.Combine(outputDirectory, "metrics.csv");
        string png = Path.Combine(outputDirectory, "metrics.png");
        string run = Path.Combine(outputDirectory, "training.ckpt");
        var metrics = new List<EpochReport>();
        if (options.ResumePath is not null)
        {
            metrics = RunCheckpoint.Load(options.ResumePath, model, trainer, loader);
            output.WriteLine($"Resumed from {options.ResumePath} after epoch {trainer.Loop.CompletedEpochs}, batch {trainer.Loop.BatchesInEpoch} (step {trainer.Loop.GlobalStep}).");
        }

        while (!trainer.Loop.IsComplete)
        {
            EpochSummary summary;
            try
            {
                summary = interactive ? TrainWithBar(trainer, loader, options) : trainer.TrainEpoch(new PlainProgress(output), interrupt);
            }
            catch (OperationCanceledException)
            {
                RunCheckpoint.Save(run, model, trainer, loader, metrics, runRecord);
                output.WriteLine($"Interrupted in epoch {trainer.Loop.CompletedEpochs + 1} after {trainer.Loop.BatchesInEpoch} batches; saved the run to {run}.");
                output.WriteLine($"Continue it with: {ResumeArguments(options, run)}");
                return 130;
            }
            double accuracy = trainer.Evaluate(data.Test);
            var report = new EpochReport(summary.Epoch, summary.LastLoss, summary.MeanLoss, accuracy, summary.SamplesPerSecond, summary.Elapsed);
            metrics.Add(report);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"epoch {report.Epoch,2}  loss {report.MeanLoss:F4}  test accuracy {report.TestAccuracy:P2}  {report.SamplesPerSecond,8:F0} samples/s  ({report.Elapsed.TotalSeconds:F2} s)"));
            // Written after every epoch, so an interrupted run keeps what it had.
            Checkpoint.Save(model, checkpoint);
            RunCheckpoint.Save(run, model, trainer, loader, metrics, runRecord);
            MetricsFile.Write(csv, metrics);
            MetricsPlot.Write(png, metrics);
        }

        output.WriteLine($"Saved the model to {checkpoint}, per-epoch metrics to {csv} and their plot to {png}.");
        if (options.Deterministic)
        {
            output.WriteLine($"Weights SHA-256 (seed {options.Seed}): {WeightsFingerprint.Of(model)}");
        }
        return 0;

        EpochSummary TrainWithBar(Trainer trainer, DataLoader loader, TrainingOptions options)
        {
            EpochSummary summary = default;
            AnsiConsole.Progress()
                .AutoClear(true)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn())
                .Start(context =>
                {
                    var task = context.AddTask($"epoch {trainer.Loop.CompletedEpochs + 1}/{options.Epochs}", maxValue: loader.Count);
                    task.Increment(trainer.Loop.BatchesInEpoch);
                    summary = trainer.TrainEpoch(new LiveProgress(task), interrupt);
                });
            return summary;
        }
    }

    /// <summary>The arguments that continue an interrupted run: the checkpoint, and every option that shaped the run, so the command stands on its own.</summary>
    public static string ResumeArguments(TrainingOptions options, string runCheckpoint)
    {
        var parts = new List<string> { "--resume", Quote(runCheckpoint), "--epochs", Text(options.Epochs), "--seed", Text(options.Seed) };
        if (options.OutputDirectory is { } output)
        {
            parts.AddRange(["--out", Quote(output)]);
        }
        parts.AddRange(["--batch-size", Text(options.BatchSize), "--lr", options.LearningRate.ToString("R", CultureInfo.InvariantCulture)]);
        parts.AddRange(["--schedule", options.CosineSchedule ? "cosine" : "constant"]);
        if (options.Normalize)
        {
            parts.Add("--normalize");
        }
        if (options.Synthetic)
        {
            parts.Add("--synthetic");
        }
        if (options.DataDirectory is { } data)
        {
            parts.AddRange(["--data", Quote(data)]);
        }
        if (options.Deterministic)
        {
            parts.Add("--deterministic");
        }
        return string.Join(' ', parts);

        static string Text<T>(T value) where T : IFormattable => value.ToString(null, CultureInfo.InvariantCulture);
        static string Quote(string path) => path.Any(char.IsWhiteSpace) ? $"\"{path}\"" : path;
    }

    /// <summary>
    /// The options of a resumed run: those the checkpoint recorded, except any given on the command
    /// line, which must agree with it (only <c>--epochs</c> may differ, to extend the run).
    /// </summary>
    static TrainingOptions WithRecordedOptions(TrainingOptions options, RunRecord record, string path)
    {
        var mismatches = new List<string>();
        bool Given(string option) => options.Given.Contains(option);
        void Check(string option, bool same, string given, string recorded)
        {
            if (Given(option) && !same)
            {
                mismatches.Add($"{option} {given} (the run was started with {option} {recorded})");
            }
        }
        string Float(double value) => value.ToString("R", CultureInfo.InvariantCulture);
        Check("--seed", options.Seed == record.Seed, $"{options.Seed}", $"{record.Seed}");
        Check("--batch-size", options.BatchSize == record.BatchSize, $"{options.BatchSize}", $"{record.BatchSize}");
        Check("--lr", options.LearningRate == record.LearningRate, Float(options.LearningRate), Float(record.LearningRate));
        Check("--schedule", options.CosineSchedule == record.CosineSchedule, Schedule(options.CosineSchedule), Schedule(record.CosineSchedule));
        if (Given("--normalize") && options.Normalize != record.Normalize)
        {
            mismatches.Add(record.Normalize ? "no --normalize (the run was started with --normalize)" : "--normalize (the run was started without it)");
        }
        if (mismatches.Count > 0)
        {
            throw new ArgumentException(
                $"{path} cannot continue with other options than it was started with: {string.Join("; ", mismatches)}. "
                + "Leave those options out to continue it as it was started, or start a new run without --resume.");
        }
        bool synthetic = options.Synthetic || (record.Data.Kind == DataKind.Synthetic && options.DataDirectory is null);
        return options with
        {
            Epochs = Given("--epochs") ? options.Epochs : record.Epochs,
            Seed = record.Seed,
            BatchSize = record.BatchSize,
            LearningRate = record.LearningRate,
            Momentum = record.Momentum,
            WeightDecay = record.WeightDecay,
            CosineSchedule = record.CosineSchedule,
            Normalize = record.Normalize,
            Synthetic = synthetic,
        };

        static string Schedule(bool cosine) => cosine ? "cosine" : "constant";
    }

    /// <summary>Refuses to write over the results of another run unless <c>--overwrite</c> says so; a resumed run may update its own folder.</summary>
    static void RefuseToOverwrite(TrainingOptions options, string outputDirectory)
    {
        if (options.Overwrite || !Directory.Exists(outputDirectory))
        {
            return;
        }
        if (options.ResumePath is not null && SameFolder(FolderOf(options.ResumePath), outputDirectory))
        {
            return;
        }
        var existing = ResultFiles.Where(f => File.Exists(Path.Combine(outputDirectory, f))).ToList();
        if (existing.Count > 0)
        {
            string resume = File.Exists(Path.Combine(outputDirectory, "training.ckpt"))
                ? $", --resume {Path.Combine(outputDirectory, "training.ckpt")} to continue that run"
                : "";
            throw new IOException(
                $"{outputDirectory} already holds the results of a run ({string.Join(", ", existing)}). "
                + $"Pass --out DIR to write this run elsewhere{resume}, or --overwrite to replace them.");
        }
    }

    static string FolderOf(string file) => Path.GetDirectoryName(file) is { Length: > 0 } folder ? folder : ".";

    static bool SameFolder(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(Path.GetFullPath(a)), Path.TrimEndingDirectorySeparator(Path.GetFullPath(b)), StringComparison.Ordinal);
}
