using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebLab.Web.Migrations
{
    /// <inheritdoc />
    public partial class AddExperimentProvenance : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Provenance",
                table: "Experiments",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Provenance",
                table: "Experiments");
        }
    }
}
