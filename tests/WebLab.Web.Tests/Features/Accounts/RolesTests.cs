// Who may do what, over the API with each person's token: a Reviewer cannot launch, a Viewer cannot review, a Researcher
// cannot delete (or rename, cancel, resume) another's run, an Admin can; a revoked or expired token, or a disabled
// account, stops working at the next request.
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebLab.Web.Data;
using WebLab.Web.Features.Accounts;
using WebLab.Web.Features.Experiments.Records;
using WebLab.Web.Features.Review;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Accounts;

public sealed class RolesTests : IAsyncLifetime
{
    readonly LabFactory lab = SignedInLab.Create();
    HttpClient admin = default!, ann = default!, bob = default!, rita = default!, vic = default!;

    public async Task InitializeAsync()
    {
        lab.StartServer();
        admin = lab.ClientWith(await lab.UserWithTokenAsync("root", LabRoles.Admin));
        ann = lab.ClientWith(await lab.UserWithTokenAsync("ann", LabRoles.Researcher));
        bob = lab.ClientWith(await lab.UserWithTokenAsync("bob", LabRoles.Researcher));
        rita = lab.ClientWith(await lab.UserWithTokenAsync("rita", LabRoles.Reviewer));
        vic = lab.ClientWith(await lab.UserWithTokenAsync("vic", LabRoles.Viewer));
    }

    public async Task DisposeAsync() => await lab.DisposeAsync();

    async Task<long> SeedRunOfAsync(string owner)
    {
        var id = await lab.SeedRunAsync($"{owner}'s run", "lsp", steps: 10, rows: (db, run) =>
        {
            db.Verdicts.Add(new Verdict
            {
                ExperimentId = run, Step = 10, Split = "add", Prompt = "p", TrainedAnswer = "t", BaseAnswer = "b",
                TrainedShownFirst = true, Judge = "exact", Outcome = "win", Rationale = "r",
            });
        });
        await using var db = await lab.Services.GetRequiredService<IDbContextFactory<WebLabDb>>().CreateDbContextAsync();
        await db.Experiments.Where(e => e.Id == id).ExecuteUpdateAsync(s => s.SetProperty(e => e.CreatedBy, owner));
        return id;
    }

    static async Task<string> DetailAsync(HttpResponseMessage r) => (string?)(await r.Content.ReadFromJsonAsync<JsonObject>())?["detail"] ?? "";

    [Fact]
    public async Task Each_role_may_do_only_its_part()
    {
        // launching: Researcher and Admin; the run records who launched it
        var launched = await ann.LaunchAsync(TestMethods.Quick(steps: 3));
        Assert.Equal("ann", (await admin.ExperimentAsync(launched))["createdBy"]?.ToString());
        foreach (var (who, client) in new[] { ("rita", rita), ("vic", vic) })
        {
            var refused = await client.PostAsJsonAsync("/api/experiments", new { method = TestMethods.Name, overrides = TestMethods.Quick() });
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains(who, await DetailAsync(refused));
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await rita.PostAsJsonAsync("/api/sweeps", new { method = TestMethods.Name })).StatusCode);

        // everyone reads
        foreach (var client in new[] { admin, ann, bob, rita, vic })
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/experiments/{launched}")).StatusCode);

        // reviewing: a Reviewer yes (under their own name, whatever the body says), a Viewer no
        var annRun = await SeedRunOfAsync("ann");
        var verdict = (long)(await vic.ListAsync($"/api/experiments/{annRun}/verdicts"))[0]!["id"]!;
        var review = await rita.PostAsJsonAsync($"/api/verdicts/{verdict}/review", new { status = "agree", reviewer = "mallory" });
        Assert.Equal(HttpStatusCode.OK, review.StatusCode);
        Assert.Equal("rita", (string?)(await review.Content.ReadFromJsonAsync<JsonObject>())!["reviewedBy"]);
        Assert.Equal(HttpStatusCode.Forbidden, (await vic.PostAsJsonAsync($"/api/verdicts/{verdict}/review", new { status = "disagree" })).StatusCode);

        // notes: Reviewer yes, Viewer no; renaming: only the owner or an Admin
        Assert.Equal(HttpStatusCode.OK, (await rita.PatchAsJsonAsync($"/api/experiments/{annRun}", new { notes = "looks right" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await vic.PatchAsJsonAsync($"/api/experiments/{annRun}", new { notes = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rita.PatchAsJsonAsync($"/api/experiments/{annRun}", new { name = "renamed" })).StatusCode);
        var bobRenames = await bob.PatchAsJsonAsync($"/api/experiments/{annRun}", new { name = "bob's now" });
        Assert.Equal(HttpStatusCode.Forbidden, bobRenames.StatusCode);
        Assert.Contains("launched by ann", await DetailAsync(bobRenames));
        Assert.Equal(HttpStatusCode.OK, (await ann.PatchAsJsonAsync($"/api/experiments/{annRun}", new { name = "ann's, renamed" })).StatusCode);

        // deleting: not another Researcher's run; one's own, and an Admin any
        var bobDeletes = await bob.DeleteAsync($"/api/experiments/{annRun}");
        Assert.Equal(HttpStatusCode.Forbidden, bobDeletes.StatusCode);
        Assert.Contains("only its owner or an Admin", await DetailAsync(bobDeletes));
        Assert.Equal(HttpStatusCode.Forbidden, (await rita.DeleteAsync($"/api/experiments/{annRun}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.PostAsync($"/api/experiments/{annRun}/resume", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await vic.GetAsync($"/api/experiments/{annRun}")).StatusCode);   // still there
        Assert.Equal(HttpStatusCode.NoContent, (await ann.DeleteAsync($"/api/experiments/{annRun}")).StatusCode);
        var bobRun = await SeedRunOfAsync("bob");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/experiments/{bobRun}")).StatusCode);

        // the audit trail names the people
        var audit = await admin.ListAsync($"/api/experiments/{annRun}/audit");
        Assert.Equal(["rita:reviewed", "rita:notes", "ann:renamed", "ann:deleted"], audit.Select(a => $"{a!["actor"]}:{a["action"]}"));

        // Hangfire's dashboard and the users list: Admins only
        Assert.Equal(HttpStatusCode.Forbidden, (await ann.GetAsync("/hangfire")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/hangfire")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ann.GetAsync("/api/users")).StatusCode);
        Assert.Equal(5, (await admin.ListAsync("/api/users")).Count);
    }

    [Fact]
    public async Task A_revoked_or_expired_token_or_a_disabled_account_stops_working_at_once()
    {
        // a token made over the API works, is listed without its secret, and stops at the request after its revocation
        var made = await ann.PostAsJsonAsync("/api/tokens", new { name = "ci", expiresInDays = 30 });
        Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        var body = (await made.Content.ReadFromJsonAsync<JsonObject>())!;
        var secret = (string)body["secret"]!;
        var tokenId = (long)body["token"]!["id"]!;
        var ci = lab.ClientWith(secret);
        Assert.Equal("ann", (string?)(await ci.GetFromJsonAsync<JsonObject>("/api/me"))!["userName"]);
        var listed = (await ann.ListAsync("/api/tokens")).Select(t => t!.ToJsonString()).ToList();
        Assert.DoesNotContain(listed, t => t.Contains(secret[7..], StringComparison.Ordinal));
        await using (var db = await lab.Services.GetRequiredService<IDbContextFactory<WebLabDb>>().CreateDbContextAsync())
            Assert.False(await db.ApiTokens.AnyAsync(t => t.Hash == secret));           // only its hash is stored
        Assert.Equal(HttpStatusCode.NotFound, (await bob.DeleteAsync($"/api/tokens/{tokenId}")).StatusCode);   // not bob's to revoke
        Assert.Equal(HttpStatusCode.NoContent, (await ann.DeleteAsync($"/api/tokens/{tokenId}")).StatusCode);
        var afterRevoke = await ci.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.Unauthorized, afterRevoke.StatusCode);
        Assert.Contains("revoked or expired", await DetailAsync(afterRevoke));

        // expiry: the same token, once its time has passed
        var expiring = await lab.UserWithTokenAsync("eve", LabRoles.Researcher, expiresInDays: 1);
        var eve = lab.ClientWith(expiring);
        Assert.Equal(HttpStatusCode.OK, (await eve.GetAsync("/api/me")).StatusCode);
        await using (var db = await lab.Services.GetRequiredService<IDbContextFactory<WebLabDb>>().CreateDbContextAsync())
            await db.ApiTokens.Where(t => t.Hash == ApiTokens.Hash(expiring)).ExecuteUpdateAsync(s => s.SetProperty(t => t.ExpiresAt, DateTimeOffset.UtcNow.AddSeconds(-1)));
        Assert.Equal(HttpStatusCode.Unauthorized, (await eve.GetAsync("/api/me")).StatusCode);

        // a disabled account: every token of it stops; a role change applies at the next request
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PatchAsJsonAsync("/api/users/bob", new { role = "Viewer" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.PostAsJsonAsync("/api/experiments", new { method = TestMethods.Name })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PatchAsJsonAsync("/api/users/bob", new { disabled = true })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await bob.GetAsync("/api/me")).StatusCode);
        // and bad requests are named
        var badRole = await admin.PatchAsJsonAsync("/api/users/ann", new { role = "Owner" });
        Assert.Equal(HttpStatusCode.BadRequest, badRole.StatusCode);
        Assert.Contains("one of Admin, Researcher, Reviewer, Viewer", await badRole.Content.ReadAsStringAsync());
        var selfDemote = await admin.PatchAsJsonAsync("/api/users/root", new { role = "Viewer" });
        Assert.Equal(HttpStatusCode.BadRequest, selfDemote.StatusCode);
        var badToken = await ann.PostAsJsonAsync("/api/tokens", new { name = "", expiresInDays = 0 });
        Assert.Equal(HttpStatusCode.BadRequest, badToken.StatusCode);
        Assert.Contains("expiresInDays", await badToken.Content.ReadAsStringAsync());
    }
}
