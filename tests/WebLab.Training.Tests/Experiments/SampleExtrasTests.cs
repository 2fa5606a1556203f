// Sample extras keep the stored JSON shape the recipes wrote as anonymous objects, and read back typed.
using WebLab.Training.Experiments;

namespace WebLab.Training.Tests.Experiments;

public class SampleExtrasTests
{
    [Fact]
    public void Each_role_writes_the_stored_field_names()
    {
        Assert.Equal("""{"query":1,"task":"rev","category":"invalid","value":0.5,"quality_value":2.5,"advantage":-0.25}""",
            SampleExtras.Write(new ChallengerExtra(1, "rev", "invalid", 0.5, 2.5, -0.25)));
        Assert.Equal("""{"query":0,"task":null,"category":"add","value":0,"quality_value":0,"advantage":0}""",
            SampleExtras.Write(new ChallengerExtra(0, null, "add", 0, 0, 0)));
        Assert.Equal("""{"query":1,"answer":2,"quality":6,"advantage":0.75,"stopped":true}""",
            SampleExtras.Write(new SolverExtra(1, 2, 6, 0.75, true)));
        Assert.Equal("""{"query":3,"answer":0,"advantage":-1,"stopped":false}""",   // no quality (GRPO, LSP-Zero): left out
            SampleExtras.Write(new SolverExtra(3, 0, null, -1, false)));
        Assert.Equal("""{"split":"easy","level":2,"expected":"cba"}""", SampleExtras.Write(new EvalExtra("easy", 2, "cba")));
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
}
