// Small display helpers shared by the pages.
namespace WebLab.Web.Components.Shared;

public static class Format
{
    public static string Eta(double? seconds) => seconds switch
    {
        null => "",
        < 60 => $"{seconds:0}s left",
        < 3600 => $"{seconds / 60:0}m {seconds % 60:00}s left",
        _ => $"{seconds / 3600:0}h {seconds % 3600 / 60:00}m left",
    };

    public static double Percent(long step, long total) => total <= 0 ? 0 : Math.Min(100, 100.0 * step / total);

    public static string Local(DateTimeOffset? t) => t?.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss") ?? "";
}
