// What stands between an element's transport layer and its transaction
// layer when the element's CPU is modelled (DESIGN.md, "Network model:
// Server capacity"; docs/server-capacity.md, "In front of SIP roles").
//
//   SipTransport --message--> gate.Admit --(later)--> element.ProcessInbound --> TransactionLayer
//                                        `----------> element.RejectOverloaded (503, Retry-After)
//                                        `----------> forgotten (drop)
//
// An element without a gate (the default) hands every message to its
// transaction layer at once, as before. With one, every whole SIP message
// its SipTransport delivers goes to Admit, in arrival order; the gate owns
// it from then on and settles it exactly once, later or at once:
// - served: SipElement::ProcessInbound, at the end of its service, so that
//   whatever the message causes (responses, forwarded requests) leaves then;
// - rejected: SipElement::RejectOverloaded, a stateless 503 Service
//   Unavailable with Retry-After (RFC 3261 21.5.4, 20.33) for a request;
//   a response or an ACK cannot be answered and is dropped;
// - dropped: the gate forgets it (a full receive buffer, RFC 3261 17.1.1.2 /
//   17.1.2.2: the sender's retransmission timer is all that notices).
// STUN requests, keepalives and connection events do not pass the gate.
//
// Sans-IO: the gate decides when; the simulator's implementation runs a
// ServerCapacity queue on the ns-3 clock (sim/sip-node-application.h).
#ifndef SIPBED_INBOUND_GATE_H
#define SIPBED_INBOUND_GATE_H

#include "models/core/transport-address.h"
#include "models/sip/sip-message.h"

#include <cstddef>

namespace sipbed
{

class SipElement;

class InboundGate
{
  public:
    virtual ~InboundGate() = default;

    /// A whole SIP message of `bytes` octets that `element` received from
    /// `from` (`from.connection` set for streams). Requests already carry
    /// received / rport in their top Via (RFC 3261 18.2.1, RFC 3581 4). The
    /// gate settles it with element.ProcessInbound or element.RejectOverloaded,
    /// or forgets it: later, or from inside Admit (a gate that lets
    /// everything through). The element processes messages in the order the
    /// gate releases them.
    virtual void Admit(SipElement& element,
                       SipMessage&& message,
                       const TransportAddress& from,
                       size_t bytes) = 0;

    /// A connection of `element` closed or failed (`peer.connection` names
    /// it). Messages from it still held stay valid: processed later, their
    /// answers fail as on any closed connection (RFC 3261 17.2.4). Default:
    /// nothing.
    virtual void ConnectionClosed(SipElement& /* element */, const TransportAddress& /* peer */)
    {
    }
};

} // namespace sipbed

#endif
