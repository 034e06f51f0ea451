using System.Text;

namespace AotNet.Tests.IO;

/// <summary>Builds safetensors files by hand, so tests can state exactly which bytes a reader sees.</summary>
static class SafetensorsBytes
{
    /// <summary>The length prefix, <paramref name="header"/> as UTF-8, then <paramref name="data"/>.</summary>
    public static byte[] Build(string header, params byte[] data) => Build(Encoding.UTF8.GetBytes(header), data);

    public static byte[] Build(byte[] header, byte[] data) =>
        [.. BitConverter.GetBytes((ulong)header.Length), .. header, .. data];

    public static byte[] Floats(params float[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();
}
