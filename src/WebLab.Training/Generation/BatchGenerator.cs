// Batched autoregressive generation with a KV cache: left-padded prompts (their media placed after the padding),
// per-row positions, per-row stop. Steps: 1. pack prompts left-padded → 2. prefill the cache → 3. loop: sample, append,
// stop rows → 4. return ids.
using TorchSharp;
using WebLab.Training.Models;
using WebLab.Training.Models.Modules;
using static TorchSharp.torch;

namespace WebLab.Training.Generation;

public static class BatchGenerator
{
    /// <summary>Text-only prompts given as token ids.</summary>
    public static GenerationResult Generate(IPolicy model, IReadOnlyList<int[]> prompts, GenerationOptions options, int padId) =>
        Generate(model, prompts.Select(Prompt.Text).ToArray(), options, padId);

    /// <summary>
    /// Generates in batches of at most <paramref name="batch"/> rows (0, or at least the prompts' count: one batch), so a
    /// KV cache holds that many sequences, not all of them. Batch k samples from seed Seed + k·1,000,003: the rows are
    /// the same draw whatever the machine, though not the rows one batch of all would draw.
    /// </summary>
    public static GenerationResult GenerateInBatches(IPolicy model, IReadOnlyList<Prompt> prompts, GenerationOptions options, int padId, int batch)
    {
        if (batch <= 0 || batch >= prompts.Count) return Generate(model, prompts, options, padId);
        var completions = new List<int[]>(prompts.Count);
        var stopped = new List<bool>(prompts.Count);
        for (int start = 0, k = 0; start < prompts.Count; start += batch, k++)
        {
            var part = Generate(model, [.. prompts.Skip(start).Take(batch)], options with { Seed = options.Seed + k * 1_000_003L }, padId);
            completions.AddRange(part.Completions);
            stopped.AddRange(part.Stopped);
        }
        return new([.. completions], [.. stopped]);
    }

    public static GenerationResult Generate(IPolicy model, IReadOnlyList<Prompt> prompts, GenerationOptions options, int padId)
    {
        options.Validate();
        if (prompts.Count == 0) return new([], []);
        if (prompts.Any(p => p.Length == 0)) throw new ArgumentException("every prompt needs at least one token (e.g. BOS)");
        int b = prompts.Count, promptLen = prompts.Max(p => p.Length);
        int maxNew = Math.Min(options.MaxNewTokens, model.MaxPositions - promptLen);
        if (maxNew < 1) throw new ArgumentException($"prompt of {promptLen} tokens leaves no room under max_position_embeddings {model.MaxPositions}");

        var device = model.Device;
        using var sampler = new TokenSampler(options, device);
        using var cache = model.NewCache(b, promptLen + maxNew);
        using var noGrad = no_grad();

        var completions = Enumerable.Range(0, b).Select(_ => new List<int>(maxNew)).ToArray();
        var stopped = new bool[b];
        var stops = options.StopTokens.ToHashSet();
        bool padded = prompts.Any(p => p.Length != promptLen);
        var starts = prompts.Select(p => promptLen - p.Length).ToArray(); // left-pad count per row
        Tensor? keyValid = padded ? KeyValidity(starts, promptLen + maxNew, device) : null; // [B, S] bool
        var rowStarts = starts.Select(s => (long)s).ToArray();
        var media = Prompt.Slots(prompts, r => starts[r]);                  // by batch column

        // step 1-2: prefill with left-padded prompts; positions count real tokens only.
        Tensor next;
        using (var scope = NewDisposeScope())
        {
            var tokens = tensor(prompts.SelectMany(p => Enumerable.Repeat(padId, promptLen - p.Length).Concat(p.Tokens)).Select(i => (long)i).ToArray(),
                [b, promptLen], device: device);
            var positions = model.Processor.Positions(rowStarts, 0, promptLen, media, device);    // [B, T]: real tokens from 0
            var mask = keyValid is null ? null : PrefillMask(keyValid.narrow(1, 0, promptLen), promptLen);
            var logits = model.ForwardLast(tokens, positions, cache, mask, media); // [B, V]: the head on the last position only
            next = sampler.Sample(logits).MoveToOuterDisposeScope();        // [B]
        }

        // step 3: decode one token per row per step until every row stopped or the budget is spent.
        for (int step = 0; ; step++)
        {
            using var scope = NewDisposeScope();
            using var current = next; // this step's input; the next step's is moved out of the scope below
            var ids = current.data<long>().ToArray();
            bool allDone = true;
            for (int r = 0; r < b; r++)
            {
                if (stopped[r]) continue;
                completions[r].Add((int)ids[r]);
                if (stops.Contains((int)ids[r])) stopped[r] = true;
                else allDone = false;
            }
            if (allDone || step + 1 >= maxNew) break;

            var positions = model.Processor.Positions(rowStarts, promptLen + step, 1, media, device);   // [B, 1]: each row's length so far
            var mask = keyValid?.narrow(1, 0, cache.Length + 1).view(b, 1, 1, -1);
            var logits = model.Forward(current.view(b, 1), positions, cache, mask); // [B, 1, V]
            next = sampler.Sample(logits[.., 0]).MoveToOuterDisposeScope();
        }
        keyValid?.Dispose();
        return new(completions.Select(c => c.ToArray()).ToArray(), stopped);
    }

    /// <summary>[B, S] bool: false on each row's left padding.</summary>
    static Tensor KeyValidity(int[] starts, int capacity, Device device)
    {
        using var scope = NewDisposeScope();
        var s = tensor(starts.Select(x => (long)x).ToArray(), device: device).unsqueeze(1);
        return (TensorMath.Range(capacity, device).unsqueeze(0) >= s).MoveToOuterDisposeScope();
    }

    /// <summary>Causal ∧ key-valid, plus the diagonal so padded query rows are never fully masked: [B, 1, T, T].</summary>
    static Tensor PrefillMask(Tensor keyValid, int t)
    {
        var causal = ones(t, t, ScalarType.Bool, keyValid.device).tril();
        var eye = torch.eye(t, t, ScalarType.Bool, keyValid.device);
        return (causal.unsqueeze(0) & keyValid.unsqueeze(1) | eye.unsqueeze(0)).unsqueeze(1);
    }
}
