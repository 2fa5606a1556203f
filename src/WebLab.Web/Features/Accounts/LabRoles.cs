// Who may do what. Four roles, one per person (Admin ⊃ Researcher's rights; Reviewer and Viewer read everything):
//   Admin       users and roles, the Hangfire dashboard, every run
//   Researcher  launch, clone, cancel, resume, rename, tag and delete their own runs; review; notes
//   Reviewer    review verdicts and samples; notes
//   Viewer      read only
namespace WebLab.Web.Features.Accounts;

public static class LabRoles
{
    public const string Admin = "Admin", Researcher = "Researcher", Reviewer = "Reviewer", Viewer = "Viewer";
    public static readonly string[] All = [Admin, Researcher, Reviewer, Viewer];

    /// <summary>The role as spelled here, or null (case-insensitive: "reviewer" → "Reviewer").</summary>
    public static string? Parse(string? role) => All.FirstOrDefault(r => string.Equals(r, role, StringComparison.OrdinalIgnoreCase));
}

/// <summary>Authorization policy names; endpoints and pages name these, never roles directly.</summary>
public static class LabPolicies
{
    /// <summary>Signed in with any of the four roles: every page and read (the fallback policy).</summary>
    public const string Read = "read";
    /// <summary>Admin or Researcher: launch, cancel, resume, delete, rename.</summary>
    public const string Launch = "launch";
    /// <summary>Admin, Researcher or Reviewer: review verdicts and samples, write notes.</summary>
    public const string Review = "review";
    /// <summary>Admin: users, the Hangfire dashboard.</summary>
    public const string Admin = "admin";
    /// <summary>A worker host's token (none of the four roles): POST /api/workers/hello alone.</summary>
    public const string Worker = "worker";

    public static readonly IReadOnlyDictionary<string, string[]> Roles = new Dictionary<string, string[]>
    {
        [Read] = LabRoles.All,
        [Launch] = [LabRoles.Admin, LabRoles.Researcher],
        [Review] = [LabRoles.Admin, LabRoles.Researcher, LabRoles.Reviewer],
        [Admin] = [LabRoles.Admin],
    };
}

/// <summary>The checks the server makes and the pages mirror (to hide what a role cannot do).</summary>
public static class LabAccess
{
    public static bool Allows(System.Security.Claims.ClaimsPrincipal user, string policy) => LabPolicies.Roles[policy].Any(user.IsInRole);

    /// <summary>As above for an account's role names (a host that reads them from the store, not from a request).</summary>
    public static bool Allows(IEnumerable<string> roles, string policy) => LabPolicies.Roles[policy].Intersect(roles).Any();

    /// <summary>The user's roles as shown to people ("Reviewer"), or "no role".</summary>
    public static string RoleText(System.Security.Claims.ClaimsPrincipal user) =>
        string.Join(", ", LabRoles.All.Where(user.IsInRole)) is { Length: > 0 } roles ? roles : "no role";

    /// <summary>An Admin may change any run; a Researcher the runs they launched.</summary>
    public static bool MayChange(System.Security.Claims.ClaimsPrincipal user, string? createdBy) =>
        user.IsInRole(LabRoles.Admin) || user.IsInRole(LabRoles.Researcher) && createdBy is not null && createdBy == user.Identity?.Name;
}

/// <summary>An action the signed-in user's role or ownership does not allow; the API answers 403 with the message.</summary>
public sealed class ForbiddenActionException(string message) : Exception(message);
