// What the recipes see of a model they train, sample or score: a forward over token ids whose prompts may carry media
// (an encoder's embeddings at marked positions), the KV cache for generation, parameters and train/eval mode, and saving
// (loading is ModelFamilies.Load). The Llama decoder (Models/Llama) is the first implementation.
using TorchSharp;
using TorchSharp.Modules;
using WebLab.Training.Models.Modules;
using static TorchSharp.torch;

namespace WebLab.Training.Models;

public interface IPolicy : IDisposable
{
    /// <summary>The model family, as ModelFamilies names it ("llama").</summary>
    string Family { get; }
    Device Device { get; }
    /// <summary>Longest sequence (prompt, media placeholders and completion) the model can attend over.</summary>
    int MaxPositions { get; }

    /// <summary>
    /// Logits fp32 [B, T, V] of tokens [B, T] at positions [B, T]; <paramref name="cache"/> is appended to when given;
    /// <paramref name="mask"/> null (causal) or bool [B, 1, T, S]. <paramref name="media"/>: where the prompts' media sit
    /// in this batch; the policy's encoder puts their embeddings there (a text-only policy refuses them).
    /// </summary>
    Tensor Forward(Tensor tokens, Tensor positions, KvCache? cache, Tensor? mask, IReadOnlyList<MediaSlot>? media = null);

    /// <summary>
    /// As <see cref="Forward"/>, but the logits of each row's last position only: fp32 [B, V]. Generation's prefill needs no
    /// more, and a family that applies its output head to the last position alone saves B × T × V floats there (at a
    /// 128k vocabulary and 4 × 500 prompt tokens, a gigabyte).
    /// </summary>
    Tensor ForwardLast(Tensor tokens, Tensor positions, KvCache? cache, Tensor? mask, IReadOnlyList<MediaSlot>? media = null) =>
        Forward(tokens, positions, cache, mask, media)[.., -1];

    /// <summary>The dtype forward and backward run in, and the KV cache holds: the weights' own unless set (bf16 over fp32
    /// weights for bf16-mixed training; Models/Modules/ComputeDtype).</summary>
    ScalarType ComputeDtype
    {
        get => ScalarType.Float32;
        set { if (value != ScalarType.Float32) throw new NotSupportedException($"the {Family} policy computes only in its weights' dtype"); }
    }

    /// <summary>Activation checkpointing: each decoder layer keeps only its input in a training forward and runs again in
    /// the backward (less memory for one more forward).</summary>
    bool ActivationCheckpointing
    {
        get => false;
        set { if (value) throw new NotSupportedException($"the {Family} policy has no activation checkpointing"); }
    }

    /// <summary>Converts the weights to <paramref name="dtype"/> (a frozen network held in bf16); computing follows them.</summary>
    void HoldWeightsIn(ScalarType dtype) => throw new NotSupportedException($"the {Family} policy keeps its weights' dtype");

    /// <summary>What the model does with media and positions: placeholder runs, pixels, position ids (a text-only model's
    /// reads no media).</summary>
    IMediaProcessor Processor => TextProcessor.Instance;

    /// <summary>A cache for <paramref name="batch"/> rows of up to <paramref name="capacity"/> positions (capped at MaxPositions).</summary>
    KvCache NewCache(long batch, int capacity);

    IEnumerable<Parameter> parameters(bool recurse = true);
    bool training { get; }
    void train(bool on = true);
    void eval();

    /// <summary>Writes the model as a folder ModelFamilies.Load reads back (an HF folder: config.json + model.safetensors).</summary>
    void Save(string dir);
}
