// Rotary position embeddings (Su et al. 2021) in Hugging Face's rotate-half layout:
// the first and second halves of each head form the (real, imaginary) pairs.
// Tables are plain tensors outside any dispose scope, rebuilt when the device or dtype changes.
using TorchSharp;
using static TorchSharp.torch;

namespace WebLab.Training.Models.Modules;

public sealed class RotaryEmbedding : IDisposable
{
    readonly int headDim, maxPositions;
    readonly double theta;
    readonly WebLab.Training.Models.Llama.RopeScaling? scaling;
    Tensor cos, sin; // [P, hd]

    public RotaryEmbedding(int headDim, int maxPositions, double theta, WebLab.Training.Models.Llama.RopeScaling? scaling = null)
    {
        (this.headDim, this.maxPositions, this.theta, this.scaling) = (headDim, maxPositions, theta, scaling);
        (cos, sin) = Build(CPU, ScalarType.Float32);
    }

    public int MaxPositions => maxPositions;

    (Tensor, Tensor) Build(Device device, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        // inv_freq_i = theta^(-2i/hd), i < hd/2, in fp64 (scaled for llama3) then rounded once.
        var invFreq = tensor(InverseFrequencies(headDim, theta, scaling));                // [hd/2]
        var freqs = outer(arange(maxPositions, ScalarType.Float64), invFreq);            // [P, hd/2]
        var emb = cat([freqs, freqs], -1);                                               // [P, hd]
        var c = emb.cos().to(dtype, device).DetachFromDisposeScope();
        var s = emb.sin().to(dtype, device).DetachFromDisposeScope();
        return (c, s);
    }

    /// <summary>theta^(-2i/hd) for i &lt; hd/2, rescaled by Llama 3's rule when <paramref name="scaling"/> is "llama3".</summary>
    public static double[] InverseFrequencies(int headDim, double theta, WebLab.Training.Models.Llama.RopeScaling? scaling = null)
    {
        var inv = Enumerable.Range(0, headDim / 2).Select(i => Math.Pow(theta, -2.0 * i / headDim)).ToArray();
        return scaling?.Kind == "llama3" ? inv.Select(f => Llama3Scaled(f, scaling)).ToArray() : inv;
    }

    /// <summary>
    /// Llama 3.1's frequency rule for one inverse frequency f (wavelength λ = 2π/f, original context L):
    /// λ &lt; L/high_freq_factor keeps f; λ &gt; L/low_freq_factor gives f/factor; between, the mix
    /// (1 − s)·f/factor + s·f with s = (L/λ − low_freq_factor) / (high_freq_factor − low_freq_factor).
    /// </summary>
    public static double Llama3Scaled(double f, WebLab.Training.Models.Llama.RopeScaling s)
    {
        double wavelength = 2 * Math.PI / f;
        double lowWavelength = s.OriginalMaxPositions / s.LowFreqFactor, highWavelength = s.OriginalMaxPositions / s.HighFreqFactor;
        if (wavelength < highWavelength) return f;
        if (wavelength > lowWavelength) return f / s.Factor;
        double smooth = (s.OriginalMaxPositions / wavelength - s.LowFreqFactor) / (s.HighFreqFactor - s.LowFreqFactor);
        return (1 - smooth) * f / s.Factor + smooth * f;
    }

    /// <summary>Qwen2-VL's M-RoPE sections (temporal, height, width) of each half head, or null for one rotary axis.</summary>
    public int[]? MropeSection { get; init; }

    /// <summary>
    /// cos and sin for the given positions, shaped to broadcast over heads: [B, 1, T, hd]. Positions [B, T] are one
    /// rotary axis; [3, B, T] (M-RoPE) give each section of the head the frequencies of its own row: the channels of
    /// mrope_section × 2 (both halves) take rows t, h, w, t, h, w in turn (HF: apply_multimodal_rotary_pos_emb).
    /// Text positions have three equal rows, so they rotate exactly as one axis does.
    /// </summary>
    public (Tensor Cos, Tensor Sin) At(Tensor positions /* [B, T] or [3, B, T] int64 */, ScalarType dtype)
    {
        if (cos.device != positions.device || cos.dtype != dtype)
        {
            cos.Dispose(); sin.Dispose();
            (cos, sin) = Build(positions.device, dtype);
        }
        if (positions.dim() == 3)
        {
            if (MropeSection is not { } sections) throw new ArgumentException("positions [3, B, T] need M-RoPE sections (a Qwen2-VL-family model)");
            long b3 = positions.shape[1], t3 = positions.shape[2];
            var flat3 = positions.reshape(-1);
            var c3 = cos.index_select(0, flat3).view(3, b3, t3, headDim);                    // [3, B, T, hd]
            var s3 = sin.index_select(0, flat3).view(3, b3, t3, headDim);
            var widths = sections.Concat(sections).Select(w => (long)w).ToArray();           // [t, h, w, t, h, w]
            Tensor Mix(Tensor table) => cat(table.split(widths, -1).Select((chunk, i) => chunk[i % 3]).ToArray(), -1).view(b3, 1, t3, headDim);
            return (Mix(c3), Mix(s3));
        }
        var b = positions.shape[0];
        var t = positions.shape[1];
        var flat = positions.reshape(-1);
        return (cos.index_select(0, flat).view(b, 1, t, headDim), sin.index_select(0, flat).view(b, 1, t, headDim));
    }

    /// <summary>x·cos + rotate_half(x)·sin, x: [..., hd] (the decoder's [B, H, T, hd]), cos and sin broadcasting to it.</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        var half = (int)(x.shape[^1] / 2);
        var rotated = cat([-x.narrow(-1, half, half), x.narrow(-1, 0, half)], -1);   // any rank: [B, H, T, hd] or the vision tower's [S, H, hd]
        return (x * cos).Plus(rotated * sin);                                // Plus: no implicit Scalar (TensorMath)
    }

    public void Dispose() { cos.Dispose(); sin.Dispose(); }
}
