using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebLab.Web.Migrations
{
    /// <inheritdoc />
    public partial class AddWorkerTokens : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "WorkerToken",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Prefix = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    RevokedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WorkerToken", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "WorkerHello",
                columns: table => new
                {
                    Host = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    TokenId = table.Column<long>(type: "INTEGER", nullable: false),
                    Queues = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Devices = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Version = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    FirstSeen = table.Column<long>(type: "INTEGER", nullable: false),
                    LastSeen = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WorkerHello", x => x.Host);
                    table.ForeignKey(
                        name: "FK_WorkerHello_WorkerToken_TokenId",
                        column: x => x.TokenId,
                        principalTable: "WorkerToken",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_WorkerHello_TokenId",
                table: "WorkerHello",
                column: "TokenId");

            migrationBuilder.CreateIndex(
                name: "IX_WorkerToken_Hash",
                table: "WorkerToken",
                column: "Hash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "WorkerHello");

            migrationBuilder.DropTable(
                name: "WorkerToken");
        }
    }
}
