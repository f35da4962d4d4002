// The flow-recovery scenario (`sipbed run flow-recovery`): issue 5's claims,
// read back from summary.json and events.csv.
#include "scenarios/scenario-errors.h"
#include "tests/sim/scenario-test-support.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <map>
#include <sstream>

namespace
{

using namespace sipbed;

class FlowRecoveryScenarioTest : public test::ScenarioTest
{
  protected:
    RunResult Run(const std::string& out, const test::Params& parameters, uint64_t seed = 1)
    {
        return ScenarioRunner::Run("flow-recovery", Options(out, parameters, seed));
    }
};

/// Rows of events.csv of one kind, as column -> value maps.
std::vector<std::map<std::string, std::string>>
Rows(const std::filesystem::path& dir, const std::string& kind)
{
    std::istringstream in(test::ReadFile(dir / "events.csv"));
    std::string line;
    std::getline(in, line);
    std::vector<std::string> header;
    std::istringstream h(line);
    for (std::string c; std::getline(h, c, ',');)
    {
        header.push_back(c);
    }
    std::vector<std::map<std::string, std::string>> rows;
    while (std::getline(in, line))
    {
        std::vector<std::string> cells;
        std::istringstream l(line);
        for (std::string c; std::getline(l, c, ',');)
        {
            cells.push_back(c);
        }
        if (cells.size() > 2 && cells[2] == kind)
        {
            std::map<std::string, std::string> row;
            for (size_t i = 0; i < cells.size() && i < header.size(); ++i)
            {
                row[header[i]] = cells[i];
            }
            rows.push_back(row);
        }
    }
    return rows;
}

} // namespace

TEST_F(FlowRecoveryScenarioTest, WithTwoFlowsAnEdgeCrashLeavesProbesSucceedingThroughTheBackup)
{
    const RunResult r = Run("two", {{"uas", "40"}, {"flows", "2"}});
    EXPECT_EQ(r.summary["uas_hit_count"].get<int64_t>(), 40);
    EXPECT_GT(r.summary["probe_success_during"].get<double>(), 0.95);
    EXPECT_EQ(r.summary["recovered_fraction"].get<double>(), 1.0);
}

TEST_F(FlowRecoveryScenarioTest, WithOneFlowProbesFailUntilRecovery)
{
    const RunResult r = Run("one", {{"uas", "40"}, {"flows", "1"}});
    EXPECT_LT(r.summary["probe_success_during"].get<double>(), 0.1);
    EXPECT_GT(r.summary["probe_success_after"].get<double>(), 0.95);
    EXPECT_GT(r.summary["unreachable_time_s"]["p50"].get<double>(), 60.0);
    EXPECT_EQ(r.summary["recovered_fraction"].get<double>(), 1.0);
}

TEST_F(FlowRecoveryScenarioTest, EveryBackoffRowLiesInsideHalfToAllOfItsWaitTime)
{
    const RunResult r = Run("backoff", {{"uas", "40"}, {"flows", "2"}, {"failure_duration", "400"}, {"duration", "900"}});
    const auto rows = Rows(r.directory, "backoff");
    ASSERT_GE(rows.size(), 40u);
    for (const auto& row : rows)
    {
        const int n = std::stoi(row.at("consecutive_failures"));
        const double base = std::stod(row.at("base_time_s"));
        const double wait = std::stod(row.at("wait_time_s"));
        const double delay = std::stod(row.at("delay_s"));
        EXPECT_GE(n, 1);
        EXPECT_TRUE(base == 30 || base == 90) << base;
        EXPECT_DOUBLE_EQ(wait, std::min(1800.0, base * std::pow(2.0, n)));
        EXPECT_GE(delay, 0.5 * wait);
        EXPECT_LE(delay, wait);
    }
}

TEST_F(FlowRecoveryScenarioTest, NatRebootWithStunIsDetectedWithinOneKeepaliveIntervalPlusTheStunTimeout)
{
    const RunResult r = Run("nat", {{"uas", "40"}, {"flows", "1"}, {"failure", "nat-reboot"}});
    EXPECT_EQ(r.summary["uas_hit_count"].get<int64_t>(), 40);
    // draft: STUN every 25-30 s, a transaction fails 9.5 s after its first request
    EXPECT_LE(r.summary["failure_detection_delay_s"]["max"].get<double>(), 30 + 9.5);
    EXPECT_EQ(r.summary["recovered_fraction"].get<double>(), 1.0);
}

TEST_F(FlowRecoveryScenarioTest, AFailureTargetOutsideTheFlowsIsABadParameter)
{
    try
    {
        Run("bad", {{"flows", "2"}, {"failure_target", "3"}});
        FAIL() << "expected a ParameterError";
    }
    catch (const ParameterError& e)
    {
        EXPECT_NE(std::string(e.what()).find("failure_target"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("[0, 1]"), std::string::npos) << e.what();
    }
}
