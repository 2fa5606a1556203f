// A scene as a short code ("cRB00;sbS11": shape c/s/t, colour r/g/b/y, size S/B, row, column per object), so a prompt's
// image source names its scene ("tinyscenes:cRB00;sbS11") and its pixels or PNG are drawn again on demand, identically:
// no image files to keep beside a run, and the lab serves a sample's image without reading any path a request names.
using System.Runtime.CompilerServices;
using WebLab.Training.Models.Vision;

namespace WebLab.Training.Domains.TinyScenes;

public static class SceneCode
{
    public const string Scheme = "tinyscenes:";

    /// <summary>A vision encoder reads "tinyscenes:…" sources by drawing the scene (at load: no call order to get right).</summary>
#pragma warning disable CA2255 // a library's own registration, deliberately at load: the encoder may meet a source first
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void RegisterImages() => ImagePixels.RegisterScheme(Scheme, (source, size) =>
    {
        using var bitmap = SceneRenderer.Render(Decode(source));
        return ImagePixels.FromBitmap(bitmap, size);
    });

    public static string Encode(Scene s) => string.Join(";", s.Objects.Select(o =>
        $"{"cst"[(int)o.Shape]}{"rgby"[(int)o.Color]}{"SB"[(int)o.Size]}{o.Row}{o.Col}"));

    public static string Source(Scene s) => Scheme + Encode(s);

    /// <summary>Parses a code (with or without the scheme); a clear error for anything else.</summary>
    public static Scene Decode(string code)
    {
        if (code.StartsWith(Scheme, StringComparison.Ordinal)) code = code[Scheme.Length..];
        if (code.Length == 0) return new Scene([]);
        var parts = code.Split(';');
        if (parts.Length > Scene.MaxObjects) throw new FormatException($"scene code with {parts.Length} objects; at most {Scene.MaxObjects}");
        var objects = parts.Select(p =>
        {
            if (p.Length != 5 || "cst".IndexOf(p[0]) < 0 || "rgby".IndexOf(p[1]) < 0 || "SB".IndexOf(p[2]) < 0 || p[3] is < '0' or > '2' || p[4] is < '0' or > '2')
                throw new FormatException($"bad scene object '{p}' (shape c/s/t, colour r/g/b/y, size S/B, row 0-2, column 0-2)");
            return new SceneObject((SceneShape)"cst".IndexOf(p[0]), (SceneColor)"rgby".IndexOf(p[1]), (SceneSize)"SB".IndexOf(p[2]), p[3] - '0', p[4] - '0');
        }).ToList();
        if (objects.GroupBy(o => (o.Row, o.Col)).Any(g => g.Count() > 1)) throw new FormatException("two scene objects share a cell");
        return new Scene(objects);
    }
}
