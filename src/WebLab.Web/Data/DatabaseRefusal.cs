// What a page catches when SQLite refuses a person's edit (its lock held past the timeout, the disk full): the page says
// so and keeps what was typed, instead of the error ending the circuit and the text with it.
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace WebLab.Web.Data;

public static class DatabaseRefusal
{
    public static bool Is(Exception ex) => ex is DbUpdateException or SqliteException or InvalidOperationException { InnerException: SqliteException };

    /// <summary>"not saved (database is locked)": the reason, for the page.</summary>
    public static string Reason(Exception ex) => $"not saved ({ex.GetBaseException().Message})";
}
