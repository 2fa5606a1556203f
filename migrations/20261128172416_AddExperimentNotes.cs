using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebLab.Web.Migrations
{
    /// <inheritdoc />
    public partial class AddExperimentNotes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Notes",
                table: "Experiments",
                type: "TEXT",
                maxLength: 10000,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Notes",
                table: "Experiments");
        }
    }
}
