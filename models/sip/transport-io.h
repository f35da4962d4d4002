// What the sans-IO SIP transport layer (SipTransport) needs from the world:
// send a datagram, open / write / close a stream connection. The simulator
// implements it over ns-3 sockets (sim/), tests with a recording fake, a
// testbed over real sockets. Everything that comes back (datagrams,
// connection events, bytes) is fed to SipTransport's On* methods.
#ifndef SIPBED_TRANSPORT_IO_H
#define SIPBED_TRANSPORT_IO_H

#include "models/core/transport-address.h"

#include <string_view>

namespace sipbed
{

class TransportIo
{
  public:
    virtual ~TransportIo() = default;

    /// Sends one UDP datagram from the local SIP port.
    virtual void SendDatagram(const TransportAddress& to, std::string_view bytes) = 0;

    /// Starts a TCP connection to `to` (TLS runs inside the transport layer,
    /// over TCP). Returns its id, never 0; the outcome arrives later through
    /// SipTransport::OnConnected or OnConnectionClosed.
    virtual ConnectionId OpenConnection(const TransportAddress& to) = 0;

    /// Queues bytes on an open connection.
    virtual void SendOnConnection(ConnectionId id, std::string_view bytes) = 0;

    /// Closes a connection (graceful). No OnConnectionClosed follows.
    virtual void CloseConnection(ConnectionId id) = 0;
};

} // namespace sipbed

#endif
