// The request pipeline and endpoints: static assets, Blazor, API, hub, Hangfire dashboard.
using Hangfire;
using Hangfire.Dashboard;
using WebLab.Web.Components;
using WebLab.Web.Features.Images;
using WebLab.Web.Features.Experiments;
using WebLab.Web.Features.Methods;
using WebLab.Web.Features.Review;
using WebLab.Web.Features.Sweeps;

namespace WebLab.Web.Extensions;

public static class PipelineExtensions
{
    public static WebApplication MapWebLab(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseWebLabSecurityHeaders();
        app.UseStatusCodePages();
        app.UseAntiforgery();
        app.UseRateLimiter();
        app.MapStaticAssets();
        app.MapOpenApi();
        app.MapMethodsApi();
        app.MapExperimentsApi();
        app.MapReviewApi();
        app.MapSweepsApi();
        app.MapExportApi();
        app.MapImagesApi();
        app.MapHub<ExperimentsHub>("/hubs/experiments");
        // A self-hosted lab on a trusted network: the dashboard is open like the rest of the app (no accounts yet).
        app.MapHangfireDashboard("/hangfire", new DashboardOptions { Authorization = [new OpenDashboard()], AppPath = "/" });
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    sealed class OpenDashboard : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => true;
    }
}
