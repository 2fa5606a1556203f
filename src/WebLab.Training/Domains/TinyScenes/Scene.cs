// A TinyScenes scene: up to four shapes on a 3 × 3 grid of cells, each with a colour and a size, and its ground-truth
// description (what a perfect <description> would say: every object, its size, colour, shape and place).
namespace WebLab.Training.Domains.TinyScenes;

public enum SceneShape { Circle, Square, Triangle }

public enum SceneColor { Red, Green, Blue, Yellow }

public enum SceneSize { Small, Big }

/// <summary>One object in grid cell (<paramref name="Row"/>, <paramref name="Col"/>), both 0–2, row 0 at the top.</summary>
public sealed record SceneObject(SceneShape Shape, SceneColor Color, SceneSize Size, int Row, int Col)
{
    public string Name => $"{Color.Word()} {Shape.Word()}";
}

public sealed record Scene(IReadOnlyList<SceneObject> Objects)
{
    public const int Grid = 3, MaxObjects = 4;

    static readonly string[,] Places =
    {
        { "top left", "top", "top right" },
        { "left", "center", "right" },
        { "bottom left", "bottom", "bottom right" },
    };

    public static string Place(int row, int col) => Places[row, col];

    /// <summary>The ground truth, objects in reading order, each place first: "top left: big red circle. center: small blue
    /// square." (Place first: a describer names the next occupied cell, then reads that cell's object.)</summary>
    public string Describe() => Objects.Count == 0 ? "no shapes." :
        string.Join(" ", Objects.OrderBy(o => o.Row).ThenBy(o => o.Col)
            .Select(Describe));

    public static string Describe(SceneObject o) => $"{Place(o.Row, o.Col)}: {o.Size.Word()} {o.Color.Word()} {o.Shape.Word()}.";

    /// <summary>Whether <paramref name="description"/> has <paramref name="o"/>'s sentence as one of its own (whole sentences:
    /// "left: big red circle." is not in "top left: big red circle.").</summary>
    public static bool Mentions(string description, SceneObject o) =>
        description.Split('.', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Contains(Describe(o).TrimEnd('.'));

    public int Count(SceneShape? shape = null, SceneColor? color = null) =>
        Objects.Count(o => (shape is null || o.Shape == shape) && (color is null || o.Color == color));
}

public static class SceneWords
{
    public static string Word(this SceneShape s) => s.ToString().ToLowerInvariant();
    public static string Word(this SceneColor c) => c.ToString().ToLowerInvariant();
    public static string Word(this SceneSize s) => s.ToString().ToLowerInvariant();
    public static string Plural(this SceneShape s) => s.Word() + "s";
}
