// The test-only extensions' registration lines, one each, as the built-in ones have theirs in
// DomainCatalog.BuiltInDomains and MethodCatalog.BuiltInMethods.
using WebLab.Training.Experiments;

namespace WebLab.Web.Tests.Extensions;

public static class Registered
{
    public static DomainCatalog Domains { get; } = DomainCatalog.Default.With(new FakeDomain.FakeDomain());
    public static MethodCatalog Methods { get; } = MethodCatalog.Default.With(new FakeMethod.FakeMethod());
}
