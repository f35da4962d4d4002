// models/core: the manual clock the sans-IO tests run on, and transport addresses.
#include "models/core/manual-clock.h"
#include "models/core/transport-address.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace sipbed;

TEST(ManualClock, TimersFireInTimeOrderAndStartOrderWithinATime)
{
    ManualClock clock;
    std::vector<std::string> fired;
    clock.StartTimer(300, [&] { fired.push_back("c@" + std::to_string(clock.Now())); });
    clock.StartTimer(100, [&] { fired.push_back("a@" + std::to_string(clock.Now())); });
    clock.StartTimer(100, [&] { fired.push_back("b@" + std::to_string(clock.Now())); });
    clock.Advance(200);
    EXPECT_EQ(fired, (std::vector<std::string>{"a@100", "b@100"}));
    EXPECT_EQ(clock.Now(), 200);
    clock.Advance(100);
    EXPECT_EQ(fired.back(), "c@300");
    EXPECT_EQ(clock.GetPendingCount(), 0u);
}

TEST(ManualClock, CancelledTimerNeverFiresAndATimerStartedWhileFiringCanFireInTheSameAdvance)
{
    ManualClock clock;
    int fired = 0;
    TimerId cancelled = clock.StartTimer(50, [&] { fired += 100; });
    clock.StartTimer(10, [&] {
        ++fired;
        clock.CancelTimer(cancelled);
        clock.StartTimer(5, [&] { fired += 10; }); // due at 15
    });
    clock.Advance(1000);
    EXPECT_EQ(fired, 11);
    clock.CancelTimer(cancelled); // already gone: ignored
    clock.CancelTimer(0);
    EXPECT_FALSE(clock.RunNext());
}

TEST(ManualClock, RunNextJumpsToTheNextDueTimer)
{
    ManualClock clock;
    bool fired = false;
    clock.StartTimer(4000, [&] { fired = true; });
    EXPECT_EQ(clock.GetNextDue(), 4000);
    EXPECT_TRUE(clock.RunNext());
    EXPECT_TRUE(fired);
    EXPECT_EQ(clock.Now(), 4000);
    EXPECT_EQ(clock.GetNextDue(), -1);
}

TEST(TransportAddress, PrintsAndParsesTheViaTransportAndDottedQuads)
{
    uint32_t ip = 0;
    ASSERT_TRUE(ParseIpv4("192.0.2.10", ip));
    EXPECT_EQ(ip, 0xC000020Au);
    TransportAddress a{TransportKind::kTls, ip, 5061, 7};
    EXPECT_EQ(a.ToString(), "TLS 192.0.2.10:5061#7");
    for (const char* bad : {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1..2.3", "1.2.3.4 ", "01234.1.1.1"})
    {
        EXPECT_FALSE(ParseIpv4(bad, ip)) << bad;
    }
    TransportKind k;
    ASSERT_TRUE(ParseTransportName("tcp", k));
    EXPECT_EQ(k, TransportKind::kTcp);
    EXPECT_FALSE(ParseTransportName("SCTP", k));
    EXPECT_TRUE(IsReliable(TransportKind::kTls));
    EXPECT_FALSE(IsReliable(TransportKind::kUdp));
}
