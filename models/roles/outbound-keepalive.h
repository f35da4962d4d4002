// Keepalive timing of the outbound flows, per profile: the one place these
// numbers live (../shared/spec/outbound.md section 4 and 10).
#ifndef SIPBED_OUTBOUND_KEEPALIVE_H
#define SIPBED_OUTBOUND_KEEPALIVE_H

#include "models/net/time-ns.h"
#include "models/roles/outbound-profile.h"

#include <vector>

namespace sipbed
{

/// A keepalive interval drawn uniformly in [min, max].
struct KeepaliveRange
{
    TimeNs min;
    TimeNs max;
};

/// CRLF keepalive on a stream flow. Draft (outbound 4.2, OB-UA-9): one CRLF
/// after [500, 600] s without data sent or received. RFC 5626 4.4.1: a
/// CRLFCRLF ping every [95, 120] s.
constexpr KeepaliveRange
CrlfKeepaliveRange(OutboundProfile profile)
{
    return profile == OutboundProfile::kRfc5626 ? KeepaliveRange{SecondsToNs(95), SecondsToNs(120)}
                                                : KeepaliveRange{SecondsToNs(500), SecondsToNs(600)};
}

/// STUN keepalive on a UDP flow. Draft (outbound 4.2, OB-UA-11): [25, 30] s;
/// RFC 5626 4.4.2: [24, 29] s.
constexpr KeepaliveRange
StunKeepaliveRange(OutboundProfile profile)
{
    return profile == OutboundProfile::kRfc5626 ? KeepaliveRange{SecondsToNs(24), SecondsToNs(29)}
                                                : KeepaliveRange{SecondsToNs(25), SecondsToNs(30)};
}

/// RFC 5626 4.4.1: no pong within 10 s of a ping: the flow has failed.
constexpr TimeNs kPongTimeout = SecondsToNs(10);

/// RFC 5626 4.4: with a Flow-Timer of T seconds, each keepalive interval is
/// uniform in [0.8 T, T].
constexpr KeepaliveRange
FlowTimerRange(uint32_t seconds)
{
    return KeepaliveRange{SecondsToNs(0.8 * seconds), SecondsToNs(seconds)};
}

/// When a STUN Binding request is (re)sent, from the first transmission,
/// and when the transaction fails without a response (last element).
/// Draft: RFC 3489 9.3 client timing (spec OB-UA-13): 9 requests at 0, 0.1,
/// 0.3, 0.7, 1.5, 3.1, 4.7, 6.3, 7.9 s; failure at 9.5 s. RFC 5626 4.4.2 /
/// RFC 5389 7.2.1: RTO 500 ms doubling, Rc = 7 requests at 0, 0.5, 1.5,
/// 3.5, 7.5, 15.5, 31.5 s; failure Rm * RTO = 8 s after the last: 39.5 s.
std::vector<TimeNs> StunTransmitSchedule(OutboundProfile profile);

} // namespace sipbed

#endif
