// The tokenizer contract every model and domain uses: text ↔ token ids, plus the special ids generation needs.
namespace WebLab.Training.Tokenizers;

public interface ITokenizer
{
    int VocabSize { get; }
    /// <summary>Beginning-of-sequence id (prepended to prompts), or -1 when the tokenizer has none.</summary>
    int BosId { get; }
    /// <summary>End-of-sequence id: generation stops a row when it emits this.</summary>
    int EosId { get; }
    /// <summary>Padding id for batched tensors (never attended to).</summary>
    int PadId { get; }
    int[] Encode(string text);
    string Decode(IEnumerable<int> ids);
}
