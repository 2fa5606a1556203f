// A prompt as a policy reads it: token ids, and the media (an image now) whose embeddings go on placeholder runs of
// those ids. Generation, log-probs, rollouts and the domains pass prompts in this form; text-only prompts carry no media.
using WebLab.Training.Models;

namespace WebLab.Training.Generation;

public sealed record Prompt
{
    /// <param name="tokens">At least one id (e.g. BOS); a medium's placeholder run is part of them.</param>
    /// <param name="media">Each medium with the run of <paramref name="tokens"/> it fills; runs must lie inside the tokens.</param>
    public Prompt(int[] tokens, IReadOnlyList<PromptMedia>? media = null)
    {
        Tokens = tokens;
        Media = media ?? [];
        if (Media.FirstOrDefault(m => m.Start < 0 || m.Length < 1 || m.Start + m.Length > tokens.Length) is { } bad)
            throw new ArgumentException($"{bad.Kind} run [{bad.Start}, {bad.Start + bad.Length}) lies outside the prompt's {tokens.Length} tokens");
    }

    public int[] Tokens { get; }
    public IReadOnlyList<PromptMedia> Media { get; }
    public int Length => Tokens.Length;

    /// <summary>
    /// A prompt from ids holding one <paramref name="padId"/> per image where the images stand (a Qwen-VL chat prompt's
    /// <c>&lt;|image_pad|&gt;</c>), each widened to the run the <paramref name="processor"/> gives its image, in order.
    /// </summary>
    public static Prompt WithImages(int[] ids, int padId, IReadOnlyList<string> sources, IMediaProcessor processor)
    {
        var marks = ids.Select((id, i) => (id, i)).Where(p => p.id == padId).Select(p => p.i).ToArray();
        if (marks.Length != sources.Count)
            throw new ArgumentException($"the prompt marks {marks.Length} image(s) (token {padId}) but {sources.Count} image(s) were given");
        var tokens = new List<int>();
        var media = new List<PromptMedia>();
        int at = 0;
        foreach (var (mark, source) in marks.Zip(sources))
        {
            tokens.AddRange(ids[at..mark]);
            var run = processor.Placeholders(PromptMedia.Image, source);
            media.Add(new PromptMedia(PromptMedia.Image, source, tokens.Count, run.Length));
            tokens.AddRange(run);
            at = mark + 1;
        }
        tokens.AddRange(ids[at..]);
        return new Prompt([.. tokens], media);
    }

    /// <summary>A prompt of token ids only.</summary>
    public static Prompt Text(int[] tokens) => new(tokens);

    /// <summary>This prompt's media in a batch, its tokens placed in <paramref name="row"/> from column <paramref name="offset"/> (left padding).</summary>
    public IEnumerable<MediaSlot> SlotsAt(int row, int offset) => Media.Select(m => new MediaSlot(row, offset + m.Start, m));

    /// <summary>Every prompt's media slots, each prompt in its own row from its column offset; null when no prompt has media.</summary>
    public static IReadOnlyList<MediaSlot>? Slots(IReadOnlyList<Prompt> prompts, Func<int, int> offset)
    {
        var slots = prompts.SelectMany((p, r) => p.SlotsAt(r, offset(r))).ToList();
        return slots.Count == 0 ? null : slots;
    }
}
