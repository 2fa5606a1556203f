// MSBuild task (compiled by RoslynCodeTaskFactory) that lets libLibTorchSharp.so load on Debian 12.
// TorchSharp 0.107's native shim asks for GLIBCXX_3.4.32 for one symbol nothing calls
// (std::ios_base_library_init); Debian 12's libstdc++ stops at 3.4.30, so dlopen fails and TorchSharp
// reports a misleading "no reference to libtorch-cpu-linux-x64". Marking that version requirement
// weak (VER_FLG_WEAK in the Elf64_Vernaux entry of .gnu.version_r) turns the hard failure into a warning.
// Idempotent: a file already patched is left untouched.
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class WeakGlibcxxVersion : Task
{
    /// <summary>Files to patch (every copy of libLibTorchSharp.so the build placed).</summary>
    [Required] public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>The version requirement to weaken.</summary>
    public string VersionName { get; set; } = "GLIBCXX_3.4.32";

    public override bool Execute()
    {
        foreach (var item in Files)
        {
            var path = item.ItemSpec;
            try
            {
                var result = ElfVersionPatcher.MakeWeak(path, VersionName);
                if (result == ElfVersionPatcher.Result.Patched)
                    Log.LogMessage(MessageImportance.High, "WebLab: marked {0} weak in {1}", VersionName, path);
            }
            catch (Exception e)
            {
                Log.LogError("WebLab: could not patch {0}: {1}", path, e.Message);
            }
        }
        return !Log.HasLoggedErrors;
    }
}

/// <summary>Sets VER_FLG_WEAK on one named version-needed entry of a 64-bit little-endian ELF file.</summary>
public static class ElfVersionPatcher
{
    public enum Result { Patched, AlreadyWeak, NotNeeded }

    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;

    public static Result MakeWeak(string path, string versionName)
    {
        var elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1) throw new InvalidDataException("only 64-bit little-endian ELF is supported");

        long shoff = (long)BitConverter.ToUInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A), shnum = BitConverter.ToUInt16(elf, 0x3C);
        for (int s = 0; s < shnum; s++)
        {
            long sh = shoff + (long)s * shentsize;
            if (BitConverter.ToUInt32(elf, (int)sh + 4) != ShtGnuVerneed) continue;
            long offset = (long)BitConverter.ToUInt64(elf, (int)sh + 0x18);
            uint link = BitConverter.ToUInt32(elf, (int)sh + 0x28), count = BitConverter.ToUInt32(elf, (int)sh + 0x2C);
            long strtab = (long)BitConverter.ToUInt64(elf, (int)(shoff + link * shentsize + 0x18));

            // Walk Elf64_Verneed {vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32}
            // and its Elf64_Vernaux {vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32}.
            long need = offset;
            for (uint n = 0; n < count; n++)
            {
                int auxCount = BitConverter.ToUInt16(elf, (int)need + 2);
                long aux = need + BitConverter.ToUInt32(elf, (int)need + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    var name = ReadCString(elf, strtab + BitConverter.ToUInt32(elf, (int)aux + 8));
                    if (name == versionName)
                    {
                        ushort flags = BitConverter.ToUInt16(elf, (int)aux + 4);
                        if ((flags & VerFlgWeak) != 0) return Result.AlreadyWeak;
                        using var f = new FileStream(path, FileMode.Open, FileAccess.Write);
                        f.Position = aux + 4;
                        f.Write(BitConverter.GetBytes((ushort)(flags | VerFlgWeak)), 0, 2);
                        return Result.Patched;
                    }
                    aux += BitConverter.ToUInt32(elf, (int)aux + 12);
                }
                need += BitConverter.ToUInt32(elf, (int)need + 12);
            }
        }
        return Result.NotNeeded;
    }

    static string ReadCString(byte[] data, long at)
    {
        int end = (int)at;
        while (data[end] != 0) end++;
        return Encoding.ASCII.GetString(data, (int)at, end - (int)at);
    }
}
