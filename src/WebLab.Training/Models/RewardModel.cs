// A reward model from a Hugging Face folder (Skywork-Reward-V2 layout: LlamaForSequenceClassification or the Qwen2
// equivalent, one output): scores (instruction, answer) pairs as the model card does — the conversation [user:
// instruction, assistant: answer] through the tokenizer's chat template, one scalar read at the last token — in
// right-padded batches, so a pair's score does not depend on what it is batched with.
using TorchSharp;
using WebLab.Training.Models.Checkpoints;
using WebLab.Training.Models.Llama;
using WebLab.Training.Runtime;
using WebLab.Training.Tokenizers;
using static TorchSharp.torch;

namespace WebLab.Training.Models;

public sealed class RewardModel : IDisposable
{
    readonly LlamaForSequenceClassification _model;
    readonly HfTokenizer _tokenizer;
    readonly ChatTemplate _chat;
    readonly int _pad;

    public int BatchSize { get; }
    public LlamaConfig Config => _model.Config;

    RewardModel(LlamaForSequenceClassification model, HfTokenizer tokenizer, ChatTemplate chat, int batchSize)
    {
        (_model, _tokenizer, _chat, BatchSize) = (model, tokenizer, chat, batchSize);
        _pad = model.Config.PadTokenId ?? tokenizer.PadId;
    }

    /// <summary>Loads config.json, the weights and tokenizer.json (+ tokenizer_config.json) of a sequence-classification folder.</summary>
    public static RewardModel Load(string dir, string device = "cpu", string dtype = "fp32", int batchSize = 8, ChatFamily? chat = null)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), "batch size must be at least 1");
        var config = HfCheckpoint.LoadConfig(dir);
        if (!ModelFamilies.IsSequenceClassification(config))
            throw new InvalidDataException($"'{dir}' is not a reward model: its architectures are [{string.Join(", ", config.Architectures ?? [])}], expected LlamaForSequenceClassification or Qwen2ForSequenceClassification");
        if ((config.NumLabels ?? 1) != 1) throw new InvalidDataException($"'{dir}': a reward model has one output, this one has num_labels {config.NumLabels}");
        var tokenizer = HfTokenizer.FromFolder(dir, chat);
        var template = tokenizer.Chat ?? throw new InvalidDataException($"'{dir}': {tokenizer.ChatUnavailableReason}");
        return new RewardModel(LlamaForSequenceClassification.FromHfFolder(dir, device, dtype), tokenizer, template, batchSize);
    }

    /// <summary>The token ids the model reads for one pair (the chat template's text, added tokens recognised).</summary>
    public int[] Tokens(string instruction, string answer) =>
        _tokenizer.Encode(_chat.Render([new ChatMessage("user", instruction), new ChatMessage("assistant", answer)], addGenerationPrompt: false));

    /// <summary>One score per pair, in order.</summary>
    public float[] Score(IReadOnlyList<(string Instruction, string Answer)> pairs)
    {
        var rows = pairs.Select(p => Tokens(p.Instruction, p.Answer)).ToArray();
        if (rows.FirstOrDefault(r => r.Length > Config.MaxPositions) is { } tooLong)
            throw new ArgumentException($"a conversation of {tooLong.Length} tokens is longer than the reward model reads ({Config.MaxPositions})");
        var scores = new float[rows.Length];
        for (int start = 0; start < rows.Length; start += BatchSize)
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var batch = rows[start..Math.Min(rows.Length, start + BatchSize)];
            int width = batch.Max(r => r.Length);
            var ids = new long[batch.Length * width];
            Array.Fill(ids, _pad);
            for (int b = 0; b < batch.Length; b++)
                for (int t = 0; t < batch[b].Length; t++) ids[b * width + t] = batch[b][t];
            var tokens = tensor(ids, [batch.Length, width]).to(_model.Device);               // [B, T] right-padded
            var lengths = tensor(batch.Select(r => (long)r.Length).ToArray());               // [B]
            var s = _model.Scores(tokens, lengths)[.., 0].cpu().data<float>().ToArray();     // [B]
            s.CopyTo(scores, start);
        }
        return scores;
    }

    public void Dispose() => _model.Dispose();
}
