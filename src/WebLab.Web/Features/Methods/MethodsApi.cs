// GET /api/methods and GET /api/presets: what can be launched, with which options.
using System.Text.Json.Nodes;
using WebLab.Training.Experiments;

namespace WebLab.Web.Features.Methods;

public static class MethodsApi
{
    public static IEndpointRouteBuilder MapMethodsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Methods");
        api.MapGet("/methods", (MethodCatalog catalog, DomainCatalog domains) => catalog.All.Select(m => OptionsSchema.Describe(m, domains)).ToList());
        api.MapGet("/presets", (MethodCatalog catalog) => catalog.All.ToDictionary(m => m.Name, m => m.Presets.Keys.ToDictionary(
            p => p, p => JsonNode.Parse(MethodOptions.ToJson(MethodOptions.Build(m, p, null))))));
        return app;
    }
}
