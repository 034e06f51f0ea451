using System.Globalization;
using System.Text;

namespace AotNet.Samples.FashionMnist;

/// <summary>Writes per-epoch metrics as CSV, for plotting or comparison with other runs.</summary>
public static class MetricsFile
{
    public static void Write(string path, IEnumerable<EpochReport> reports)
    {
        var text = new StringBuilder("epoch,mean_loss,last_loss,test_accuracy,samples_per_second,seconds\n");
        foreach (var r in reports)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"{r.Epoch},{r.MeanLoss:R},{r.LastLoss:R},{r.TestAccuracy:R},{r.SamplesPerSecond:F1},{r.Elapsed.TotalSeconds:F3}\n");
        }
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, text.ToString());
        File.Move(temporary, path, overwrite: true);
    }
}
