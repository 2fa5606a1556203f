// Reads an uploaded prompt file with PromptSetFile (the same reader as `weblab train --prompts`) into a JSON array value.
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using WebLab.Training.Methods.Grpo;
using WebLab.Web.Features.Methods;

namespace WebLab.Web.Components.Shared;

public partial class TextListInput
{
    [Parameter, EditorRequired] public OptionField Field { get; set; } = default!;
    [Parameter] public JsonNode? Value { get; set; }
    [Parameter] public EventCallback<JsonNode?> ValueChanged { get; set; }
    [Parameter] public string? Error { get; set; }

    bool importing;
    string fileName = "";
    IReadOnlyList<string> importErrors = [];

    IReadOnlyList<string> Items => Value is JsonArray a ? [.. a.Select(x => x?.ToString() ?? "")] : [];

    string Summary => Items.Count == 0
        ? "none: prompts are generated"
        : $"{Items.Count:N0} prompts: " + string.Join(", ", Items.Take(3).Select(p => $"'{p}'")) + (Items.Count > 3 ? ", …" : "");

    async Task ImportAsync(IBrowserFile? file)
    {
        if (file is null) return;
        (importing, fileName, importErrors) = (true, file.Name, []);
        try
        {
            if (file.Size > PromptSetFile.MaxBytes)
            {
                importErrors = [$"{file.Size / (1024.0 * 1024):F1} MiB; at most {PromptSetFile.MaxBytes / (1024 * 1024)} MiB"];
                return;
            }
            using var reader = new StreamReader(file.OpenReadStream(PromptSetFile.MaxBytes));
            var result = PromptSetFile.Parse(await reader.ReadToEndAsync(), file.Name);
            importErrors = result.Errors;
            if (result.Errors.Count == 0)
                await ValueChanged.InvokeAsync(new JsonArray([.. result.Prompts.Select(p => JsonValue.Create(p))]));
        }
        catch (IOException e)
        {
            importErrors = ["could not be read: " + e.Message];
        }
        finally
        {
            importing = false;
        }
    }

    Task ClearAsync()
    {
        importErrors = [];
        return ValueChanged.InvokeAsync(new JsonArray());
    }
}
