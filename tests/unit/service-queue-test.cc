// Server capacity model without the simulator: the cost of a message
// (ServiceCost) and the FIFO single-server queue with its limit and overload
// policy (ServiceQueue), driven by a fake clock.
#include "models/net/service-cost.h"
#include "models/net/service-queue.h"

#include <gtest/gtest.h>

#include <functional>
#include <vector>

using namespace sipbed;

namespace
{

constexpr TimeNs kUs = 1000;

struct ServedRecord
{
    uint64_t tag;
    TimeNs wait;
    TimeNs service;
    TimeNs at;
};

struct RejectRecord
{
    uint64_t tag;
    uint32_t retryAfter;
    TimeNs at;
};

struct DropRecord
{
    uint64_t tag;
    TimeNs at;
};

// Records what the queue does; holds at most one pending completion.
class FakeEnv : public ServiceQueue::Environment
{
  public:
    TimeNs timer = -1; ///< when the pending completion is due, -1 if none
    std::vector<ServedRecord> served;
    std::vector<RejectRecord> rejected;
    std::vector<DropRecord> dropped;
    std::function<void(uint64_t, TimeNs)> onServed; ///< a host reacting to a served item

    void StartTimer(TimeNs at) override
    {
        EXPECT_EQ(timer, -1) << "a second completion while one is pending";
        timer = at;
    }

    void Served(uint64_t tag, TimeNs wait, TimeNs service, TimeNs now) override
    {
        served.push_back({tag, wait, service, now});
        if (onServed)
        {
            onServed(tag, now);
        }
    }

    void Rejected(uint64_t tag, uint32_t retryAfter, TimeNs now) override
    {
        rejected.push_back({tag, retryAfter, now});
    }

    void Dropped(uint64_t tag, TimeNs now) override
    {
        dropped.push_back({tag, now});
    }
};

// The fake clock: fires every completion due by `until`, in time order.
void
Advance(ServiceQueue& q, FakeEnv& env, TimeNs until)
{
    while (env.timer >= 0 && env.timer <= until)
    {
        TimeNs t = env.timer;
        env.timer = -1;
        ASSERT_TRUE(q.Complete(t));
    }
}

std::vector<uint64_t>
ServedTags(const FakeEnv& env)
{
    std::vector<uint64_t> tags;
    for (const ServedRecord& r : env.served)
    {
        tags.push_back(r.tag);
    }
    return tags;
}

ServiceQueue::Config
Limit(uint32_t limit, ServiceQueue::OverloadPolicy policy)
{
    ServiceQueue::Config c;
    c.limit = limit;
    c.policy = policy;
    return c;
}

using Admission = ServiceQueue::Admission;
using Policy = ServiceQueue::OverloadPolicy;

} // namespace

// --- ServiceCost --------------------------------------------------------------

TEST(ServiceCost, DefaultRegistrationsMatchCalibration)
{
    ServiceCost cost;
    WorkItem reg;
    reg.kind = MessageKind::kRegister;
    // calibration.md: 50-68 us per unauthenticated registration.
    EXPECT_EQ(cost.ServiceTime(reg), 60 * kUs);

    // REGISTER -> 401, then REGISTER with credentials -> 200: 85-98 us measured.
    WorkItem challenged = reg;
    challenged.challenge = true;
    WorkItem authorized = reg;
    authorized.digestCheck = true;
    EXPECT_EQ(cost.ServiceTime(challenged) + cost.ServiceTime(authorized), 85 * kUs);
}

TEST(ServiceCost, ExtrasAddUp)
{
    ServiceCost cost;
    WorkItem w;
    w.kind = MessageKind::kInvite;
    w.signatures = 1;
    w.verifications = 2;
    w.hmacs = 1;
    w.tls = TlsWork::kFullHandshake;
    w.newConnection = true;
    // 80 INVITE + 278 RSA-2048 sign + 2 x 18 verify + 1.13 HMAC + 935 TLS + 100 TCP.
    EXPECT_EQ(cost.ServiceTime(w), (80 + 278 + 36 + 935 + 100) * kUs + 1130);

    w.tls = TlsWork::kResumption;
    EXPECT_EQ(cost.ServiceTime(w), (80 + 278 + 36 + 176 + 100) * kUs + 1130);
}

TEST(ServiceCost, RejectIsCheaperThanAnyMessage)
{
    ServiceCost cost;
    for (MessageKind k : {MessageKind::kRegister,
                          MessageKind::kInvite,
                          MessageKind::kOtherRequest,
                          MessageKind::kResponse})
    {
        WorkItem w;
        w.kind = k;
        EXPECT_LT(cost.RejectTime(), cost.ServiceTime(w)) << ToString(k);
    }
    WorkItem challenged;
    challenged.kind = MessageKind::kRegister;
    challenged.challenge = true;
    EXPECT_LT(cost.RejectTime(), cost.ServiceTime(challenged));
}

TEST(ServiceCost, ParametersAreUsed)
{
    ServiceCostParams p;
    p.otherRequest = 7 * kUs;
    p.digestCheck = 3 * kUs;
    p.sign = 95 * kUs; // RSA-1024 (calibration.md)
    ServiceCost cost(p);
    WorkItem w;
    w.kind = MessageKind::kOtherRequest;
    w.digestCheck = true;
    w.signatures = 2;
    EXPECT_EQ(cost.ServiceTime(w), (7 + 3 + 190) * kUs);
}

// --- ServiceQueue -------------------------------------------------------------

TEST(ServiceQueue, ServesInFifoOrderAndMeasuresWaits)
{
    FakeEnv env;
    ServiceQueue q(ServiceQueue::Config{}, env);
    EXPECT_EQ(q.Arrival(1, 10 * kUs, 0), Admission::kServing);
    EXPECT_EQ(q.Arrival(2, 5 * kUs, 1 * kUs), Admission::kQueued);
    EXPECT_EQ(q.Arrival(3, 3 * kUs, 2 * kUs), Admission::kQueued);
    EXPECT_EQ(q.GetQueueLength(), 2u);
    EXPECT_EQ(q.GetInSystem(), 3u);

    Advance(q, env, 100 * kUs);
    ASSERT_EQ(ServedTags(env), (std::vector<uint64_t>{1, 2, 3}));
    EXPECT_EQ(env.served[0].at, 10 * kUs);
    EXPECT_EQ(env.served[1].at, 15 * kUs);
    EXPECT_EQ(env.served[2].at, 18 * kUs);
    EXPECT_EQ(env.served[0].wait, 0);
    EXPECT_EQ(env.served[1].wait, 9 * kUs);  // arrived at 1, started at 10
    EXPECT_EQ(env.served[2].wait, 13 * kUs); // arrived at 2, started at 15
    EXPECT_EQ(env.served[2].service, 3 * kUs);

    const ServiceQueue::Counters& c = q.GetCounters();
    EXPECT_EQ(c.arrivals, 3u);
    EXPECT_EQ(c.served, 3u);
    EXPECT_EQ(c.waitSum, 22 * kUs);
    EXPECT_EQ(c.waitMax, 13 * kUs);
    EXPECT_DOUBLE_EQ(q.GetMeanWait(), 22.0 * kUs / 3);
    EXPECT_FALSE(q.IsBusy());
    EXPECT_EQ(q.GetInSystem(), 0u);

    // An arrival at an idle server does not wait.
    EXPECT_EQ(q.Arrival(4, 2 * kUs, 50 * kUs), Admission::kServing);
    Advance(q, env, 100 * kUs);
    EXPECT_EQ(env.served.back().wait, 0);
    EXPECT_EQ(env.served.back().at, 52 * kUs);
}

TEST(ServiceQueue, CompletionBeforeItsTimeIsIgnored)
{
    FakeEnv env;
    ServiceQueue q(ServiceQueue::Config{}, env);
    EXPECT_FALSE(q.Complete(0)); // idle
    q.Arrival(1, 10 * kUs, 0);
    EXPECT_FALSE(q.Complete(9 * kUs));
    EXPECT_TRUE(env.served.empty());
    EXPECT_TRUE(q.Complete(10 * kUs));
    EXPECT_EQ(env.served.size(), 1u);
}

TEST(ServiceQueue, LateCompletionLosesNoServerTime)
{
    FakeEnv env;
    ServiceQueue q(ServiceQueue::Config{}, env);
    q.Arrival(1, 10 * kUs, 0);
    q.Arrival(2, 10 * kUs, 1 * kUs);
    env.timer = -1;
    ASSERT_TRUE(q.Complete(15 * kUs)); // the timer fired 5 us late
    EXPECT_EQ(env.served[0].at, 10 * kUs);
    EXPECT_EQ(env.timer, 20 * kUs); // item 2 started at 10
    Advance(q, env, 20 * kUs);
    EXPECT_EQ(env.served[1].wait, 9 * kUs);
}

TEST(ServiceQueue, HostMayReactToServedItemWithNewArrival)
{
    FakeEnv env;
    ServiceQueue q(ServiceQueue::Config{}, env);
    // Each served item below 10 makes the host feed a follow-up message.
    env.onServed = [&q](uint64_t tag, TimeNs now) {
        if (tag < 10)
        {
            q.Arrival(tag + 10, 4 * kUs, now);
        }
    };
    q.Arrival(1, 4 * kUs, 0);
    q.Arrival(2, 4 * kUs, 0);
    Advance(q, env, 100 * kUs);
    EXPECT_EQ(ServedTags(env), (std::vector<uint64_t>{1, 2, 11, 12}));
    EXPECT_EQ(env.served.back().at, 16 * kUs);
}

TEST(ServiceQueue, LimitWithDropDiscardsAtOnce)
{
    FakeEnv env;
    ServiceQueue q(Limit(2, Policy::kDrop), env);
    EXPECT_EQ(q.Arrival(1, 10 * kUs, 0), Admission::kServing);
    EXPECT_EQ(q.Arrival(2, 10 * kUs, 0), Admission::kQueued);
    EXPECT_EQ(q.Arrival(3, 10 * kUs, 0), Admission::kQueued);
    // The limit counts the waiting items only: 2 waiting + 1 in service.
    EXPECT_EQ(q.Arrival(4, 10 * kUs, 1 * kUs), Admission::kDropped);
    EXPECT_EQ(q.Arrival(5, 10 * kUs, 2 * kUs), Admission::kDropped);
    ASSERT_EQ(env.dropped.size(), 2u);
    EXPECT_EQ(env.dropped[0].tag, 4u);
    EXPECT_EQ(env.dropped[0].at, 1 * kUs);
    EXPECT_EQ(env.dropped[1].tag, 5u);
    EXPECT_EQ(q.GetQueueLength(), 2u);
    EXPECT_EQ(q.GetInSystem(), 3u);

    // Room again once item 1 is done.
    Advance(q, env, 10 * kUs);
    EXPECT_EQ(q.Arrival(6, 10 * kUs, 10 * kUs), Admission::kQueued);
    Advance(q, env, 1000 * kUs);
    EXPECT_EQ(ServedTags(env), (std::vector<uint64_t>{1, 2, 3, 6}));
    EXPECT_TRUE(env.rejected.empty());

    const ServiceQueue::Counters& c = q.GetCounters();
    EXPECT_EQ(c.arrivals, 6u);
    EXPECT_EQ(c.dropped, 2u);
    EXPECT_EQ(c.served, 4u);
    EXPECT_EQ(c.rejected503, 0u);
}

TEST(ServiceQueue, LimitZeroAdmitsOnlyAnIdleServer)
{
    FakeEnv env;
    ServiceQueue q(Limit(0, Policy::kDrop), env);
    EXPECT_EQ(q.Arrival(1, 10 * kUs, 0), Admission::kServing);
    EXPECT_EQ(q.Arrival(2, 10 * kUs, 5 * kUs), Admission::kDropped);
    Advance(q, env, 10 * kUs);
    EXPECT_EQ(q.Arrival(3, 10 * kUs, 10 * kUs), Admission::kServing);
}

TEST(ServiceQueue, LimitWith503AnswersFirstWithRetryAfter)
{
    FakeEnv env;
    ServiceQueue::Config config = Limit(1, Policy::kReject503);
    config.retryAfter = 7;
    config.rejectTime = 2 * kUs;
    ServiceQueue q(config, env);
    EXPECT_EQ(q.Arrival(1, 10 * kUs, 0), Admission::kServing);
    EXPECT_EQ(q.Arrival(2, 10 * kUs, 0), Admission::kQueued);
    EXPECT_EQ(q.Arrival(3, 10 * kUs, 1 * kUs), Admission::kRejecting);
    EXPECT_EQ(q.Arrival(4, 10 * kUs, 2 * kUs), Admission::kRejecting);
    EXPECT_EQ(q.GetQueueLength(), 1u);
    EXPECT_EQ(q.GetRejectBacklog(), 2u);
    EXPECT_EQ(q.GetInSystem(), 4u);

    Advance(q, env, 1000 * kUs);
    // Item 1 ends at 10; the two 503s take 2 us each (10-12, 12-14), ahead of
    // item 2, which waits for them: served 14-24.
    ASSERT_EQ(env.rejected.size(), 2u);
    EXPECT_EQ(env.rejected[0].tag, 3u);
    EXPECT_EQ(env.rejected[0].retryAfter, 7u);
    EXPECT_EQ(env.rejected[0].at, 12 * kUs);
    EXPECT_EQ(env.rejected[1].tag, 4u);
    EXPECT_EQ(env.rejected[1].at, 14 * kUs);
    ASSERT_EQ(ServedTags(env), (std::vector<uint64_t>{1, 2}));
    EXPECT_EQ(env.served[1].wait, 14 * kUs);
    EXPECT_EQ(env.served[1].at, 24 * kUs);
    EXPECT_TRUE(env.dropped.empty());

    const ServiceQueue::Counters& c = q.GetCounters();
    EXPECT_EQ(c.rejected503, 2u);
    EXPECT_EQ(c.served, 2u);
    EXPECT_EQ(c.dropped, 0u);
    // The 503s occupied the server: busy all along.
    EXPECT_EQ(q.GetBusyTime(24 * kUs), 24 * kUs);
    EXPECT_DOUBLE_EQ(q.GetUtilization(24 * kUs), 1.0);
}

TEST(ServiceQueue, FullRejectQueueDrops)
{
    FakeEnv env;
    ServiceQueue::Config config = Limit(0, Policy::kReject503);
    config.rejectLimit = 1;
    config.retryAfter = 0; // no Retry-After
    ServiceQueue q(config, env);
    EXPECT_EQ(q.Arrival(1, 10 * kUs, 0), Admission::kServing);
    EXPECT_EQ(q.Arrival(2, 10 * kUs, 0), Admission::kRejecting);
    EXPECT_EQ(q.Arrival(3, 10 * kUs, 0), Admission::kDropped);
    Advance(q, env, 1000 * kUs);
    ASSERT_EQ(env.rejected.size(), 1u);
    EXPECT_EQ(env.rejected[0].retryAfter, 0u);
    ASSERT_EQ(env.dropped.size(), 1u);
    EXPECT_EQ(env.dropped[0].tag, 3u);
}

TEST(ServiceQueue, UtilizationIsBusyTimeOverElapsedTime)
{
    FakeEnv env;
    ServiceQueue q(ServiceQueue::Config{}, env);
    EXPECT_EQ(q.GetUtilization(0), 0.0);
    q.Arrival(1, 10 * kUs, 0);
    Advance(q, env, 30 * kUs);
    q.Arrival(2, 10 * kUs, 30 * kUs);
    // Mid-service: 10 us done + 5 us of the current one.
    EXPECT_EQ(q.GetBusyTime(35 * kUs), 15 * kUs);
    EXPECT_DOUBLE_EQ(q.GetUtilization(35 * kUs), 15.0 / 35.0);
    Advance(q, env, 40 * kUs);
    EXPECT_DOUBLE_EQ(q.GetUtilization(40 * kUs), 0.5);

    // After a reset only the time from then on counts (even mid-service).
    q.Arrival(3, 10 * kUs, 40 * kUs);
    q.ResetStatistics(45 * kUs);
    EXPECT_EQ(q.GetCounters().served, 0u);
    Advance(q, env, 60 * kUs);
    EXPECT_EQ(q.GetBusyTime(65 * kUs), 5 * kUs);
    EXPECT_DOUBLE_EQ(q.GetUtilization(65 * kUs), 0.25);
    EXPECT_EQ(q.GetCounters().served, 1u); // item 3, finished after the reset
}

TEST(ServiceQueue, FlushLosesEverythingSilently)
{
    FakeEnv env;
    ServiceQueue q(Limit(1, Policy::kReject503), env);
    q.Arrival(1, 10 * kUs, 0);
    q.Arrival(2, 10 * kUs, 0);
    q.Arrival(3, 10 * kUs, 0); // waits for its 503
    EXPECT_EQ(q.Flush(4 * kUs), 3u);
    env.timer = -1; // the host cancels its pending completion
    EXPECT_FALSE(q.IsBusy());
    EXPECT_EQ(q.GetInSystem(), 0u);
    EXPECT_EQ(q.GetCounters().flushed, 3u);
    EXPECT_EQ(q.GetBusyTime(4 * kUs), 4 * kUs);
    EXPECT_TRUE(env.served.empty());
    EXPECT_TRUE(env.rejected.empty());
    EXPECT_TRUE(env.dropped.empty());

    EXPECT_EQ(q.Arrival(4, 10 * kUs, 5 * kUs), Admission::kServing);
    Advance(q, env, 100 * kUs);
    EXPECT_EQ(ServedTags(env), (std::vector<uint64_t>{4}));
}

TEST(ServiceQueue, PolicyNames)
{
    ServiceQueue::OverloadPolicy p = Policy::kDrop;
    EXPECT_TRUE(ParseOverloadPolicy("503", p));
    EXPECT_EQ(p, Policy::kReject503);
    EXPECT_EQ(ToString(p), "503");
    EXPECT_TRUE(ParseOverloadPolicy("drop", p));
    EXPECT_EQ(p, Policy::kDrop);
    EXPECT_EQ(ToString(p), "drop");
    EXPECT_FALSE(ParseOverloadPolicy("reject", p));
}
