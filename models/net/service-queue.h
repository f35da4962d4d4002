// A SIP server's CPU as a single server behind a FIFO queue, with a queue
// limit and an overload policy (DESIGN.md, "Network model: Server capacity").
//
// Sans-IO: fed with Arrival(tag, serviceTime, now) and Complete(now), acting
// through an Environment (start the completion timer, hand over a served
// item, send a 503, drop). Items are opaque tags: the host keeps the
// messages. sim/server-capacity drives it from the ns-3 clock.
//
// Semantics (what a user of the model can rely on):
//
// - One server, non-preemptive. An item's wait runs from its arrival to the
//   start of its service; it is handed over (Served) when its service ends,
//   i.e. the message's effects (responses, forwarded requests) leave then.
// - The limit counts the items WAITING for full service, not the one in
//   service: a socket receive buffer holds the messages not yet read, and the
//   one being processed has left it. A queue with limit K is M/x/1/(K+1) in
//   Kendall's notation; limit 0 admits an item only when the server is idle.
// - Overload, i.e. an arrival that finds `limit` items waiting:
//   - kDrop: the item is discarded at once (Dropped), as a full UDP receive
//     buffer does; the sender only notices through its retransmission timer.
//   - kReject503: the server answers it with 503 Service Unavailable (RFC
//     3261 21.5.4) carrying Retry-After (RFC 3261 20.33) when `retryAfter` is
//     non-zero. Generating the 503 takes CPU time too (`rejectTime`, smaller
//     than a full request's service time): real servers parse the request and
//     send the reply on the same CPU, and an overloaded server can spend all
//     its time rejecting (RFC 5390, the 503 overload problem). The 503 work
//     waits in a separate reject queue that is served BEFORE the waiting
//     requests (still non-preemptive): an overload answer exists to be fast;
//     behind the full queue it would leave as late as the service it
//     replaces (with a long queue, after the client's retransmission timer,
//     T1 = 500 ms, RFC 3261 17.1.1.2 / 17.1.2.2), and servers that do
//     overload control classify messages as they read them. Rejection still
//     delays the admitted requests by its cost, as it does on a real CPU.
//     When the reject queue itself holds `rejectLimit` items, further
//     arrivals are dropped (the server cannot even answer).
// - Accounting: arrivals = served + rejected503 + dropped + flushed + items
//   still in the system (waiting, waiting for a 503, in service), counted
//   since the last ResetStatistics. `rejected503` counts 503s sent (at the
//   end of their service). Utilization counts the time spent on 503s too.
#ifndef SIPBED_SERVICE_QUEUE_H
#define SIPBED_SERVICE_QUEUE_H

#include "models/net/service-cost.h"

#include <cstdint>
#include <deque>
#include <string>

namespace sipbed
{

class ServiceQueue
{
  public:
    enum class OverloadPolicy : uint8_t
    {
        kDrop,
        kReject503,
    };

    /// What became of an arrival.
    enum class Admission : uint8_t
    {
        kServing,   ///< the server was idle: service started at once
        kQueued,    ///< waits for full service
        kRejecting, ///< will be answered with a 503 (after rejectTime of work)
        kDropped,   ///< discarded (Dropped was called)
    };

    struct Config
    {
        /// Items waiting for full service (not counting the one in service).
        /// Not calibrated: 1000 messages are 60 ms of REGISTER work at the
        /// default costs. Derive it from the server's receive buffer when it
        /// matters (e.g. Linux rmem_default / per-datagram memory).
        uint32_t limit = 1000;
        OverloadPolicy policy = OverloadPolicy::kDrop;
        /// Retry-After of the 503s, seconds (RFC 3261 20.33); 0: none sent.
        uint32_t retryAfter = 5;
        /// CPU time of one 503 (ServiceCostParams::reject503).
        TimeNs rejectTime = ServiceCostParams{}.reject503;
        /// 503s waiting to be generated; arrivals beyond it are dropped.
        uint32_t rejectLimit = 1000;
    };

    /// Counts since construction or the last ResetStatistics.
    struct Counters
    {
        uint64_t arrivals = 0;
        uint64_t served = 0;      ///< full services completed
        uint64_t rejected503 = 0; ///< 503s sent
        uint64_t dropped = 0;
        uint64_t flushed = 0; ///< lost in Flush (server crash)
        TimeNs waitSum = 0;   ///< over served items
        TimeNs waitMax = 0;
    };

    /// How the queue acts on the world.
    class Environment
    {
      public:
        virtual ~Environment() = default;
        /// Call Complete(at) at time `at` (at once if `at` has passed). At
        /// most one completion is pending: a new StartTimer comes only from
        /// Arrival on an idle server or from Complete.
        virtual void StartTimer(TimeNs at) = 0;
        /// The item's service is done: it waited `wait` and was served for
        /// `service`. `now` is the end of the service (the time Complete was
        /// due, also when it was called late).
        virtual void Served(uint64_t tag, TimeNs wait, TimeNs service, TimeNs now) = 0;
        /// Send a 503 for the item, with Retry-After `retryAfter` s (0: none);
        /// `now` as for Served.
        virtual void Rejected(uint64_t tag, uint32_t retryAfter, TimeNs now) = 0;
        /// The item is discarded without an answer.
        virtual void Dropped(uint64_t tag, TimeNs now) = 0;
    };

    /// Statistics start at `now`.
    ServiceQueue(const Config& config, Environment& env, TimeNs now = 0);

    /// Takes effect from the next arrival; items already queued stay.
    void SetConfig(const Config& config)
    {
        m_config = config;
    }

    const Config& GetConfig() const
    {
        return m_config;
    }

    /// A message arrives needing `serviceTime` of CPU.
    Admission Arrival(uint64_t tag, TimeNs serviceTime, TimeNs now);

    /// The completion timer fired. Returns false (and does nothing) when no
    /// service ends at or before `now`. The next service starts when the
    /// finished one ended, so a late call loses no server time; its timer
    /// may then lie in the past (the environment fires it at once).
    bool Complete(TimeNs now);

    /// Server crash: every item, including the one in service, is lost
    /// silently; the server is idle. The environment cancels its pending
    /// timer. Returns how many items were lost.
    uint64_t Flush(TimeNs now);

    /// Zeroes the counters, busy time and waits; statistics restart at `now`
    /// (e.g. after a warm-up). Items in the system stay.
    void ResetStatistics(TimeNs now);

    /// Items waiting for full service (what `limit` applies to).
    uint32_t GetQueueLength() const
    {
        return static_cast<uint32_t>(m_waiting.size());
    }

    /// Items waiting for their 503 to be generated.
    uint32_t GetRejectBacklog() const
    {
        return static_cast<uint32_t>(m_rejects.size());
    }

    bool IsBusy() const
    {
        return m_busy;
    }

    /// Items waiting, waiting for a 503 or in service.
    uint32_t GetInSystem() const
    {
        return GetQueueLength() + GetRejectBacklog() + (m_busy ? 1 : 0);
    }

    /// CPU time spent serving (503s included) since the statistics started.
    TimeNs GetBusyTime(TimeNs now) const;

    /// Busy time over elapsed time since the statistics started; 0 before any time passed.
    double GetUtilization(TimeNs now) const;

    /// Mean wait of the items served since the statistics started, ns; 0 if none.
    double GetMeanWait() const;

    const Counters& GetCounters() const
    {
        return m_counters;
    }

  private:
    struct Item
    {
        uint64_t tag;
        TimeNs service;
        TimeNs arrival;
    };

    void Start(const Item& item, bool reject, TimeNs now);
    /// Serves the next item (503s first) or goes idle.
    void StartNext(TimeNs now);
    /// Adds the busy time of the current service up to `now`.
    TimeNs BusyPart(TimeNs now) const;

    Config m_config;
    Environment& m_env;
    std::deque<Item> m_waiting;
    std::deque<Item> m_rejects;
    bool m_busy = false;
    bool m_currentIsReject = false;
    Item m_current{0, 0, 0};
    TimeNs m_currentStart = 0;
    TimeNs m_currentEnd = 0;
    TimeNs m_statsStart = 0;
    TimeNs m_busyTime = 0; ///< of finished (or flushed) services since m_statsStart
    Counters m_counters;
};

std::string ToString(ServiceQueue::OverloadPolicy p);
/// "drop" or "503"; false when unknown.
bool ParseOverloadPolicy(const std::string& s, ServiceQueue::OverloadPolicy& out);

} // namespace sipbed

#endif
