// The LSP paper's two prompts, verbatim (arXiv 2509.07414, Box 1 and Box 3; ../shared/reference/LSP.md): the Challenger
// prompt with its {task} and {template} slots, and the quality self-reward prompt the reference model answers with an
// additive 0–7 score between <Score> tags. Only the slots are filled here; nothing else is reworded.
using System.Text.RegularExpressions;

namespace WebLab.Training.Domains.Chat;

public static partial class LspPrompts
{
    const string ChallengerText = @"<ChallengerPrompt>
Background
Language tasks take form of a tuple (input, output). Given an input, the language agent produces an output that addresses the request posed by the input. For example, in a question answering task, the input is a question, and the output is an answer to the question. In essay title generation, the input is an essay, and the output is a title that captures the essence of that essay.
Request
Generate an input for the language task '{task}' that will be passed to another language agent. That is, your response to this prompt MUST be a valid input for the language task. The input can be easy, intermediate, hard, or simply noisy. It should stress-test the agent or push it think outside of the box. Note that in this run you will generate ONLY a single example.
Details
Below, between tags [Start Generation] and [End Generation], you will find a template that you MUST follow while generating the input - you will copy the text of the template (WITHOUT the tags) and fill out the template's placeholders marked by curly braces {} with your own generated content. For example, if the placeholder is {ice cream flavor}, you should generate a name of an ice cream flavor.
[Start Generation] '{template}' [End Generation]
Final Remarks
Do NOT generate a response (an output), hints, or leak information together with the input you generate. The input must NOT request actions that cannot be performed by a language agent. Stop generating immediately once your response fulfills the template. Your response must NOT include [Start Generation] and [End Generation] tags. Follow the template strictly unless both the task and template are None or empty (when you should generate an input according to your best judgment). Now, as a response to this prompt, generate a single input for the language task '{task}', following the template.
</ChallengerPrompt>";

    const string QualityText = @"Review the user-assistant interaction (user's instruction and the corresponding response) and score it using the additive 7-point integer scoring system described below. The base score is 0. Points are accumulated based on the satisfaction of each binary criterion (+1 if the criterion is met and 0 otherwise):
1. +1 iff the user's task is clearly identifiable from the instruction.
2. +1 iff the instruction is clear, specific, and well-structured.
3. +1 iff it is clear that this user will be able to understand the response.
4. +1 iff the response addresses a significant portion of the user's question but is not necessarily fully complete.
5. +1 iff the response usefully and comprehensively answers the core elements of the question.
6. +1 iff the response is clearly written, concise, well-organized, and helpful.
7. +1 iff this user will most likely like the form and the style of the response.
<Instruction>{instruction}</Instruction>
<Response>{response}</Response>
After examining the user's instruction and the response:
- Briefly justify your scores, using up to 100 words in total. Remember the score for each criterion.
- Write down the calculation adding up all individual points between <Calculation> and </Calculation> tags (e.g. <Calculation>1+0+1+0+1+1+0=4</Calculation>). The result is the total score. MAKE SURE THE CALCULATION IS CORRECT!
- Conclude with the total score value, from 0 to 7, between <Score> and </Score> tags (e.g. <Score>4</Score>). THE CORRECT FORMAT IS CRUCIAL!";

    /// <summary>Box 1 with '{task}' and '{template}' filled (empty for open-ended instruction following, as the paper implies).</summary>
    public static string Challenger(string task, string template) =>
        ChallengerText.Replace("'{task}'", $"'{task}'").Replace("'{template}'", $"'{template}'");

    /// <summary>Box 3 with the instruction and the response filled.</summary>
    public static string Quality(string instruction, string response) =>
        QualityText.Replace("<Instruction>{instruction}</Instruction>", $"<Instruction>{instruction}</Instruction>")
                   .Replace("<Response>{response}</Response>", $"<Response>{response}</Response>");

    /// <summary>The total between &lt;Score&gt; and &lt;/Score&gt; (the last such pair; an integer 0–7), or null when there is none.</summary>
    public static int? ParseScore(string judgement)
    {
        var matches = ScoreTag().Matches(judgement);
        if (matches.Count == 0) return null;
        return int.TryParse(matches[^1].Groups[1].Value, out var s) && s is >= 0 and <= 7 ? s : null;
    }

    [GeneratedRegex(@"<Score>\s*(\d+)\s*</Score>")]
    private static partial Regex ScoreTag();
}
