// Who is acting in this DI scope, and the checks every action makes (the server refuses what the UI hides).
// In an API request the user is the request's; in a Blazor circuit it is the circuit's, carried to the scopes components
// create for each action by CircuitUser (an AsyncLocal set around every inbound UI event); a host may set a trusted name
// (the CLI: "cli:{user}" or its --as user).
using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using WebLab.Web.Features.Experiments.Records;

namespace WebLab.Web.Features.Accounts;

public sealed class CurrentActor(IHttpContextAccessor http)
{
    string? trusted;
    static readonly ClaimsPrincipal Nobody = new(new ClaimsIdentity());

    public ClaimsPrincipal User =>
        CircuitUser.Current ?? (http.HttpContext?.User is { Identity.IsAuthenticated: true } u ? u : Nobody);

    /// <summary>The name written on what this actor does; setting it makes a trusted host actor (the CLI), allowed everything.</summary>
    public string Name
    {
        get => trusted ?? (User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } n } ? n : AuthSchemes.AnonymousName);
        set => trusted = value;
    }

    /// <summary>A real account (not the anonymous user of Mode None, not a host): a review is then signed with its name.</summary>
    public bool IsAccount => trusted is null && User.Identity?.IsAuthenticated == true && !AuthSchemes.IsLocalUser(User);

    public bool Can(string policy) => trusted is not null || LabAccess.Allows(User, policy);

    /// <summary>True when this actor may change run <paramref name="createdBy"/> made: an Admin any, a Researcher their own.</summary>
    public bool CanChange(string? createdBy) => trusted is not null || LabAccess.MayChange(User, createdBy);

    public void Demand(string policy, string what)
    {
        if (!Can(policy)) throw new ForbiddenActionException($"{Name} ({LabAccess.RoleText(User)}) may not {what}");
    }

    public void DemandChange(Experiment run, string what)
    {
        Demand(LabPolicies.Launch, what);
        if (!CanChange(run.CreatedBy))
            throw new ForbiddenActionException($"{Name} may not {what} run #{run.Id}: it was launched by {run.CreatedBy ?? "someone before sign-in existed"}, and only its owner or an Admin may");
    }
}

/// <summary>The signed-in user of the circuit whose UI event is being handled (null outside circuits).</summary>
public static class CircuitUser
{
    static readonly AsyncLocal<ClaimsPrincipal?> current = new();
    public static ClaimsPrincipal? Current => current.Value;

    /// <summary>Sets <see cref="Current"/> around each inbound activity of a circuit (events, JS calls).</summary>
    public sealed class Handler(AuthenticationStateProvider auth) : CircuitHandler
    {
        public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
            async context =>
            {
                current.Value = (await auth.GetAuthenticationStateAsync()).User;
                try { await next(context); }
                finally { current.Value = null; }
            };
    }
}
