namespace AotNet.Compiled;

/// <summary>
/// One declaration of a <c>[Differentiable]</c> module, as its source, written by the generator
/// into the module's assembly. A model in another project inlines the module's calls and runs its
/// constructor symbolically, and both need the module's code, which a package does not ship; the
/// generator of that project reads this instead. Not meant to be written by hand.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true, Inherited = false)]
public sealed class ModuleDescriptionAttribute : Attribute
{
    /// <summary>The only format this version of AotNet writes and reads.</summary>
    public const int CurrentFormat = 1;

    /// <summary>Describes one declaration of <paramref name="module"/>.</summary>
    public ModuleDescriptionAttribute(Type module, int format, string fileName, string source)
    {
        Module = module;
        Format = format;
        FileName = fileName;
        Source = source;
    }

    /// <summary>The module type described.</summary>
    public Type Module { get; }

    /// <summary>The description's format; a generator refuses a format it does not know rather than misread it.</summary>
    public int Format { get; }

    /// <summary>The name of the file the declaration came from, for the consumer's messages and comments.</summary>
    public string FileName { get; }

    /// <summary>The declaration with the usings and namespace it was written in, at its original line.</summary>
    public string Source { get; }
}
