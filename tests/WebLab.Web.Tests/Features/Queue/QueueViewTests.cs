// Positions and expected starts worked by hand (the lab's queue, issue 27, defect 10).
using WebLab.Web.Features.Queue;

namespace WebLab.Web.Tests.Features.Queue;

public class QueueViewTests
{
    [Fact]
    public void Each_waiting_run_takes_the_first_worker_to_free_up_for_its_estimated_length()
    {
        // one CPU worker busy for 60 s more; waiting A (100 s), B (no estimate), C (50 s) → A in 60 s, B in 160 s, C unknown
        var slots = QueueView.Of([new("cpu", 60)], [new(1, "cpu", 100), new(2, "cpu", null), new(3, "cpu", 50)], _ => 1);
        Assert.Equal([(1L, 1, (double?)60), (2, 2, 160), (3, 3, null)], slots.Select(s => (s.Id, s.Position, s.StartsIn)));

        // two workers, one free: A now; B when the running run ends (60 s); C when A ends (100 s)
        slots = QueueView.Of([new("cpu", 60)], [new(1, "cpu", 100), new(2, "cpu", 100), new(3, "cpu", 100)], _ => 2);
        Assert.Equal([0.0, 60, 100], slots.Select(s => s.StartsIn!.Value));

        // a running run whose pace is not known yet: the next start is not known either; devices queue apart
        slots = QueueView.Of([new("cpu", null)], [new(1, "cpu", 10), new(2, "cuda0", 10)], _ => 1);
        Assert.Equal([(1L, "cpu", 1, (double?)null), (2, "cuda0", 1, 0)], slots.Select(s => (s.Id, s.Device, s.Position, s.StartsIn)));
        Assert.Equal(60, QueueView.Median([30, 90, 60]));
        Assert.Equal(45, QueueView.Median([30, 60]));
        Assert.Null(QueueView.Median([]));
    }
}
