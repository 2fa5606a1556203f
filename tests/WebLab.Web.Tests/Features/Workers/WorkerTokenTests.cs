// Worker tokens on a lab with sign-in required: only an unrevoked worker token says hello (none or an unknown one: 401;
// a person's API token: 403), the hello admits its host to the dispatch (WorkerTokens.AdmittedHostsAsync), a revoked
// token's host is refused and no longer admitted, a worker token opens nothing else (403); a bad hello is a 400 naming
// the field. A worker
// host whose token the lab refuses stops at start, saying so.
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebLab.Web.Data;
using WebLab.Web.Features.Workers;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Workers;

public sealed class WorkerTokenTests
{
    static HttpRequestMessage Hello(string? bearer, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/workers/hello") { Content = JsonContent.Create(body) };
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return request;
    }

    static object Body(string host = "worker:gpu1:4242") => new
    {
        host, queues = new[] { "cuda0", "cpu" }, version = "test", devices = new[] { new { queue = "cuda0", name = "NVIDIA H100", memoryBytes = 85_000_000_000L } },
    };

    [Fact]
    public async Task Only_an_unrevoked_worker_token_says_hello_and_it_opens_nothing_else()
    {
        await using var lab = SignedInLab.Create();
        using var admin = lab.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new("Bearer", await lab.UserWithTokenAsync("ada", "Admin"));
        using var anonymous = lab.CreateClient();
        async Task<HashSet<string>> Admitted()
        {
            await using var db = await lab.Services.GetRequiredService<IDbContextFactory<WebLabDb>>().CreateDbContextAsync();
            return await WorkerTokens.AdmittedHostsAsync(db, TimeSpan.FromSeconds(30));
        }

        var made = await admin.PostAsJsonAsync("/api/workers/tokens", new { name = "gpu1" });
        Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        var created = (await made.Content.ReadFromJsonAsync<JsonObject>())!;
        var secret = (string)created["secret"]!;
        Assert.StartsWith("wlw_", secret);
        Assert.Equal("ada", (string)created["token"]!["createdBy"]!);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(Hello(null, Body()))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(Hello("wlw_nope", Body()))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.SendAsync(Hello(admin.DefaultRequestHeaders.Authorization!.Parameter, Body()))).StatusCode);
        Assert.Empty(await Admitted());

        var hello = await anonymous.SendAsync(Hello(secret, Body()));
        Assert.Equal(HttpStatusCode.OK, hello.StatusCode);
        Assert.Equal(30, (int)(await hello.Content.ReadFromJsonAsync<JsonObject>())!["lostAfterSeconds"]!);
        Assert.Equal(["worker:gpu1:4242"], await Admitted());

        var bad = await anonymous.SendAsync(Hello(secret, new { host = "gpu1", queues = new[] { "tpu0" }, version = "test" }));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("host") && errors.ContainsKey("queues"), errors.ToJsonString());

        // a worker token is no key to the rest of the lab
        using var asWorker = lab.CreateClient();
        asWorker.DefaultRequestHeaders.Authorization = new("Bearer", secret);
        Assert.Equal(HttpStatusCode.Forbidden, (await asWorker.GetAsync("/api/experiments")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await asWorker.GetAsync("/api/workers")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await asWorker.PostAsJsonAsync("/api/workers/tokens", new { name = "more" })).StatusCode);

        // revoked: refused, and its host no longer admitted
        var id = (long)created["token"]!["id"]!;
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/workers/tokens/{id}/revoke", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(Hello(secret, Body()))).StatusCode);
        Assert.Empty(await Admitted());
        var listed = await admin.ListAsync("/api/workers/tokens");
        Assert.NotNull(Assert.Single(listed)!["revokedAt"]);
        Assert.DoesNotContain(secret, listed.ToJsonString());
    }

    [Fact]
    public async Task A_worker_host_the_lab_refuses_stops_at_start_saying_why()
    {
        await using var lab = new LabFactory();
        lab.Settings["WebLab:Database"] = "Postgres";
        lab.Settings["WebLab:PostgresConnectionString"] = TestPostgres.NewDatabase();
        var http = lab.Serve();
        using var worker = new WorkerHost(lab.DataDirectory, new Dictionary<string, string>
        {
            ["WebLab:Database"] = "Postgres", ["WebLab:PostgresConnectionString"] = lab.Settings["WebLab:PostgresConnectionString"],
            ["WebLab:Workers:Lab"] = http.BaseAddress!.ToString(), ["WebLab:Workers:Token"] = "wlw_not-a-token",
        });
        await Poll.UntilAsync(() => worker.HasExited, "the refused worker host stopped", seconds: 60);
        worker.WaitForOutput();
        Assert.True(worker.Output.Contains("refused this worker (401)"), worker.Output);
    }
}
