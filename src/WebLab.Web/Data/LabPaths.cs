// Where the lab keeps its files: the data directory (SQLite files) and one folder per run.
using Microsoft.Extensions.Options;

namespace WebLab.Web.Data;

public sealed class LabPaths(IOptions<WebLabOptions> options, IHostEnvironment env)
{
    public string DataDirectory { get; } = options.Value.ResolveDataDirectory(env.ContentRootPath);

    public string Database => Path.Combine(DataDirectory, "weblab.db");

    public string HangfireDatabase => Path.Combine(DataDirectory, "hangfire.db");

    public string RunDirectory(long experimentId) => Path.Combine(DataDirectory, "runs", experimentId.ToString());
}
