using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebLab.Web.Migrations
{
    /// <inheritdoc />
    public partial class AddSampleReviews : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ReviewComment",
                table: "Samples",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReviewStatus",
                table: "Samples",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ReviewedAt",
                table: "Samples",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ReviewComment",
                table: "Samples");

            migrationBuilder.DropColumn(
                name: "ReviewStatus",
                table: "Samples");

            migrationBuilder.DropColumn(
                name: "ReviewedAt",
                table: "Samples");
        }
    }
}
