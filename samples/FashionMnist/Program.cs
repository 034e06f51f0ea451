using System.CommandLine;
using System.Globalization;
using AotNet;
using AotNet.Samples.FashionMnist;
using Spectre.Console;
using FashionMnistData = AotNet.FashionMnist;

var epochs = new Option<int>("--epochs") { Description = "Passes over the training set.", DefaultValueFactory = _ => 10 };
var data = new Option<string?>("--data") { Description = "Folder with the Fashion-MNIST .gz files (default " + FashionMnistData.DefaultDirectory + ")." };
var batchSize = new Option<int>("--batch-size") { Description = "Samples per training step.", DefaultValueFactory = _ => 64 };
var learningRate = new Option<float>("--lr") { Description = "SGD learning rate.", DefaultValueFactory = _ => 0.05f };
var seed = new Option<ulong>("--seed") { Description = "Seed for initialisation and shuffling.", DefaultValueFactory = _ => 0UL };
var output = new Option<string>("--out") { Description = "Folder for the checkpoint and the metrics.", DefaultValueFactory = _ => "out" };

var root = new RootCommand("Trains workload W1 (a 784-256-128-10 MLP) on Fashion-MNIST through AotNet's generated training step.")
{
    epochs, data, batchSize, learningRate, seed, output,
};
root.SetAction(parsed =>
{
    var options = new TrainingOptions(
        parsed.GetValue(epochs), parsed.GetValue(batchSize), parsed.GetValue(learningRate),
        Momentum: 0.9f, WeightDecay: 1e-4f, parsed.GetValue(seed), parsed.GetValue(data), parsed.GetValue(output)!);
    if (options.Epochs < 1 || options.BatchSize < 1 || !(options.LearningRate > 0))
    {
        Console.Error.WriteLine("--epochs and --batch-size must be at least 1, and --lr must be positive.");
        return 2;
    }
    return Run(options);
});
return root.Parse(args).Invoke();

static int Run(TrainingOptions options)
{
    var (train, test, description) = DataSource.Load(options.DataDirectory, options.Seed, Console.Out);
    Console.WriteLine($"Data: {description}");
    Rng.ManualSeed(options.Seed);
    var model = new Mlp();
    var trainer = new Trainer(model, options);
    var loader = new DataLoader(train, options.BatchSize, shuffle: true, dropLast: true, generator: new Rng(options.Seed + 1));
    Directory.CreateDirectory(options.OutputDirectory);
    var metrics = new List<EpochReport>();

    for (int epoch = 1; epoch <= options.Epochs; epoch++)
    {
        (float LastLoss, float MeanLoss, int Samples, TimeSpan Elapsed) result = default;
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask($"epoch {epoch}/{options.Epochs}", maxValue: loader.Count);
                result = trainer.TrainEpoch(loader, (step, loss) =>
                {
                    task.Increment(1);
                    if (step % 100 == 0)
                    {
                        task.Description = $"epoch {epoch}/{options.Epochs}  loss {loss:F4}";
                    }
                });
            });
        double accuracy = trainer.Evaluate(test);
        var report = new EpochReport(epoch, result.LastLoss, result.MeanLoss, accuracy, result.Samples / result.Elapsed.TotalSeconds, result.Elapsed);
        metrics.Add(report);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"epoch {epoch,2}  loss {report.MeanLoss:F4}  test accuracy {report.TestAccuracy:P2}  {report.SamplesPerSecond,8:F0} samples/s  ({report.Elapsed.TotalSeconds:F2} s)"));
    }

    string checkpoint = Path.Combine(options.OutputDirectory, "mlp.safetensors");
    Checkpoint.Save(model, checkpoint);
    string csv = Path.Combine(options.OutputDirectory, "metrics.csv");
    MetricsFile.Write(csv, metrics);
    Console.WriteLine($"Saved the model to {checkpoint} and per-epoch metrics to {csv}.");
    return 0;
}
