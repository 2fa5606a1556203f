// With sign-in required, an anonymous request to every endpoint the app maps is refused: pages redirect to /signin, the
// API, the hub, exports, /hangfire and /openapi answer 401. The endpoints come from the app's own endpoint list, so a
// route added later is checked without editing this test; the only ones open to anonymous callers are the sign-in and
// set-up forms and the static assets, and that list is checked too.
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Accounts;

public sealed partial class AnonymousRefusedTests : IAsyncLifetime
{
    readonly LabFactory lab = SignedInLab.Create();

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await lab.DisposeAsync();

    static readonly HashSet<string> OpenByDesign = ["GET /signin", "POST /signin", "GET /signout", "POST /signout", "GET /setup", "POST /setup"];

    [Fact]
    public async Task Every_mapped_endpoint_but_the_sign_in_forms_and_static_assets_refuses_an_anonymous_request()
    {
        var http = lab.ClientWith(token: null);
        var endpoints = lab.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var open = new List<string>();
        var checkedRoutes = new List<string>();
        var failures = new List<string>();
        foreach (var e in endpoints)
        {
            var pattern = "/" + (e.RoutePattern.RawText ?? "").TrimStart('/');
            var methods = e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST"];   // no metadata: any method
            if (e.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            {
                if (!IsStaticAsset(e)) open.AddRange(methods.Select(m => $"{m} {pattern}"));
                continue;
            }
            foreach (var method in methods.Where(m => m != "OPTIONS"))
            {
                var url = Concrete(pattern);
                using var request = new HttpRequestMessage(new HttpMethod(method), url);
                if (method is "POST" or "PUT" or "PATCH") request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
                var response = await http.SendAsync(request);
                checkedRoutes.Add($"{method} {url} → {(int)response.StatusCode}");
                var refused = response.StatusCode == HttpStatusCode.Unauthorized
                    || response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.ToString().Contains("/signin", StringComparison.Ordinal) == true;
                if (!refused) failures.Add($"{method} {url} ({pattern}) answered {(int)response.StatusCode}");
            }
        }
        Directory.CreateDirectory(BrowserTest.ResultsDirectory);
        await File.WriteAllLinesAsync(Path.Combine(BrowserTest.ResultsDirectory, "anonymous-refused.txt"), checkedRoutes);
        Assert.Empty(failures);
        Assert.Equal(OpenByDesign.Order(), open.Distinct().Order());
        // the list really covers the lab: pages, API, exports, the hub, Hangfire and the OpenAPI document
        foreach (var must in new[] { "GET / ", "GET /experiments/1 ", "POST /api/experiments/ ", "DELETE /api/experiments/1 ", "GET /api/experiments/1/export/metrics.csv ",
                     "POST /api/verdicts/1/review ", "POST /hubs/experiments/negotiate ", "GET /hangfire/x ", "GET /openapi/v1.json ", "GET /api/tokens ", "GET /admin/users " })
            Assert.True(checkedRoutes.Any(r => r.StartsWith(must, StringComparison.Ordinal)), $"{must}not among:\n{string.Join("\n", checkedRoutes)}");
        Assert.True(checkedRoutes.Count > 40, string.Join("\n", checkedRoutes));
    }

    static bool IsStaticAsset(Endpoint e) => e.Metadata.Any(m => m.GetType().Name.StartsWith("StaticAsset", StringComparison.Ordinal));

    // {id:long} → 1, {documentName} → v1, {**path} → x, any other parameter → x
    static string Concrete(string pattern) => Parameter().Replace(pattern, m =>
        m.Value.Contains(":long", StringComparison.Ordinal) || m.Value.Contains(":int", StringComparison.Ordinal) ? "1"
        : m.Value.StartsWith("{documentName", StringComparison.Ordinal) ? "v1" : "x");

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();
}
