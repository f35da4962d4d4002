// The basic-call scenario as a user runs it (`sipbed run basic-call`):
// issue 4's claims, read back from summary.json.
#include "tests/sim/scenario-test-support.h"

#include <nlohmann/json.hpp>

namespace
{

using namespace sipbed;

class BasicCallScenarioTest : public test::ScenarioTest
{
  protected:
    nlohmann::json Run(const std::string& out, const test::Params& parameters, uint64_t seed = 1)
    {
        return ScenarioRunner::Run("basic-call", Options(out, parameters, seed)).summary;
    }
};

} // namespace

TEST_F(BasicCallScenarioTest, WithoutLossEveryRegistrationAndCallSucceedsOnEveryTransport)
{
    for (const char* transport : {"udp", "tcp", "tls"})
    {
        const nlohmann::json s = Run(transport, {{"transport", transport}});
        EXPECT_EQ(s["registration_success_ratio"].get<double>(), 1.0) << transport;
        EXPECT_GT(s["calls_attempted_count"].get<int64_t>(), 10) << transport;
        EXPECT_EQ(s["call_success_ratio"].get<double>(), 1.0) << transport;
        EXPECT_EQ(s["calls_completed_count"], s["calls_attempted_count"]) << transport;
        EXPECT_EQ(s["retransmissions_count"].get<int64_t>(), 0) << transport;
        // INVITE, 180, 200 on four hops; ACK, BYE, 200 on two (both UAs share the edge proxy).
        EXPECT_EQ(s["messages_per_call"].get<double>(), 18.0) << transport;
    }
}

TEST_F(BasicCallScenarioTest, FivePercentAccessLossOverUdpStillCompletesMoreThan99PercentOfCalls)
{
    const nlohmann::json s = Run("loss", {{"access_loss", "0.05"}, {"duration", "600"}});
    EXPECT_GT(s["calls_attempted_count"].get<int64_t>(), 200);
    EXPECT_GT(s["call_success_ratio"].get<double>(), 0.99);
    EXPECT_GT(s["retransmissions_count"].get<int64_t>(), 0); // what made it work
    EXPECT_EQ(s["registration_success_ratio"].get<double>(), 1.0);
}

TEST_F(BasicCallScenarioTest, CallSetupTakesTheFourHopPathTwice)
{
    // access 10 ms + LAN 1 ms + core 5 ms to the edge, 2 x 5 ms core to the
    // home proxy: 52 ms each way, plus transmission times.
    const nlohmann::json s = Run("delay", {});
    const double p50 = s["call_setup_delay_s"]["p50"].get<double>();
    EXPECT_GT(p50, 0.104);
    EXPECT_LT(p50, 0.112);
}
