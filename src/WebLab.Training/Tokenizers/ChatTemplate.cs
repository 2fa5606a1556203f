// Chat prompts for the two template families this lab renders: Llama 3 (header tokens, <|eot_id|>) and ChatML
// (<|im_start|>role … <|im_end|>, Qwen). A template is recognised only when tokenizer_config.json's chat_template is,
// character for character, one whose output this file reproduces (known by sha256), or when the user declares the
// family; any other template is a clear error, never a guess (Jinja is not evaluated here).
using System.Security.Cryptography;
using System.Text;

namespace WebLab.Training.Tokenizers;

public enum ChatFamily { Llama3, ChatMl }

public sealed record ChatMessage(string Role, string Content);

public sealed class ChatTemplate
{
    /// <summary>Known templates by sha256 of their text (see tests/…/ChatTemplateTests against the fixtures' files).</summary>
    static readonly Dictionary<string, (string Name, ChatFamily Family, string? DefaultSystem, bool AlwaysPrompt)> Known = new()
    {
        // Meta-Llama-3 (the tokenizer_config.json of meta-llama/Meta-Llama-3-8B): bos, a header per message, content
        // trimmed, and the assistant header appended whether or not a generation prompt is asked for.
        ["b48c47f6443892716176eb200bf4ef108f64e06ca26ed0fa8ebc0a4b3992fcb2"] = ("llama3", ChatFamily.Llama3, null, true),
        // Qwen2.5 (Instruct): ChatML with a default system message when the conversation has none (no tools).
        ["cd8e9439f0570856fd70470bf8889ebd8b5d1107207f67a5efb46e342330527f"] =
            ("qwen2.5", ChatFamily.ChatMl, "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.", false),
    };

    public ChatFamily Family { get; }
    /// <summary>"llama3", "qwen2.5", or "declared llama3" when the user named the family.</summary>
    public string Name { get; }
    /// <summary>The system message a template inserts when the conversation has none (Qwen2.5), or null.</summary>
    public string? DefaultSystem { get; }
    readonly string? _bos;
    readonly bool _alwaysPrompt;

    ChatTemplate(string name, ChatFamily family, string? defaultSystem, bool alwaysPrompt, string? bos) =>
        (Name, Family, DefaultSystem, _alwaysPrompt, _bos) = (name, family, defaultSystem, alwaysPrompt, bos);

    /// <summary>
    /// The template for <paramref name="template"/> (tokenizer_config.json's chat_template); <paramref name="declared"/>
    /// renders that family instead (Llama 3 with <paramref name="bosToken"/>, ChatML without a default system message).
    /// </summary>
    public static ChatTemplate Recognise(string? template, string? bosToken, ChatFamily? declared = null)
    {
        if (declared is { } family)
            return new ChatTemplate($"declared {family.ToString().ToLowerInvariant()}", family, null, false, bosToken);
        if (template is null)
            throw new InvalidDataException("tokenizer_config.json has no chat_template; declare the family (llama3 or chatml) to render chat prompts");
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(template)));
        if (!Known.TryGetValue(hash, out var k))
            throw new InvalidDataException($"the chat_template of tokenizer_config.json (sha256 {hash[..12]}…) is not one this lab renders; declare its family (llama3 or chatml) if it is one of them");
        return new ChatTemplate(k.Name, k.Family, k.DefaultSystem, k.AlwaysPrompt, bosToken);
    }

    /// <summary>The prompt text for <paramref name="messages"/>, ending with the assistant's header when asked (tokenise with added tokens on).</summary>
    public string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt = true)
    {
        if (messages.Count == 0) throw new ArgumentException("a chat prompt needs at least one message", nameof(messages));
        foreach (var m in messages)
            if (m.Role is not ("system" or "user" or "assistant"))
                throw new ArgumentException($"chat role '{m.Role}' is not one of system, user, assistant", nameof(messages));
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
                text.Append("<|im_start|>").Append(m.Role).Append('\n').Append(m.Content).Append("<|im_end|>\n");
            if (addGenerationPrompt) text.Append("<|im_start|>assistant\n");
        }
        return text.ToString();
    }

    /// <summary>The tokens that end an assistant turn in this family (generation stops on any of them).</summary>
    public IReadOnlyList<string> StopTokens => Family == ChatFamily.Llama3 ? ["<|eot_id|>", "<|end_of_text|>"] : ["<|im_end|>", "<|endoftext|>"];
}
