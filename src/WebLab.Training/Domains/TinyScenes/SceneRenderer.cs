// Draws a scene with Skia: a 48 × 48 RGB image, one 16-pixel cell per grid place (so a 16-pixel patch encoder sees one
// cell a patch), big shapes 12 pixels across, small ones 6, on a light grey ground; antialiasing off, so the pixels are
// exactly the colours named. PNG bytes for storage and the pages; a [3, 48, 48] float array in [0, 1] for the model.
using SkiaSharp;

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

    /// <summary>Channels-first pixels in [0, 1]: index (c · 48 + y) · 48 + x, c = R, G, B.</summary>
    public static float[] Pixels(Scene scene)
    {
        using var bitmap = Render(scene);
        return Pixels(bitmap);
    }

    /// <summary>Pixels of a decoded image (for example a stored PNG), resized to 48 × 48 when it is another size.</summary>
    public static float[] Pixels(SKBitmap bitmap)
    {
        using var sized = bitmap.Width == Size && bitmap.Height == Size ? null : bitmap.Resize(new SKImageInfo(Size, Size), new SKSamplingOptions(SKFilterMode.Linear));
        var b = sized ?? bitmap;
        var x = new float[3 * Size * Size];
        for (int y = 0; y < Size; y++)
            for (int col = 0; col < Size; col++)
            {
                var p = b.GetPixel(col, y);
                x[(0 * Size + y) * Size + col] = p.Red / 255f;
                x[(1 * Size + y) * Size + col] = p.Green / 255f;
                x[(2 * Size + y) * Size + col] = p.Blue / 255f;
            }
        return x;
    }

    /// <summary>Decodes PNG bytes; a clear error for bytes that are not an image.</summary>
    public static SKBitmap Decode(byte[] png)
    {
        using var data = SKData.CreateCopy(png);
        using var codec = SKCodec.Create(data) ?? throw new InvalidDataException($"not a decodable image ({png.Length} bytes)");
        return SKBitmap.Decode(codec) ?? throw new InvalidDataException($"the image could not be decoded ({png.Length} bytes)");
    }
}
