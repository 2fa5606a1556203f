// Qwen2.5-VL's index arithmetic worked by hand: smart_resize, the window order of a grid that windows do not divide,
// the per-image segments, each patch's 2-D rotary angles, and M-RoPE positions around an image (HF's get_rope_index).
using WebLab.Training.Models.Qwen25Vl;

namespace WebLab.Training.Tests.Models.Qwen25Vl;

public sealed class Qwen25VisionGeometryTests
{
    [Theory]
    [InlineData(84, 140, 84, 140)]          // already multiples of 28 and within bounds: unchanged
    [InlineData(100, 150, 112, 140)]        // round(100/28)=4 → 112, round(150/28)=5 → 140
    [InlineData(30, 30, 56, 56)]            // 28 × 28 < min 3,136: scaled up, β = sqrt(3136/900), ceil(30·β/28)·28 = 56
    [InlineData(1000, 1000, 224, 224)]      // above max 50,176: β = sqrt(1e6/50176) ≈ 4.464, floor(1000/β/28)·28 = 224
    [InlineData(42, 70, 56, 56)]            // round(1.5)=2 (halves to even, as Python), round(2.5)=2 → 56 × 56
    public void Smart_resize_rounds_to_the_factor_and_keeps_the_area_in_bounds(int h, int w, int eh, int ew) =>
        Assert.Equal((eh, ew), Qwen25VlProcessor.SmartResize(h, w, 28, 4 * 28 * 28, 64 * 28 * 28));

    [Fact]
    public void Smart_resize_refuses_an_image_smaller_than_one_merged_patch() =>
        Assert.Contains("at least 28", Assert.Throws<ArgumentException>(() => Qwen25VlProcessor.SmartResize(20, 100, 28, 3136, 50176)).Message);

    [Fact]
    public void Windows_of_a_grid_they_do_not_divide_go_row_major_padding_skipped()
    {
        // 6 × 10 patches, merge 2 → 3 × 5 merged tokens (0..14 row-major); windows of 2 × 2 over a grid padded to 4 × 6:
        // row of windows 0: {0,1,5,6} {2,3,7,8} {4,9}; row 1: {10,11} {12,13} {14}
        var (order, bounds) = Qwen25VisionGeometry.WindowIndex([new ImageGrid(1, 6, 10)], 2, 2);
        Assert.Equal([0L, 1, 5, 6, 2, 3, 7, 8, 4, 9, 10, 11, 12, 13, 14], order);
        Assert.Equal([0L, 16, 32, 40, 48, 56, 60], bounds);                              // in patches: 4 per merged token
        // a grid the window divides gets an empty padding window, which adds no segment: 2 × 2 merged, one window
        var (order2, bounds2) = Qwen25VisionGeometry.WindowIndex([new ImageGrid(1, 4, 4)], 2, 2);
        Assert.Equal([0L, 1, 2, 3], order2);
        Assert.Equal([0L, 16], bounds2);
        // a second image's tokens are offset by the first's
        var (both, _) = Qwen25VisionGeometry.WindowIndex([new ImageGrid(1, 4, 4), new ImageGrid(1, 2, 4)], 2, 2);
        Assert.Equal([0L, 1, 2, 3, 4, 5], both);
        Assert.Equal([3L, 0, 1, 2], Qwen25VisionGeometry.Inverse([1, 2, 3, 0]));
        Assert.Equal([0L, 60, 76], Qwen25VisionGeometry.ImageBounds([new ImageGrid(1, 6, 10), new ImageGrid(1, 4, 4)]));
    }

    [Fact]
    public void Patch_angles_are_row_then_column_times_the_inverse_frequencies_in_block_order()
    {
        // head 8 → rotary dim 4 → two inverse frequencies 1 and 10000^(−1/2) = 0.01; grid 2 × 4, merge 2: patch order
        // (0,0) (0,1) (1,0) (1,1) | (0,2) (0,3) (1,2) (1,3)
        var a = Qwen25VisionGeometry.RotaryAngles([new ImageGrid(1, 2, 4)], 2, 8);
        Assert.Equal(8 * 4, a.Length);
        double[] Row(int i) => a[(i * 4)..(i * 4 + 4)];
        Assert.Equal([0, 0, 1, 0.01], Row(1), new ToleranceComparer(1e-12));              // (h 0, w 1)
        Assert.Equal([1, 0.01, 0, 0], Row(2), new ToleranceComparer(1e-12));              // (h 1, w 0)
        Assert.Equal([1, 0.01, 3, 0.03], Row(7), new ToleranceComparer(1e-12));           // (h 1, w 3)
    }

    [Fact]
    public void Mrope_positions_run_text_image_text_with_the_image_spanning_its_larger_side()
    {
        // 2 text tokens, an image of 4 × 6 patches (2 × 3 merged: 6 tokens) at index 2, 2 text tokens after
        var runs = new[] { new Qwen25VisionGeometry.ImageRun(2, new ImageGrid(1, 4, 6)) };
        var p = Qwen25VisionGeometry.RopeIndex(0, 10, runs, 2);
        Assert.Equal([0L, 1, 2, 2, 2, 2, 2, 2, 5, 6], p[0]);                           // t: st = 2 for every image token
        Assert.Equal([0L, 1, 2, 2, 2, 3, 3, 3, 5, 6], p[1]);                           // h: st + row
        Assert.Equal([0L, 1, 2, 3, 4, 2, 3, 4, 5, 6], p[2]);                           // w: st + column; text resumes at 2 + max(2, 3)
        // a window of the same walk (decoding): tokens 8..11 only
        var tail = Qwen25VisionGeometry.RopeIndex(8, 12, runs, 2);
        Assert.Equal([5L, 6, 7, 8], tail[1]);
        // no image: three equal rows 0..n−1
        var text = Qwen25VisionGeometry.RopeIndex(0, 4, [], 2);
        Assert.All(text, row => Assert.Equal([0L, 1, 2, 3], row));
    }

    sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(double obj) => 0;
    }
}
