// All of the lab's registration, grouped: records, runs, jobs, API, UI.
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.Storage.SQLite;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using WebLab.Training.Experiments;
using WebLab.Web.Data;
using WebLab.Web.Features.Diagnostics;
using WebLab.Web.Features.Experiments;
using WebLab.Web.Features.Experiments.Workers;
using WebLab.Web.Features.Review;

namespace WebLab.Web.Extensions;

public static class HostingExtensions
{
    /// <summary>Options, paths and the records: SQLite (WAL) or PostgreSQL by WebLab:Database, migrations at start-up via
    /// <see cref="DbInitializer"/>.</summary>
    public static IHostApplicationBuilder AddWebLabData(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<WebLabOptions>(builder.Configuration.GetSection(WebLabOptions.Section));
        builder.Services.AddSingleton<LabPaths>();
        builder.Services.AddDbContextFactory<WebLabDb, LabDbContextFactory>((sp, o) =>
        {
            var lab = sp.GetRequiredService<IOptions<WebLabOptions>>().Value;
            if (lab.Database == LabDatabase.Postgres)
            {
                if (string.IsNullOrWhiteSpace(lab.PostgresConnectionString))
                    throw new InvalidOperationException("WebLab:Database is Postgres but WebLab:PostgresConnectionString is empty");
                o.UseNpgsql(lab.PostgresConnectionString, n => n.CommandTimeout(lab.DatabaseTimeoutSeconds));
                return;
            }
            o.UseSqlite($"Data Source={sp.GetRequiredService<LabPaths>().Database};Default Timeout={lab.DatabaseTimeoutSeconds}")
                // SQLite rebuilds a table to alter it, with PRAGMA foreign_keys = 0 around the rebuild, which SQLite ignores inside a
                // transaction: EF runs that pragma outside it and warns of a "partially applied state" at every first start. The
                // rebuild itself runs in the migration's transaction; the warning alarmed newcomers and said nothing they could act on.
                .ConfigureWarnings(w => w.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.NonTransactionalMigrationOperationWarning));
        });
        // the scoped context (Identity's stores, the services) comes from the same factory, so it is the engine's own type
        builder.Services.Replace(ServiceDescriptor.Scoped(sp => sp.GetRequiredService<IDbContextFactory<WebLabDb>>().CreateDbContext()));
        return builder;
    }

    /// <summary>Methods, run logs, live updates and the job that runs an experiment (no Hangfire server: the headless runner uses this too).</summary>
    public static IHostApplicationBuilder AddWebLabRuns(this IHostApplicationBuilder builder)
    {
        var s = builder.Services;
        s.TryAddSingleton(sp => sp.GetRequiredService<IOptions<WebLabOptions>>().Value.EnableDiagnosticMethods
            ? new MethodCatalog([.. MethodCatalog.Default.All, new DiagnosticSleepMethod()])
            : MethodCatalog.Default);
        s.TryAddSingleton(DomainCatalog.Default);
        s.AddSingleton<LabDevices>();
        s.AddSingleton<ExperimentNotifier>();
        s.AddSingleton<RunCancellation>();
        s.AddSingleton<LaunchLimiter>();
        s.AddSingleton<RunLogWriterFactory>();
        s.AddTransient<ExperimentJob>();
        s.AddSingleton<WorkerProcess>();
        s.AddScoped<RunLaunches>();
        s.AddScoped<ExperimentService>();
        s.AddScoped<ExperimentReads>();
        s.AddScoped<EvaluationService>();
        s.AddScoped<Features.RunGroups.ResultsService>();
        s.AddHttpContextAccessor();
        s.TryAddScoped<Features.Accounts.CurrentActor>();
        s.TryAddScoped<Features.Audit.AuditTrail>();
        return builder;
    }

    /// <summary>Hangfire on its own SQLite file (or the PostgreSQL database, schema "hangfire"): one server per device queue, with as many workers as the device takes runs
    /// (WebLab:Workers:Cpu on the CPU, one a CUDA device); the lab's queue (RunDispatcher) decides what starts next.</summary>
    public static IHostApplicationBuilder AddWebLabJobs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHostedService<DbInitializerService>();   // before Hangfire's servers: recover crashed runs first
        builder.Services.AddSingleton<LabRunQueue>();
        builder.Services.AddSingleton<IRunQueue>(sp => sp.GetRequiredService<LabRunQueue>());
        builder.Services.AddSingleton<RunDispatcher>();
        builder.Services.AddScoped<Features.Queue.QueueService>();
        builder.Services.AddScoped<Features.Workers.WorkersService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RunDispatcher>());
        builder.AddWebLabHangfireStorage();
        var lab = builder.Configuration.GetSection(WebLabOptions.Section).Get<WebLabOptions>() ?? new();
        var workers = lab.Workers;
        if (!workers.Local && lab.Database != LabDatabase.Postgres)
            throw new InvalidOperationException("WebLab:Workers:Local=false leaves runs to workers on their own, which share the queue on PostgreSQL: set WebLab:Database=Postgres (and its connection string), or keep local workers");
        foreach (var queue in workers.Local ? DeviceQueues(builder) : [])   // without local workers, `weblab worker` hosts serve the queues
            builder.Services.AddHangfireServer((sp, o) =>
            {
                o.ServerName = $"{Environment.MachineName}:{queue}:{Guid.NewGuid():N}";
                o.Queues = [queue];
                o.WorkerCount = sp.GetRequiredService<RunDispatcher>().Capacity(queue);   // the lab's queue hands over no more than this
            });
        return builder;
    }

    /// <summary>Hangfire's storage: its own SQLite file, or the lab's PostgreSQL database (schema "hangfire"), which every
    /// host of a lab shares (the web host, `weblab worker` hosts).</summary>
    public static IHostApplicationBuilder AddWebLabHangfireStorage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHangfire((sp, config) =>
        {
            var paths = sp.GetRequiredService<LabPaths>();
            Directory.CreateDirectory(paths.DataDirectory);
            var pollMs = sp.GetRequiredService<IOptions<WebLabOptions>>().Value.QueuePollIntervalMs;
            var lab = sp.GetRequiredService<IOptions<WebLabOptions>>().Value;
            config.UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings();
            if (lab.Database == LabDatabase.Postgres)
                config.UsePostgreSqlStorage(p => p.UseNpgsqlConnection(lab.PostgresConnectionString),
                    new PostgreSqlStorageOptions { QueuePollInterval = TimeSpan.FromMilliseconds(pollMs), PrepareSchemaIfNecessary = true });
            else config.UseSQLiteStorage(paths.HangfireDatabase, new SQLiteStorageOptions { QueuePollInterval = TimeSpan.FromMilliseconds(pollMs) });
        });
        return builder;
    }

    /// <summary>REST API problem details (bad JSON → 400), OpenAPI document, SignalR hub.</summary>
    public const string LaunchPolicy = "launch";

    public static IHostApplicationBuilder AddWebLabApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.Configure<JsonOptions>(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        builder.AddWebLabLiveUpdates(showsPages: true);
        // launches over the API: at most LaunchesPerMinute per client address, then 429 with the reason
        var lab = builder.Configuration.GetSection(WebLabOptions.Section).Get<WebLabOptions>() ?? new();
        var (perMinute, signInsPerMinute) = (lab.LaunchesPerMinute, lab.Auth.SignInsPerMinute);
        static System.Threading.RateLimiting.RateLimitPartition<string> PerAddressPerMinute(HttpContext http, int limit) =>
            System.Threading.RateLimiting.RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "local",
                _ => new System.Threading.RateLimiting.FixedWindowRateLimiterOptions { PermitLimit = limit, Window = TimeSpan.FromMinutes(1) });
        builder.Services.AddRateLimiter(o =>
        {
            o.AddPolicy(LaunchPolicy, http => PerAddressPerMinute(http, perMinute));
            // sign-in and set-up forms: at most SignInsPerMinute per address (Identity's lockout guards each account too)
            o.AddPolicy(Features.Accounts.AuthPages.SignInPolicy, http => PerAddressPerMinute(http, signInsPerMinute));
            o.OnRejected = (context, ct) =>
            {
                context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                if (!context.HttpContext.Request.Path.StartsWithSegments("/api"))
                    return new ValueTask(context.HttpContext.Response.WriteAsync(
                        $"Too many sign-in attempts: at most {signInsPerMinute} a minute from one address (WebLab:Auth:SignInsPerMinute); try again in a minute.", ct));
                return new ValueTask(Features.Accounts.AuthSchemes.WriteProblemAsync(context.HttpContext.Response, StatusCodes.Status429TooManyRequests,
                    "Too many launches", $"at most {perMinute} launches a minute from one address (WebLab:LaunchesPerMinute); try again in a minute", ct));
            };
        });
        return builder;
    }

    /// <summary>The SignalR hub's bridge from the notifier; with WebLab:Redis, the hub's Redis backplane and the relay that
    /// carries updates and cancels between hosts (<see cref="LiveRelay"/>). A worker host calls this too (showsPages: false):
    /// its runs' updates reach the web hosts' hub clients and pages through Redis.</summary>
    public static IHostApplicationBuilder AddWebLabLiveUpdates(this IHostApplicationBuilder builder, bool showsPages)
    {
        var lab = builder.Configuration.GetSection(WebLabOptions.Section).Get<WebLabOptions>() ?? new();
        var signalR = builder.Services.AddSignalR();
        builder.Services.AddHostedService<HubBridge>();
        if (string.IsNullOrWhiteSpace(lab.Redis)) return builder;
        var redis = StackExchange.Redis.ConfigurationOptions.Parse(lab.Redis);
        redis.AbortOnConnectFail = false;   // a Redis that is down at start: the lab starts, and updates cross hosts once it is up
        signalR.AddStackExchangeRedis(o =>
        {
            o.Configuration = redis.Clone();
            // the hub's channels apart from the relay's, under any prefix the setting gives (one Redis, several labs)
            o.Configuration.ChannelPrefix = StackExchange.Redis.RedisChannel.Literal(redis.ChannelPrefix.IsNullOrEmpty ? "weblab-hub:" : $"{redis.ChannelPrefix}weblab-hub:");
        });
        builder.Services.AddSingleton<StackExchange.Redis.IConnectionMultiplexer>(_ => StackExchange.Redis.ConnectionMultiplexer.Connect(redis.Clone()));
        builder.Services.AddSingleton(new LiveRelayRole(showsPages));
        builder.Services.AddSingleton<LiveRelay>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LiveRelay>());
        return builder;
    }

    /// <summary>Blazor Server + MudBlazor. Static web assets (MudBlazor's _content, the top-level wwwroot linked into the project)
    /// are served from their build-time locations in every environment, so `dotnet run` works outside Development too.</summary>
    public static WebApplicationBuilder AddWebLabUi(this WebApplicationBuilder builder)
    {
        builder.WebHost.UseStaticWebAssets();
        // a page's messages may be up to 4 MB (SignalR's default is 32 KB): a megabyte pasted into a text box then reaches
        // the form, which names what is wrong with it, instead of closing the circuit and leaving a dead page
        builder.Services.AddRazorComponents().AddInteractiveServerComponents().AddHubOptions(o => o.MaximumReceiveMessageSize = 4 * 1024 * 1024);
        builder.Services.AddMudServices();
        return builder;
    }

    // Queues are known before the container is built: cpu always, cudaN when the configured device is CUDA.
    static IEnumerable<string> DeviceQueues(IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(WebLabOptions.Section).Get<WebLabOptions>() ?? new();
        using var loggerFactory = LoggerFactory.Create(_ => { });
        return new LabDevices(Options.Create(options), loggerFactory.CreateLogger<LabDevices>()).Queues;
    }
}
