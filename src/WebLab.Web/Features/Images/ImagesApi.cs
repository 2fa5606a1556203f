// Sample images: GET /api/images/{source} draws the image a prompt's media source names, as PNG. Sources are procedural
// ("tinyscenes:cRB00;…": the scene is drawn again, byte for byte as training saw it), so nothing is read from a path a
// request names; an unknown scheme is 404, a bad code 400 with the reason. Immutable, so cached for a year.
using WebLab.Training.Domains.TinyScenes;

namespace WebLab.Web.Features.Images;

public static class ImagesApi
{
    public static IEndpointRouteBuilder MapImagesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/images/{source}", (string source, HttpContext http) =>
        {
            if (!source.StartsWith(SceneCode.Scheme, StringComparison.Ordinal))
                return Results.Problem($"no image source '{source}': sources are drawn, never read from a path (known scheme: {SceneCode.Scheme})", statusCode: 404);
            Scene scene;
            try { scene = SceneCode.Decode(source); }
            catch (FormatException e) { return Results.Problem(e.Message, statusCode: 400); }
            http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
            return Results.File(SceneRenderer.Png(scene), "image/png");
        }).WithTags("Images");
        return app;
    }

    /// <summary>The URL of a media source's image.</summary>
    public static string Url(string source) => "/api/images/" + Uri.EscapeDataString(source);
}
