// The one temporary folder of every test project: a fresh folder under the system's temp path, named with a prefix, deleted
// with everything in it on dispose (a file still held open, e.g. by a child process, leaves it behind rather than failing
// the test). Linked into each test project from tests/Shared.
namespace WebLab.Tests.Shared;

public sealed class TempFolder : IDisposable
{
    /// <param name="prefix">The start of the folder's name, e.g. "weblab-hf-", to tell whose it is.</param>
    public TempFolder(string prefix = "weblab-test-") => Path = Directory.CreateTempSubdirectory(prefix).FullName;

    /// <summary>The folder's full path; it exists until <see cref="Dispose"/>.</summary>
    public string Path { get; }

    /// <summary>A path inside the folder (nothing is created).</summary>
    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }                     // gone already, or a file in it still in use
        catch (UnauthorizedAccessException) { }     // a read-only file left by the code under test
    }

    public override string ToString() => Path;
}
