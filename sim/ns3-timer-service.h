// The sans-IO models' TimerService (models/core/timer-service.h) on ns-3's
// scheduler: a role's timers are simulator events.
#ifndef SIPBED_NS3_TIMER_SERVICE_H
#define SIPBED_NS3_TIMER_SERVICE_H

#include "models/core/timer-service.h"

#include "ns3/event-id.h"

#include <unordered_map>

namespace sipbed
{

class Ns3TimerService : public TimerService
{
  public:
    Ns3TimerService() = default;
    ~Ns3TimerService() override;
    Ns3TimerService(const Ns3TimerService&) = delete;
    Ns3TimerService& operator=(const Ns3TimerService&) = delete;

    TimeNs Now() const override;
    TimerId StartTimer(TimeNs delay, std::function<void()> fire) override;
    void CancelTimer(TimerId id) override;

    /// Cancels every pending timer (a crash: nothing the roles scheduled
    /// may fire afterwards).
    void CancelAll();

    size_t GetPendingCount() const
    {
        return m_events.size();
    }

  private:
    void Fire(TimerId id);

    TimerId m_nextId = 1;
    struct Pending
    {
        ns3::EventId event;
        std::function<void()> fire;
    };
    std::unordered_map<TimerId, Pending> m_events;
};

} // namespace sipbed

#endif
