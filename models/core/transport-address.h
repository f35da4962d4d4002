// Where a SIP message comes from or goes to, for the sans-IO models: the
// transport, an IPv4 address and port, and for connection transports the
// connection it travels on. IPv4 only: the simulated network is IPv4 (see
// sim/topology-builder.h); a real-socket environment maps its addresses to
// this form. 12 bytes, kept small because every UA holds several.
#ifndef SIPBED_TRANSPORT_ADDRESS_H
#define SIPBED_TRANSPORT_ADDRESS_H

#include <cstdint>
#include <string>
#include <string_view>

namespace sipbed
{

enum class TransportKind : uint8_t
{
    kUdp,
    kTcp,
    kTls,
};

/// "UDP", "TCP", "TLS": the Via transport token (RFC 3261 20.42).
std::string_view TransportName(TransportKind kind);

/// Parses a Via transport token (case-insensitive); false if unknown.
bool ParseTransportName(std::string_view name, TransportKind& kind);

/// Unreliable transports retransmit requests and responses (RFC 3261 17.1.1.2).
constexpr bool
IsReliable(TransportKind kind)
{
    return kind != TransportKind::kUdp;
}

/// Connection of a stream transport; 0: none (UDP, or "open one as needed").
using ConnectionId = uint32_t;

struct TransportAddress
{
    TransportKind kind = TransportKind::kUdp;
    uint32_t ip = 0; ///< IPv4, host byte order
    uint16_t port = 0;
    ConnectionId connection = 0;

    /// "UDP 192.0.2.1:5060" (with "#7" for connection 7).
    std::string ToString() const;

    /// Same transport, address and port (the connection is not compared).
    bool SameEndpoint(const TransportAddress& other) const
    {
        return kind == other.kind && ip == other.ip && port == other.port;
    }
};

/// "a.b.c.d" from a host-order IPv4 address.
std::string FormatIpv4(uint32_t ip);

/// Parses dotted-quad IPv4; false unless exactly four decimal octets.
bool ParseIpv4(std::string_view text, uint32_t& ip);

} // namespace sipbed

#endif
