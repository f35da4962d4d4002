// The flow recovery backoff against the spec's worked examples and its
// distribution (../shared/spec/outbound.md section 4, OB-UA-17/18).
#include "models/roles/outbound-backoff.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace sipbed;

TEST(OutboundBackoff, WaitTimeFollowsTheSpecTable)
{
    const BackoffConfig c;
    // n -> (base 30 wait, base 90 wait)
    const std::vector<std::pair<double, double>> table = {
        {60, 180}, {120, 360}, {240, 720}, {480, 1440}, {960, 1800}, {1800, 1800}, {1800, 1800}};
    for (uint32_t n = 1; n <= table.size(); ++n)
    {
        EXPECT_EQ(BackoffWaitTime(c, n, true), table[n - 1].first) << n;
        EXPECT_EQ(BackoffWaitTime(c, n, false), table[n - 1].second) << n;
    }
    EXPECT_EQ(BackoffWaitTime(c, 1000, true), 1800); // no overflow far past the cap
}

TEST(OutboundBackoff, WorkedExampleBase30WithThreeFailuresIs240Seconds)
{
    EXPECT_EQ(BackoffWaitTime(BackoffConfig(), 3, true), 240);
}

TEST(OutboundBackoff, FirstFailureAtBootRetriesThirtyToSixtySecondsLater)
{
    SeededRandom r(1);
    for (int i = 0; i < 1000; ++i)
    {
        const BackoffDecision d = DecideBackoff(BackoffConfig(), 1, true, r);
        EXPECT_GE(d.delayS, 30);
        EXPECT_LE(d.delayS, 60);
    }
}

TEST(OutboundBackoff, ConstantsAreConfigurable)
{
    BackoffConfig c;
    c.baseAllFailedS = 10;
    c.baseSomeUpS = 20;
    c.maxS = 100;
    EXPECT_EQ(BackoffWaitTime(c, 2, true), 40);
    EXPECT_EQ(BackoffWaitTime(c, 2, false), 80);
    EXPECT_EQ(BackoffWaitTime(c, 3, false), 100);
}

namespace
{

/// Kolmogorov-Smirnov statistic of samples against uniform [lo, hi].
double
KsAgainstUniform(std::vector<double> x, double lo, double hi)
{
    std::sort(x.begin(), x.end());
    const double n = static_cast<double>(x.size());
    double d = 0;
    for (size_t i = 0; i < x.size(); ++i)
    {
        const double f = (x[i] - lo) / (hi - lo);
        d = std::max({d, f - i / n, (i + 1) / n - f});
    }
    return d;
}

} // namespace

TEST(OutboundBackoff, DelayIsUniformOverHalfToAllOfTheWaitTime)
{
    // OB-UA-17: 10,000 draws per case, KS at 1 %: D < 1.628 / sqrt(n).
    struct Case
    {
        uint32_t n;
        bool allFailed;
        double lo, hi;
    };
    const std::vector<Case> cases = {
        {1, true, 30, 60}, {3, true, 120, 240}, {7, true, 900, 1800}, {1, false, 90, 180}, {5, false, 900, 1800}};
    SeededRandom r(2024);
    const double critical = 1.628 / std::sqrt(10000.0);
    for (const Case& c : cases)
    {
        std::vector<double> delays;
        for (int i = 0; i < 10000; ++i)
        {
            const BackoffDecision d = DecideBackoff(BackoffConfig(), c.n, c.allFailed, r);
            ASSERT_GE(d.delayS, c.lo);
            ASSERT_LE(d.delayS, c.hi);
            delays.push_back(d.delayS);
        }
        EXPECT_LT(KsAgainstUniform(delays, c.lo, c.hi), critical) << "n=" << c.n << " all=" << c.allFailed;
    }
    // And the test can tell: a delay uniform over [0.4 W, W] is rejected.
    std::vector<double> skewed;
    for (int i = 0; i < 10000; ++i)
    {
        skewed.push_back(r.Uniform(24.0, 60.0));
    }
    EXPECT_GT(KsAgainstUniform(skewed, 30, 60), critical);
}
