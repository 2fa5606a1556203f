// Group-relative advantages, worked by hand: the part GRPO and self-play share.
using WebLab.Training.Methods.Common;

namespace WebLab.Training.Tests.Methods.Common;

public class GroupAdvantagesTests
{
    [Fact]
    public void Advantage_is_reward_minus_group_mean()
    {
        // [1, 0, 0]: mean 1/3 → [2/3, −1/3, −1/3]; [0.5, 0.5]: no signal → [0, 0]
        var a = GroupAdvantages.GroupRelative([1, 0, 0], scaleByStd: false);
        Assert.Equal(3, a.Length);
        Assert.Equal(2.0 / 3, a[0], 12);
        Assert.Equal(-1.0 / 3, a[1], 12);
        Assert.Equal(-1.0 / 3, a[2], 12);
        Assert.Equal([0.0, 0.0], GroupAdvantages.GroupRelative([0.5, 0.5], scaleByStd: false));
    }

    [Fact]
    public void Scaling_divides_by_the_population_std_plus_a_guard()
    {
        // [1, 0]: mean ½, population std ½ → ±½ / (½ + 1e-4) = ±0.99980004
        var a = GroupAdvantages.GroupRelative([1, 0], scaleByStd: true);
        Assert.Equal(0.5 / 0.5001, a[0], 12);
        Assert.Equal(-0.5 / 0.5001, a[1], 12);
        // a flat group stays 0 (the guard keeps 0/0 away)
        Assert.Equal([0.0, 0.0, 0.0], GroupAdvantages.GroupRelative([1, 1, 1], scaleByStd: true));
    }

    [Fact]
    public void Std_is_the_population_std()
    {
        // [1, 0, 0]: squared deviations 4/9, 1/9, 1/9 → variance 6/27 = 2/9 → √2/3 (the sample std would be √(1/3))
        Assert.Equal(Math.Sqrt(2) / 3, GroupAdvantages.Std([1.0, 0, 0]), 12);
        Assert.Equal(0, GroupAdvantages.Std([3.0, 3, 3]));
    }

    [Fact]
    public void A_group_has_signal_when_its_rewards_differ()
    {
        Assert.True(GroupAdvantages.HasSignal([1.0, 0]));
        Assert.True(GroupAdvantages.HasSignal([0.5, 0.5, 0.25]));
        Assert.False(GroupAdvantages.HasSignal([0.5, 0.5]));
        Assert.False(GroupAdvantages.HasSignal([0.0]));
    }

    [Fact]
    public void Zero_std_fraction_counts_groups_with_equal_rewards()
    {
        // groups [1,1], [0,1], [0.5,0.5], [0,0]: three of four are flat
        Assert.Equal(0.75, GroupAdvantages.ZeroStdFraction([[1, 1], [0, 1], [0.5, 0.5], [0, 0]]));
        Assert.Equal(0, GroupAdvantages.ZeroStdFraction([[1, 0]]));
    }
}
