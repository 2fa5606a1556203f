// GET /api/methods, /api/domains and /api/presets: what can be launched, with which options (a run's options are the
// method's and its domain's, side by side in one object).
using System.Text.Json.Nodes;
using WebLab.Training.Experiments;

namespace WebLab.Web.Features.Methods;

public static class MethodsApi
{
    public static IEndpointRouteBuilder MapMethodsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Methods");
        api.MapGet("/methods", (MethodCatalog catalog, DomainCatalog domains) => catalog.All.Select(m => OptionsSchema.Describe(m, domains)).ToList());
        api.MapGet("/domains", (DomainCatalog domains) => domains.All.Select(OptionsSchema.Describe).ToList());
        api.MapGet("/presets", (MethodCatalog catalog) => catalog.All.ToDictionary(m => m.Name, m => m.Presets.Keys.ToDictionary(
            p => p, p => RunSpec.Build(m, p, null).ToJsonObject())));
        return app;
    }
}
