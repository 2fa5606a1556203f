// GPT-2's byte-level alphabet, which Llama 3 and Qwen2 tokenizer.json vocabularies are written in: every byte 0..255
// maps to one printable character (printable Latin-1 bytes to themselves, the rest to U+0100.. in byte order), so a
// word's UTF-8 bytes become a string the BPE vocabulary and merges can be looked up in, and back.
using System.Text;

namespace WebLab.Training.Tokenizers;

public static class ByteLevel
{
    static readonly char[] ToChar = BuildAlphabet();
    static readonly Dictionary<char, byte> ToByte = Enumerable.Range(0, 256).ToDictionary(b => ToChar[b], b => (byte)b);

    static char[] BuildAlphabet()
    {
        var map = new char[256];
        bool Printable(int b) => b is >= '!' and <= '~' or >= '¡' and <= '¬' or >= '®' and <= 'ÿ';
        int next = 256;
        for (int b = 0; b < 256; b++) map[b] = Printable(b) ? (char)b : (char)next++;
        return map;
    }

    /// <summary>The alphabet's character for one byte ('Ġ' for 0x20).</summary>
    public static char CharOf(byte b) => ToChar[b];

    /// <summary>The byte-level spelling of <paramref name="text"/>'s UTF-8 bytes ("Ġhello" for " hello").</summary>
    public static string Encode(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var chars = new char[bytes.Length];
        for (int i = 0; i < bytes.Length; i++) chars[i] = ToChar[bytes[i]];
        return new string(chars);
    }

    /// <summary>Appends the bytes a byte-level token spells; false when it holds a character outside the alphabet.</summary>
    public static bool TryAppendBytes(string token, List<byte> bytes)
    {
        foreach (var c in token)
        {
            if (!ToByte.TryGetValue(c, out var b)) return false;
            bytes.Add(b);
        }
        return true;
    }
}
