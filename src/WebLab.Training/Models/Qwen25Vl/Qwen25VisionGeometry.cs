// The index arithmetic of Qwen2.5-VL's vision tower and decoder positions, as small pure functions (hand-worked in
// Qwen25VisionGeometryTests): each patch's 2-D rotary angles, the window order and its segments, each image's segments,
// and the 3-row M-RoPE positions of a prompt (HF: rot_pos_emb, get_window_index, cu_seqlens, get_rope_index).
// Patch order throughout is the processor's: per frame, merge blocks row-major, the merge × merge patches of a block
// contiguous (row-major inside it).
namespace WebLab.Training.Models.Qwen25Vl;

public static class Qwen25VisionGeometry
{
    /// <summary>
    /// Each patch's rotary angles [N, hd/2] flattened: its row h times the hd/4 inverse frequencies θ^(−2j/(hd/2)), then its
    /// column w times the same (θ = 10,000). Frames repeat the first frame's.
    /// </summary>
    public static double[] RotaryAngles(IReadOnlyList<ImageGrid> grids, int merge, int headDim, double theta = 10_000)
    {
        int dim = headDim / 2, quarter = headDim / 4;
        var inv = Enumerable.Range(0, quarter).Select(j => 1.0 / Math.Pow(theta, 2.0 * j / dim)).ToArray();
        var angles = new double[grids.Sum(g => g.Patches) * dim];
        int row = 0;
        foreach (var g in grids)
            for (int t = 0; t < g.T; t++)
                foreach (var (h, w) in PatchCoordinates(g.H, g.W, merge))
                {
                    for (int j = 0; j < quarter; j++)
                    {
                        angles[row * dim + j] = h * inv[j];
                        angles[row * dim + quarter + j] = w * inv[j];
                    }
                    row++;
                }
        return angles;
    }

    /// <summary>(row, column) of each patch of an H × W grid in the processor's order: blocks row-major, then inside a block.</summary>
    public static IEnumerable<(int H, int W)> PatchCoordinates(int h, int w, int merge)
    {
        for (int bh = 0; bh < h / merge; bh++)
            for (int bw = 0; bw < w / merge; bw++)
                for (int mh = 0; mh < merge; mh++)
                    for (int mw = 0; mw < merge; mw++)
                        yield return (bh * merge + mh, bw * merge + mw);
    }

    /// <summary>
    /// The window order of the merged tokens (an index into image order, all images) and the window segments' bounds in
    /// patches [0, …, N]. Each frame's merged grid (H/m × W/m) is padded at its bottom and right to whole windows of
    /// <paramref name="window"/> × window tokens; windows go row-major, their tokens row-major inside, padding skipped.
    /// A grid that divides evenly still gets a full extra window of padding (HF does the same): it is empty, so it adds no
    /// segment.
    /// </summary>
    public static (long[] Order, long[] Bounds) WindowIndex(IReadOnlyList<ImageGrid> grids, int merge, int window)
    {
        var order = new List<long>();
        var bounds = new List<long> { 0 };
        long offset = 0;
        int unit = merge * merge;
        foreach (var g in grids)
        {
            int lh = g.H / merge, lw = g.W / merge;
            int nh = (lh + window - lh % window) / window, nw = (lw + window - lw % window) / window;
            for (int t = 0; t < g.T; t++)
                for (int wh = 0; wh < nh; wh++)
                    for (int ww = 0; ww < nw; ww++)
                    {
                        int count = 0;
                        for (int i = wh * window; i < Math.Min((wh + 1) * window, lh); i++)
                            for (int j = ww * window; j < Math.Min((ww + 1) * window, lw); j++)
                            {
                                order.Add(offset + (t * lh + i) * lw + j);
                                count++;
                            }
                        if (count > 0) bounds.Add(bounds[^1] + count * unit);
                    }
            offset += (long)g.T * lh * lw;
        }
        return (order.ToArray(), bounds.ToArray());
    }

    /// <summary>Bounds of full attention: one segment per frame of each image, in patches [0, …, N].</summary>
    public static long[] ImageBounds(IReadOnlyList<ImageGrid> grids)
    {
        var bounds = new List<long> { 0 };
        foreach (var g in grids)
            for (int t = 0; t < g.T; t++) bounds.Add(bounds[^1] + (long)g.H * g.W);
        return bounds.ToArray();
    }

    /// <summary>The permutation that undoes <paramref name="order"/> (argsort).</summary>
    public static long[] Inverse(long[] order)
    {
        var back = new long[order.Length];
        for (int i = 0; i < order.Length; i++) back[order[i]] = i;
        return back;
    }

    /// <summary>An image's run in a prompt: where its placeholders start (index in the prompt's own tokens) and its grid.</summary>
    public readonly record struct ImageRun(int Start, ImageGrid Grid);

    /// <summary>
    /// M-RoPE positions (t, h, w) of tokens [<paramref name="from"/>, <paramref name="to"/>) of one prompt whose images sit
    /// at <paramref name="runs"/> (HF: get_rope_index for images). Text counts on from the last position + 1 in all three
    /// rows; an image's T·(H/m)·(W/m) tokens get (st, st + row, st + column), st being the next text position (a still
    /// image's temporal index is 0 in every frame). Tokens past the prompt (generation) continue as text, so a decoding
    /// step costs one pass over the runs, not over the prompt. Returns [3][to − from].
    /// </summary>
    public static long[][] RopeIndex(int from, int to, IReadOnlyList<ImageRun> runs, int merge)
    {
        int n = Math.Max(0, to - from);
        var pos = new[] { new long[n], new long[n], new long[n] };
        long next = 0;                                                       // the text position of token `at`
        int at = 0;                                                          // the first token not yet placed
        void Text(int end)                                                   // tokens [at, end) are text
        {
            for (int i = Math.Max(at, from); i < Math.Min(end, to); i++) pos[0][i - from] = pos[1][i - from] = pos[2][i - from] = next + (i - at);
            next += end - at;
            at = end;
        }
        foreach (var run in runs.OrderBy(r => r.Start))
        {
            Text(run.Start);
            int lh = run.Grid.H / merge, lw = run.Grid.W / merge, length = run.Grid.T * lh * lw;
            for (int i = Math.Max(at, from); i < Math.Min(at + length, to); i++)
            {
                int k = (i - at) % (lh * lw);                                // index inside its frame
                pos[0][i - from] = next;
                pos[1][i - from] = next + k / lw;
                pos[2][i - from] = next + k % lw;
            }
            at += length;
            next += Math.Max(1, Math.Max(lh, lw));
        }
        Text(Math.Max(at, to));
        return pos;
    }
}
