// Timer values of the SIP transaction layer (RFC 3261 17, Table 4 of
// Appendix A; RFC 6026 7.1 for timer L). The only stored values are the base
// timers T1, T2, T4, the timer D floor and the 100 (Trying) delay; every
// transaction timer is derived from them here, so a scenario that changes T1
// changes timers A, B, E, F, G, H, J and L with it.
#ifndef SIPBED_TRANSACTION_CONFIG_H
#define SIPBED_TRANSACTION_CONFIG_H

#include "models/net/time-ns.h"

namespace sipbed
{

struct TransactionConfig
{
    /// T1, the round-trip time estimate: 500 ms (17.1.1.1; Table 4).
    TimeNs t1 = SecondsToNs(0.5);
    /// T2, the longest retransmit interval for non-INVITE requests and
    /// INVITE responses: 4 s (17.1.2.2; Table 4).
    TimeNs t2 = SecondsToNs(4);
    /// T4, the longest time a message stays in the network: 5 s (17.1.2.2; Table 4).
    TimeNs t4 = SecondsToNs(5);
    /// Timer D on unreliable transports: "at least 32 seconds" (17.1.1.2),
    /// long enough to absorb the server's final-response retransmissions.
    TimeNs timerDUnreliable = SecondsToNs(32);
    /// 17.2.1: an INVITE server transaction sends 100 (Trying) unless the TU
    /// answers within 200 ms. 0 sends it at once, as Kamailio's tm does.
    TimeNs tryingDelay = SecondsToNs(0.2);

    /// T1 > 0, T2 >= T1, T4 >= 0, timer D >= 0, trying delay >= 0.
    bool IsValid() const
    {
        return t1 > 0 && t2 >= t1 && t4 >= 0 && timerDUnreliable >= 0 && tryingDelay >= 0;
    }

    // ---- derived timers (Table 4) ----

    /// Timer A, first INVITE retransmit interval, unreliable only (17.1.1.2).
    TimeNs TimerA() const
    {
        return t1;
    }

    /// Timer B, INVITE transaction timeout: 64*T1 (17.1.1.2).
    TimeNs TimerB() const
    {
        return 64 * t1;
    }

    /// Timer D, wait for response retransmissions: >= 32 s unreliable, 0 reliable (17.1.1.2).
    TimeNs TimerD(bool reliable) const
    {
        return reliable ? 0 : timerDUnreliable;
    }

    /// Timer E, first non-INVITE retransmit interval, unreliable only (17.1.2.2).
    TimeNs TimerE() const
    {
        return t1;
    }

    /// Timer F, non-INVITE transaction timeout: 64*T1 (17.1.2.2).
    TimeNs TimerF() const
    {
        return 64 * t1;
    }

    /// Timer G, first INVITE final-response retransmit interval, unreliable only (17.2.1).
    TimeNs TimerG() const
    {
        return t1;
    }

    /// Timer H, wait for the ACK: 64*T1 (17.2.1).
    TimeNs TimerH() const
    {
        return 64 * t1;
    }

    /// Timer I, wait for ACK retransmissions: T4 unreliable, 0 reliable (17.2.1).
    TimeNs TimerI(bool reliable) const
    {
        return reliable ? 0 : t4;
    }

    /// Timer J, wait for non-INVITE request retransmissions: 64*T1
    /// unreliable, 0 reliable (17.2.2).
    TimeNs TimerJ(bool reliable) const
    {
        return reliable ? 0 : 64 * t1;
    }

    /// Timer K, wait for response retransmissions: T4 unreliable, 0 reliable (17.1.2.2).
    TimeNs TimerK(bool reliable) const
    {
        return reliable ? 0 : t4;
    }

    /// Timer L, INVITE server in Accepted state: 64*T1 (RFC 6026 7.1).
    TimeNs TimerL() const
    {
        return 64 * t1;
    }
};

} // namespace sipbed

#endif
