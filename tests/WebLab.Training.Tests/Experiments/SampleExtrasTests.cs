// Sample extras keep the stored JSON shape the recipes wrote as anonymous objects, led by their type tag, and read back
// typed: by the tag, or for rows written before the tags by their role (a solver or eval row naming an image is a vision one).
using WebLab.Training.Experiments;

namespace WebLab.Training.Tests.Experiments;

public class SampleExtrasTests
{
    [Fact]
    public void Each_role_writes_the_stored_field_names()
    {
        Assert.Equal("""{"type":"challenger","query":1,"task":"rev","category":"invalid","value":0.5,"quality_value":2.5,"advantage":-0.25}""",
            SampleExtras.Write(new ChallengerExtra(1, "rev", "invalid", 0.5, 2.5, -0.25)));
        Assert.Equal("""{"type":"challenger","query":0,"task":null,"category":"add","value":0,"quality_value":0,"advantage":0}""",
            SampleExtras.Write(new ChallengerExtra(0, null, "add", 0, 0, 0)));
        Assert.Equal("""{"type":"solver","query":1,"answer":2,"quality":6,"advantage":0.75,"stopped":true}""",
            SampleExtras.Write(new SolverExtra(1, 2, 6, 0.75, true)));
        Assert.Equal("""{"type":"solver","query":3,"answer":0,"advantage":-1,"stopped":false}""",   // no quality (GRPO, LSP-Zero): left out
            SampleExtras.Write(new SolverExtra(3, 0, null, -1, false)));
        Assert.Equal("""{"type":"eval","split":"easy","level":2,"expected":"cba"}""", SampleExtras.Write(new EvalExtra("easy", 2, "cba")));
    }

    [Fact]
    public void Extras_read_back_typed_and_bad_json_reads_as_none()
    {
        Assert.Equal(new SolverExtra(1, 2, null, 0.75, true), SampleExtras.Read<SolverExtra>("""{"query":1,"answer":2,"quality":null,"advantage":0.75,"stopped":true}"""));
        Assert.Equal(new ChallengerExtra(4, "max", "max", 0.25, null, -0.5),
            SampleExtras.Read<ChallengerExtra>("""{"query":4,"task":"max","category":"max","value":0.25,"quality_value":null,"advantage":-0.5}"""));
        Assert.Null(SampleExtras.Read<SolverExtra>(null));
        Assert.Null(SampleExtras.Read<SolverExtra>("not json"));
        Assert.Null(SampleExtras.Read<SolverExtra>("""{"query":"zero"}"""));
    }

    [Fact]
    public void Each_extra_is_written_with_its_tag_and_read_back_as_itself()
    {
        var solver = SampleExtras.Write(new SolverExtra(1, 2, null, 0.5, true, "8"));
        Assert.StartsWith("""{"type":"solver",""", solver);
        Assert.Equal(new SolverExtra(1, 2, null, 0.5, true, "8"), SampleExtras.Of(SampleRoles.Solver, solver));
        Assert.Equal(new SolverExtra(1, 2, null, 0.5, true, "8"), SampleExtras.Read<SolverExtra>(solver));        // a reader that knows the type
        var rollout = new VisualRolloutExtra(0, 1, "tinyscenes:x", "red", "a red disc", null, 1, 1, 0, 0.25) { Truth = "one red disc" };
        // the tag decides, whatever the role says
        Assert.Equal(rollout, SampleExtras.Of(SampleRoles.Eval, SampleExtras.Write(rollout)));
        Assert.IsType<EvalExtra>(SampleExtras.Of(SampleRoles.Eval, SampleExtras.Write(new EvalExtra("add", 3, "12"))));
    }

    [Fact]
    public void Rows_written_before_the_tags_are_read_by_their_role()
    {
        Assert.IsType<ChallengerExtra>(SampleExtras.Of(SampleRoles.Challenger,
            """{"query":0,"task":"add","category":"add","value":0.25,"quality_value":null,"advantage":-0.5}"""));
        Assert.IsType<SolverExtra>(SampleExtras.Of(SampleRoles.Solver, """{"query":0,"answer":0,"quality":null,"advantage":0.5,"stopped":true}"""));
        Assert.IsType<VisualRolloutExtra>(SampleExtras.Of(SampleRoles.Solver,
            """{"group":0,"answer":1,"image":"tinyscenes:x","expected":"red","description":null,"secondPass":null,"accuracy":1,"format":1,"descriptionReward":0,"advantage":0}"""));
        Assert.IsType<VisualEvalExtra>(SampleExtras.Of(SampleRoles.Eval,
            """{"split":"color","expected":"red","image":"tinyscenes:x","description":"a red disc","truth":"one red disc"}"""));
        Assert.Null(SampleExtras.Of(SampleRoles.Solver, "not json"));
        Assert.Null(SampleExtras.Of(SampleRoles.Solver, null));
        Assert.Null(SampleExtras.Of(SampleRoles.Solver, """{"type":"nonsense"}"""));                          // an unknown tag is no record
    }
}
