// After an in-process run: collect what the run left to the garbage collector (TorchSharp tensors nobody disposed free their
// native memory in finalizers), then ask glibc to return its free heap pages to the system (malloc_trim), which it does not
// do by itself for memory freed in its per-thread arenas. A worker process needs none of this: its exit returns everything.
using System.Runtime.InteropServices;

namespace WebLab.Web.Features.Experiments.Workers;

public static class MemoryRelease
{
    public static void AfterRun()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        if (OperatingSystem.IsLinux())
            try { malloc_trim(0); }
            catch (EntryPointNotFoundException) { }                         // not glibc (musl): nothing to trim
    }

#pragma warning disable SYSLIB1054 // LibraryImport would need AllowUnsafeBlocks for the whole web project, for one call
    [DllImport("libc", EntryPoint = "malloc_trim")]
    static extern int malloc_trim(nuint pad);
#pragma warning restore SYSLIB1054
}
