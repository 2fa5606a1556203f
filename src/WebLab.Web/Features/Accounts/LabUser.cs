// A person with an account: ASP.NET Core Identity's user in the lab's own SQLite file (EF migrations as for every record).
using Microsoft.AspNetCore.Identity;

namespace WebLab.Web.Features.Accounts;

public sealed class LabUser : IdentityUser
{
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed record UserDto(string UserName, string Role, bool Disabled, DateTimeOffset CreatedAt);
