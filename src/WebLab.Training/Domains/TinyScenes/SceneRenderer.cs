// Draws a scene with Skia: a 48 × 48 RGB image, one 16-pixel cell per grid place (so a 16-pixel patch encoder sees one
// cell a patch), big shapes 12 pixels across, small ones 6, on a light grey ground; antialiasing off, so the pixels are
// exactly the colours named. PNG bytes for storage and the pages; a [3, 48, 48] float array in [0, 1] for the model.
using SkiaSharp;
using WebLab.Training.Models.Vision;

namespace WebLab.Training.Domains.TinyScenes;

public static class SceneRenderer
{
    public const int Size = Scene.Grid * Cell, Cell = 16;
    public static readonly SKColor Ground = new(235, 235, 235);

    public static SKColor Rgb(SceneColor c) => c switch
    {
        SceneColor.Red => new SKColor(220, 40, 40),
        SceneColor.Green => new SKColor(40, 170, 60),
        SceneColor.Blue => new SKColor(40, 80, 220),
        SceneColor.Yellow => new SKColor(235, 200, 30),
        _ => throw new ArgumentOutOfRangeException(nameof(c)),
    };

    public static SKBitmap Render(Scene scene)
    {
        var bitmap = new SKBitmap(new SKImageInfo(Size, Size, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(Ground);
        foreach (var o in scene.Objects)
        {
            using var paint = new SKPaint { Color = Rgb(o.Color), IsAntialias = false, Style = SKPaintStyle.Fill };
            float cx = o.Col * Cell + Cell / 2f, cy = o.Row * Cell + Cell / 2f, r = o.Size == SceneSize.Big ? 6f : 3f;
            switch (o.Shape)
            {
                case SceneShape.Circle: canvas.DrawCircle(cx, cy, r, paint); break;
                case SceneShape.Square: canvas.DrawRect(cx - r, cy - r, 2 * r, 2 * r, paint); break;
                case SceneShape.Triangle:
                    using (var builder = new SKPathBuilder())
                    {
                        builder.MoveTo(cx, cy - r);
                        builder.LineTo(cx + r, cy + r);
                        builder.LineTo(cx - r, cy + r);
                        builder.Close();
                        using var path = builder.Detach();
                        canvas.DrawPath(path, paint);
                    }
                    break;
            }
        }
        return bitmap;
    }

    /// <summary>The scene as PNG bytes (deterministic: the same scene gives the same bytes).</summary>
    public static byte[] Png(Scene scene)
    {
        using var bitmap = Render(scene);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>Channels-first pixels [3, 48, 48] in [0, 1] (<see cref="ImagePixels.FromBitmap"/>).</summary>
    public static float[] Pixels(Scene scene)
    {
        using var bitmap = Render(scene);
        return ImagePixels.FromBitmap(bitmap, Size);
    }
}
