namespace AotNet;

/// <summary>
/// The file-system steps of an atomic save, so a test can record their order (write, flush the
/// file, rename, flush the directory) or make one of them fail, without timing anything.
/// </summary>
interface ISaveFileSystem
{
    /// <summary>Creates <paramref name="path"/>, which must not exist, for writing; held exclusively until disposed.</summary>
    Stream CreateNew(string path);

    /// <summary>Forces the file's data to the disk (fsync).</summary>
    void FlushToDisk(Stream file);

    /// <summary>Renames <paramref name="source"/> over <paramref name="destination"/> in one step.</summary>
    void Replace(string source, string destination);

    /// <summary>Forces a directory's entries to the disk, so a rename in it survives a power cut.</summary>
    void FlushDirectory(string directory);

    /// <summary>The names of the files in <paramref name="directory"/> that match <paramref name="pattern"/> (<c>*</c> and <c>?</c> wildcards).</summary>
    IEnumerable<string> Files(string directory, string pattern);

    /// <summary>Deletes <paramref name="path"/> unless a live save still holds it open; false when it was left.</summary>
    bool TryDeleteAbandoned(string path);

    /// <summary>Deletes <paramref name="path"/> if it exists.</summary>
    void Delete(string path);
}
