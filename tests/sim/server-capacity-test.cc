// Server capacity model on the ns-3 clock: validation against queueing theory
// (M/D/1 and M/M/1 mean waits, utilization), the overload policies (drop,
// 503 with Retry-After), the attribute-driven costs and the trace sources.
#include "sim/server-capacity.h"

#include "ns3/core-module.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <vector>

using namespace ns3;
using namespace sipbed;

namespace
{

class ServerCapacityTest : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        // Config defaults and the seed persist within a process: pin them.
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);
    }

    void TearDown() override
    {
        Simulator::Destroy();
    }
};

// Poisson arrivals of `count` messages after `warmup` ones, each with the
// service time `service()` gives; statistics reset after the warm-up.
struct PoissonSource
{
    Ptr<ServerCapacity> server;
    Ptr<ExponentialRandomVariable> interArrival;
    std::function<Time()> service;
    uint64_t warmup = 0;
    uint64_t count = 0;
    uint64_t sent = 0;
    Time lastArrival;
    double utilizationAtLastArrival = 0;

    void Next()
    {
        if (sent == warmup)
        {
            server->ResetStatistics();
        }
        server->SubmitWithServiceTime(service(), sent);
        ++sent;
        if (sent == warmup + count)
        {
            // Before the queue drains: the utilization of the arrival period.
            lastArrival = Simulator::Now();
            utilizationAtLastArrival = server->GetUtilization();
            return;
        }
        Simulator::Schedule(Seconds(interArrival->GetValue()), &PoissonSource::Next, this);
    }
};

struct QueueRun
{
    double meanWaitS;
    double utilization;
    uint64_t served;
};

// One long single-server run at load `rho` with mean service time `s`;
// deterministic or exponential service.
QueueRun
RunQueue(double rho, Time s, bool exponentialService, uint64_t warmup, uint64_t count)
{
    Ptr<ServerCapacity> server = CreateObject<ServerCapacity>();
    server->SetAttribute("QueueLimit", UintegerValue(std::numeric_limits<uint32_t>::max()));

    PoissonSource src;
    src.server = server;
    src.interArrival = CreateObject<ExponentialRandomVariable>();
    src.interArrival->SetAttribute("Mean", DoubleValue(s.GetSeconds() / rho));
    src.interArrival->SetStream(11);
    Ptr<ExponentialRandomVariable> serviceRv = CreateObject<ExponentialRandomVariable>();
    serviceRv->SetAttribute("Mean", DoubleValue(s.GetSeconds()));
    serviceRv->SetStream(12);
    if (exponentialService)
    {
        src.service = [serviceRv]() {
            return Seconds(serviceRv->GetValue());
        };
    }
    else
    {
        src.service = [s]() {
            return s;
        };
    }
    src.warmup = warmup;
    src.count = count;
    Simulator::ScheduleNow(&PoissonSource::Next, &src);
    Simulator::Run();

    QueueRun r;
    r.meanWaitS = server->GetMeanWait().GetSeconds();
    r.utilization = src.utilizationAtLastArrival;
    r.served = server->GetCounters().served;
    EXPECT_EQ(server->GetCounters().dropped, 0u);
    EXPECT_EQ(server->GetInSystem(), 0u);
    return r;
}

} // namespace

// M/D/1: Pollaczek-Khinchine, Wq = rho * S / (2 (1 - rho)).
TEST_F(ServerCapacityTest, MD1MeanWaitMatchesPollaczekKhinchine)
{
    const double rho = 0.75;
    const Time s = MicroSeconds(60);
    const uint64_t count = 1000000;
    QueueRun r = RunQueue(rho, s, false, 10000, count);
    const double pk = rho * s.GetSeconds() / (2 * (1 - rho));
    std::printf("M/D/1 rho=%.2f S=%.0f us, %llu arrivals: mean wait %.3f us, P-K %.3f us "
                "(%+.2f%%), utilization %.4f\n",
                rho,
                s.GetMicroSeconds() * 1.0,
                static_cast<unsigned long long>(count),
                r.meanWaitS * 1e6,
                pk * 1e6,
                100 * (r.meanWaitS / pk - 1),
                r.utilization);
    RecordProperty("md1_mean_wait_us", std::to_string(r.meanWaitS * 1e6));
    RecordProperty("md1_pk_us", std::to_string(pk * 1e6));
    EXPECT_EQ(r.served, count);
    EXPECT_NEAR(r.meanWaitS, pk, 0.05 * pk);
    EXPECT_NEAR(r.utilization, rho, 0.02 * rho);
}

// M/M/1: Wq = rho * S / (1 - rho).
TEST_F(ServerCapacityTest, MM1MeanWaitMatchesTheory)
{
    const double rho = 0.75;
    const Time s = MicroSeconds(60);
    const uint64_t count = 1000000;
    QueueRun r = RunQueue(rho, s, true, 10000, count);
    const double wq = rho * s.GetSeconds() / (1 - rho);
    std::printf("M/M/1 rho=%.2f S=%.0f us, %llu arrivals: mean wait %.3f us, theory %.3f us "
                "(%+.2f%%), utilization %.4f\n",
                rho,
                s.GetMicroSeconds() * 1.0,
                static_cast<unsigned long long>(count),
                r.meanWaitS * 1e6,
                wq * 1e6,
                100 * (r.meanWaitS / wq - 1),
                r.utilization);
    EXPECT_NEAR(r.meanWaitS, wq, 0.05 * wq);
    EXPECT_NEAR(r.utilization, rho, 0.02 * rho);
}

TEST_F(ServerCapacityTest, DefaultsComeFromTheCostModel)
{
    Ptr<ServerCapacity> server = CreateObject<ServerCapacity>();
    WorkItem reg;
    reg.kind = MessageKind::kRegister;
    EXPECT_EQ(server->GetServiceTime(reg), MicroSeconds(60));
    reg.tls = TlsWork::kFullHandshake;
    EXPECT_EQ(server->GetServiceTime(reg), MicroSeconds(60 + 935));

    TimeValue reject;
    server->GetAttribute("RejectCost", reject);
    EXPECT_LT(reject.Get(), MicroSeconds(60));
    EnumValue policy;
    server->GetAttribute("OverloadPolicy", policy);
    EXPECT_EQ(policy.Get(), static_cast<int>(ServiceQueue::OverloadPolicy::kDrop));
}

TEST_F(ServerCapacityTest, AttributesSetTheServiceTime)
{
    Ptr<ServerCapacity> server = CreateObject<ServerCapacity>();
    server->SetAttribute("RegisterCost", TimeValue(MilliSeconds(1)));
    server->SetAttribute("DigestCheckCost", TimeValue(MicroSeconds(500)));
    std::vector<Time> servedAt;
    server->SetServedCallback([&servedAt](uint64_t) { servedAt.push_back(Simulator::Now()); });
    WorkItem w;
    w.kind = MessageKind::kRegister;
    w.digestCheck = true;
    Simulator::Schedule(Seconds(1), [server, w]() { server->Submit(w, 1); });
    Simulator::Run();
    ASSERT_EQ(servedAt.size(), 1u);
    EXPECT_EQ(servedAt[0], Seconds(1) + MicroSeconds(1500));
}

TEST_F(ServerCapacityTest, OverloadWithDropDiscardsBeyondTheLimit)
{
    Ptr<ServerCapacity> server = CreateObject<ServerCapacity>();
    server->SetAttribute("QueueLimit", UintegerValue(3));
    server->SetAttribute("OverloadPolicy", StringValue("drop"));

    std::vector<uint64_t> dropCb;
    std::vector<uint64_t> dropTrace;
    std::vector<std::pair<uint64_t, Time>> served; // tag, when
    std::vector<uint32_t> lengths;
    server->SetDropCallback([&dropCb](uint64_t tag) { dropCb.push_back(tag); });
    server->SetServedCallback(
        [&served](uint64_t tag) { served.emplace_back(tag, Simulator::Now()); });
    server->TraceConnectWithoutContext(
        "Drop", Callback<void, uint64_t>([&dropTrace](uint64_t tag) { dropTrace.push_back(tag); }));
    server->TraceConnectWithoutContext(
        "QueueLength", Callback<void, uint32_t, uint32_t>([&lengths](uint32_t, uint32_t now) {
            lengths.push_back(now);
        }));

    Simulator::ScheduleNow([server]() {
        for (uint64_t tag = 1; tag <= 10; ++tag)
        {
            server->SubmitWithServiceTime(MilliSeconds(1), tag);
        }
    });
    Simulator::Run();

    EXPECT_EQ(dropCb, (std::vector<uint64_t>{5, 6, 7, 8, 9, 10}));
    EXPECT_EQ(dropTrace, dropCb);
    ASSERT_EQ(served.size(), 4u);
    for (size_t i = 0; i < served.size(); ++i)
    {
        EXPECT_EQ(served[i].first, i + 1);
        EXPECT_EQ(served[i].second, MilliSeconds(i + 1));
    }
    EXPECT_EQ(lengths, (std::vector<uint32_t>{1, 2, 3, 2, 1, 0}));
    EXPECT_EQ(server->GetCounters().arrivals, 10u);
    EXPECT_EQ(server->GetCounters().dropped, 6u);
    EXPECT_EQ(server->GetCounters().rejected503, 0u);
}

TEST_F(ServerCapacityTest, OverloadWith503AnswersQuicklyWithRetryAfter)
{
    Ptr<ServerCapacity> server = CreateObject<ServerCapacity>();
    server->SetAttribute("QueueLimit", UintegerValue(2));
    server->SetAttribute("OverloadPolicy", StringValue("503"));
    server->SetAttribute("RetryAfter", UintegerValue(30));
    server->SetAttribute("RejectCost", TimeValue(MicroSeconds(100)));

    std::vector<std::pair<uint64_t, Time>> rejects;
    std::vector<uint32_t> retryAfters;
    std::vector<std::pair<uint64_t, Time>> servedWaits; // from the trace
    server->SetRejectCallback([&](uint64_t tag, uint32_t retryAfter) {
        rejects.emplace_back(tag, Simulator::Now());
        retryAfters.push_back(retryAfter);
    });
    uint32_t rejectTraces = 0;
    server->TraceConnectWithoutContext(
        "Reject503",
        Callback<void, uint64_t, uint32_t>([&rejectTraces](uint64_t, uint32_t retryAfter) {
            EXPECT_EQ(retryAfter, 30u);
            ++rejectTraces;
        }));
    server->TraceConnectWithoutContext(
        "Served",
        Callback<void, uint64_t, Time, Time>([&servedWaits](uint64_t tag, Time wait, Time service) {
            EXPECT_EQ(service, MilliSeconds(1));
            servedWaits.emplace_back(tag, wait);
        }));

    Simulator::ScheduleNow([server]() {
        for (uint64_t tag = 1; tag <= 6; ++tag)
        {
            server->SubmitWithServiceTime(MilliSeconds(1), tag);
        }
    });
    Simulator::Run();

    // 1 in service, 2 and 3 wait, 4-6 get 503s, which go out after message
    // 1 (100 us each) and before messages 2 and 3.
    ASSERT_EQ(rejects.size(), 3u);
    EXPECT_EQ(rejects[0], std::make_pair(uint64_t{4}, MicroSeconds(1100)));
    EXPECT_EQ(rejects[1], std::make_pair(uint64_t{5}, MicroSeconds(1200)));
    EXPECT_EQ(rejects[2], std::make_pair(uint64_t{6}, MicroSeconds(1300)));
    EXPECT_EQ(retryAfters, (std::vector<uint32_t>{30, 30, 30}));
    EXPECT_EQ(rejectTraces, 3u);
    ASSERT_EQ(servedWaits.size(), 3u);
    EXPECT_EQ(servedWaits[0], std::make_pair(uint64_t{1}, Time(0)));
    EXPECT_EQ(servedWaits[1], std::make_pair(uint64_t{2}, MicroSeconds(1300)));
    EXPECT_EQ(servedWaits[2], std::make_pair(uint64_t{3}, MicroSeconds(2300)));
    EXPECT_EQ(server->GetCounters().rejected503, 3u);
    EXPECT_EQ(server->GetCounters().dropped, 0u);
    EXPECT_EQ(server->GetMaxWait(), MicroSeconds(2300));
    // Busy without a break from 0 to 3.3 ms, 503s included.
    EXPECT_DOUBLE_EQ(server->GetUtilization(), 1.0);
}

TEST_F(ServerCapacityTest, FlushLosesTheQueueSilently)
{
    Ptr<ServerCapacity> server = CreateObject<ServerCapacity>();
    std::vector<uint64_t> served;
    server->SetServedCallback([&served](uint64_t tag) { served.push_back(tag); });
    Simulator::ScheduleNow([server]() {
        for (uint64_t tag = 1; tag <= 3; ++tag)
        {
            server->SubmitWithServiceTime(MilliSeconds(1), tag);
        }
    });
    Simulator::Schedule(MicroSeconds(1500), [server]() {
        EXPECT_EQ(server->Flush(), 2u); // message 2 in service, 3 waiting
        EXPECT_EQ(server->GetInSystem(), 0u);
    });
    Simulator::Schedule(MilliSeconds(5),
                        [server]() { server->SubmitWithServiceTime(MilliSeconds(1), 4); });
    Simulator::Run();
    EXPECT_EQ(served, (std::vector<uint64_t>{1, 4}));
    EXPECT_EQ(server->GetCounters().flushed, 2u);
    EXPECT_EQ(Simulator::Now(), MilliSeconds(6));
}
