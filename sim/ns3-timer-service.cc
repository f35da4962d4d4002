#include "sim/ns3-timer-service.h"

#include "ns3/simulator.h"

namespace sipbed
{

Ns3TimerService::~Ns3TimerService()
{
    CancelAll();
}

TimeNs
Ns3TimerService::Now() const
{
    return ns3::Simulator::Now().GetNanoSeconds();
}

TimerId
Ns3TimerService::StartTimer(TimeNs delay, std::function<void()> fire)
{
    const TimerId id = m_nextId++;
    Pending& p = m_events[id];
    p.fire = std::move(fire);
    // ns-3 runs events due at the same time in scheduling order, which is
    // the TimerService contract.
    p.event = ns3::Simulator::Schedule(ns3::NanoSeconds(delay < 0 ? 0 : delay),
                                       &Ns3TimerService::Fire,
                                       this,
                                       id);
    return id;
}

void
Ns3TimerService::Fire(TimerId id)
{
    auto it = m_events.find(id);
    if (it == m_events.end())
    {
        return;
    }
    std::function<void()> fire = std::move(it->second.fire);
    m_events.erase(it);
    fire();
}

void
Ns3TimerService::CancelTimer(TimerId id)
{
    auto it = m_events.find(id);
    if (it == m_events.end())
    {
        return;
    }
    it->second.event.Cancel();
    m_events.erase(it);
}

void
Ns3TimerService::CancelAll()
{
    for (auto& [id, p] : m_events)
    {
        p.event.Cancel();
    }
    m_events.clear();
}

} // namespace sipbed
