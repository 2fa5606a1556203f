// What a run left, read one way for everyone: the experiment page and the REST API both ask here for an experiment, its
// metrics, samples, checkpoints and whether it has verdicts (the page with no row limit, the API with its caps).
using Microsoft.EntityFrameworkCore;
using WebLab.Web.Data;
using WebLab.Web.Features.Experiments.Records;

namespace WebLab.Web.Features.Experiments;

public sealed class ExperimentReads(WebLabDb db)
{
    public const int MetricLimit = 100_000, SampleLimit = 10_000;

    public Task<Experiment?> FindAsync(long id) => db.Experiments.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id);

    public Task<bool> ExistsAsync(long id) => db.Experiments.AnyAsync(e => e.Id == id);

    /// <summary>Every metric name any run has logged, ordered (the runs list's column picker).</summary>
    public Task<List<string>> MetricNamesAsync() => db.MetricPoints.AsNoTracking().Select(m => m.Name).Distinct().OrderBy(n => n).ToListAsync();

    /// <summary>Each run's latest value (the last logged) of each named metric, by (run, name); absent when never logged.</summary>
    public async Task<Dictionary<(long, string), double>> LatestValuesAsync(IReadOnlyCollection<long> ids, IReadOnlyCollection<string> names)
    {
        if (ids.Count == 0 || names.Count == 0) return [];
        var rows = await db.MetricPoints.AsNoTracking()
            .Where(m => ids.Contains(m.ExperimentId) && names.Contains(m.Name)
                && m.Id == db.MetricPoints.Where(x => x.ExperimentId == m.ExperimentId && x.Name == m.Name).Max(x => x.Id))
            .Select(m => new { m.ExperimentId, m.Name, m.Value }).ToListAsync();
        return rows.ToDictionary(r => (r.ExperimentId, r.Name), r => r.Value);
    }

    /// <summary>Points in arrival order after <paramref name="afterId"/>, of one metric when named; at most <paramref name="limit"/> (null: all).</summary>
    public Task<List<MetricDto>> MetricsAsync(long id, string? name = null, long afterId = 0, int? limit = MetricLimit)
    {
        var q = db.MetricPoints.AsNoTracking().Where(m => m.ExperimentId == id && m.Id > afterId);
        if (!string.IsNullOrEmpty(name)) q = q.Where(m => m.Name == name);
        q = q.OrderBy(m => m.Id);
        if (limit is { } n) q = q.Take(n);
        return q.Select(m => new MetricDto(m.Id, m.Step, m.Name, m.Value, m.Time)).ToListAsync();
    }

    /// <summary>Samples in arrival order, of one step and role when given; at most <paramref name="limit"/> (null: all).</summary>
    public async Task<List<SampleDto>> SamplesAsync(long id, long? step = null, string? role = null, int? limit = SampleLimit)
    {
        var q = db.Samples.AsNoTracking().Where(s => s.ExperimentId == id);
        if (step is not null) q = q.Where(s => s.Step == step);
        if (!string.IsNullOrEmpty(role)) q = q.Where(s => s.Role == role);
        q = q.OrderBy(s => s.Id);
        if (limit is { } n) q = q.Take(n);
        return (await q.ToListAsync()).Select(ExperimentDtos.ToDto).ToList();
    }

    public async Task<List<CheckpointDto>> CheckpointsAsync(long id) =>
        (await db.Checkpoints.AsNoTracking().Where(c => c.ExperimentId == id).OrderBy(c => c.Step).ToListAsync()).Select(ExperimentDtos.ToDto).ToList();

    public Task<bool> HasVerdictsAsync(long id) => db.Verdicts.AnyAsync(v => v.ExperimentId == id);
}
