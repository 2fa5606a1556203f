// Chat prompts rendered for the fixtures' Llama 3 and Qwen2.5 templates, written out by hand from the Jinja text of each
// tokenizer_config.json; unknown templates are refused unless the family is declared.
using WebLab.Training.Tokenizers;
using Xunit;

namespace WebLab.Training.Tests.Tokenizers;

public sealed class ChatTemplateTests
{
    static readonly ChatMessage[] Conversation = [new("user", "  What is 2+2? "), new("assistant", "4"), new("user", "And 3+3?")];

    [Fact]
    public void Llama3_template_puts_bos_first_trims_content_and_always_opens_the_assistant_turn()
    {
        var chat = HfTokenizer.FromFolder(Fixtures.Path("tokenizers/llama3")).Chat!;
        Assert.Equal(("llama3", ChatFamily.Llama3), (chat.Name, chat.Family));
        const string expected = "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nWhat is 2+2?<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\n4<|eot_id|>"
            + "<|start_header_id|>user<|end_header_id|>\n\nAnd 3+3?<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\n";
        Assert.Equal(expected, chat.Render(Conversation));
        Assert.Equal(expected, chat.Render(Conversation, addGenerationPrompt: false));   // this template ignores the flag
    }

    [Fact]
    public void Qwen_template_adds_its_default_system_message_only_when_none_is_given()
    {
        var chat = HfTokenizer.FromFolder(Fixtures.Path("tokenizers/qwen2_5")).Chat!;
        Assert.Equal(ChatFamily.ChatMl, chat.Family);
        Assert.Equal("<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n"
            + "<|im_start|>user\n  What is 2+2? <|im_end|>\n<|im_start|>assistant\n4<|im_end|>\n<|im_start|>user\nAnd 3+3?<|im_end|>\n"
            + "<|im_start|>assistant\n", chat.Render(Conversation));
        Assert.Equal("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n",
            chat.Render([new("system", "Be brief."), new("user", "Hi")], addGenerationPrompt: false));
    }

    [Fact]
    public void A_rendered_prompt_tokenizes_its_markers_as_single_tokens()
    {
        var tok = HfTokenizer.FromFolder(Fixtures.Path("tokenizers/qwen2_5"));
        var ids = tok.Encode(tok.Chat!.Render([new("user", "Hi")]));
        Assert.Equal(151644, ids[0]);                                  // <|im_start|>
        Assert.Equal(3, ids.Count(id => id == 151644));          // system, user, assistant
        Assert.Equal(2, ids.Count(id => id == 151645));                // <|im_end|> after system and user
    }

    [Fact]
    public void Unknown_templates_are_refused_and_a_declared_family_renders()
    {
        var ex = Assert.Throws<InvalidDataException>(() => ChatTemplate.Recognise("{{ messages }}", null));
        Assert.Contains("not one this lab renders", ex.Message);
        Assert.Contains("declare", Assert.Throws<InvalidDataException>(() => ChatTemplate.Recognise(null, null)).Message);

        var chatml = ChatTemplate.Recognise("{{ messages }}", null, ChatFamily.ChatMl);
        Assert.Equal("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", chatml.Render([new("user", "Hi")]));
        var llama = ChatTemplate.Recognise(null, "<|begin_of_text|>", ChatFamily.Llama3);
        Assert.Equal("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>", llama.Render([new("user", "Hi")], addGenerationPrompt: false));
        Assert.Throws<ArgumentException>(() => chatml.Render([new("tool", "x")]));
    }

    [Fact]
    public void Qwen_vl_template_marks_each_image_before_the_text_and_others_refuse_images()
    {
        var vl = ChatTemplate.Recognise(ReferenceTemplates.QwenVl, null);
        Assert.Equal(("qwen2.5-vl", true), (vl.Name, vl.ReadsImages));
        // what the Jinja gives for [{"type": "image"}, {"type": "text", "text": "What is this?"}] with add_generation_prompt
        Assert.Equal("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n<|vision_start|><|image_pad|><|vision_end|>What is this?<|im_end|>\n<|im_start|>assistant\n",
            vl.Render([new("user", "What is this?", Images: 1)]));
        Assert.Equal("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n", vl.Render([new("system", "Be brief."), new("user", "Hi")], addGenerationPrompt: false));
        var text = HfTokenizer.FromFolder(Fixtures.Path("tokenizers/qwen2_5")).Chat!;
        Assert.Contains("renders no images", Assert.Throws<ArgumentException>(() => text.Render([new("user", "x", Images: 1)])).Message);
    }
}
