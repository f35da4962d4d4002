// The avalanche-restart scenario at small scale: issue 6's three statements,
// asserted on summary.json and events.csv.
#include "tests/sim/scenario-test-support.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <sstream>

namespace
{

using namespace sipbed;

class AvalancheRestartScenarioTest : public test::ScenarioTest
{
  protected:
    nlohmann::json Run(const std::string& out, const test::Params& parameters)
    {
        return ScenarioRunner::Run("avalanche-restart", Options(out, parameters)).summary;
    }
};

/// 60 UAs whose power comes back at once, behind servers that take 50 ms per
/// REGISTER with room for 10 waiting: far below what `immediate` offers.
test::Params
Overloaded(const std::string& policy)
{
    return {{"policy", policy},
            {"uas", "60"},
            {"failure", "power-cut"},
            {"boot_spread", "1"},
            {"register_cost", "0.05"},
            {"queue_limit", "10"},
            {"duration", "300"}};
}

} // namespace

TEST_F(AvalancheRestartScenarioTest, DraftReportsItsPeakLoadBesideTheBoundItsBackoffImplies)
{
    const nlohmann::json s = Run("draft", Overloaded("draft"));
    // 2N/W with W = 2 x 30 s: every flow of a booting UA has failed; two
    // REGISTERs per attempt (challenge, authenticated).
    EXPECT_DOUBLE_EQ(s["backoff_bound_attempts_per_s"].get<double>(), 2.0 * 60 / 60);
    EXPECT_DOUBLE_EQ(s["backoff_bound_rps"].get<double>(), 2 * 2.0 * 60 / 60);
    // The boot burst and the retry rounds are both part of the peak.
    const double first = s["peak_first_round_load_rps"].get<double>();
    const double retries = s["peak_retry_rounds_load_rps"].get<double>();
    EXPECT_GT(first, 0.0);
    EXPECT_GT(retries, 0.0);
    EXPECT_GE(s["peak_offered_load_rps"].get<double>(), std::max(first, retries));
    // The overloaded boot made UAs back off, and their retries are spread
    // over [0.5 W, W] = 30 s: no second holds a fifth of them.
    const int64_t backedOff = s["backoff_retries_count"].get<int64_t>();
    EXPECT_GE(backedOff, 20);
    EXPECT_LT(s["peak_retries_due_per_s"].get<int64_t>() * 5, backedOff);
}

TEST_F(AvalancheRestartScenarioTest, ImmediateRetryCollapsesWhereTheOutboundBackoffRecovers)
{
    const nlohmann::json draft = Run("draft", Overloaded("draft"));
    const nlohmann::json rfc = Run("rfc5626", Overloaded("rfc5626"));
    const nlohmann::json immediate = Run("immediate", Overloaded("immediate"));
    EXPECT_EQ(draft["registered_at_end_fraction"].get<double>(), 1.0);
    EXPECT_EQ(rfc["registered_at_end_fraction"].get<double>(), 1.0);
    EXPECT_FALSE(draft["time_to_99_percent_s"].is_null());
    // immediate: the server is kept busy with retries it cannot finish
    EXPECT_LT(immediate["registered_at_end_fraction"].get<double>(), 0.5);
    EXPECT_TRUE(immediate["time_to_90_percent_s"].is_null());
    EXPECT_GT(immediate["server_utilization"].get<double>(), 5 * draft["server_utilization"].get<double>());
    EXPECT_GT(immediate["peak_offered_load_rps"].get<double>(), draft["peak_offered_load_rps"].get<double>());
}

TEST_F(AvalancheRestartScenarioTest, WithTwoFlowsAPrimaryCrashLeavesEveryUaReachableAndRetriesOnTheNinetySecondBase)
{
    const std::string out = "two-flows";
    const nlohmann::json s =
        Run(out, {{"uas", "100"}, {"flows", "2"}, {"failure", "edge-crash"}, {"failure_duration", "120"}});
    EXPECT_EQ(s["min_reachable_fraction"].get<double>(), 1.0);
    EXPECT_EQ(s["registered_at_end_fraction"].get<double>(), 1.0);
    // every backoff decision used the 90 s base: a flow was still up
    std::istringstream in(test::ReadFile(m_dir / out / "events.csv"));
    std::string line;
    int backoffs = 0;
    while (std::getline(in, line))
    {
        if (line.find(",backoff,") != std::string::npos)
        {
            ++backoffs;
            EXPECT_NE(line.find(",90,"), std::string::npos) << line;
        }
    }
    EXPECT_GE(backoffs, 100);
}
