#include "models/net/service-queue.h"

#include <algorithm>

namespace sipbed
{

std::string
ToString(ServiceQueue::OverloadPolicy p)
{
    switch (p)
    {
    case ServiceQueue::OverloadPolicy::kDrop:
        return "drop";
    case ServiceQueue::OverloadPolicy::kReject503:
        return "503";
    }
    return "unknown";
}

bool
ParseOverloadPolicy(const std::string& s, ServiceQueue::OverloadPolicy& out)
{
    if (s == "drop")
    {
        out = ServiceQueue::OverloadPolicy::kDrop;
        return true;
    }
    if (s == "503")
    {
        out = ServiceQueue::OverloadPolicy::kReject503;
        return true;
    }
    return false;
}

ServiceQueue::ServiceQueue(const Config& config, Environment& env, TimeNs now)
    : m_config(config)
    , m_env(env)
    , m_statsStart(now)
{
}

ServiceQueue::Admission
ServiceQueue::Arrival(uint64_t tag, TimeNs serviceTime, TimeNs now)
{
    ++m_counters.arrivals;
    Item item{tag, std::max<TimeNs>(serviceTime, 0), now};
    if (!m_busy)
    {
        Start(item, false, now);
        return Admission::kServing;
    }
    if (m_waiting.size() < m_config.limit)
    {
        m_waiting.push_back(item);
        return Admission::kQueued;
    }
    if (m_config.policy == OverloadPolicy::kReject503 && m_rejects.size() < m_config.rejectLimit)
    {
        m_rejects.push_back(Item{tag, std::max<TimeNs>(m_config.rejectTime, 0), now});
        return Admission::kRejecting;
    }
    ++m_counters.dropped;
    m_env.Dropped(tag, now);
    return Admission::kDropped;
}

bool
ServiceQueue::Complete(TimeNs now)
{
    if (!m_busy || now < m_currentEnd)
    {
        return false;
    }
    // A late call (a real clock's timer) is accounted at the time the
    // service ended: the CPU was free from then on.
    const TimeNs end = m_currentEnd;
    const Item done = m_current;
    const bool wasReject = m_currentIsReject;
    const TimeNs start = m_currentStart;
    m_busyTime += BusyPart(end);
    m_busy = false;
    // The next service starts before the host hears of this one, so that a
    // host reacting with a new Arrival sees a consistent queue.
    StartNext(end);
    if (wasReject)
    {
        ++m_counters.rejected503;
        m_env.Rejected(done.tag, m_config.retryAfter, end);
    }
    else
    {
        const TimeNs wait = start - done.arrival;
        ++m_counters.served;
        m_counters.waitSum += wait;
        m_counters.waitMax = std::max(m_counters.waitMax, wait);
        m_env.Served(done.tag, wait, done.service, end);
    }
    return true;
}

uint64_t
ServiceQueue::Flush(TimeNs now)
{
    uint64_t lost = m_waiting.size() + m_rejects.size();
    if (m_busy)
    {
        // The CPU was busy until the crash.
        m_busyTime += BusyPart(now);
        m_busy = false;
        ++lost;
    }
    m_waiting.clear();
    m_rejects.clear();
    m_counters.flushed += lost;
    return lost;
}

void
ServiceQueue::ResetStatistics(TimeNs now)
{
    m_counters = Counters{};
    m_busyTime = 0;
    m_statsStart = now;
}

TimeNs
ServiceQueue::BusyPart(TimeNs now) const
{
    if (!m_busy)
    {
        return 0;
    }
    // Only the part after the statistics (re)started counts.
    TimeNs from = std::max(m_currentStart, m_statsStart);
    TimeNs to = std::min(now, m_currentEnd);
    return to > from ? to - from : 0;
}

TimeNs
ServiceQueue::GetBusyTime(TimeNs now) const
{
    return m_busyTime + BusyPart(now);
}

double
ServiceQueue::GetUtilization(TimeNs now) const
{
    if (now <= m_statsStart)
    {
        return 0;
    }
    return static_cast<double>(GetBusyTime(now)) / static_cast<double>(now - m_statsStart);
}

double
ServiceQueue::GetMeanWait() const
{
    if (m_counters.served == 0)
    {
        return 0;
    }
    return static_cast<double>(m_counters.waitSum) / static_cast<double>(m_counters.served);
}

void
ServiceQueue::Start(const Item& item, bool reject, TimeNs now)
{
    m_current = item;
    m_currentIsReject = reject;
    m_currentStart = now;
    m_currentEnd = now + item.service;
    m_busy = true;
    m_env.StartTimer(m_currentEnd);
}

void
ServiceQueue::StartNext(TimeNs now)
{
    // 503s first: see the header.
    if (!m_rejects.empty())
    {
        Item next = m_rejects.front();
        m_rejects.pop_front();
        Start(next, true, std::max(now, next.arrival));
    }
    else if (!m_waiting.empty())
    {
        Item next = m_waiting.front();
        m_waiting.pop_front();
        Start(next, false, std::max(now, next.arrival));
    }
}

} // namespace sipbed
