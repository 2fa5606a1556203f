// A parsed TinyTasks instruction (family + argument strings) and a generated example with its answer and level.
namespace WebLab.Training.Domains.TinyTasks;

/// <summary>A valid instruction: its family and its arguments as written (words, letters or canonical numbers).</summary>
/// <param name="Family">The family.</param>
/// <param name="Args">Arguments after the family word: <c>[word]</c>, <c>[letter, word]</c> or numbers, canonical decimal.</param>
/// <remarks>Build one with <see cref="TinyTaskParser.Parse"/> or <see cref="TinyTaskGenerator"/>; equality is by <see cref="Instruction"/>.</remarks>
public sealed record TinyTask(TinyTaskFamily Family, IReadOnlyList<string> Args)
{
    /// <summary>The canonical instruction text, e.g. <c>cnt a banana</c>.</summary>
    public string Instruction => Family.Name() + " " + string.Join(' ', Args);

    /// <summary>The one correct answer.</summary>
    public string Answer => TinyTaskSolver.Answer(this);

    /// <summary>Estimated difficulty level, 1..6 (<see cref="TinyTaskDifficulty.Estimate"/>).</summary>
    public int Level => TinyTaskDifficulty.Estimate(this);

    /// <inheritdoc/>
    public bool Equals(TinyTask? other) => other is not null && Instruction == other.Instruction;

    /// <inheritdoc/>
    public override int GetHashCode() => Instruction.GetHashCode(StringComparison.Ordinal);

    /// <inheritdoc/>
    public override string ToString() => Instruction;
}

/// <summary>One generated item: instruction, its answer, its family and the level it was generated at.</summary>
/// <param name="Instruction">Canonical instruction text, e.g. <c>rev abc</c>.</param>
/// <param name="Answer">Its exact answer, e.g. <c>cba</c>.</param>
/// <param name="Family">Its family.</param>
/// <param name="Level">The level 1..6 it was generated at (equals <see cref="TinyTaskDifficulty.Estimate"/>).</param>
public sealed record TinyTaskExample(string Instruction, string Answer, TinyTaskFamily Family, int Level);
