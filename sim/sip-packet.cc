#include "sip-packet.h"

#include "ns3/abort.h"

#include <cstdint>
#include <limits>

namespace sipbed
{

ns3::Ptr<ns3::Packet>
MakeSipPacket(std::string_view bytes)
{
    if (bytes.empty())
    {
        // Packet (buffer, 0) would memcpy from a possibly null pointer.
        return ns3::Create<ns3::Packet>();
    }
    NS_ABORT_MSG_IF(bytes.size() > std::numeric_limits<uint32_t>::max(),
                    "payload of " << bytes.size() << " bytes does not fit in an ns-3 packet");
    return ns3::Create<ns3::Packet>(reinterpret_cast<const uint8_t*>(bytes.data()),
                                    static_cast<uint32_t>(bytes.size()));
}

std::string
PacketBytes(ns3::Ptr<const ns3::Packet> packet)
{
    if (!packet)
    {
        return {};
    }
    std::string bytes(packet->GetSize(), '\0');
    if (!bytes.empty())
    {
        packet->CopyData(reinterpret_cast<uint8_t*>(bytes.data()),
                         static_cast<uint32_t>(bytes.size()));
    }
    return bytes;
}

} // namespace sipbed
