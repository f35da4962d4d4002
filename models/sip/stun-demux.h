// Telling the datagrams that share a SIP UDP port apart by their first
// octet, as outbound requires of every server that takes UDP SIP from UAs
// (outbound draft 7, spec OB-SRV-3): STUN starts with 0x00 or 0x01 (the
// first two bits of the message type are zero and the Binding types are
// 0x00xx and 0x01xx; RFC 7983 later reserves 0..3 for STUN), a SIP request
// starts with its method and a response with "SIP/2.0", both letters. A
// datagram of CR and LF only is a keepalive (the CRLF keepalive some UAs
// send over UDP), neither STUN nor SIP.
#ifndef SIPBED_STUN_DEMUX_H
#define SIPBED_STUN_DEMUX_H

#include <cstdint>
#include <string_view>

namespace sipbed
{

enum class DatagramKind : uint8_t
{
    kStun,      ///< first octet 0x00 or 0x01: hand to the STUN decoder
    kSip,       ///< a letter, possibly after CR/LF: hand to the SIP parser
    kKeepalive, ///< CR and LF octets only: ignore (nothing to answer)
    kUnknown,   ///< empty, or any other first octet: drop
};

/// "stun", "sip", "keepalive", "unknown".
std::string_view DatagramKindName(DatagramKind kind);

/// Classifies one UDP datagram by its first octet. Only the first octets are
/// looked at; the STUN decoder or SIP parser then checks the rest. CR/LF
/// before a SIP start line are skipped, as the SIP parser skips them.
DatagramKind ClassifyDatagram(std::string_view datagram);

} // namespace sipbed

#endif
