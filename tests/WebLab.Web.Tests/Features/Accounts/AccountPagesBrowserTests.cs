// In Chromium, with sign-in required (issue 27, defect 9): an Admin resets a forgotten password on the Users page; the
// person signs in with it and changes it on their Profile page; the Admin then removes another account; the audit trail
// names every action.
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WebLab.Web.Features.Accounts;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Accounts;

public sealed class AccountPagesBrowserTests : BrowserTest
{
    public AccountPagesBrowserTests() => Lab.Settings["WebLab:Auth:Mode"] = "Required";

    static async Task SignInAsync(IPage page, string baseUrl, string user, string password)
    {
        await page.GotoAsync($"{baseUrl}/signin");
        await page.Locator("[data-testid=signin-user]").FillAsync(user);
        await page.Locator("[data-testid=signin-password]").FillAsync(password);
        await page.Locator("[data-testid=signin-submit]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=signed-in-as]")).ToContainTextAsync(user);
    }

    [Fact]
    public async Task An_admin_resets_and_removes_accounts_and_a_user_changes_their_password()
    {
        await InBrowserAsync("account-pages", async (page, baseUrl) =>
        {
            await SignInAsync(page, baseUrl, "root", SignedInLab.Password);
            await page.GotoAsync($"{baseUrl}/admin/users");
            await page.Locator("input[data-testid=user-reset-password-bea]").FillAsync("reset by root 2026");
            await page.Locator("[data-testid=user-reset-bea]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=user-done]")).ToContainTextAsync("Done");
            await page.Locator("[data-testid=user-remove-cal]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=user-remove-cal]")).ToContainTextAsync("sure?");
            await page.Locator("[data-testid=user-remove-cal]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=user-row]", new() { HasText = "cal" })).ToHaveCountAsync(0);
            await ScreenshotAsync(page, "users-page.png");

            await page.GotoAsync($"{baseUrl}/signout");
            await page.Locator("[data-testid=signout-confirm]").ClickAsync();
            await SignInAsync(page, baseUrl, "bea", "reset by root 2026");
            await page.GotoAsync($"{baseUrl}/profile");
            await page.Locator("input[data-testid=password-current]").FillAsync("reset by root 2026");
            await page.Locator("input[data-testid=password-new]").FillAsync("bea's own passphrase");
            await page.Locator("[data-testid=password-change]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=password-changed]")).ToBeVisibleAsync();
        }, seed: async () =>
        {
            await Lab.UserWithTokenAsync("root", LabRoles.Admin);
            await Lab.UserWithTokenAsync("bea", LabRoles.Researcher);
            await Lab.UserWithTokenAsync("cal", LabRoles.Reviewer);
        });

        await using var scope = Lab.Services.CreateAsyncScope();                  // the lab served Kestrel: read its records directly
        var audit = (await WebLab.Web.Features.Audit.AuditTrail.OfAccountsAsync(scope.ServiceProvider.GetRequiredService<WebLab.Web.Data.WebLabDb>()))
            .Select(a => (a.Actor, a.Action)).ToList();
        Assert.Equal([("root", "password-reset"), ("root", "account-removed"), ("bea", "password")], audit);
    }
}
