// The exact sufficiency judge of issue 26: TinyScenes knows every scene, so whether a description suffices needs no model.
// A description is read as a closed world: each of its sentences of the ground truth's form ("top left: big red circle.")
// states one object, anything else states nothing; the question is answered about the scene of the stated objects, as a
// perfect caption reasoner would; the description is sufficient when that answer is the right one. A missing description
// (no <description> tags) is insufficient. It cannot be gamed by stating the answer ("3.", "yes.") rather than the objects.
namespace WebLab.Training.Domains.TinyScenes;

public static class SceneOracle
{
    /// <summary>Whether <paramref name="description"/> (null: missing) determines <paramref name="answer"/> to <paramref name="question"/>.</summary>
    public static bool Sufficient(string? description, string question, string answer) =>
        description is not null && SceneQuestions.Answer(Stated(description), SceneQuestions.FamilyOf(question), question) == answer;

    /// <summary>The objects a description states, one per sentence "place: size colour shape" (sentences of any other form,
    /// and a second object in a cell already stated, state nothing): "top left: big red circle. a cat." → one red circle.</summary>
    public static Scene Stated(string description)
    {
        var objects = new List<SceneObject>();
        foreach (var sentence in description.Split('.', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            if (Parse(sentence) is { } o && !objects.Any(x => x.Row == o.Row && x.Col == o.Col))
                objects.Add(o);
        return new Scene(objects);
    }

    static SceneObject? Parse(string sentence)
    {
        var colon = sentence.IndexOf(':');
        if (colon < 0) return null;
        var place = sentence[..colon].Trim();
        var words = sentence[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length != 3 || !words.All(w => w.All(char.IsLetter)) || Cell(place) is not { } cell) return null;   // letters only: Enum.TryParse takes "1" too
        return Enum.TryParse<SceneSize>(words[0], ignoreCase: true, out var size) && Enum.TryParse<SceneColor>(words[1], ignoreCase: true, out var color)
            && Enum.TryParse<SceneShape>(words[2], ignoreCase: true, out var shape)
            ? new SceneObject(shape, color, size, cell.Row, cell.Col) : null;
    }

    static (int Row, int Col)? Cell(string place)
    {
        for (int r = 0; r < Scene.Grid; r++)
            for (int c = 0; c < Scene.Grid; c++)
                if (Scene.Place(r, c) == place) return (r, c);
        return null;
    }
}
