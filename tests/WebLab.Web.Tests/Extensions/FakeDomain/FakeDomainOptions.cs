// TEST-ONLY: the fake domain's own options, shown in the launch form's domain panel and checked before launch like any
// domain's (a range here, and one cross-field rule).
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using WebLab.Training.Domains;

namespace WebLab.Web.Tests.Extensions.FakeDomain;

public sealed record FakeDomainOptions : DomainOptions, IValidatableObject
{
    [Description("How many of the fixed strings the evaluation scores."), Range(1, 3)]
    public int Strings { get; init; } = 3;

    [Description("A label for the run's records; may not contain a space.")]
    public string Label { get; init; } = "fake";

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        if (Label.Contains(' ')) yield return new($"'{Label}' has a space; the fake domain's labels have none", [nameof(Label)]);
    }
}
