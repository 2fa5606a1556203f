// A run straight through and the same run resumed from its state after step 2, in two folders under a test's root: what
// the resume tests of every precision and adapter compare.
using WebLab.Training.Experiments;
using WebLab.Training.Methods.Common;

namespace WebLab.Training.Tests.Methods.Common;

public static class ResumedRuns
{
    /// <summary>Runs <paramref name="options"/> (state saved after step 2) whole in root/whole, then from that state in root/resumed.</summary>
    /// <param name="parent">The start model's folder (a parent checkpoint), or null for the domain's base.</param>
    public static (RecordingRunLog Whole, RecordingRunLog Resumed, SavedState State, string WholeDir) Of(IExperimentMethod method, object options, string root,
        string? parent = null)
    {
        var domain = DomainCatalog.Default.Resolve(method, options);
        string whole = Path.Combine(root, "whole"), resumed = Path.Combine(root, "resumed");
        var logWhole = new RecordingRunLog();
        method.Run(new ExperimentContext(1, options, whole, "cpu", parent, logWhole, Domain: domain), CancellationToken.None);
        var state = new RunFolder(whole).SavedState!;
        Assert.Equal(2, state.Step);
        var logResumed = new RecordingRunLog();
        method.Run(new ExperimentContext(2, options, resumed, "cpu", parent, logResumed, Resume: state, Domain: domain), CancellationToken.None);
        return (logWhole, logResumed, state, whole);
    }
}
