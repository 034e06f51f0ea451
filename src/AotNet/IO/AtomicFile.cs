namespace AotNet;

/// <summary>
/// Writes a file so that a crash, a kill or a power cut leaves either the old file or the complete
/// new one: the content goes to a temporary file in the same directory (a rename across file
/// systems would not be atomic), is flushed to disk, is renamed over the target, and the directory
/// is flushed so the rename itself is on disk before the save reports success.
/// </summary>
/// <remarks>
/// A save killed before its rename leaves its temporary file (<c>.{name}.{guid}.tmp</c>) behind; the
/// next save of the same target deletes such leftovers, except one another live save still holds open.
/// </remarks>
static class AtomicFile
{
    const string TemporarySuffix = ".tmp";
    const int GuidLength = 32;

    public static void Write(string path, Action<Stream> write) => Write(path, write, PhysicalFileSystem.Instance);

    public static void Write(string path, Action<Stream> write, ISaveFileSystem fileSystem)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"{path} has no directory.", nameof(path));
        string name = Path.GetFileName(fullPath);
        RemoveAbandoned(fileSystem, directory, name);
        string temporary = Path.Combine(directory, $".{name}.{Guid.NewGuid():N}{TemporarySuffix}");
        try
        {
            using (var file = fileSystem.CreateNew(temporary))
            {
                write(file);
                fileSystem.FlushToDisk(file);
            }
            fileSystem.Replace(temporary, fullPath);
        }
        catch (Exception error)
        {
            TryDelete(fileSystem, temporary);
            throw NamingTarget(error, temporary, fullPath) ?? Rethrow(error);
        }
        try
        {
            fileSystem.FlushDirectory(directory);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{fullPath} was written, but its directory could not be flushed to disk, so a power cut could still undo the save: {error.Message}", error);
        }
    }

    /// <summary>True for the name of a temporary file a save of <paramref name="target"/> creates.</summary>
    public static bool IsTemporaryOf(string fileName, string target) =>
        fileName.Length == target.Length + GuidLength + 2 + TemporarySuffix.Length
        && fileName[0] == '.'
        && fileName.AsSpan(1).StartsWith(target, StringComparison.Ordinal)
        && fileName[target.Length + 1] == '.'
        && fileName.EndsWith(TemporarySuffix, StringComparison.Ordinal)
        && !fileName.AsSpan(target.Length + 2, GuidLength).ContainsAnyExcept("0123456789abcdef");

    static void RemoveAbandoned(ISaveFileSystem fileSystem, string directory, string name)
    {
        // Wildcards in the target's own name would widen the pattern; IsTemporaryOf decides either way.
        string pattern = name.AsSpan().IndexOfAny('*', '?') >= 0 ? "*" + TemporarySuffix : $".{name}.*{TemporarySuffix}";
        IEnumerable<string> candidates;
        try
        {
            candidates = fileSystem.Files(directory, pattern).ToList();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // A missing or unreadable directory fails the save itself, with a clearer message.
            return;
        }
        foreach (string candidate in candidates)
        {
            if (IsTemporaryOf(Path.GetFileName(candidate), name))
            {
                try
                {
                    fileSystem.TryDeleteAbandoned(candidate);
                }
                catch (Exception error) when (error is IOException or UnauthorizedAccessException)
                {
                    // Cleaning up is a courtesy; it must not fail the save.
                }
            }
        }
    }

    static void TryDelete(ISaveFileSystem fileSystem, string temporary)
    {
        try
        {
            fileSystem.Delete(temporary);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // The original error matters more; the next save removes the leftover.
        }
    }

    /// <summary>The same kind of error, saying which file could not be saved; null for errors that do not mention files.</summary>
    static Exception? NamingTarget(Exception error, string temporary, string target)
    {
        string message = $"Could not save {target}: {error.Message.Replace(temporary, target, StringComparison.Ordinal)}";
        return error switch
        {
            DirectoryNotFoundException => new DirectoryNotFoundException(message, error),
            FileNotFoundException => new FileNotFoundException(message, target, error),
            PathTooLongException => new PathTooLongException(message, error),
            IOException => new IOException(message, error),
            UnauthorizedAccessException => new UnauthorizedAccessException(message, error),
            _ => null,
        };
    }

    static Exception Rethrow(Exception error)
    {
        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
        return error;
    }
}
