// Pillow's bicubic resize of 8-bit RGB, step for step (Image.resize(size, Image.BICUBIC) with no reducing gap, which is
// what transformers' image processors call): a separable convolution, horizontal pass then vertical, with Keys' cubic
// (a = −0.5) whose support widens by the scale when shrinking (antialiasing); each output's weights normalised to sum 1,
// then rounded to fixed point (22 fractional bits) and each pass rounded and clipped to 0..255. The vertical pass reads
// only the rows the horizontal one produced. Written from Pillow's documented algorithm (libImaging/Resample.c), so that
// the lab's Qwen2.5-VL processor gives the reference's pixels exactly (bench/resize-vs-pil measures it).
namespace WebLab.Training.Models.Vision;

public static class PilBicubic
{
    const int PrecisionBits = 32 - 8 - 2;

    /// <summary>Keys' cubic convolution kernel with a = −0.5 (support 2).</summary>
    public static double Cubic(double x)
    {
        const double a = -0.5;
        x = Math.Abs(x);
        if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
        if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
        return 0;
    }

    /// <summary>For each output index: its first input index, its input count, and its fixed-point weights.</summary>
    public static (int[] First, int[] Count, int[][] Weights) Coefficients(int inSize, int outSize)
    {
        double scale = (double)inSize / outSize;
        double filterScale = Math.Max(scale, 1.0);
        double support = 2.0 * filterScale;
        var first = new int[outSize];
        var count = new int[outSize];
        var weights = new int[outSize][];
        for (int o = 0; o < outSize; o++)
        {
            double center = (o + 0.5) * scale;
            int min = Math.Max((int)(center - support + 0.5), 0);                     // C's (int) truncates towards 0
            int max = Math.Min((int)(center + support + 0.5), inSize) - min;
            var k = new double[max];
            double sum = 0;
            for (int x = 0; x < max; x++) sum += k[x] = Cubic((x + min - center + 0.5) / filterScale);
            weights[o] = k.Select(w => sum != 0 ? w / sum : w).Select(w => w < 0 ? (int)(-0.5 + w * (1 << PrecisionBits)) : (int)(0.5 + w * (1 << PrecisionBits))).ToArray();
            (first[o], count[o]) = (min, max);
        }
        return (first, count, weights);
    }

    static byte Clip8(long v)
    {
        long shifted = v >> PrecisionBits;
        return shifted < 0 ? (byte)0 : shifted > 255 ? (byte)255 : (byte)shifted;
    }

    /// <summary>RGB bytes [H, W, 3] resized to [outH, outW, 3]; a pass whose size does not change is skipped, as Pillow skips it.</summary>
    public static byte[] Resize(byte[] rgb, int height, int width, int outHeight, int outWidth)
    {
        if (rgb.Length != height * width * 3) throw new ArgumentException($"{rgb.Length} bytes are not a {width}×{height} RGB image");
        var (yFirst, yCount, yWeights) = Coefficients(height, outHeight);
        int rowFirst = yFirst[0], rowLast = yFirst[outHeight - 1] + yCount[outHeight - 1];
        byte[] src = rgb;
        int srcRows = height, rowOffset = 0;
        if (outWidth != width)
        {
            var (xFirst, xCount, xWeights) = Coefficients(width, outWidth);
            int rows = outHeight != height ? rowLast - rowFirst : height;                  // the rows the vertical pass reads
            int from = outHeight != height ? rowFirst : 0;
            var tmp = new byte[rows * outWidth * 3];
            for (int y = 0; y < rows; y++)
                for (int o = 0; o < outWidth; o++)
                    for (int c = 0; c < 3; c++)
                    {
                        long acc = 1L << (PrecisionBits - 1);
                        var k = xWeights[o];
                        for (int x = 0; x < xCount[o]; x++) acc += rgb[((y + from) * width + xFirst[o] + x) * 3 + c] * (long)k[x];
                        tmp[(y * outWidth + o) * 3 + c] = Clip8(acc);
                    }
            (src, srcRows, rowOffset) = (tmp, rows, from);
        }
        if (outHeight == height) return src;
        var output = new byte[outHeight * outWidth * 3];
        for (int o = 0; o < outHeight; o++)
            for (int x = 0; x < outWidth; x++)
                for (int c = 0; c < 3; c++)
                {
                    long acc = 1L << (PrecisionBits - 1);
                    var k = yWeights[o];
                    for (int y = 0; y < yCount[o]; y++) acc += src[((yFirst[o] - rowOffset + y) * outWidth + x) * 3 + c] * (long)k[y];
                    output[(o * outWidth + x) * 3 + c] = Clip8(acc);
                }
        return output;
    }
}
