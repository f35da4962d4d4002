// The server capacity model in ns-3 (DESIGN.md, "Network model: Server
// capacity"): a server role's CPU as a FIFO single-server queue with a
// per-message service time, a queue limit and an overload policy (drop, or
// 503 with Retry-After).
//
// The logic is the sans-IO pair models/net/service-cost (how long a message
// takes, defaults from ../shared/calibration.md) and models/net/service-queue
// (the queue, its limit, the 503 path and its statistics; read its header for
// the exact semantics). This object holds their parameters as ns-3
// attributes and runs the queue on the simulator clock.
//
// Use: the Application hosting a server role passes every received message
// through Submit() with a tag of its own, keeps the message, and acts on it
// in the Served callback (process it: its responses leave at the end of its
// service), the Reject callback (send a 503 with the given Retry-After) or
// the Drop callback (forget it).
//
// \code
//   Ptr<ServerCapacity> cpu = CreateObject<ServerCapacity>();
//   cpu->SetAttribute("QueueLimit", UintegerValue(500));
//   cpu->SetAttribute("OverloadPolicy", StringValue("503"));
//   cpu->SetServedCallback([this](uint64_t tag) { Process(TakeMessage(tag)); });
//   cpu->SetRejectCallback([this](uint64_t tag, uint32_t retryAfter) { Send503(tag, retryAfter);
//   }); cpu->SetDropCallback([this](uint64_t tag) { TakeMessage(tag); }); WorkItem work; work.kind
//   = MessageKind::kRegister; work.digestCheck = hasCredentials; cpu->Submit(work,
//   StoreMessage(msg));
// \endcode
//
// Attributes are read at every arrival, so changing one mid-run affects the
// messages that arrive afterwards.
#ifndef SIPBED_SERVER_CAPACITY_H
#define SIPBED_SERVER_CAPACITY_H

#include "models/net/service-cost.h"
#include "models/net/service-queue.h"

#include "ns3/callback.h"
#include "ns3/event-id.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"
#include "ns3/traced-value.h"

#include <cstdint>
#include <memory>

namespace sipbed
{

class ServerCapacity : public ns3::Object
{
  public:
    static ns3::TypeId GetTypeId();

    ServerCapacity();
    ~ServerCapacity() override;

    /// Service time of `work` under the current attributes.
    ns3::Time GetServiceTime(const WorkItem& work) const;

    /// A message arrives that needs `work`; `tag` names it in the callbacks.
    ServiceQueue::Admission Submit(const WorkItem& work, uint64_t tag);

    /// A message with an explicit service time (validation, synthetic load).
    ServiceQueue::Admission SubmitWithServiceTime(ns3::Time service, uint64_t tag);

    /// Called with the tag when a message's service ends.
    void SetServedCallback(ns3::Callback<void, uint64_t> cb);
    /// Called with the tag and the Retry-After (seconds, 0: none) when a 503
    /// for that message is due.
    void SetRejectCallback(ns3::Callback<void, uint64_t, uint32_t> cb);
    /// Called with the tag of a message discarded by the overload policy.
    void SetDropCallback(ns3::Callback<void, uint64_t> cb);

    /// Server crash: every queued message and the one in service are lost
    /// without any callback. Returns how many.
    uint64_t Flush();

    /// Statistics restart now (counters, utilization, waits), e.g. after a warm-up.
    void ResetStatistics();

    /// Messages waiting for full service (the quantity QueueLimit bounds).
    uint32_t GetQueueLength() const;
    /// Messages waiting for their 503.
    uint32_t GetRejectBacklog() const;
    /// Waiting, waiting for a 503, or in service.
    uint32_t GetInSystem() const;
    bool IsBusy() const;

    /// Fraction of time busy (503s included) since the statistics started.
    double GetUtilization() const;
    /// Mean wait (arrival to start of service) of the messages served.
    ns3::Time GetMeanWait() const;
    ns3::Time GetMaxWait() const;
    /// Arrivals, served, 503s sent, drops, flushed: since the statistics started.
    const ServiceQueue::Counters& GetCounters() const;

    /// Trace signature of "Served": the tag, its wait and its service time.
    typedef void (*ServedTracedCallback)(uint64_t tag, ns3::Time wait, ns3::Time service);
    /// Trace signature of "Reject503": the tag and the Retry-After in seconds.
    typedef void (*Reject503TracedCallback)(uint64_t tag, uint32_t retryAfter);
    /// Trace signature of "Drop": the tag.
    typedef void (*DropTracedCallback)(uint64_t tag);

  private:
    class Environment;

    void DoDispose() override;

    ServiceCostParams GetCostParams() const;
    ServiceQueue::Config GetQueueConfig() const;
    ServiceQueue::Admission Arrive(int64_t serviceNs, uint64_t tag);
    void OnCompletion();
    void UpdateQueueLength();

    // Environment callbacks.
    void StartTimer(TimeNs at);
    void OnServed(uint64_t tag, TimeNs wait, TimeNs service);
    void OnRejected(uint64_t tag, uint32_t retryAfter);
    void OnDropped(uint64_t tag);

    // Attributes (ServiceCostParams / ServiceQueue::Config as ns-3 values).
    ns3::Time m_registerCost;
    ns3::Time m_inviteCost;
    ns3::Time m_otherRequestCost;
    ns3::Time m_responseCost;
    ns3::Time m_challengeCost;
    ns3::Time m_digestCheckCost;
    ns3::Time m_signCost;
    ns3::Time m_verifyCost;
    ns3::Time m_hmacCost;
    ns3::Time m_tlsHandshakeCost;
    ns3::Time m_tlsResumptionCost;
    ns3::Time m_newConnectionCost;
    ns3::Time m_rejectCost;
    uint32_t m_queueLimit;
    uint32_t m_rejectQueueLimit;
    int m_policy; ///< a ServiceQueue::OverloadPolicy (EnumValue holds an int)
    uint32_t m_retryAfter;

    std::unique_ptr<Environment> m_env;
    std::unique_ptr<ServiceQueue> m_queue;
    ns3::EventId m_completion;

    ns3::Callback<void, uint64_t> m_servedCb;
    ns3::Callback<void, uint64_t, uint32_t> m_rejectCb;
    ns3::Callback<void, uint64_t> m_dropCb;

    ns3::TracedValue<uint32_t> m_queueLength;
    ns3::TracedCallback<uint64_t, ns3::Time, ns3::Time> m_servedTrace;
    ns3::TracedCallback<uint64_t, uint32_t> m_rejectTrace;
    ns3::TracedCallback<uint64_t> m_dropTrace;
};

} // namespace sipbed

#endif
