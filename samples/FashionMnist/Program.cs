using System.CommandLine;
using AotNet.Samples.FashionMnist;
using Spectre.Console;
using FashionMnistData = AotNet.FashionMnist;

var epochs = new Option<int>("--epochs") { Description = "Passes over the training set.", DefaultValueFactory = _ => 10 };
var data = new Option<string?>("--data") { Description = "Folder with the Fashion-MNIST .gz files (default " + FashionMnistData.DefaultDirectory + ")." };
var batchSize = new Option<int>("--batch-size") { Description = "Samples per training step.", DefaultValueFactory = _ => 64 };
var learningRate = new Option<double>("--lr") { Description = "SGD learning rate.", DefaultValueFactory = _ => 0.05 };
var seed = new Option<ulong>("--seed") { Description = "Seed for initialisation and shuffling.", DefaultValueFactory = _ => 0UL };
var output = new Option<string?>("--out")
{
    Description = "Folder for the checkpoint and the metrics (default out, or out/synthetic for synthetic data; when resuming, the checkpoint's folder). A folder that holds another run's results is refused unless --overwrite is given.",
};
var overwrite = new Option<bool>("--overwrite") { Description = "Replace the results of an earlier run in the --out folder." };
var synthetic = new Option<bool>("--synthetic") { Description = "Train on the small built-in synthetic dataset, even where Fashion-MNIST is installed." };
var deterministic = new Option<bool>("--deterministic")
{
    Description = "Check reproducibility: print a SHA-256 of the trained weights, which is the same for every run with the same --seed, batch size and CPU (see docs/determinism.md).",
};
var resume = new Option<string?>("--resume")
{
    Description = "Continue the run saved in this training checkpoint (out/training.ckpt is written after every epoch, and when Ctrl+C interrupts a run). The run keeps the options and data it was started with; options given with --resume must agree with them, except --epochs, which extends the run.",
};
var schedule = new Option<string>("--schedule")
{
    Description = "Learning rate over the run: 'cosine' decays it to zero by the last epoch; 'constant' keeps it, exactly as the PyTorch peer bench/torch_reference.py in this repository does.",
    DefaultValueFactory = _ => "cosine",
};
schedule.AcceptOnlyFromAmong("cosine", "constant");
var normalize = new Option<bool>("--normalize") { Description = "Standardise pixels with the training set's mean and std (a Normalize transform on each batch)." };

var root = new RootCommand("Trains workload W1 (a 784-256-128-10 MLP) on Fashion-MNIST through AotNet's generated training step.")
{
    epochs, data, synthetic, batchSize, learningRate, schedule, seed, output, overwrite, deterministic, normalize, resume,
};
root.SetAction(parsed =>
{
    var options = new TrainingOptions(
        parsed.GetValue(epochs), parsed.GetValue(batchSize), parsed.GetValue(learningRate),
        Momentum: 0.9, WeightDecay: 1e-4, parsed.GetValue(seed), parsed.GetValue(data), parsed.GetValue(output),
        parsed.GetValue(deterministic), parsed.GetValue(normalize), parsed.GetValue(resume),
        CosineSchedule: parsed.GetValue(schedule) == "cosine", Overwrite: parsed.GetValue(overwrite), Synthetic: parsed.GetValue(synthetic))
    {
        Given = root.Options.Where(o => parsed.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToHashSet(),
    };
    // Ctrl+C stops after the current step and saves the run, which --resume then continues.
    using var interrupt = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        interrupt.Cancel();
    };
    bool interactive = !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
    return App.Run(options, Console.Out, Console.Error, interactive, interrupt.Token);
});
return root.Parse(args).Invoke();
