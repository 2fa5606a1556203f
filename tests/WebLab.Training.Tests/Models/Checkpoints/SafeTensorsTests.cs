// SafeTensors: round trips per dtype and shape, deterministic bytes, and clear errors on damaged files.
using System.Text;
using TorchSharp;
using WebLab.Training.Models.Checkpoints;
using Xunit;
using static TorchSharp.torch;

namespace WebLab.Training.Tests.Models.Checkpoints;

public sealed class SafeTensorsTests : IDisposable
{
    readonly TempFolder _dir = new("weblab-st-");

    public void Dispose() => _dir.Dispose();

    static Dictionary<string, Tensor> Sample(ScalarType dtype)
    {
        // a generator of its own: the global one is shared with test classes running in parallel
        using var g = new Generator(7);
        return new Dictionary<string, Tensor>
        {
            ["b.matrix"] = randn(3, 5, generator: g).to(dtype),
            ["a.vector"] = randn(7, generator: g).to(dtype),
            ["c.cube"] = randn(2, 3, 4, generator: g).to(dtype),
            ["d.scalar"] = tensor(3.25f).to(dtype),              // 0-d: shape []
            ["e.empty"] = zeros(new long[] { 0, 4 }).to(dtype),  // no bytes, data_offsets [x, x]
            ["f.transposed"] = randn(4, 6, generator: g).t().to(dtype),        // not contiguous: the writer must copy
        };
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.BFloat16)]
    [InlineData(ScalarType.Float16)]
    [InlineData(ScalarType.Int64)]
    [InlineData(ScalarType.Int32)]
    public void Round_trip_keeps_names_dtypes_shapes_and_values(ScalarType dtype)
    {
        var original = Sample(dtype);
        var path = System.IO.Path.Combine(_dir.Path, "m.safetensors");
        SafeTensors.Save(path, original);

        var loaded = SafeTensors.Load(path);

        Assert.Equal(original.Keys.Order(StringComparer.Ordinal), loaded.Keys);
        foreach (var (name, t) in original)
        {
            Assert.Equal(dtype, loaded[name].dtype);
            Assert.Equal(t.shape, loaded[name].shape);
            Assert.True(t.Equals(loaded[name]), $"{name} differs after the round trip");
        }
    }

    [Fact]
    public void Same_tensors_give_identical_bytes_and_a_reloaded_file_resaves_identically()
    {
        var first = System.IO.Path.Combine(_dir.Path, "1.safetensors");
        var second = System.IO.Path.Combine(_dir.Path, "2.safetensors");
        var third = System.IO.Path.Combine(_dir.Path, "3.safetensors");
        var meta = new Dictionary<string, string> { ["format"] = "pt", ["step"] = "12" };
        SafeTensors.Save(first, Sample(ScalarType.BFloat16), meta);
        SafeTensors.Save(second, Sample(ScalarType.BFloat16), meta);
        SafeTensors.Save(third, SafeTensors.Load(first), meta);

        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(third));
        Assert.Equal(meta, SafeTensors.LoadMetadata(first));
    }

    [Fact]
    public void Layout_follows_the_format_header_length_padding_and_raw_little_endian_data()
    {
        var path = System.IO.Path.Combine(_dir.Path, "x.safetensors");
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["x"] = tensor(new float[] { 1f, -2f }, new long[] { 2 }) });
        var bytes = File.ReadAllBytes(path);

        long n = BitConverter.ToInt64(bytes, 0);
        var header = Encoding.UTF8.GetString(bytes, 8, (int)n);
        Assert.Equal(0, n % 8);
        Assert.Equal("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", header.TrimEnd(' '));
        Assert.Equal(8 + n + 8, bytes.Length);
        Assert.Equal(1f, BitConverter.ToSingle(bytes, 8 + (int)n));
        Assert.Equal(-2f, BitConverter.ToSingle(bytes, 12 + (int)n));
    }

    [Fact]
    public void Parameters_that_require_grad_are_saved_as_plain_data()
    {
        var path = System.IO.Path.Combine(_dir.Path, "p.safetensors");
        using var weight = new TorchSharp.Modules.Parameter(randn(3, 2));
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["w"] = weight });

        using var loaded = SafeTensors.Load(path)["w"];

        Assert.False(loaded.requires_grad);
        Assert.True(weight.detach().Equals(loaded));
    }

    [Fact]
    public void Bf16_bytes_are_the_top_half_of_the_fp32_bits()
    {
        // 1.0f = 0x3F800000 → bf16 0x3F80, stored little-endian as 80 3F
        var path = System.IO.Path.Combine(_dir.Path, "bf.safetensors");
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["one"] = ones(1, dtype: ScalarType.BFloat16) });
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x80, 0x3F }, bytes[^2..]);
        Assert.Contains("\"BF16\"", Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void Truncated_file_is_reported_as_out_of_range()
    {
        var path = System.IO.Path.Combine(_dir.Path, "t.safetensors");
        SafeTensors.Save(path, Sample(ScalarType.Float32));
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^10]);

        var ex = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));
        Assert.Contains("out of range", ex.Message);
    }

    [Fact]
    public void Header_length_beyond_the_file_is_reported()
    {
        var path = System.IO.Path.Combine(_dir.Path, "h.safetensors");
        File.WriteAllBytes(path, [.. BitConverter.GetBytes(1000L), .. "{}      "u8.ToArray()]);

        var ex = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));
        Assert.Contains("header length 1000 runs past the end", ex.Message);
    }

    [Theory]
    [InlineData("{\"w\":{\"dtype\":\"Q4\",\"shape\":[1],\"data_offsets\":[0,4]}}", "unknown dtype 'Q4'")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", "needs 8")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", "out of range")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", "malformed")]
    [InlineData("{\"w\":", "not valid JSON")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", "appears twice")]
    public void Corrupt_headers_fail_with_a_clear_message(string header, string expected)
    {
        var path = System.IO.Path.Combine(_dir.Path, "c.safetensors");
        var json = Encoding.UTF8.GetBytes(header);
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((long)json.Length), .. json, 0, 0, 128, 63]);

        var ex = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void File_shorter_than_eight_bytes_is_reported()
    {
        var path = System.IO.Path.Combine(_dir.Path, "s.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);
        var ex = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));
        Assert.Contains("shorter than the 8-byte header length", ex.Message);
    }
}
