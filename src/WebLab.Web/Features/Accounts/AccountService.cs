// Accounts: create a user with one role, change the role, disable or enable; used by the Users page, the API, the
// first-admin set-up and `weblab admin create`. Errors come back keyed by field, in Identity's words.
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace WebLab.Web.Features.Accounts;

public sealed record CreateUserRequest(string? UserName, string? Password, string? Role);
public sealed record EditUserRequest(string? Role, bool? Disabled);

public sealed class AccountService(UserManager<LabUser> users, RoleManager<IdentityRole> roles)
{
    public const int MinPasswordLength = 12, MaxUserName = 64;

    public Task<bool> AnyUserAsync(CancellationToken ct = default) => users.Users.AnyAsync(ct);

    public async Task<List<UserDto>> ListAsync(CancellationToken ct = default)
    {
        var all = await users.Users.OrderBy(u => u.UserName).ToListAsync(ct);
        var list = new List<UserDto>();
        foreach (var u in all)
            list.Add(new(u.UserName!, (await users.GetRolesAsync(u)).FirstOrDefault() ?? "", u.LockoutEnd > DateTimeOffset.UtcNow.AddYears(50), u.CreatedAt));
        return list;
    }

    /// <summary>Creates the user with <paramref name="request"/>'s role; the errors keyed by field, or null.</summary>
    public async Task<Dictionary<string, string[]>?> CreateAsync(CreateUserRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        var role = LabRoles.Parse(request.Role);
        if (role is null) errors["role"] = [$"one of {string.Join(", ", LabRoles.All)}; got \"{request.Role}\""];
        if (string.IsNullOrWhiteSpace(request.UserName)) errors["userName"] = ["required"];
        else if (request.UserName.Trim().Length > MaxUserName) errors["userName"] = [$"at most {MaxUserName} characters"];
        if (string.IsNullOrEmpty(request.Password)) errors["password"] = ["required"];
        if (errors.Count > 0) return errors;
        await EnsureRolesAsync();
        var user = new LabUser { UserName = request.UserName!.Trim(), CreatedAt = DateTimeOffset.UtcNow };
        var created = await users.CreateAsync(user, request.Password!);
        if (!created.Succeeded) return Errors(created);
        await users.AddToRoleAsync(user, role!);
        return null;
    }

    /// <summary>Changes a user's role and/or disables them (a disabled user's cookie and tokens stop at their next check).</summary>
    public async Task<(bool Found, Dictionary<string, string[]>? Errors)> EditAsync(string userName, EditUserRequest request, string actingUser)
    {
        if (await users.FindByNameAsync(userName) is not { } user) return (false, null);
        var role = request.Role is null ? null : LabRoles.Parse(request.Role);
        if (request.Role is not null && role is null) return (true, new() { ["role"] = [$"one of {string.Join(", ", LabRoles.All)}; got \"{request.Role}\""] });
        if (string.Equals(user.UserName, actingUser, StringComparison.Ordinal) && (request.Disabled == true || role is not null && role != LabRoles.Admin))
            return (true, new() { ["userName"] = ["an Admin cannot demote or disable themselves (another Admin can)"] });
        if (role is not null)
        {
            await EnsureRolesAsync();
            await users.RemoveFromRolesAsync(user, await users.GetRolesAsync(user));
            await users.AddToRoleAsync(user, role);
        }
        if (request.Disabled is { } disabled)
        {
            await users.SetLockoutEnabledAsync(user, true);
            await users.SetLockoutEndDateAsync(user, disabled ? DateTimeOffset.MaxValue : null);
        }
        await users.UpdateSecurityStampAsync(user);   // signs them out of other browsers at the next validation
        return (true, null);
    }

    async Task EnsureRolesAsync()
    {
        foreach (var r in LabRoles.All)
            if (!await roles.RoleExistsAsync(r)) await roles.CreateAsync(new IdentityRole(r));
    }

    static Dictionary<string, string[]> Errors(IdentityResult result) => result.Errors
        .GroupBy(e => e.Code.Contains("Password", StringComparison.Ordinal) ? "password" : "userName")
        .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray());
}
