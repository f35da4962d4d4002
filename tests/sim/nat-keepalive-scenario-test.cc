// The nat-keepalive scenario as a user runs it (`sipbed run nat-keepalive`),
// through the scenario runner: the headline claims of issue 3 and
// docs/nat-keepalive.md, read back from summary.json and events.csv.

#include "scenarios/scenario-errors.h"
#include "tests/sim/scenario-test-support.h"

#include <nlohmann/json.hpp>

#include <map>
#include <sstream>

namespace
{

namespace fs = std::filesystem;
using namespace sipbed;
using test::Params;
using test::ReadFile;

/// How many rows of events.csv have each kind (third column; no kind is quoted).
std::map<std::string, int>
KindCounts(const fs::path& dir)
{
    std::map<std::string, int> counts;
    std::istringstream in(test::ReadFile(dir / "events.csv"));
    std::string line;
    std::getline(in, line); // header
    while (std::getline(in, line))
    {
        const size_t a = line.find(',');
        const size_t b = line.find(',', a + 1);
        const size_t c = line.find(',', b + 1);
        ++counts[line.substr(b + 1, c - b - 1)];
    }
    return counts;
}

class NatKeepaliveScenarioTest : public test::ScenarioTest
{
  protected:
    RunResult Run(const std::string& out, const Params& parameters, uint64_t seed = 1)
    {
        return ScenarioRunner::Run("nat-keepalive", Options(out, parameters, seed));
    }
};

TEST_F(NatKeepaliveScenarioTest, UdpKeepaliveBelowTheNatTimeoutKeepsEveryClientReachable)
{
    // K = 20 s < 60 s NAT UDP timeout: no mapping expires, every probe
    // before the failure arrives.
    const RunResult r = Run("below", {{"keepalive_interval", "20"}, {"nat_udp_timeout", "60"}});
    EXPECT_EQ(r.summary["probe_success_before"].get<double>(), 1.0);
    EXPECT_EQ(r.summary["mapping_expired_fraction"].get<double>(), 0.0);
    EXPECT_EQ(KindCounts(r.directory).count("mapping_expired"), 0u);
}

TEST_F(NatKeepaliveScenarioTest, UdpKeepaliveAboveTheNatTimeoutLosesReachability)
{
    // K = 90 s > 60 s: each mapping expires between keepalives, and the
    // server's probes are dropped at the NAT until the next keepalive.
    const RunResult r = Run("above",
                            {{"keepalive_interval", "90"},
                             {"nat_udp_timeout", "60"},
                             {"failure", "none"},
                             {"duration", "400"}});
    const double before = r.summary["probe_success_before"].get<double>();
    EXPECT_LT(before, 0.9);
    EXPECT_GT(before, 0.1); // reachable for the 60 s after each keepalive
    EXPECT_EQ(r.summary["mapping_expired_fraction"].get<double>(), 1.0);
    EXPECT_GT(r.summary["nat_inbound_drops_count"].get<int64_t>(), 0);
    EXPECT_GT(KindCounts(r.directory)["mapping_expired"], 0);
}

TEST_F(NatKeepaliveScenarioTest, EveryFailureAndRecoveryIsARowInEvents)
{
    // kind of failure -> rows it must leave (sites = 20 clients / 2 per NAT)
    const std::vector<std::pair<std::string, std::map<std::string, int>>> cases = {
        {"nat-reboot", {{"nat_reboot", 10}}},
        {"nat-reboot-new-address", {{"nat_reboot", 10}}},
        {"link-down", {{"link_down", 10}, {"link_up", 10}}},
        {"loss", {{"loss_start", 10}, {"loss_end", 10}}},
        {"server-crash", {{"node_crash", 1}, {"node_restart", 1}}},
        {"power-cut", {{"power_cut", 10}, {"host_boot", 20}}},
    };
    for (const auto& [failure, rows] : cases)
    {
        const RunResult r = Run(failure, {{"failure", failure}, {"duration", "200"}});
        const auto counts = KindCounts(r.directory);
        for (const auto& [kind, n] : rows)
        {
            EXPECT_EQ(counts.count(kind) ? counts.at(kind) : 0, n) << failure << " " << kind;
        }
        // and every client is reachable again once the failure is over
        EXPECT_EQ(r.summary["recovered_fraction"].get<double>(), 1.0) << failure;
        EXPECT_EQ(counts.at("recovered"), 20) << failure;
    }
}

TEST_F(NatKeepaliveScenarioTest, CrashedServerReachesNobodyUntilItRestarts)
{
    const RunResult r = Run("crash",
                            {{"failure", "server-crash"},
                             {"failure_time", "100"},
                             {"failure_duration", "40"},
                             {"probe_interval", "5"},
                             {"duration", "200"}});
    // [100, 160): 8 rounds it could not send, then rounds after the restart
    // that reach only the clients whose keepalive re-registered them.
    EXPECT_LT(r.summary["probe_success_during"].get<double>(), 0.5);
    EXPECT_EQ(r.summary["probe_success_after"].get<double>(), 1.0);
    // UDP clients are known again after their next keepalive: within K = 20 s.
    EXPECT_LE(r.summary["recovery_time_s"]["max"].get<double>(), 20.5);
}

TEST_F(NatKeepaliveScenarioTest, PowerCutClientsBootWithinTheSpreadAndReRegister)
{
    const RunResult r = Run("power",
                            {{"failure", "power-cut"},
                             {"failure_time", "100"},
                             {"failure_duration", "10"},
                             {"boot_spread", "30"},
                             {"duration", "250"}});
    std::istringstream in(ReadFile(r.directory / "events.csv"));
    std::string line;
    int boots = 0;
    while (std::getline(in, line))
    {
        if (line.find(",host_boot,") != std::string::npos)
        {
            const double t = std::stod(line.substr(0, line.find(',')));
            EXPECT_GE(t, 110.0) << line;
            EXPECT_LE(t, 140.0) << line;
            ++boots;
        }
    }
    EXPECT_EQ(boots, 20);
    EXPECT_EQ(r.summary["recovered_fraction"].get<double>(), 1.0);
}

TEST_F(NatKeepaliveScenarioTest, TcpClientsDetectAStrictNatRebootOnlyThroughTheirKeepalive)
{
    const RunResult r = Run("tcp", {{"transport", "tcp"}, {"nat_tcp_tracking", "strict"}});
    // The rebooted NAT drops the client's next segments silently: the
    // connection errors out after TCP's retransmissions, not at once.
    const auto& detection = r.summary["tcp_detection_delay_s"];
    EXPECT_EQ(detection["n"].get<int64_t>(), 20);
    EXPECT_GT(detection["p50"].get<double>(), 20.0);
    EXPECT_EQ(r.summary["recovered_fraction"].get<double>(), 1.0);
}

TEST_F(NatKeepaliveScenarioTest, SameSeedGivesByteIdenticalResults)
{
    const Params p = {{"failure", "power-cut"}, {"duration", "200"}};
    Run("a", p, 3);
    Run("other", p, 4);
    Run("b", p, 3);
    for (const char* file : {"summary.json", "timeseries.csv", "events.csv"})
    {
        EXPECT_EQ(ReadFile(m_dir / "a" / file), ReadFile(m_dir / "b" / file)) << file;
    }
    // boot times are drawn from the seed
    EXPECT_NE(ReadFile(m_dir / "a" / "events.csv"), ReadFile(m_dir / "other" / "events.csv"));
}

TEST_F(NatKeepaliveScenarioTest, FailureAfterTheEndOfTheRunIsABadParameter)
{
    try
    {
        Run("late", {{"failure_time", "400"}, {"duration", "300"}});
        FAIL() << "expected a ParameterError";
    }
    catch (const ParameterError& e)
    {
        EXPECT_NE(std::string(e.what()).find("failure_time"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(fs::exists(m_dir / "late"));
}

} // namespace
