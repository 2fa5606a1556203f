// The lines a worker process and the lab exchange: updates and results survive the trip; exit codes become reasons.
using WebLab.Web.Features.Experiments;
using WebLab.Web.Features.Experiments.Records;
using WebLab.Web.Features.Experiments.Workers;

namespace WebLab.Web.Tests.Features.Experiments;

public sealed class WorkerProtocolTests
{
    [Fact]
    public void Every_kind_of_update_and_the_result_read_back_as_written()
    {
        var time = new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
        ExperimentUpdate[] updates =
        [
            new MetricsUpdate(3, [new MetricDto(10, 2, "train/loss", 0.25, time)]),
            new SamplesUpdate(3, [new SampleDto(11, 2, "solver", "rev ab", "ba", 1, true, "{\"k\":1}")]),
            new ProgressUpdate(3, 2, 800, 12.5, 0.25),
            new StatusUpdate(3, ExperimentStatus.Failed, "boom"),
        ];
        foreach (var u in updates)
        {
            var (back, result) = WorkerProtocol.Parse(WorkerProtocol.Update(u));
            Assert.Null(result);
            Assert.Equal(u.GetType(), back!.GetType());
            Assert.Equal(WorkerProtocol.Update(u), WorkerProtocol.Update(back));       // lists compare by content through the text
        }
        var (none, ended) = WorkerProtocol.Parse(WorkerProtocol.Result(new(ExperimentStatus.Cancelled, "the lab shut down during the run")));
        Assert.Null(none);
        Assert.Equal(new WorkerResult(ExperimentStatus.Cancelled, "the lab shut down during the run"), ended);
        Assert.Equal((null, null), WorkerProtocol.Parse("info: Microsoft.Hosting.Lifetime[0] started"));   // a log line
    }

    [Theory]
    [InlineData(137, "was killed (SIGKILL: by a person, or by the kernel when memory ran out)")]
    [InlineData(139, "crashed (SIGSEGV, a native failure)")]
    [InlineData(130, "was killed by signal 2")]
    [InlineData(1, "exited with code 1 without reporting how the run ended")]
    public void Exit_codes_say_why_the_worker_ended(int code, string reason) => Assert.Equal(reason, WorkerProtocol.ExitReason(code));
}
