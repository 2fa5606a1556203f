// Accounts: create a user with one role, change the role, disable or enable; change one's own password; an Admin resets a
// password, unlocks a locked-out account or removes one (its API tokens go with it). Used by the Users and Profile pages,
// the API, the first-admin set-up and `weblab admin create`. Errors come back keyed by field, in Identity's words; every
// password, unlock and removal is written to the audit trail.
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace WebLab.Web.Features.Accounts;

public sealed record CreateUserRequest(string? UserName, string? Password, string? Role);
public sealed record EditUserRequest(string? Role, bool? Disabled);

public sealed record ChangePasswordRequest(string? Current, string? Password);
public sealed record ResetPasswordRequest(string? Password);

public sealed class AccountService(UserManager<LabUser> users, RoleManager<IdentityRole> roles, Data.WebLabDb db, Audit.AuditTrail audit)
{
    public const int MinPasswordLength = 12, MaxUserName = 64;

    public Task<bool> AnyUserAsync(CancellationToken ct = default) => users.Users.AnyAsync(ct);

    public async Task<List<UserDto>> ListAsync(CancellationToken ct = default)
    {
        var all = await users.Users.OrderBy(u => u.UserName).ToListAsync(ct);
        var list = new List<UserDto>();
        foreach (var u in all)
            list.Add(new(u.UserName!, (await users.GetRolesAsync(u)).FirstOrDefault() ?? "", IsDisabled(u), u.CreatedAt,
                !IsDisabled(u) && u.LockoutEnd > DateTimeOffset.UtcNow));
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

    static bool IsDisabled(LabUser u) => u.LockoutEnd > DateTimeOffset.UtcNow.AddYears(50);

    /// <summary>The signed-in user changes their own password, giving the current one; errors keyed "current" or "password".</summary>
    public async Task<Dictionary<string, string[]>?> ChangePasswordAsync(string userName, ChangePasswordRequest request)
    {
        if (await users.FindByNameAsync(userName) is not { } user) return new() { ["userName"] = [$"no account {userName}"] };
        if (string.IsNullOrEmpty(request.Current)) return new() { ["current"] = ["required"] };
        if (string.IsNullOrEmpty(request.Password)) return new() { ["password"] = ["required"] };
        var changed = await users.ChangePasswordAsync(user, request.Current, request.Password);
        if (!changed.Succeeded)
            return changed.Errors.Any(e => e.Code == "PasswordMismatch") ? new() { ["current"] = ["not the current password"] } : Errors(changed);
        audit.Add(db, Audit.AuditActions.PasswordChanged, $"{userName} changed their password", by: userName);
        await db.SaveChangesAsync();
        return null;
    }

    /// <summary>An Admin sets a new password for <paramref name="userName"/> (who forgot theirs): it also lifts a lockout
    /// after failed sign-ins and signs them out of other browsers.</summary>
    public async Task<(bool Found, Dictionary<string, string[]>? Errors)> ResetPasswordAsync(string userName, ResetPasswordRequest request)
    {
        if (await users.FindByNameAsync(userName) is not { } user) return (false, null);
        if (string.IsNullOrEmpty(request.Password)) return (true, new() { ["password"] = ["required"] });
        // checked first, then swapped: a password the rules refuse never leaves the account without one (no reset token:
        // the Admin acts in person, and a token provider would need data protection in every host, `weblab admin` too)
        foreach (var validator in users.PasswordValidators)
            if (await validator.ValidateAsync(users, user, request.Password) is { Succeeded: false } refused) return (true, Errors(refused));
        await users.RemovePasswordAsync(user);
        var reset = await users.AddPasswordAsync(user, request.Password);
        if (!reset.Succeeded) return (true, Errors(reset));
        if (!IsDisabled(user)) await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        audit.Add(db, Audit.AuditActions.PasswordReset, $"password of {userName} reset");
        await db.SaveChangesAsync();
        return (true, null);
    }

    /// <summary>An Admin lifts the lockout that failed sign-ins put on an account (a disabled account is enabled instead).</summary>
    public async Task<(bool Found, Dictionary<string, string[]>? Errors)> UnlockAsync(string userName)
    {
        if (await users.FindByNameAsync(userName) is not { } user) return (false, null);
        if (IsDisabled(user)) return (true, new() { ["userName"] = [$"{userName} is disabled, not locked out: enable the account instead"] });
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        audit.Add(db, Audit.AuditActions.Unlocked, $"{userName} unlocked");
        await db.SaveChangesAsync();
        return (true, null);
    }

    /// <summary>An Admin removes an account: its API tokens go with it (refused at their next request); runs keep the name
    /// that launched them. An Admin cannot remove themselves, nor the lab's last Admin.</summary>
    public async Task<(bool Found, Dictionary<string, string[]>? Errors)> RemoveAsync(string userName, string actingUser)
    {
        if (await users.FindByNameAsync(userName) is not { } user) return (false, null);
        if (string.Equals(user.UserName, actingUser, StringComparison.Ordinal))
            return (true, new() { ["userName"] = ["an Admin cannot remove themselves (another Admin can)"] });
        if (await users.IsInRoleAsync(user, LabRoles.Admin) && (await users.GetUsersInRoleAsync(LabRoles.Admin)).Count <= 1)
            return (true, new() { ["userName"] = [$"{userName} is the lab's last Admin"] });
        var removed = await users.DeleteAsync(user);
        if (!removed.Succeeded) return (true, Errors(removed));
        audit.Add(db, Audit.AuditActions.AccountRemoved, $"account {userName} removed (its API tokens with it)");
        await db.SaveChangesAsync();
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
