// A lab with sign-in required (WebLab:Auth:Mode Required) and helpers that make accounts and API tokens straight through
// the lab's own services, for tests of who may do what.
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using WebLab.Web.Data;
using WebLab.Web.Features.Accounts;

namespace WebLab.Web.Tests.Infrastructure;

public static class SignedInLab
{
    /// <summary>A fresh lab that requires sign-in (set before it starts).</summary>
    public static LabFactory Create(params (string Key, string Value)[] settings)
    {
        var lab = new LabFactory();
        lab.Settings["WebLab:Auth:Mode"] = "Required";
        foreach (var (k, v) in settings) lab.Settings[k] = v;
        return lab;
    }

    public const string Password = "correct horse battery";

    /// <summary>Makes the account <paramref name="userName"/> with <paramref name="role"/> and returns an API token for it.</summary>
    public static async Task<string> UserWithTokenAsync(this LabFactory lab, string userName, string role, int? expiresInDays = null)
    {
        await using var scope = lab.Services.CreateAsyncScope();
        var errors = await scope.ServiceProvider.GetRequiredService<AccountService>().CreateAsync(new(userName, Password, role));
        Assert.Null(errors);
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<LabUser>>();
        var user = await users.FindByNameAsync(userName);
        var created = await ApiTokens.CreateAsync(scope.ServiceProvider.GetRequiredService<WebLabDb>(), user!.Id, new($"{userName}'s test token", expiresInDays));
        return created.Secret;
    }

    /// <summary>A client that sends <paramref name="token"/> as a bearer token and follows no redirects.</summary>
    public static HttpClient ClientWith(this LabFactory lab, string? token)
    {
        var http = lab.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (token is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }
}
