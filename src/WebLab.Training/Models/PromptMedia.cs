// Media in prompts: what a prompt carries beside its token ids (an image now, other kinds later), and where each
// medium sits once prompts are packed into a batch. The policy's encoder turns them into embeddings at those positions.
namespace WebLab.Training.Models;

/// <summary>
/// One medium of a prompt: its kind ("image"), where it is read from (a file path or URI), and the run of placeholder
/// tokens [<paramref name="Start"/>, Start + <paramref name="Length"/>) of the prompt whose embeddings it supplies.
/// </summary>
public sealed record PromptMedia(string Kind, string Source, int Start, int Length)
{
    public const string Image = "image";
}

/// <summary>A prompt's medium placed in a packed batch: its row, and the column its placeholder run starts at.</summary>
public sealed record MediaSlot(int Row, int Column, PromptMedia Media);
