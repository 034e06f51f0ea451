using ScottPlot;

namespace AotNet.Samples.FashionMnist;

/// <summary>Draws the loss and test-accuracy curves per epoch into a PNG.</summary>
public static class MetricsPlot
{
    public static void Write(string path, IReadOnlyList<EpochReport> reports)
    {
        double[] epochs = reports.Select(r => (double)r.Epoch).ToArray();
        var plot = new Plot();
        plot.Title("Fashion-MNIST MLP (W1)");
        plot.XLabel("epoch");

        var loss = plot.Add.Scatter(epochs, reports.Select(r => (double)r.MeanLoss).ToArray());
        loss.LegendText = "training loss (epoch mean)";
        loss.LineWidth = 2;
        loss.MarkerSize = 6;
        plot.Axes.Left.Label.Text = "loss";
        plot.Axes.Left.Label.ForeColor = loss.Color;

        var accuracy = plot.Add.Scatter(epochs, reports.Select(r => 100 * r.TestAccuracy).ToArray());
        accuracy.LegendText = "test accuracy (%)";
        accuracy.LineWidth = 2;
        accuracy.MarkerSize = 6;
        accuracy.Axes.YAxis = plot.Axes.Right;
        plot.Axes.Right.Label.Text = "test accuracy (%)";
        plot.Axes.Right.Label.ForeColor = accuracy.Color;

        // Whole epochs only: a tick at 1.5 epochs means nothing.
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(Math.Max(1, Math.Ceiling(epochs.Length / 10.0)));
        // Below the axes, where no curve can hide behind it.
        plot.ShowLegend(Edge.Bottom);
        plot.SavePng(path, 800, 500);
    }
}
