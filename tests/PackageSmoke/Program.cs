using System.IO.Compression;
using System.Xml.Linq;
using AotNet;
using static AotNet.F;

// Prints "package smoke: OK" when the generated members exist and agree with the eager method,
// and "package module: OK" when a model built from a packaged module trains like one built in one assembly.
// Given the folder the package was packed into, it also checks what the package carries and
// prints "package contents: OK".
var model = new Net();
var x = Tensor.Full(0.5f, 3, 4);
var compiled = model.ForwardCompiled(x);
var eager = model.Forward(x);
bool agrees = compiled.ToArray().SequenceEqual(eager.ToArray());
Console.WriteLine(agrees ? "package smoke: OK" : "package smoke: FAILED (compiled and eager outputs differ)");
if (!agrees)
{
    return 1;
}
// A model built from a module that reached it only through a package must train exactly as
// the same model built in one assembly.
var moduleProblems = LibraryModuleCheck.Run();
foreach (string problem in moduleProblems)
{
    Console.WriteLine($"package module: {problem}");
}
Console.WriteLine(moduleProblems.Count == 0 ? "package module: OK" : "package module: FAILED");
if (moduleProblems.Count > 0)
{
    return 1;
}
if (args.Length == 0)
{
    return 0;
}
var problems = PackageContents.Check(args[0], args.Length > 1 ? args[1] : null);
foreach (string problem in problems)
{
    Console.WriteLine($"package contents: {problem}");
}
Console.WriteLine(problems.Count == 0 ? "package contents: OK" : "package contents: FAILED");
return problems.Count == 0 ? 0 : 1;

public sealed partial class Net : Module
{
    readonly Linear fc = new(4, 2);

    [Differentiable]
    public Tensor Forward([Shape("N", 4)] Tensor x) => Relu(fc.Forward(x));
}

/// <summary>Checks the files and metadata of the packed AotNet package and its symbol package.</summary>
static class PackageContents
{
    public static List<string> Check(string folder, string? version)
    {
        var problems = new List<string>();
        string pattern = version is null ? "AotNet.*.nupkg" : $"AotNet.{version}.nupkg";
        string[] packages = Directory.GetFiles(folder, pattern);
        if (packages.Length != 1)
        {
            problems.Add($"expected one {pattern} in {folder}, found {packages.Length}");
            return problems;
        }
        string package = packages[0];
        using (var zip = ZipFile.OpenRead(package))
        {
            var names = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
            foreach (string required in new[]
            {
                "lib/net10.0/AotNet.dll", "analyzers/dotnet/cs/AotNet.Generators.dll",
                "buildTransitive/AotNet.targets", "README.md", "LICENSE",
            })
            {
                if (!names.Contains(required))
                {
                    problems.Add($"{Path.GetFileName(package)} has no {required}");
                }
            }
            if (zip.GetEntry("LICENSE") is { } license && !Read(license).StartsWith("MIT License", StringComparison.Ordinal))
            {
                problems.Add("LICENSE is not the MIT license");
            }
            if (zip.Entries.FirstOrDefault(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)) is not { } nuspec)
            {
                problems.Add("no .nuspec");
            }
            else
            {
                var metadata = XDocument.Parse(Read(nuspec)).Root!.Elements().First(e => e.Name.LocalName == "metadata");
                XElement? Element(string name) => metadata.Elements().FirstOrDefault(e => e.Name.LocalName == name);
                var licenseElement = Element("license");
                if (licenseElement?.Attribute("type")?.Value != "expression" || licenseElement.Value != "MIT")
                {
                    problems.Add($"nuspec license is '{licenseElement}', expected the MIT expression");
                }
                if (Element("readme")?.Value != "README.md")
                {
                    problems.Add("nuspec names no readme README.md");
                }
                string? repository = Element("repository")?.Attribute("url")?.Value;
                if (repository is null || !repository.StartsWith("https://", StringComparison.Ordinal))
                {
                    problems.Add($"nuspec repository url is '{repository}'");
                }
                else if (Element("projectUrl")?.Value != repository)
                {
                    problems.Add($"nuspec projectUrl '{Element("projectUrl")?.Value}' is not the repository url '{repository}'");
                }
            }
        }
        string symbols = Path.ChangeExtension(package, ".snupkg");
        if (!File.Exists(symbols))
        {
            problems.Add($"no symbol package {Path.GetFileName(symbols)}");
        }
        else
        {
            using var zip = ZipFile.OpenRead(symbols);
            if (zip.GetEntry("lib/net10.0/AotNet.pdb") is null)
            {
                problems.Add($"{Path.GetFileName(symbols)} has no lib/net10.0/AotNet.pdb");
            }
        }
        return problems;
    }

    static string Read(ZipArchiveEntry entry)
    {
        using var reader = new StreamReader(entry.Open());
        return reader.ReadToEnd();
    }
}
