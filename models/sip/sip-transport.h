// The SIP transport layer (RFC 3261 18), sans-IO: turns bytes into
// messages and messages into bytes over UDP, TCP and TLS, for one SIP
// endpoint (a UA, a proxy, a registrar). Below it a TransportIo moves the
// bytes; above it the transaction layer gets whole messages.
//
// - UDP: one message per datagram; the first octet tells STUN (0 or 1,
//   outbound draft / RFC 5389 5) from SIP; a lone CRLF datagram is a
//   keepalive.
// - TCP and TLS: a StreamFramer per connection (Content-Length framing,
//   CRLF keepalives). A message is sent on the connection named in the
//   destination, else on an open connection to the same endpoint (18.1.1 /
//   18.2.2 connection reuse), else on a new one, queued until it is up.
// - Requests received get `received` (18.2.1) and, when asked, `rport`
//   (RFC 3581 4) in their top Via, so responses find their way back
//   through NATs.
// - Every message handed up carries where it came from, including its
//   connection: a response or a request for that peer can go back on it.
#ifndef SIPBED_SIP_TRANSPORT_H
#define SIPBED_SIP_TRANSPORT_H

#include "models/core/transport-address.h"
#include "models/sip/parse-error.h"
#include "models/sip/sip-message.h"
#include "models/sip/stream-filter.h"
#include "models/sip/stream-framer.h"
#include "models/sip/transport-io.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace sipbed
{

class SipTransport
{
  public:
    /// What the layer above is told. Unset callbacks are skipped.
    struct Handler
    {
        /// A whole, parsed message of `bytes` octets; `from.connection` is
        /// set for streams.
        std::function<void(SipMessage&& message, const TransportAddress& from, size_t bytes)>
            onMessage;
        /// A STUN datagram on the SIP port (the role answers or consumes it).
        std::function<void(std::string_view bytes, const TransportAddress& from)> onStun;
        /// A keepalive: CRLFCRLF or CRLF on a stream, CRLF datagram on UDP.
        std::function<void(size_t bytes, const TransportAddress& from)> onKeepalive;
        /// Bytes that are not a SIP message (dropped; counted).
        std::function<void(const ParseError& error, const TransportAddress& from)> onBadMessage;
        /// A connection we opened is up (TLS: handshake done).
        std::function<void(const TransportAddress& peer)> onConnected;
        /// A connection is gone: closed by the peer, failed, or closed by
        /// us after a fatal framing or TLS error (`reason` says which).
        std::function<void(const TransportAddress& peer, const std::string& reason)> onClosed;
    };

    struct Counters
    {
        uint64_t messagesIn = 0;
        uint64_t messagesOut = 0;
        uint64_t bytesIn = 0;  ///< SIP bytes (after TLS), keepalives and STUN included
        uint64_t bytesOut = 0; ///< SIP bytes (before TLS)
        uint64_t badMessages = 0;
        uint64_t keepalivesIn = 0;
        uint64_t stunIn = 0;
        uint64_t connectionsOpened = 0;
        uint64_t connectionsAccepted = 0;
        uint64_t connectionsFailed = 0;
    };

    struct Config
    {
        /// Local address written into received/rport checks (host order).
        uint32_t localIp = 0;
        StreamFramer::Limits limits;
        /// Makes the filter of each TLS connection; without one, TLS sends fail.
        StreamFilterFactory tls;
        /// When set, incremented for every send handed to the network (SIP
        /// messages, STUN, keepalives): a per-node total that outlives the
        /// element (sim/ sums it for packet rates).
        uint64_t* sendCounter = nullptr;
    };

    SipTransport(TransportIo& io, Config config, Handler handler);
    ~SipTransport();
    SipTransport(const SipTransport&) = delete;
    SipTransport& operator=(const SipTransport&) = delete;

    /// Result of a send: ok, and on which connection it went (0 for UDP).
    struct SendResult
    {
        bool ok = false;
        ConnectionId connection = 0;
        std::string error; ///< why not, when !ok
    };

    /// Serializes and sends a message (see the header comment for streams).
    SendResult Send(const SipMessage& message, const TransportAddress& to);
    /// Sends raw bytes the same way (keepalives, STUN over UDP).
    SendResult SendBytes(std::string_view bytes, const TransportAddress& to);

    /// Closes one of our connections now (e.g. a flow the role gave up).
    void Close(ConnectionId id);

    // Fed by the environment:
    void OnDatagram(std::string_view bytes, const TransportAddress& from);
    /// A connection accepted on a listening port; `peer.kind` is TCP or TLS.
    void OnAccepted(ConnectionId id, const TransportAddress& peer);
    void OnConnected(ConnectionId id);
    void OnConnectionBytes(ConnectionId id, std::string_view bytes);
    /// The connection is gone (`error`: reset or failed rather than closed).
    void OnConnectionClosed(ConnectionId id, bool error);

    /// Whether a connection is known (connecting or open).
    bool HasConnection(ConnectionId id) const;
    /// An open or connecting connection to this endpoint, or 0.
    ConnectionId FindConnection(const TransportAddress& to) const;
    size_t GetConnectionCount() const
    {
        return m_connections.size();
    }

    /// SIP bytes sent and received on a connection so far (0 if unknown):
    /// lets a keepalive tell whether the flow was idle (outbound 4.2).
    uint64_t GetConnectionTraffic(ConnectionId id) const;

    const Counters& GetCounters() const
    {
        return m_counters;
    }

    /// RFC 3261 18.2.1 / RFC 3581 4: adds received (when the sent-by host is
    /// not the source address, or rport is asked for) and fills rport in the
    /// top Via of a request. Returns false when there is no usable Via.
    static bool StampTopVia(SipMessage& request, const TransportAddress& from);

  private:
    struct Connection
    {
        TransportAddress peer;
        bool outbound = false;
        bool open = false;       ///< TCP up (and for TLS, the filter started)
        std::string pending;     ///< SIP bytes waiting for the connection
        std::unique_ptr<StreamFilter> filter; ///< TLS
        StreamFramer framer;
        uint64_t traffic = 0; ///< SIP bytes sent and received (keepalives included)
    };

    void Deliver(SipMessage&& message, const TransportAddress& from, size_t bytes);
    void WriteOn(ConnectionId id, Connection& c, std::string_view sipBytes);
    void FlushFilter(ConnectionId id, Connection& c);
    void Drain(ConnectionId id, std::string_view sipBytes);
    void Fail(ConnectionId id, const std::string& reason);

    TransportIo& m_io;
    Config m_config;
    Handler m_handler;
    std::map<ConnectionId, Connection> m_connections;
    Counters m_counters;
};

} // namespace sipbed

#endif
