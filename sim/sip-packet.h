#ifndef SIPBED_SIM_SIP_PACKET_H
#define SIPBED_SIM_SIP_PACKET_H

#include "ns3/packet.h"
#include "ns3/ptr.h"

#include <string>
#include <string_view>

namespace sipbed
{

/**
 * Wrap the exact bytes of one SIP message (or any other payload: STUN, CRLF
 * keepalives) in a new ns-3 packet, so that the simulated network carries real
 * wire bytes and pcap traces show them.
 *
 * \param bytes the payload; copied into the packet.
 * \return a packet whose payload is exactly \p bytes.
 */
ns3::Ptr<ns3::Packet> MakeSipPacket(std::string_view bytes);

/**
 * Copy the whole payload of a packet out as bytes (headers that are still on
 * the packet are included, so call it on what a socket delivered).
 *
 * \param packet the packet to read; not modified.
 * \return the packet's bytes, in order.
 */
std::string PacketBytes(ns3::Ptr<const ns3::Packet> packet);

} // namespace sipbed

#endif // SIPBED_SIM_SIP_PACKET_H
