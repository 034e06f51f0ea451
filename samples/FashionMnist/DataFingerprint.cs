using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace AotNet.Samples.FashionMnist;

/// <summary>
/// What a run trained on, to tell on resume whether the data is the same: its kind, the sizes of
/// both splits and a hash of every label and of the first training inputs.
/// </summary>
public sealed record DataFingerprint(DataKind Kind, int TrainCount, int TestCount, int Features, string Hash)
{
    /// <summary>How many of the training set's first input values the hash covers (all of them when there are fewer).</summary>
    public const int HashedInputs = 1 << 16;

    public static DataFingerprint Of(DataKind kind, TensorDataset train, TensorDataset test)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(MemoryMarshal.AsBytes(train.Targets.Span));
        hash.AppendData(MemoryMarshal.AsBytes(test.Targets.Span));
        var inputs = train.Inputs.Span;
        hash.AppendData(MemoryMarshal.AsBytes(inputs[..Math.Min(inputs.Length, HashedInputs)]));
        // 128 bits are plenty to tell data sets apart, and fit four exactly stored 32-bit words.
        string text = Convert.ToHexStringLower(hash.GetHashAndReset().AsSpan(0, 16));
        return new DataFingerprint(kind, train.Count, test.Count, train.SampleLength, text);
    }

    /// <summary>Says what the data is, for messages: <c>synthetic data (6,000 train / 1,000 test, 784 features)</c>.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{(Kind == DataKind.Synthetic ? "synthetic data" : "Fashion-MNIST")} ({TrainCount:N0} train / {TestCount:N0} test, {Features} features, hash {Hash})");

    /// <summary>Writes the fingerprint into a checkpoint's values; every number is a whole number below 2^32, so it is stored exactly.</summary>
    public void Write(IDictionary<string, double> values, string prefix)
    {
        values[prefix + "kind"] = (int)Kind;
        values[prefix + "train"] = TrainCount;
        values[prefix + "test"] = TestCount;
        values[prefix + "features"] = Features;
        byte[] bytes = Convert.FromHexString(Hash);
        for (int i = 0; i < 4; i++)
        {
            values[$"{prefix}hash{i}"] = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(4 * i));
        }
    }

    /// <summary>Reads what <see cref="Write"/> wrote, or null when the values have no fingerprint.</summary>
    public static DataFingerprint? Read(IReadOnlyDictionary<string, double> values, string prefix)
    {
        if (!values.TryGetValue(prefix + "kind", out double kind))
        {
            return null;
        }
        var bytes = new byte[16];
        for (int i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4 * i), (uint)values[$"{prefix}hash{i}"]);
        }
        return new DataFingerprint((DataKind)(int)kind, (int)values[prefix + "train"], (int)values[prefix + "test"],
            (int)values[prefix + "features"], Convert.ToHexStringLower(bytes));
    }
}
