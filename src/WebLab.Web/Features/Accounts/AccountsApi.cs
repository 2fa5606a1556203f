// Who am I, my password and API tokens, and (Admin) the users: GET /api/me, POST /api/me/password; GET/POST /api/tokens,
// DELETE /api/tokens/{id}; GET/POST /api/users, PATCH and DELETE /api/users/{userName}, POST /api/users/{userName}/password
// and /unlock; GET /api/audit/accounts (every password change, reset, unlock and removal).
using System.Security.Claims;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using WebLab.Web.Data;
using WebLab.Web.Features.Experiments;
using WebLab.Web.Infrastructure;

namespace WebLab.Web.Features.Accounts;

public sealed record MeDto(string UserName, IReadOnlyList<string> Roles, AuthMode AuthMode);

public static class AccountsApi
{
    public static IEndpointRouteBuilder MapAccountsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Accounts");
        api.MapGet("/me", (ClaimsPrincipal user, IOptions<WebLabOptions> options) =>
            new MeDto(user.Identity!.Name!, LabRoles.All.Where(user.IsInRole).ToList(), options.Value.Auth.Mode));

        api.MapGet("/tokens", async (ClaimsPrincipal user, WebLabDb db) =>
            UserId(user) is { } id ? Results.Ok(await ApiTokens.OfAsync(db, id)) : NoAccount());
        api.MapPost("/tokens", async (ClaimsPrincipal user, HttpRequest http, IOptions<JsonOptions> json, WebLabDb db) =>
        {
            if (UserId(user) is not { } id) return NoAccount();
            var (request, error) = await RequestBody.ReadAsync<CreateTokenRequest>(http, json);
            if (request is null) return error!;
            if (ApiTokens.Check(request) is { } errors) return TypedResults.ValidationProblem(errors);
            var created = await ApiTokens.CreateAsync(db, id, request);
            return TypedResults.Created($"/api/tokens/{created.Token.Id}", created);
        }).Accepts<CreateTokenRequest>("application/json").Produces<CreatedApiToken>(201);
        api.MapDelete("/tokens/{id:long}", async (long id, ClaimsPrincipal user, WebLabDb db) =>
            UserId(user) is not { } userId ? NoAccount()
            : await ApiTokens.RevokeAsync(db, userId, id) ? Results.NoContent()
            : TypedResults.Problem($"you have no token {id}", statusCode: 404));

        api.MapPost("/me/password", async (ClaimsPrincipal user, HttpRequest http, IOptions<JsonOptions> json, AccountService accounts) =>
        {
            if (UserId(user) is null) return NoAccount();
            var (request, error) = await RequestBody.ReadAsync<ChangePasswordRequest>(http, json);
            if (request is null) return error!;
            return await accounts.ChangePasswordAsync(user.Identity!.Name!, request) is { } errors ? TypedResults.ValidationProblem(errors) : Results.NoContent();
        }).Accepts<ChangePasswordRequest>("application/json");
        api.MapGet("/audit/accounts", async (WebLabDb db) => await Audit.AuditTrail.OfAccountsAsync(db)).RequireAuthorization(LabPolicies.Admin);

        var users = api.MapGroup("/users").RequireAuthorization(LabPolicies.Admin);
        users.MapPost("/{userName}/password", async (string userName, HttpRequest http, IOptions<JsonOptions> json, AccountService accounts) =>
        {
            var (request, error) = await RequestBody.ReadAsync<ResetPasswordRequest>(http, json);
            if (request is null) return error!;
            return Outcome(userName, await accounts.ResetPasswordAsync(userName, request));
        }).Accepts<ResetPasswordRequest>("application/json");
        users.MapPost("/{userName}/unlock", async (string userName, AccountService accounts) => Outcome(userName, await accounts.UnlockAsync(userName)));
        users.MapDelete("/{userName}", async (string userName, ClaimsPrincipal user, AccountService accounts) =>
            Outcome(userName, await accounts.RemoveAsync(userName, user.Identity!.Name!)));
        users.MapGet("/", async (AccountService accounts) => await accounts.ListAsync());
        users.MapPost("/", async (HttpRequest http, IOptions<JsonOptions> json, AccountService accounts) =>
        {
            var (request, error) = await RequestBody.ReadAsync<CreateUserRequest>(http, json);
            if (request is null) return error!;
            return await accounts.CreateAsync(request) is { } errors ? TypedResults.ValidationProblem(errors)
                : Results.Created($"/api/users/{Uri.EscapeDataString(request.UserName!.Trim())}", null);
        }).Accepts<CreateUserRequest>("application/json");
        users.MapPatch("/{userName}", async (string userName, ClaimsPrincipal user, HttpRequest http, IOptions<JsonOptions> json, AccountService accounts) =>
        {
            var (request, error) = await RequestBody.ReadAsync<EditUserRequest>(http, json);
            if (request is null) return error!;
            var (found, errors) = await accounts.EditAsync(userName, request, user.Identity!.Name!);
            return !found ? TypedResults.Problem($"no user {userName}", statusCode: 404)
                : errors is not null ? TypedResults.ValidationProblem(errors) : Results.NoContent();
        }).Accepts<EditUserRequest>("application/json");
        return app;
    }

    /// <summary>The signed-in account's id; null for the anonymous user of Mode None, who has no account.</summary>
    public static string? UserId(ClaimsPrincipal user) =>
        AuthSchemes.IsLocalUser(user) ? null : user.FindFirstValue(ClaimTypes.NameIdentifier);

    static IResult Outcome(string userName, (bool Found, Dictionary<string, string[]>? Errors) r) =>
        !r.Found ? TypedResults.Problem($"no user {userName}", statusCode: 404)
        : r.Errors is not null ? TypedResults.ValidationProblem(r.Errors) : Results.NoContent();

    static IResult NoAccount() => TypedResults.Problem("WebLab:Auth:Mode is None: there are no accounts, so no tokens", statusCode: 409);
}
