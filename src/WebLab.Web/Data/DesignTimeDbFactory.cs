// Lets `dotnet ef` build the context without starting the lab.
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace WebLab.Web.Data;

public sealed class DesignTimeDbFactory : IDesignTimeDbContextFactory<WebLabDb>
{
    public WebLabDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<WebLabDb>().UseSqlite("Data Source=design-time.db").Options);
}
