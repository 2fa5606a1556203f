using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace WebLab.Web.Migrations.Postgres
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Prefix = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    RevokedAt = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WorkerToken", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "WorkerHello",
                columns: table => new
                {
                    Host = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    TokenId = table.Column<long>(type: "bigint", nullable: false),
                    Queues = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Devices = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    Version = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    FirstSeen = table.Column<long>(type: "bigint", nullable: false),
                    LastSeen = table.Column<long>(type: "bigint", nullable: false)
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
