using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace AotNet.Samples.FashionMnist;

/// <summary>A hash of every parameter's name and exact bits, to compare two runs without keeping both models.</summary>
public static class WeightsFingerprint
{
    public static string Of(Module model)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, parameter) in model.NamedParameters())
        {
            hash.AppendData(Encoding.UTF8.GetBytes(name));
            hash.AppendData(MemoryMarshal.AsBytes(parameter.Value.Span));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
