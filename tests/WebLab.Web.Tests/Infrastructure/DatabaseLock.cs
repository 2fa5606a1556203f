// Another connection holding SQLite's write lock (BEGIN EXCLUSIVE) until disposed, as a backup or a second writer would:
// every write of the lab meanwhile waits its timeout and fails.
using Microsoft.Data.Sqlite;

namespace WebLab.Web.Tests.Infrastructure;

public sealed class DatabaseLock : IAsyncDisposable
{
    readonly SqliteConnection connection;

    DatabaseLock(SqliteConnection connection) => this.connection = connection;

    public static async Task<DatabaseLock> TakeAsync(string databasePath)
    {
        var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        await connection.OpenAsync();
        await using var begin = connection.CreateCommand();
        begin.CommandText = "BEGIN EXCLUSIVE";
        await begin.ExecuteNonQueryAsync();
        return new(connection);
    }

    public async ValueTask DisposeAsync()
    {
        await using (var rollback = connection.CreateCommand()) { rollback.CommandText = "ROLLBACK"; await rollback.ExecuteNonQueryAsync(); }
        await connection.DisposeAsync();
    }
}
