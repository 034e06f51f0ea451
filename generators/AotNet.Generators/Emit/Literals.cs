using System.Globalization;

namespace AotNet.Generators.Emit;

/// <summary>C# literals written the same way on every machine.</summary>
internal static class Literals
{
    public static string Float(float value)
    {
        if (float.IsNaN(value))
        {
            return "float.NaN";
        }
        if (float.IsInfinity(value))
        {
            return value > 0 ? "float.PositiveInfinity" : "float.NegativeInfinity";
        }
        return value.ToString("R", CultureInfo.InvariantCulture) + "f";
    }

    public static string String(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    public static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
}
