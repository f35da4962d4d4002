#include "models/core/manual-clock.h"

namespace sipbed
{

TimerId
ManualClock::StartTimer(TimeNs delay, std::function<void()> fire)
{
    const TimerId id = m_nextId++;
    const TimeNs due = m_now + (delay < 0 ? 0 : delay);
    m_timers.emplace(std::make_pair(due, id), std::move(fire));
    m_dueById.emplace(id, due);
    return id;
}

void
ManualClock::CancelTimer(TimerId id)
{
    auto it = m_dueById.find(id);
    if (it == m_dueById.end())
    {
        return;
    }
    m_timers.erase(std::make_pair(it->second, id));
    m_dueById.erase(it);
}

TimeNs
ManualClock::GetNextDue() const
{
    return m_timers.empty() ? -1 : m_timers.begin()->first.first;
}

void
ManualClock::FireUntil(TimeNs until)
{
    while (!m_timers.empty() && m_timers.begin()->first.first <= until)
    {
        auto first = m_timers.begin();
        m_now = first->first.first;
        std::function<void()> fire = std::move(first->second);
        m_dueById.erase(first->first.second);
        m_timers.erase(first);
        fire();
    }
    if (until > m_now)
    {
        m_now = until;
    }
}

void
ManualClock::Advance(TimeNs by)
{
    FireUntil(m_now + (by < 0 ? 0 : by));
}

bool
ManualClock::RunNext()
{
    if (m_timers.empty())
    {
        return false;
    }
    FireUntil(m_timers.begin()->first.first);
    return true;
}

} // namespace sipbed
