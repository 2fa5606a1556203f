// `weblab admin create`: makes an account straight in the lab's database (the first admin of a lab that has none, or
// any account an Admin on this machine wants), without the web host. Whoever can run it can already read the data folder.
using WebLab.Web.Data;
using WebLab.Web.Extensions;

namespace WebLab.Web.Features.Accounts;

public static class AdminAccounts
{
    /// <summary>Creates the account in the lab the host arguments configure; the errors by field, or null.</summary>
    public static Task<Dictionary<string, string[]>?> CreateAsync(CreateUserRequest request, string[]? args = null, CancellationToken ct = default) =>
        WithAccountsAsync(args, accounts => accounts.CreateAsync(request), ct);

    /// <summary>The lab's accounts and their roles (`weblab admin list`).</summary>
    public static Task<List<UserDto>> ListAsync(string[]? args = null, CancellationToken ct = default) =>
        WithAccountsAsync(args, accounts => accounts.ListAsync(ct), ct);

    static async Task<T> WithAccountsAsync<T>(string[]? args, Func<AccountService, Task<T>> work, CancellationToken ct)
    {
        var builder = Host.CreateApplicationBuilder(args ?? []);
        builder.AddWebLabData();
        builder.AddWebLabAccounts();
        using var host = builder.Build();
        await DbInitializer.InitializeAsync(host.Services, failInterruptedRuns: false, ct);
        await using var scope = host.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<AccountService>());
    }
}
