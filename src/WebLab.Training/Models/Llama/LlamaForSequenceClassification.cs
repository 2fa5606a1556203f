// A Llama-family decoder with a score head (HF: LlamaForSequenceClassification / Qwen2ForSequenceClassification, the
// layout of Skywork-Reward-V2): hidden states [B, T, d] → score [B, T, L] (no bias), read at each row's last
// non-padding token. Rows are right-padded, so causal attention keeps the padding out of every score.
using TorchSharp;
using TorchSharp.Modules;
using WebLab.Training.Models.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace WebLab.Training.Models.Llama;

public sealed class LlamaForSequenceClassification : Module
{
    readonly LlamaBackbone model;
    readonly Linear score;

    public LlamaConfig Config { get; }
    public int NumLabels => Config.NumLabels ?? 1;

    public LlamaForSequenceClassification(LlamaConfig config) : base("seqcls")
    {
        config.Validate();
        Config = config;
        model = new LlamaBackbone(config);
        score = Linear(config.HiddenSize, config.NumLabels ?? 1, hasBias: false); // [L, d]
        RegisterComponents();
        LlamaBackbone.InitWeights(this, config.InitializerRange);
    }

    /// <summary>Loads a sequence-classification folder (config.json + weights), fp32 on <paramref name="device"/> unless told.</summary>
    public static LlamaForSequenceClassification FromHfFolder(string dir, string device = "cpu", string dtype = "fp32")
    {
        var config = Checkpoints.HfCheckpoint.LoadConfig(dir);
        return LlamaLoader.Build(() => new LlamaForSequenceClassification(config), Checkpoints.HfCheckpoint.LoadStateDict(dir, CPU), device, dtype);
    }

    public Device Device => model.EmbeddingWeight.device;
    public ScalarType Dtype => model.EmbeddingWeight.dtype;

    /// <summary>
    /// tokens [B, T] right-padded, lengths [B] (real tokens per row, ≥ 1) → fp32 scores [B, L] at position length − 1.
    /// </summary>
    public Tensor Scores(Tensor tokens, Tensor lengths)
    {
        if (tokens.shape[1] > Config.MaxPositions) throw new ArgumentException($"sequence of {tokens.shape[1]} tokens is beyond max_position_embeddings ({Config.MaxPositions})");
        var positions = TensorMath.Range(tokens.shape[1], tokens.device).unsqueeze(0).expand(tokens.shape[0], -1); // [B, T]
        var h = model.Forward(model.Embed(tokens), positions, null, null);                  // [B, T, d]
        var last = (lengths.to(ScalarType.Int64, tokens.device) - 1).view(-1, 1, 1).expand(-1, 1, h.shape[2]); // [B, 1, d]
        var pooled = h.gather(1, last).squeeze(1);                                          // [B, d]
        return score.forward(pooled).to_type(ScalarType.Float32);                           // [B, L]
    }

    /// <summary>Writes config.json (architectures naming the sequence-classification class) and the weights.</summary>
    public void Save(string dir, Checkpoints.HfLayout? layout = null)
    {
        layout ??= Checkpoints.HfLayout.Fp32;
        using var scope = NewDisposeScope();
        var weights = state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().to(CPU).to_type(layout.ScalarType));
        var arch = Config.ModelType == "qwen2" ? "Qwen2ForSequenceClassification" : "LlamaForSequenceClassification";
        Checkpoints.HfCheckpoint.Save(dir, Config with { TorchDtype = layout.Dtype, Architectures = [arch], NumLabels = NumLabels }, weights, layout: layout);
    }
}
