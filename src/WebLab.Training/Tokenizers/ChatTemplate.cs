// Chat prompts for the two template families this lab renders: Llama 3 (header tokens, <|eot_id|>) and ChatML
// (<|im_start|>role … <|im_end|>, Qwen). A template is recognised only when tokenizer_config.json's chat_template is,
// character for character, one whose output this file reproduces (known by sha256), or when the user declares the
// family; any other template is a clear error, never a guess (Jinja is not evaluated here).
using System.Security.Cryptography;
using System.Text;

namespace WebLab.Training.Tokenizers;

public enum ChatFamily { Llama3, ChatMl }

/// <summary>One turn; <paramref name="Images"/> images go before its text (content [image…, text], as a VLM's chat is written).</summary>
public sealed record ChatMessage(string Role, string Content, int Images = 0);

public sealed class ChatTemplate
{
    /// <summary>Known templates by sha256 of their text (see tests/…/ChatTemplateTests against the fixtures' files).</summary>
    static readonly Dictionary<string, (string Name, ChatFamily Family, string? DefaultSystem, bool AlwaysPrompt, bool Images)> Known = new()
    {
        // Meta-Llama-3 (the tokenizer_config.json of meta-llama/Meta-Llama-3-8B): bos, a header per message, content
        // trimmed, and the assistant header appended whether or not a generation prompt is asked for.
        ["b48c47f6443892716176eb200bf4ef108f64e06ca26ed0fa8ebc0a4b3992fcb2"] = ("llama3", ChatFamily.Llama3, null, true, false),
        // Qwen2.5 (Instruct): ChatML with a default system message when the conversation has none (no tools).
        ["cd8e9439f0570856fd70470bf8889ebd8b5d1107207f67a5efb46e342330527f"] =
            ("qwen2.5", ChatFamily.ChatMl, "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.", false, false),
        // Qwen2-VL / Qwen2.5-VL (Instruct): ChatML with "You are a helpful assistant." when the first message is not a system
        // one, and each image as <|vision_start|><|image_pad|><|vision_end|> (the processor then widens the pad to the
        // image's token count); add_vision_id off, no video.
        ["a0bc6f6fc7a29a80017a433e8f03a1cc1236e838a944a2d034295a60c4f2fddb"] = ("qwen2.5-vl", ChatFamily.ChatMl, "You are a helpful assistant.", false, true),
    };

    /// <summary>An image's mark in a rendered Qwen-VL prompt: one image_pad, widened to the image's count when tokenised.</summary>
    public const string ImageMark = "<|vision_start|><|image_pad|><|vision_end|>";
    public const string ImagePad = "<|image_pad|>";

    public ChatFamily Family { get; }
    /// <summary>"llama3", "qwen2.5", or "declared llama3" when the user named the family.</summary>
    public string Name { get; }
    /// <summary>The system message a template inserts when the conversation has none (Qwen2.5), or null.</summary>
    public string? DefaultSystem { get; }
    /// <summary>Whether the template renders images (Qwen-VL's; a declared ChatML family renders them the same way).</summary>
    public bool ReadsImages { get; }
    readonly string? _bos;
    readonly bool _alwaysPrompt;

    ChatTemplate(string name, ChatFamily family, string? defaultSystem, bool alwaysPrompt, string? bos, bool images) =>
        (Name, Family, DefaultSystem, _alwaysPrompt, _bos, ReadsImages) = (name, family, defaultSystem, alwaysPrompt, bos, images);

    /// <summary>
    /// The template for <paramref name="template"/> (tokenizer_config.json's chat_template); <paramref name="declared"/>
    /// renders that family instead (Llama 3 with <paramref name="bosToken"/>, ChatML without a default system message).
    /// </summary>
    public static ChatTemplate Recognise(string? template, string? bosToken, ChatFamily? declared = null)
    {
        if (declared is { } family)
            return new ChatTemplate($"declared {family.ToString().ToLowerInvariant()}", family, null, false, bosToken, family == ChatFamily.ChatMl);
        if (template is null)
            throw new InvalidDataException("tokenizer_config.json has no chat_template; declare the family (llama3 or chatml) to render chat prompts");
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(template)));
        if (!Known.TryGetValue(hash, out var k))
            throw new InvalidDataException($"the chat_template of tokenizer_config.json (sha256 {hash[..12]}…) is not one this lab renders; declare its family (llama3 or chatml) if it is one of them");
        return new ChatTemplate(k.Name, k.Family, k.DefaultSystem, k.AlwaysPrompt, bosToken, k.Images);
    }

    /// <summary>The prompt text for <paramref name="messages"/>, ending with the assistant's header when asked (tokenise with added tokens on).</summary>
    public string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt = true)
    {
        if (messages.Count == 0) throw new ArgumentException("a chat prompt needs at least one message", nameof(messages));
        foreach (var m in messages)
        {
            if (m.Role is not ("system" or "user" or "assistant"))
                throw new ArgumentException($"chat role '{m.Role}' is not one of system, user, assistant", nameof(messages));
            if (m.Images > 0 && !ReadsImages)
                throw new ArgumentException($"the {Name} chat template renders no images; a prompt with one needs a vision-language model's template (Qwen2.5-VL's)", nameof(messages));
        }
        var text = new StringBuilder();
        if (Family == ChatFamily.Llama3)
        {
            text.Append(_bos);
            foreach (var m in messages)
                text.Append("<|start_header_id|>").Append(m.Role).Append("<|end_header_id|>\n\n").Append(m.Content.Trim()).Append("<|eot_id|>");
            if (addGenerationPrompt || _alwaysPrompt) text.Append("<|start_header_id|>assistant<|end_header_id|>\n\n");
        }
        else
        {
            bool hasSystem = messages[0].Role == "system";
            if (!hasSystem && DefaultSystem is not null) text.Append("<|im_start|>system\n").Append(DefaultSystem).Append("<|im_end|>\n");
            foreach (var m in messages)
            {
                text.Append("<|im_start|>").Append(m.Role).Append('\n');
                for (int i = 0; i < m.Images; i++) text.Append(ImageMark);
                text.Append(m.Content).Append("<|im_end|>\n");
            }
            if (addGenerationPrompt) text.Append("<|im_start|>assistant\n");
        }
        return text.ToString();
    }

    /// <summary>The tokens that end an assistant turn in this family (generation stops on any of them).</summary>
    public IReadOnlyList<string> StopTokens => Family == ChatFamily.Llama3 ? ["<|eot_id|>", "<|end_of_text|>"] : ["<|im_end|>", "<|endoftext|>"];
}
