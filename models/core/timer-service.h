// Time and timers for the sans-IO models. A role, a transaction or a
// transport never reads a clock or sleeps: it asks its TimerService. In the
// simulator the service is backed by ns-3's scheduler (sim/), in unit tests
// by a ManualClock that a test advances by hand, and later by a real event
// loop (testbed mode).
#ifndef SIPBED_TIMER_SERVICE_H
#define SIPBED_TIMER_SERVICE_H

#include "models/net/time-ns.h"

#include <cstdint>
#include <functional>

namespace sipbed
{

/// Names one started timer; 0 is never a valid id (use it for "no timer").
using TimerId = uint64_t;

class TimerService
{
  public:
    virtual ~TimerService() = default;

    /// The current time.
    virtual TimeNs Now() const = 0;

    /// Calls `fire` once, `delay` from now (a negative delay counts as 0).
    /// Timers due at the same time fire in the order they were started.
    virtual TimerId StartTimer(TimeNs delay, std::function<void()> fire) = 0;

    /// Stops a timer; a timer that already fired, was cancelled or is 0 is
    /// ignored. Safe to call from inside a firing timer.
    virtual void CancelTimer(TimerId id) = 0;
};

} // namespace sipbed

#endif
