// Sample images: GET /api/images/{source} returns the image a prompt's media source names, as PNG. A procedural source
// ("tinyscenes:cRB00;…") is drawn again, byte for byte as training saw it, and cached for a year; an unknown scheme is
// 404, a bad code 400 with the reason. A file source (a visual chat domain's data: a path, or an image it wrote from
// embedded bytes) is served only when it lies inside the folders runs may read (WebLab:PathRoots and the data directory,
// symbolic links followed) and decodes as an image; it is re-encoded as PNG, so no other bytes of any file go out.
// Anything else is 404, saying why.
using SkiaSharp;
using WebLab.Training.Domains.TinyScenes;
using WebLab.Training.Models.Vision;
using WebLab.Web.Data;

namespace WebLab.Web.Features.Images;

public static class ImagesApi
{
    public static IEndpointRouteBuilder MapImagesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/images/{source}", (string source, HttpContext http, LabPaths paths) =>
        {
            if (source.StartsWith(SceneCode.Scheme, StringComparison.Ordinal))
            {
                Scene scene;
                try { scene = SceneCode.Decode(source); }
                catch (FormatException e) { return Results.Problem(e.Message, statusCode: 400); }
                http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
                return Results.File(SceneRenderer.Png(scene), "image/png");
            }
            // routing decodes a segment except its %2F: a file source's slashes arrive escaped
            var path = source.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
            if (!Path.IsPathFullyQualified(path) || !paths.IsAllowed(path) || !File.Exists(path))
                return Results.Problem($"no image source '{path}': a scene code ({SceneCode.Scheme}…) or an image file inside the folders runs may read", statusCode: 404);
            try
            {
                using var bitmap = ImagePixels.Decode(File.ReadAllBytes(path));
                using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
                http.Response.Headers.CacheControl = "private, max-age=3600";
                return Results.File(data.ToArray(), "image/png");
            }
            catch (InvalidDataException) { return Results.Problem($"'{path}' is not an image", statusCode: 404); }
        }).WithTags("Images");
        return app;
    }

    /// <summary>The URL of a media source's image.</summary>
    public static string Url(string source) => "/api/images/" + Uri.EscapeDataString(source);
}
