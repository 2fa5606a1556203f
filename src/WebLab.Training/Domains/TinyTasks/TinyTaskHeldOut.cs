// Which TinyTasks instructions a testbed keeps for evaluation: at levels ≥ 3, a fixed eighth of the instruction space,
// chosen by a well-mixed hash of the text. Evaluation items are drawn only from that eighth and training data never,
// so a split drawn with any evaluation seed holds items no training run of the testbed has seen (levels 1–2 are too
// small a space to split, and are the base's training distribution anyway).
namespace WebLab.Training.Domains.TinyTasks;

public static class TinyTaskHeldOut
{
    /// <summary>One instruction in this many (at levels ≥ 3) is held out.</summary>
    public const int Share = 8;

    /// <summary>True when <paramref name="instruction"/> (level <paramref name="level"/>) belongs to the held-out eighth.</summary>
    public static bool Contains(string instruction, int level) =>
        level > TinyTaskLimits.EasyMaxLevel && Hash(instruction) % Share == 0;

    /// <summary>FNV-1a over the characters, then murmur3's finaliser: FNV's low bits alone depend only on the
    /// characters' low bits, which would make the held-out eighth a pattern of letters rather than a random share.</summary>
    public static uint Hash(string text)
    {
        uint h = 2166136261;
        foreach (var ch in text) h = (h ^ ch) * 16777619;
        h ^= h >> 16; h *= 0x85ebca6b; h ^= h >> 13; h *= 0xc2b2ae35; h ^= h >> 16;
        return h;
    }
}
