using System.Diagnostics;
using System.Globalization;
using AotNet;
using AotNet.Samples.AotInference;

// A NativeAOT binary that trains a model through its generated step, then checks that the
// generated inference path agrees with the model's own eager method. It prints "AOT smoke: OK"
// and exits 0 only when every check passes.
Rng.ManualSeed(7);
var model = new Classifier();
var data = SyntheticDataset.Create(512, 64, 4, seed: 11);
var optimizer = new Sgd(model.Parameters(), lr: 0.05, momentum: 0.9);
var loader = new DataLoader(data, batchSize: 32, shuffle: true, dropLast: true, generator: new Rng(3));

float first = float.NaN, last = float.NaN;
for (int epoch = 0; epoch < 5; epoch++)
{
    foreach (var (x, y) in loader)
    {
        last = model.LossStep(x, y);
        optimizer.Step();
        if (float.IsNaN(first))
        {
            first = last;
        }
    }
}

var batch = new DataLoader(data, batchSize: 128).First();
model.Eval();
float WorstDifference(Tensor x)
{
    var compiled = model.ForwardCompiled(x);
    var eager = model.Forward(x);
    float worst = 0f;
    for (int i = 0; i < eager.Length; i++)
    {
        float scale = Math.Max(1f, Math.Abs(eager[i]));
        worst = Math.Max(worst, Math.Abs(compiled[i] - eager[i]) / scale);
    }
    return worst;
}
// 4,096 rows: the hidden layer's fused loop is long enough to be split across the cores.
var wide = new Tensor(Enumerable.Repeat(batch.X.Span.ToArray(), 32).SelectMany(rows => rows).ToArray(), 4096, 64);
float worst = Math.Max(WorstDifference(batch.X), WorstDifference(wide));

var single = new Tensor(batch.X.Span[..64].ToArray(), 1, 64);
for (int i = 0; i < 1000; i++)
{
    model.ForwardCompiled(single);
}
const int calls = 20000;
var clock = Stopwatch.StartNew();
for (int i = 0; i < calls; i++)
{
    model.ForwardCompiled(single);
}
double microseconds = clock.Elapsed.TotalMicroseconds / calls;

bool learned = last < first * 0.5f;
bool agrees = worst <= 1e-5f;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"training loss: {first:F4} -> {last:F4}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"compiled vs eager: max relative difference {worst:E2}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"batch-1 latency: {microseconds:F2} us"));
if (!learned || !agrees)
{
    Console.WriteLine($"AOT smoke: FAILED (learned: {learned}, agrees: {agrees})");
    return 1;
}
Console.WriteLine("AOT smoke: OK");
return 0;
