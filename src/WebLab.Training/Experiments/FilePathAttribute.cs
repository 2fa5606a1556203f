// Marks an option whose value is a path on the lab's machine (a model folder, an evaluation file), so that a host can
// confine such paths to the folders it allows before a run starts (the web lab: WebLab:PathRoots).
namespace WebLab.Training.Experiments;

[AttributeUsage(AttributeTargets.Property)]
public sealed class FilePathAttribute : Attribute;
