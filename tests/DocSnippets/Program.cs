using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

// Builds the C# blocks of README.md and docs/*.md, so that what the documentation shows compiles.
//
// The fence's info string says what a block is:
//
//   ```csharp          a complete program: top-level statements first, then any types it declares.
//                      It is compiled alone, as Program.cs of its own project, together with the
//                      `csharp model` blocks of the same document.
//   ```csharp model    type declarations only, such as a model and the layers it uses. Compiled
//                      into every program of its document (and alone when the document has none).
//   ```csharp excerpt  part of a larger file, such as an excerpt of generated code; not compiled.
//   ```csharp error    code the compiler rejects on purpose, to show a diagnostic; not compiled,
//                      but it must name the AOTNET id it shows.
//
// Any other word after `csharp` is an error, so a misspelt marker cannot hide a block.
// Each project references src/AotNet and the generator as a user's project does, inherits the
// repository's build settings (warnings are errors, nullable on), and starts every file with a
// #line directive, so a compiler error points at the Markdown file and line.
//
// Usage: dotnet run -c Release --project tests/DocSnippets [-- REPOSITORY_ROOT]

string root = Path.GetFullPath(args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "../../../../.."));
if (!File.Exists(Path.Combine(root, "README.md")) || !Directory.Exists(Path.Combine(root, "src", "AotNet")))
{
    Console.Error.WriteLine($"{root} is not the repository root (no README.md or src/AotNet); pass the root as the first argument.");
    return 2;
}

var documents = new List<string> { Path.Combine(root, "README.md") };
documents.AddRange(Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Order(StringComparer.Ordinal));

string work = Path.Combine(root, "tests", "DocSnippets", "obj", "snippets");
if (Directory.Exists(work))
{
    Directory.Delete(work, recursive: true);
}
Directory.CreateDirectory(work);

var problems = new List<string>();
var projects = new List<string>();
int excerpts = 0;
foreach (string document in documents)
{
    string relative = Path.GetRelativePath(root, document).Replace('\\', '/');
    var blocks = Markdown.CSharpBlocks(document).ToList();
    var models = new List<Markdown.Block>();
    var programs = new List<Markdown.Block>();
    foreach (var block in blocks)
    {
        switch (block.Kind)
        {
            case "":
                programs.Add(block);
                break;
            case "model":
                models.Add(block);
                break;
            case "excerpt":
                excerpts++;
                break;
            case "error":
                excerpts++;
                if (!Regex.IsMatch(block.Code, @"//.*AOTNET\d{4}"))
                {
                    problems.Add($"{relative}:{block.Line}: a 'csharp error' block must say in a comment which AOTNET diagnostic it shows.");
                }
                break;
            default:
                problems.Add($"{relative}:{block.Line}: unknown marker 'csharp {block.Kind}'; use none (a program), 'model', 'excerpt' or 'error'.");
                break;
        }
    }
    string stem = Path.GetFileNameWithoutExtension(document);
    foreach (var program in programs)
    {
        projects.Add(Write(work, root, $"{stem}-{program.Line}", relative, exe: true, models.Prepend(program)));
    }
    if (programs.Count == 0 && models.Count > 0)
    {
        projects.Add(Write(work, root, $"{stem}-models", relative, exe: false, models));
    }
}

foreach (string problem in problems)
{
    Console.Error.WriteLine(problem);
}
if (problems.Count > 0)
{
    return 1;
}

string solution = Path.Combine(work, "snippets.slnx");
File.WriteAllText(solution, "<Solution>\n" + string.Concat(projects.Select(p => $"  <Project Path=\"{Path.GetRelativePath(work, p)}\" />\n")) + "</Solution>\n");
Console.WriteLine($"Building {projects.Count} documentation programs and models ({excerpts} excerpts skipped) from {documents.Count} Markdown files.");

using var build = Process.Start(new ProcessStartInfo("dotnet", ["build", solution, "-c", "Release", "-nologo", "-v:q", "-clp:NoSummary"])
{
    UseShellExecute = false,
})!;
build.WaitForExit();
Console.WriteLine(build.ExitCode == 0 ? "doc snippets: OK" : "doc snippets: FAILED (the errors above point at the Markdown lines)");
return build.ExitCode;

static string Write(string work, string root, string name, string document, bool exe, IEnumerable<Markdown.Block> blocks)
{
    string folder = Path.Combine(work, name);
    Directory.CreateDirectory(folder);
    int index = 0;
    foreach (var block in blocks)
    {
        string file = index == 0 && exe ? "Program.cs" : $"Model{index}.cs";
        string markdown = Path.Combine(root, document);
        File.WriteAllText(Path.Combine(folder, file), $"#line {block.Line + 1} \"{markdown}\"\n{block.Code}");
        index++;
    }
    string project = Path.Combine(folder, name + ".csproj");
    File.WriteAllText(project, $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>{(exe ? "Exe" : "Library")}</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <IsPackable>false</IsPackable>
          </PropertyGroup>
          <ItemGroup>
            <ProjectReference Include="{Path.Combine(root, "src", "AotNet", "AotNet.csproj")}" />
            <ProjectReference Include="{Path.Combine(root, "generators", "AotNet.Generators", "AotNet.Generators.csproj")}"
                              OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
          </ItemGroup>
        </Project>

        """);
    return project;
}

/// <summary>Finds fenced C# blocks in a Markdown file.</summary>
static class Markdown
{
    /// <summary>A fenced block: the line of its opening fence (1-based), the word after <c>csharp</c>, and its text.</summary>
    public sealed record Block(int Line, string Kind, string Code);

    static readonly Regex Fence = new(@"^(\s*)(`{3,}|~{3,})\s*([^\s`]*)\s*(.*)$");

    public static IEnumerable<Block> CSharpBlocks(string path)
    {
        string[] lines = File.ReadAllLines(path);
        for (int i = 0; i < lines.Length; i++)
        {
            var open = Fence.Match(lines[i]);
            if (!open.Success)
            {
                continue;
            }
            string fence = open.Groups[2].Value;
            string language = open.Groups[3].Value.ToLowerInvariant();
            string kind = open.Groups[4].Value.Trim();
            int start = i;
            var code = new StringBuilder();
            for (i++; i < lines.Length && !IsClosing(lines[i], fence); i++)
            {
                code.Append(lines[i]).Append('\n');
            }
            if (language is "csharp" or "cs" or "c#")
            {
                yield return new Block(start + 1, kind, code.ToString());
            }
        }
    }

    static bool IsClosing(string line, string fence)
    {
        string trimmed = line.Trim();
        return trimmed.Length >= fence.Length && trimmed.All(c => c == fence[0]);
    }
}
