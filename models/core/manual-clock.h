// A TimerService whose time moves only when told to: unit tests and benches
// of the sans-IO models ("a lost response causes retransmissions at T1,
// 2T1, 4T1 ..." is checked by advancing it and looking at what was sent).
#ifndef SIPBED_MANUAL_CLOCK_H
#define SIPBED_MANUAL_CLOCK_H

#include "models/core/timer-service.h"

#include <map>
#include <utility>

namespace sipbed
{

class ManualClock : public TimerService
{
  public:
    TimeNs Now() const override
    {
        return m_now;
    }

    TimerId StartTimer(TimeNs delay, std::function<void()> fire) override;
    void CancelTimer(TimerId id) override;

    /// Moves time forward to now + `by`, firing every timer due on the way
    /// in time order (timers started while advancing fire too if due).
    void Advance(TimeNs by);

    /// Moves to the next due timer and fires it (and any other due at the
    /// same time). Returns false if no timer is pending.
    bool RunNext();

    /// Timers not yet fired or cancelled.
    size_t GetPendingCount() const
    {
        return m_timers.size();
    }

    /// When the next timer is due, or -1 if none is pending.
    TimeNs GetNextDue() const;

  private:
    /// Fires every timer due at or before `until`, then sets now = until.
    void FireUntil(TimeNs until);

    TimeNs m_now = 0;
    TimerId m_nextId = 1;
    /// (due time, id) -> callback; ids grow, so equal times fire in start order.
    std::map<std::pair<TimeNs, TimerId>, std::function<void()>> m_timers;
    std::map<TimerId, TimeNs> m_dueById;
};

} // namespace sipbed

#endif
