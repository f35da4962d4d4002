// An ns-3 Application that a failure plan can crash and restart.
//
// Crash(): the host died. Every piece of application state is lost and its
// sockets are gone; the caller (FailurePlan) has already taken the node's
// links down, so nothing the sockets do on their way out reaches the wire
// (a crash is silent: no FIN, no RST, issue 3). Restart(): the application
// starts fresh, as after a reboot, knowing nothing from before the crash.
//
// ns-3 has no silent TCP abort: closing a connected socket sends a FIN,
// which the dead links drop, and ns-3 keeps retransmitting it for a while.
// A crash longer than the FIN's retransmission budget (ns-3's DataRetries,
// about two minutes with default timers) is silent end to end; a shorter
// one can let a late FIN reach the peer after the restart, where a real
// rebooted host would answer the peer's next segment with an RST. Either
// way the peer learns the connection is gone; docs/failures.md lists this.
#ifndef SIPBED_RESTARTABLE_APPLICATION_H
#define SIPBED_RESTARTABLE_APPLICATION_H

#include "ns3/application.h"

namespace sipbed
{

class RestartableApplication : public ns3::Application
{
  public:
    static ns3::TypeId GetTypeId();

    /// Lose all state and every socket (take the links down first). A second
    /// Crash before a Restart does nothing.
    void Crash();
    /// Start afresh after a Crash; does nothing if not crashed.
    void Restart();

    /// Between Crash and Restart.
    bool IsCrashed() const
    {
        return m_crashed;
    }

  private:
    /// What the application does on a crash and on the restart.
    virtual void DoCrash() = 0;
    virtual void DoRestart() = 0;

    bool m_crashed = false;
};

} // namespace sipbed

#endif
