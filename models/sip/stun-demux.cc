#include "models/sip/stun-demux.h"

namespace sipbed
{

std::string_view
DatagramKindName(DatagramKind kind)
{
    switch (kind)
    {
    case DatagramKind::kStun:
        return "stun";
    case DatagramKind::kSip:
        return "sip";
    case DatagramKind::kKeepalive:
        return "keepalive";
    case DatagramKind::kUnknown:
        return "unknown";
    }
    return "unknown";
}

DatagramKind
ClassifyDatagram(std::string_view datagram)
{
    if (datagram.empty())
    {
        return DatagramKind::kUnknown;
    }
    uint8_t first = static_cast<uint8_t>(datagram[0]);
    // outbound 7 (OB-SRV-3): 0 or 1 is STUN; a SIP message never starts so.
    if (first == 0x00 || first == 0x01)
    {
        return DatagramKind::kStun;
    }
    size_t i = 0;
    while (i < datagram.size() && (datagram[i] == '\r' || datagram[i] == '\n'))
    {
        ++i;
    }
    if (i == datagram.size())
    {
        return DatagramKind::kKeepalive;
    }
    // RFC 3261 7.1/7.2: Method (in practice upper-case letters) or "SIP/2.0";
    // 7.5: CRLF before the start line is ignored.
    char c = datagram[i];
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))
    {
        return DatagramKind::kSip;
    }
    return DatagramKind::kUnknown;
}

} // namespace sipbed
