// In Chromium, with sign-in required: the lab sends a stranger to the sign-in form; a Reviewer signs in there, sees who
// they are, no way to launch, change or delete a run, and reviews a verdict under their own name (no name to type);
// a Viewer sees the verdict without review buttons and cannot open the New experiment page.
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WebLab.Web.Data;
using WebLab.Web.Features.Accounts;
using WebLab.Web.Features.Review;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Accounts;

public sealed class SignInBrowserTests : BrowserTest
{
    public SignInBrowserTests() => Lab.Settings["WebLab:Auth:Mode"] = "Required";

    static async Task SignInAsync(IPage page, string baseUrl, string user)
    {
        await page.GotoAsync($"{baseUrl}/signin");
        await page.Locator("[data-testid=signin-user]").FillAsync(user);
        await page.Locator("[data-testid=signin-password]").FillAsync(SignedInLab.Password);
        await page.Locator("[data-testid=signin-submit]").ClickAsync();
    }

    [Fact]
    public async Task Each_role_sees_only_what_it_may_do()
    {
        long id = 0;
        await InBrowserAsync("signin-roles", async (page, baseUrl) =>
        {
            // a stranger is sent to the form, and comes back where they were going
            await page.GotoAsync($"{baseUrl}/experiments/{id}");
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin\\?ReturnUrl="));
            await page.Locator("[data-testid=signin-user]").FillAsync("rita");
            await page.Locator("[data-testid=signin-password]").FillAsync("wrong password!");
            await page.Locator("[data-testid=signin-submit]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=auth-error]")).ToHaveTextAsync("Wrong user name or password.");
            await BrowserTest.ScreenshotAsync(page, "signin.png");
            await page.Locator("[data-testid=signin-password]").FillAsync(SignedInLab.Password);
            await page.Locator("[data-testid=signin-submit]").ClickAsync();

            await Assertions.Expect(page.Locator("[data-testid=signed-in-as]")).ToContainTextAsync("rita · Reviewer");
            await Assertions.Expect(page.Locator("[data-testid=experiment-name]")).ToHaveTextAsync("ann's run");
            await Assertions.Expect(page.Locator("[data-testid=anonymous-banner]")).ToHaveCountAsync(0);
            foreach (var hidden in new[] { "nav-new", "delete", "clone", "rename", "tags-edit", "nav-hangfire", "nav-users" })
                await Assertions.Expect(page.Locator($"[data-testid={hidden}]")).ToHaveCountAsync(0);

            await page.GetByRole(AriaRole.Tab, new() { Name = "Evaluation" }).ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=reviewing-as]")).ToContainTextAsync("rita");
            await Assertions.Expect(page.Locator("input[data-testid=reviewer-name]")).ToHaveCountAsync(0);
            await page.Locator("[data-testid=verdict-list]").GetByText("rev abcd").ClickAsync();
            await page.Locator("[data-testid=review-agree]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=review-history] tbody tr").First).ToContainTextAsync("rita");
            await BrowserTest.ScreenshotAsync(page, "signed-in-reviewer.png");

            // a Viewer: no review buttons, and the New experiment page refuses them
            await page.GotoAsync($"{baseUrl}/signout");
            await page.Locator("[data-testid=signout-confirm]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=signin-user]")).ToBeVisibleAsync();
            await SignInAsync(page, baseUrl, "vic");
            await Assertions.Expect(page.Locator("[data-testid=signed-in-as]")).ToContainTextAsync("vic · Viewer");
            await page.GotoAsync($"{baseUrl}/experiments/{id}");
            await page.GetByRole(AriaRole.Tab, new() { Name = "Evaluation" }).ClickAsync();
            await page.Locator("[data-testid=verdict-list]").GetByText("rev abcd").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=verdict-detail]")).ToContainTextAsync("rev abcd");
            await Assertions.Expect(page.Locator("[data-testid=review-agree]")).ToHaveCountAsync(0);
            var refused = await page.GotoAsync($"{baseUrl}/experiments/new");
            Assert.Equal(403, refused!.Status);
            Assert.Contains("vic (Viewer) may not do this", await page.ContentAsync());
        }, seed: async () =>
        {
            await Lab.UserWithTokenAsync("rita", LabRoles.Reviewer);
            await Lab.UserWithTokenAsync("vic", LabRoles.Viewer);
            id = await Lab.SeedRunAsync("ann's run", "grpo", steps: 10, rows: (db, run) => db.Verdicts.Add(new Verdict
            {
                ExperimentId = run, Step = 10, Split = "rev", Prompt = "rev abcd", TrainedAnswer = "dcba", BaseAnswer = "dcab", TrainedShownFirst = true,
                Judge = "tinytasks-verifier", Outcome = "win", Rationale = "trained correct", Expected = "dcba", TrainedCorrect = true, BaseCorrect = false,
            }));
            await using var db = await Lab.Services.GetRequiredService<IDbContextFactory<WebLabDb>>().CreateDbContextAsync();
            await db.Experiments.Where(e => e.Id == id).ExecuteUpdateAsync(s => s.SetProperty(e => e.CreatedBy, "ann"));
        });
    }

    [Fact]
    public async Task An_admin_makes_an_account_and_a_token_that_works_until_revoked()
    {
        Lab.Settings["WebLab:Auth:FirstAdmin:UserName"] = "boss";
        Lab.Settings["WebLab:Auth:FirstAdmin:Password"] = SignedInLab.Password;
        await InBrowserAsync("signin-admin", async (page, baseUrl) =>
        {
            await SignInAsync(page, baseUrl, "boss");
            await Assertions.Expect(page.Locator("[data-testid=signed-in-as]")).ToContainTextAsync("boss · Admin");

            // the Users page: a short password is refused with Identity's reason, then the account is made
            await page.Locator("[data-testid=nav-users]").ClickAsync();
            await page.Locator("input[data-testid=user-name]").FillAsync("ann");
            await page.Locator("input[data-testid=user-password]").FillAsync("short");
            await page.Locator("[data-testid=user-create]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=user-error]")).ToContainTextAsync("at least 12 characters");
            await page.Locator("input[data-testid=user-password]").FillAsync(SignedInLab.Password);
            await page.Locator("[data-testid=user-create]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=user-row]")).ToHaveCountAsync(2);
            await Assertions.Expect(page.Locator("[data-testid=users]")).ToContainTextAsync("Researcher");

            // the Profile page: a token shown once works over the API until it is revoked here
            await page.Locator("[data-testid=nav-profile]").ClickAsync();
            await page.Locator("input[data-testid=token-name]").FillAsync("laptop");
            await page.Locator("input[data-testid=token-days]").FillAsync("30");
            await page.Locator("[data-testid=token-create]").ClickAsync();
            var secret = await page.Locator("[data-testid=token-secret]").InnerTextAsync();
            Assert.StartsWith("wl_", secret, StringComparison.Ordinal);
            using var api = new HttpClient { BaseAddress = new Uri(baseUrl) };
            api.DefaultRequestHeaders.Authorization = new("Bearer", secret);
            Assert.Contains("\"boss\"", await api.GetStringAsync("/api/me"));
            await BrowserTest.ScreenshotAsync(page, "profile-tokens.png");
            await page.Locator("[data-testid=token-revoke]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=token-row]")).ToContainTextAsync("revoked");
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await api.GetAsync("/api/me")).StatusCode);
        });
    }
}
