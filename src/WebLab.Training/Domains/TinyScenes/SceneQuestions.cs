// TinyScenes questions: six families with verifiable answers, drawn from a caller-seeded System.Random (deterministic).
// The language-prior knob `yesShare` sets how often a yes/no question (exist, position, compare) is answered "yes", so
// a model can score well on the training distribution while ignoring the image; a split drawn with 1 − yesShare is
// built against that prior.
namespace WebLab.Training.Domains.TinyScenes;

public enum SceneFamily { Count, Color, Exist, Position, Compare, Sum }

public sealed record SceneItem(Scene Scene, SceneFamily Family, string Question, string Answer)
{
    public bool IsYesNo => Family is SceneFamily.Exist or SceneFamily.Position or SceneFamily.Compare;
}

public static class SceneQuestions
{
    public const string Yes = "yes", No = "no";

    /// <summary>The language prior of the built-in domain: 80% of yes/no questions are answered "yes".</summary>
    public const double DefaultYesShare = 0.8;

    const int Attempts = 10_000;   // a scene that admits the wanted answer turns up in a few draws; this bounds a bug

    public static Scene RandomScene(Random rng, int minObjects = 1)
    {
        var n = rng.Next(minObjects, Scene.MaxObjects + 1);
        var cells = Enumerable.Range(0, Scene.Grid * Scene.Grid).OrderBy(_ => rng.Next()).Take(n).Order().ToList();
        return new Scene(cells.Select(c => new SceneObject(
            (SceneShape)rng.Next(3), (SceneColor)rng.Next(4), (SceneSize)rng.Next(2), c / Scene.Grid, c % Scene.Grid)).ToList());
    }

    public static SceneItem Generate(Random rng, SceneFamily family, double yesShare = DefaultYesShare)
    {
        var wantYes = rng.NextDouble() < yesShare;            // drawn for every family, so a seed's stream does not depend on the prior's use
        for (int attempt = 0; attempt < Attempts; attempt++)
        {
            var scene = RandomScene(rng, family is SceneFamily.Position ? 2 : 1);
            var item = family switch
            {
                SceneFamily.Count => Count(rng, scene),
                SceneFamily.Color => Color(rng, scene),
                SceneFamily.Exist => Exist(rng, scene, wantYes),
                SceneFamily.Position => Position(rng, scene, wantYes),
                SceneFamily.Compare => Compare(rng, scene, wantYes),
                SceneFamily.Sum => Sum(rng, scene),
                _ => throw new ArgumentOutOfRangeException(nameof(family)),
            };
            if (item is not null) return item;
        }
        throw new InvalidOperationException($"no {family} question found in {Attempts} scenes");
    }

    static SceneItem Count(Random rng, Scene s) => rng.Next(3) switch
    {
        0 => new(s, SceneFamily.Count, "how many shapes?", s.Count().ToString()),
        1 when (SceneColor)rng.Next(4) is var c => new(s, SceneFamily.Count, $"how many {c.Word()} shapes?", s.Count(color: c).ToString()),
        _ when (SceneShape)rng.Next(3) is var sh => new(s, SceneFamily.Count, $"how many {sh.Plural()}?", s.Count(shape: sh).ToString()),
        _ => throw new InvalidOperationException(),
    };

    /// <summary>"what color is the circle?": asked only of a shape the scene has exactly once.</summary>
    static SceneItem? Color(Random rng, Scene s)
    {
        var single = s.Objects.Where(o => s.Count(shape: o.Shape) == 1).ToList();
        if (single.Count == 0) return null;
        var o = single[rng.Next(single.Count)];
        return new(s, SceneFamily.Color, $"what color is the {o.Shape.Word()}?", o.Color.Word());
    }

    static SceneItem Exist(Random rng, Scene s, bool wantYes)
    {
        if (wantYes)
        {
            var o = s.Objects[rng.Next(s.Objects.Count)];
            return new(s, SceneFamily.Exist, $"is there a {o.Name}?", Yes);
        }
        var absent = (from sh in Enum.GetValues<SceneShape>() from c in Enum.GetValues<SceneColor>()
                      where s.Count(sh, c) == 0 select (sh, c)).ToList();  // never empty: 12 kinds, at most 4 objects
        var (shape, color) = absent[rng.Next(absent.Count)];
        return new(s, SceneFamily.Exist, $"is there a {color.Word()} {shape.Word()}?", No);
    }

    static readonly string[] Relations = ["left of", "right of", "above", "below"];

    public static bool Holds(string relation, SceneObject a, SceneObject b) => relation switch
    {
        "left of" => a.Col < b.Col,
        "right of" => a.Col > b.Col,
        "above" => a.Row < b.Row,
        "below" => a.Row > b.Row,
        _ => throw new ArgumentOutOfRangeException(nameof(relation)),
    };

    /// <summary>"is the red circle left of the blue square?": between two objects whose colour and shape name each once.</summary>
    static SceneItem? Position(Random rng, Scene s, bool wantYes)
    {
        var named = s.Objects.Where(o => s.Count(o.Shape, o.Color) == 1).ToList();
        var options = (from a in named from b in named where a != b from r in Relations where Holds(r, a, b) == wantYes select (a, b, r)).ToList();
        if (options.Count == 0) return null;
        var (x, y, rel) = options[rng.Next(options.Count)];
        return new(s, SceneFamily.Position, $"is the {x.Name} {rel} the {y.Name}?", wantYes ? Yes : No);
    }

    /// <summary>"are there more circles than squares?"</summary>
    static SceneItem? Compare(Random rng, Scene s, bool wantYes)
    {
        var options = (from a in Enum.GetValues<SceneShape>() from b in Enum.GetValues<SceneShape>()
                       where a != b && (s.Count(shape: a) > s.Count(shape: b)) == wantYes select (a, b)).ToList();
        if (options.Count == 0) return null;
        var (x, y) = options[rng.Next(options.Count)];
        return new(s, SceneFamily.Compare, $"are there more {x.Plural()} than {y.Plural()}?", wantYes ? Yes : No);
    }

    /// <summary>
    /// The answer to <paramref name="family"/>'s <paramref name="question"/> about <paramref name="scene"/>, read from the
    /// question's words: what a reader of a description would answer from the scene it describes. A named object the scene
    /// lacks makes a relation "no" and a colour "none".
    /// </summary>
    public static string Answer(Scene scene, SceneFamily family, string question)
    {
        var w = question.TrimEnd('?').Split(' ');
        SceneShape Shape(string word) => Enum.Parse<SceneShape>(word.EndsWith('s') ? word[..^1] : word, ignoreCase: true);
        SceneColor Color(string word) => Enum.Parse<SceneColor>(word, ignoreCase: true);
        SceneObject? Named(string color, string shape) => scene.Objects.FirstOrDefault(o => o.Color == Color(color) && o.Shape == Shape(shape));
        string YesNo(bool b) => b ? Yes : No;
        return family switch
        {
            SceneFamily.Count when w.Length == 3 && w[2] == "shapes" => scene.Count().ToString(),
            SceneFamily.Count when w.Length == 4 => scene.Count(color: Color(w[2])).ToString(),
            SceneFamily.Count => scene.Count(shape: Shape(w[2])).ToString(),
            SceneFamily.Color => scene.Objects.Where(o => o.Shape == Shape(w[4])).ToList() is [var one] ? one.Color.Word() : None,
            SceneFamily.Exist => YesNo(scene.Count(Shape(w[4]), Color(w[3])) > 0),
            SceneFamily.Position => Named(w[2], w[3]) is { } a && Named(w[^2], w[^1]) is { } b ? YesNo(Holds(string.Join(' ', w[4..^3]), a, b)) : No,
            SceneFamily.Compare => YesNo(scene.Count(shape: Shape(w[3])) > scene.Count(shape: Shape(w[5]))),
            SceneFamily.Sum => (scene.Count(shape: Shape(w[2])) + scene.Count(shape: Shape(w[4]))).ToString(),
            _ => throw new ArgumentOutOfRangeException(nameof(family)),
        };
    }

    public const string None = "none";

    /// <summary>The family a question's words belong to: "how many circles and squares?" is Sum, "how many …" Count, "what
    /// color is …" Color, "is there a …" Exist, "is the …" Position, "are there more …" Compare.</summary>
    public static SceneFamily FamilyOf(string question) => question switch
    {
        _ when question.StartsWith("how many ", StringComparison.Ordinal) && question.Contains(" and ", StringComparison.Ordinal) => SceneFamily.Sum,
        _ when question.StartsWith("how many ", StringComparison.Ordinal) => SceneFamily.Count,
        _ when question.StartsWith("what color is the ", StringComparison.Ordinal) => SceneFamily.Color,
        _ when question.StartsWith("is there a ", StringComparison.Ordinal) => SceneFamily.Exist,
        _ when question.StartsWith("is the ", StringComparison.Ordinal) => SceneFamily.Position,
        _ when question.StartsWith("are there more ", StringComparison.Ordinal) => SceneFamily.Compare,
        _ => throw new ArgumentException($"not a TinyScenes question: '{question}'", nameof(question)),
    };

    /// <summary>Arithmetic on counts: "how many circles and squares?" is the sum of the two counts.</summary>
    static SceneItem Sum(Random rng, Scene s)
    {
        var a = (SceneShape)rng.Next(3);
        var b = (SceneShape)(((int)a + 1 + rng.Next(2)) % 3);
        return new(s, SceneFamily.Sum, $"how many {a.Plural()} and {b.Plural()}?", (s.Count(shape: a) + s.Count(shape: b)).ToString());
    }
}
