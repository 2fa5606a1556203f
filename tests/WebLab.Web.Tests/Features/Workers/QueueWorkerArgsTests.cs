// `weblab worker` / `queue-worker` arguments, by hand: the queues, --data and --lab as the settings they stand for, the rest
// passed on; a bad queue or a flag without its value refused by name.
using WebLab.Web.Features.Experiments.Workers;

namespace WebLab.Web.Tests.Features.Workers;

public sealed class QueueWorkerArgsTests
{
    [Fact]
    public void Queues_data_and_lab_become_settings_and_the_rest_passes_on()
    {
        var (queues, settings) = QueueWorker.ParseQueues(["--lab", "http://lab:5080", "--queues", "cuda0, cpu", "--data", "/srv/w", "--WebLab:Redis=r:6379"]);
        Assert.Equal(["cuda0", "cpu"], queues);
        Assert.Equal(["--WebLab:Workers:Lab=http://lab:5080", "--WebLab:DataDirectory=/srv/w", "--WebLab:Redis=r:6379"], settings);
    }

    [Theory]
    [InlineData(new[] { "--data", "/srv/w" }, "--queues")]
    [InlineData(new[] { "--queues", "cpu,gpu0" }, "'gpu0' is not a device queue")]
    [InlineData(new[] { "--queues", "cuda123" }, "'cuda123' is not a device queue")]
    [InlineData(new[] { "--queues", "cpu", "--data" }, "--data needs a folder")]
    [InlineData(new[] { "--queues", "cpu", "--lab", "lab" }, "--lab needs the web host's URL")]
    public void Bad_arguments_are_refused_by_name(string[] args, string message) =>
        Assert.Contains(message, Assert.Throws<ArgumentException>(() => QueueWorker.ParseQueues(args)).Message);
}
