// A person with an account: ASP.NET Core Identity's user in the lab's own SQLite file (EF migrations as for every record).
using Microsoft.AspNetCore.Identity;

namespace WebLab.Web.Features.Accounts;

public sealed class LabUser : IdentityUser
{
    public DateTimeOffset CreatedAt { get; set; }
}

/// <param name="LockedOut">Locked for a while after failed sign-ins (Identity's lockout); an Admin may unlock it at once.</param>
public sealed record UserDto(string UserName, string Role, bool Disabled, DateTimeOffset CreatedAt, bool LockedOut = false);
