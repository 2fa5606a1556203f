// GRPO iterations (dynamic sampling and two updates a batch, the paths that keep tensors across updates) leak no tensors.
using TorchSharp;
using WebLab.Training.Domains.TinyTasks;
using WebLab.Training.Methods.Common;
using WebLab.Training.Methods.Grpo;

namespace WebLab.Training.Tests.Methods.Grpo;

public class GrpoLeakTests
{
    [Fact]
    public void Training_steps_leak_no_tensors()
    {
        var o = new GrpoOptions { Prompts = 2, Answers = 2, SamplingRounds = 2, UpdatesPerBatch = 2, LearningRate = 1e-5, EvalEvery = 1000, EvalPerSplit = 1, Threads = 1 };
        long Leftover(int steps)
        {
            var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            using (var policy = TinyBaseModel.Load())
            using (var reference = TinyBaseModel.Load())
            {
                var log = new RecordingRunLog();
                var domain = new TinyTasksRlDomain(partialCredit: true);
                new GrpoRecipe(o with { Steps = steps }, domain, domain, policy, reference, log).Train(new WinRateEvaluation(domain, reference, 1, 0.01, 1, log), CancellationToken.None);
            }
            GC.Collect(); GC.WaitForPendingFinalizers();
            return DisposeScopeManager.Statistics.ThreadTotalLiveCount - before;
        }
        Leftover(1); // warm-up: one-time tables
        Assert.Equal(Leftover(1), Leftover(4));
    }
}
