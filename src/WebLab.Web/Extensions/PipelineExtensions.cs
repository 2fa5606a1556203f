// The request pipeline and endpoints: static assets, Blazor, API, hub, Hangfire dashboard.
using Hangfire;
using Hangfire.Dashboard;
using WebLab.Web.Components;
using WebLab.Web.Features.Accounts;
using WebLab.Web.Features.Images;
using WebLab.Web.Features.Experiments;
using WebLab.Web.Features.Methods;
using WebLab.Web.Features.Review;
using WebLab.Web.Features.Queue;
using WebLab.Web.Features.Workers;
using WebLab.Web.Features.RunGroups;
using WebLab.Web.Features.Sweeps;

namespace WebLab.Web.Extensions;

public static class PipelineExtensions
{
    public static WebApplication MapWebLab(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseWebLabSecurityHeaders();
        app.UseStatusCodePages(ErrorPages.StatusCodeAsync);     // a page in words for browsers, problem-JSON for the API
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.UseRateLimiter();
        app.MapStaticAssets().AllowAnonymous();   // styles and scripts are no secret; everything else needs sign-in (fallback policy)
        app.MapAuthPages();
        app.MapOpenApi();
        app.MapAccountsApi();
        app.MapMethodsApi();
        app.MapExperimentsApi();
        app.MapReviewApi();
        app.MapSweepsApi();
        app.MapResultsApi();
        app.MapQueueApi();
        app.MapWorkersApi();
        app.MapExportApi();
        app.MapImagesApi();
        app.MapHub<ExperimentsHub>("/hubs/experiments");
        // Hangfire's dashboard can delete and requeue jobs: Admins only (its own filter and the endpoint policy both say so)
        app.MapHangfireDashboard("/hangfire", new DashboardOptions { Authorization = [new AdminDashboard()], AppPath = "/" })
            .RequireAuthorization(LabPolicies.Admin);
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    sealed class AdminDashboard : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(LabRoles.Admin);
    }
}
