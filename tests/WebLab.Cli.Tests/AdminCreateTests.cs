// `weblab admin create`: the first admin of a lab, made on the machine without the web host; the password read twice
// (from a pipe here), refused when the two differ or it is short, and nothing made then.
using WebLab.Cli;
using WebLab.Cli.Verbs;
using WebLab.Web.Features.Accounts;

namespace WebLab.Cli.Tests;

public sealed class AdminCreateTests : IDisposable
{
    readonly TempFolder dir = new("weblab-admin-");

    public void Dispose() => dir.Dispose();

    int Create(string input, params string[] args)
    {
        var output = new StringWriter();
        return AdminVerb.Run(["create", .. args, $"--WebLab:DataDirectory={dir.Path}", "--Logging:LogLevel:Default=Warning"], new StringReader(input), output);
    }

    [Fact]
    public async Task Admin_create_makes_an_account_from_what_is_typed_and_refuses_bad_passwords()
    {
        Assert.Contains("differ", Assert.Throws<CliException>(() => Create("root\ncorrect horse battery\ncorrect horse batterY\n")).Message);
        Assert.Contains("at least 12 characters", Assert.Throws<CliException>(() => Create("short\nshort\n", "--user", "root")).Message);
        Assert.Contains("--role is one of", Assert.Throws<CliException>(() => Create("", "--role", "Owner")).Message);

        Assert.Equal(0, Create("root\ncorrect horse battery\ncorrect horse battery\n"));
        Assert.Equal(0, Create("correct horse battery\ncorrect horse battery\n", "--user", "rita", "--role", "reviewer"));

        // they exist, once each, with their roles
        Assert.Contains("already taken", Assert.Throws<CliException>(() => Create("correct horse battery\ncorrect horse battery\n", "--user", "root")).Message);
        var accounts = await AdminAccounts.ListAsync([$"--WebLab:DataDirectory={dir.Path}", "--Logging:LogLevel:Default=Warning"]);
        Assert.Equal([("rita", "Reviewer"), ("root", "Admin")], accounts.Select(a => (a.UserName, a.Role)));
    }
}
