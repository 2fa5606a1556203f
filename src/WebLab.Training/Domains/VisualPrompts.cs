// The response formats a visual domain asks in, as Vision-SR1 (arXiv 2508.19652) and its Vision-R1 baseline write them,
// verbatim from the public code (shared/reference/VISION-SR1.md), and the description the second pass reads. They live
// with the domains, not the method: a domain's tokenizer and cold start are built from them, and a method only uses them.
using System.Text.RegularExpressions;

namespace WebLab.Training.Domains;

public static partial class VisualPrompts
{
    /// <summary>
    /// First pass (train_examples/format_prompt/see_think_format.jinja), appended after the question with the image
    /// between them. The three "\n" are literal backslash-n characters in the file, kept as they are; the dash is U+2014.
    /// </summary>
    public const string SeeThink =
        "You are tasked with analyzing an image/video to generate a detailed description to help you answer the question. First analyze the image/video and produce a self-contained description\u2014detailed enough that can lead to the correct answer. Wrap the entire description in <description> </description> tags.\\n Next, engage in an internal dialogue and include self-reflection or verification in your reasoning process. Provide your detailed, step-by-step reasoning based on the image/video description information and image/video, and enclose this part within <think> </think> tags.\\n Finally, provide a single word or phrase answer to the question in \\boxed{}.\\nThe output format should be: <description> image/video description here </description> <think> reasoning process here </think> \\boxed{FINAL ANSWER here}.";

    /// <summary>Vision-R1's chain-of-thought instruction (train_examples/format_prompt/cot_format.jinja).</summary>
    public const string ChainOfThought =
        "You FIRST think about the reasoning process as an internal monologue and then provide the final answer. The reasoning process MUST BE enclosed within <think> </think> tags. The final answer MUST BE put in \\boxed{}.";

    /// <summary>The Jinja template's `{{ content | trim }} INSTRUCTION`: the question, trimmed, then the instruction.</summary>
    public static string FirstPass(string question, string instruction) => $"{question.Trim()} {instruction}";

    /// <summary>Second pass, text only (verl/trainer/ray_trainer.py); "\n" here are real newlines.</summary>
    public static string CaptionReasoner(string description, string question) =>
        $"Text description: {description}\nQuestion: {question}\nYou are provided a text description of a problem and a question. Determine the answer to the question based on the text description. First provide an internal step-by-step reasoning within <think> </think> tags, then provide a single word or phrase answer in \\boxed{{}}.";

    /// <summary>
    /// The first &lt;description&gt;…&lt;/description&gt; of a first-pass response, stripped. Without one, the public code hands the
    /// whole response to the second pass, answer included (a reward-hacking path): <paramref name="wholeResponseWhenMissing"/>
    /// does the same; the default gives the second pass an empty description. Missing is reported either way.
    /// </summary>
    public static (string Description, bool Missing) Description(string response, bool wholeResponseWhenMissing = false)
    {
        var m = DescriptionTag().Match(response);
        if (m.Success) return (m.Groups[1].Value.Trim(), false);
        return (wholeResponseWhenMissing ? response : "", true);
    }

    [GeneratedRegex(@"<description>([\s\S]*?)</description>")]
    private static partial Regex DescriptionTag();
}
