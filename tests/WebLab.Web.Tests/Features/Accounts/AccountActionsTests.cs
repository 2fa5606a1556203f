// Account basics over the API (issue 27, defect 9): a user changes their own password (the current one required); an
// Admin resets a forgotten one, unlocks an account that failed sign-ins locked, and removes an account, whose API tokens
// then stop; each action is in the audit trail with who did it; an Admin cannot remove themselves.
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using WebLab.Web.Features.Accounts;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Accounts;

public sealed class AccountActionsTests : IAsyncLifetime
{
    readonly LabFactory lab = SignedInLab.Create();
    HttpClient admin = default!, bea = default!, cal = default!;

    public async Task InitializeAsync()
    {
        lab.StartServer();
        admin = lab.ClientWith(await lab.UserWithTokenAsync("root", LabRoles.Admin));
        bea = lab.ClientWith(await lab.UserWithTokenAsync("bea", LabRoles.Researcher));
        cal = lab.ClientWith(await lab.UserWithTokenAsync("cal", LabRoles.Reviewer));
    }

    public async Task DisposeAsync() => await lab.DisposeAsync();

    async Task<bool> PasswordIsAsync(string user, string password)
    {
        await using var scope = lab.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<LabUser>>();
        return await users.CheckPasswordAsync((await users.FindByNameAsync(user))!, password);
    }

    [Fact]
    public async Task Change_reset_unlock_and_remove_each_work_and_are_audited()
    {
        // change: the current password is required and checked
        var wrong = await bea.PostAsJsonAsync("/api/me/password", new { current = "not it at all", password = "a brand new passphrase" });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal("not the current password", (string)(await wrong.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["current"]![0]!);
        Assert.Equal(HttpStatusCode.NoContent, (await bea.PostAsJsonAsync("/api/me/password", new { current = SignedInLab.Password, password = "a brand new passphrase" })).StatusCode);
        Assert.True(await PasswordIsAsync("bea", "a brand new passphrase"));

        // reset by an Admin (bea forgot it); only an Admin may
        Assert.Equal(HttpStatusCode.Forbidden, (await cal.PostAsJsonAsync("/api/users/bea/password", new { password = "another passphrase" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsJsonAsync("/api/users/bea/password", new { password = "set by the admin" })).StatusCode);
        Assert.True(await PasswordIsAsync("bea", "set by the admin"));

        // unlock: five failed sign-ins lock cal out; an Admin lifts it at once
        await using (var scope = lab.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<LabUser>>();
            var calUser = (await users.FindByNameAsync("cal"))!;
            for (int i = 0; i < 5; i++) await users.AccessFailedAsync(calUser);
        }
        async Task<JsonObject> Row(string name) => (await admin.ListAsync("/api/users")).Select(u => u!.AsObject()).Single(u => (string)u["userName"]! == name);
        Assert.True((bool)(await Row("cal"))["lockedOut"]!);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync("/api/users/cal/unlock", null)).StatusCode);
        Assert.False((bool)(await Row("cal"))["lockedOut"]!);

        // remove: cal's token works until the account is removed, then is refused; an Admin cannot remove themselves
        Assert.Equal(HttpStatusCode.OK, (await cal.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/users/cal")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await cal.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync("/api/users/cal")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.DeleteAsync("/api/users/root")).StatusCode);

        // the audit trail names each action and who did it
        var audit = (await admin.ListAsync("/api/audit/accounts")).Select(a => ((string)a!["actor"]!, (string)a["action"]!, (string)a["detail"]!)).ToList();
        Assert.Equal([
            ("bea", "password", "bea changed their password"),
            ("root", "password-reset", "password of bea reset"),
            ("root", "unlocked", "cal unlocked"),
            ("root", "account-removed", "account cal removed (its API tokens with it)"),
        ], audit);
    }
}
