// Base of the tests that drive one real app over HTTP: a fresh LabFactory (own data folder) and its client per test.
using WebLab.Training.Experiments;

namespace WebLab.Web.Tests.Infrastructure;

public abstract class LabTest(MethodCatalog? catalog = null) : IAsyncLifetime
{
    protected LabFactory Lab { get; } = new(catalog);
    protected HttpClient Http { get; private set; } = default!;

    public Task InitializeAsync()
    {
        Http = Lab.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Lab.DisposeAsync();
}
