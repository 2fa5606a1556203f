// weblab admin create [--user NAME] [--role ROLE] [--WebLab:DataDirectory=DIR …]: makes an account (default role Admin:
// the way to the first admin on a headless machine). The password is asked twice without echo; from a pipe, two lines.
// weblab admin list: the accounts, their roles and states.
using WebLab.Web.Features.Accounts;

namespace WebLab.Cli.Verbs;

public static class AdminVerb
{
    public static int Run(string[] args, TextReader input, TextWriter output)
    {
        if (args.Length > 0 && args[0] == "list")
        {
            foreach (var u in AdminAccounts.ListAsync(args[1..]).GetAwaiter().GetResult())
                output.WriteLine($"{u.UserName}\t{u.Role}\t{(u.Disabled ? "disabled" : "active")}\t{u.CreatedAt:yyyy-MM-dd}");
            return 0;
        }
        if (args.Length == 0 || args[0] != "create")
            throw new CliException("admin: `admin create [--user NAME] [--role Admin|Researcher|Reviewer|Viewer]` or `admin list`");
        string? Value(string flag)
        {
            var i = Array.IndexOf(args, flag);
            if (i < 0) return null;
            return i + 1 < args.Length ? args[i + 1] : throw new CliException($"admin create: {flag} needs a value");
        }
        var given = Value("--role") ?? LabRoles.Admin;
        var role = LabRoles.Parse(given) ?? throw new CliException($"admin create: --role is one of {string.Join(", ", LabRoles.All)}; got '{given}'");
        var hostArgs = new List<string>();   // the rest configures the lab (appsettings keys)
        for (var j = 1; j < args.Length; j++)
            if (args[j] is "--user" or "--role") j++;
            else hostArgs.Add(args[j]);

        var user = Value("--user") ?? Ask("User name: ", input, output, secret: false);
        var password = Ask($"Password (at least {AccountService.MinPasswordLength} characters): ", input, output, secret: true);
        if (Ask("Password again: ", input, output, secret: true) != password) throw new CliException("admin create: the two passwords differ; nothing was made");

        var errors = AdminAccounts.CreateAsync(new(user, password, role), [.. hostArgs]).GetAwaiter().GetResult();
        if (errors is not null) throw new CliException("admin create: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
        output.WriteLine($"created {role} '{user.Trim()}'; sign in at the lab's /signin");
        return 0;
    }

    // Typed at a terminal: no echo. From a pipe or a file: one line each.
    static string Ask(string prompt, TextReader input, TextWriter output, bool secret)
    {
        output.Write(prompt);
        if (!secret || !ReferenceEquals(input, Console.In) || Console.IsInputRedirected)
        {
            var line = input.ReadLine() ?? throw new CliException("admin create: input ended before " + prompt.TrimEnd(' ', ':').ToLowerInvariant());
            if (secret && ReferenceEquals(input, Console.In)) output.WriteLine();
            return line;
        }
        var typed = new System.Text.StringBuilder();
        for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
            if (key.Key == ConsoleKey.Backspace) { if (typed.Length > 0) typed.Length--; }
            else if (!char.IsControl(key.KeyChar)) typed.Append(key.KeyChar);
        output.WriteLine();
        return typed.ToString();
    }
}
