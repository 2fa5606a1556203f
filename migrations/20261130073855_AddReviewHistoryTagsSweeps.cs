using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebLab.Web.Migrations
{
    /// <inheritdoc />
    public partial class AddReviewHistoryTagsSweeps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "BaseCorrect",
                table: "Verdicts",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Expected",
                table: "Verdicts",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReviewedBy",
                table: "Verdicts",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "TrainedCorrect",
                table: "Verdicts",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReviewedBy",
                table: "Samples",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "SweepId",
                table: "Experiments",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Tags",
                table: "Experiments",
                type: "TEXT",
                maxLength: 330,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ReviewEvents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ExperimentId = table.Column<long>(type: "INTEGER", nullable: false),
                    Target = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    TargetId = table.Column<long>(type: "INTEGER", nullable: false),
                    Reviewer = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Comment = table.Column<string>(type: "TEXT", nullable: true),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReviewEvents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ReviewEvents_Experiments_ExperimentId",
                        column: x => x.ExperimentId,
                        principalTable: "Experiments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Sweeps",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Method = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Preset = table.Column<string>(type: "TEXT", nullable: true),
                    AxesJson = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Sweeps", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Experiments_SweepId",
                table: "Experiments",
                column: "SweepId");

            migrationBuilder.CreateIndex(
                name: "IX_ReviewEvents_ExperimentId",
                table: "ReviewEvents",
                column: "ExperimentId");

            migrationBuilder.CreateIndex(
                name: "IX_ReviewEvents_Target_TargetId",
                table: "ReviewEvents",
                columns: new[] { "Target", "TargetId" });

            migrationBuilder.AddForeignKey(
                name: "FK_Experiments_Sweeps_SweepId",
                table: "Experiments",
                column: "SweepId",
                principalTable: "Sweeps",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Experiments_Sweeps_SweepId",
                table: "Experiments");

            migrationBuilder.DropTable(
                name: "ReviewEvents");

            migrationBuilder.DropTable(
                name: "Sweeps");

            migrationBuilder.DropIndex(
                name: "IX_Experiments_SweepId",
                table: "Experiments");

            migrationBuilder.DropColumn(
                name: "BaseCorrect",
                table: "Verdicts");

            migrationBuilder.DropColumn(
                name: "Expected",
                table: "Verdicts");

            migrationBuilder.DropColumn(
                name: "ReviewedBy",
                table: "Verdicts");

            migrationBuilder.DropColumn(
                name: "TrainedCorrect",
                table: "Verdicts");

            migrationBuilder.DropColumn(
                name: "ReviewedBy",
                table: "Samples");

            migrationBuilder.DropColumn(
                name: "SweepId",
                table: "Experiments");

            migrationBuilder.DropColumn(
                name: "Tags",
                table: "Experiments");
        }
    }
}
