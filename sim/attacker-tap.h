// The attacker's view of the network: the routing protocol of the rogue node
// that TopologyBuilder attaches to one server's link (a shared segment or on
// path). It
// - sees every IPv4 packet that arrives at the devices it watches, whoever it
//   is addressed to (promiscuous receive: on a CSMA segment that is every
//   frame on the wire, on a point-to-point link everything the node routes);
// - forwards like a static router, through an optional hook that may drop or
//   change each forwarded packet (on path);
// - injects UDP datagrams with any source address (a forged response).
//
// Why a routing protocol: ns-3.37 has no netfilter hooks; the node's routing
// slot is the one place where a forwarded packet can be dropped or changed
// before it goes on (NatRouting takes it for the same reason). Routes are
// those of an inner Ipv4StaticRouting (StaticRoutingWrapper), used for
// forwarding, for the node's own traffic and for injected packets: connected
// routes appear by themselves; add the default route with GetStaticRouting().
//
// Seeing is done by a promiscuous protocol handler on the watched devices,
// not in RouteInput: on a shared segment the frames for other hosts never
// reach the IP stack, and the same handler on path keeps one definition of
// "seen" (the packet arrived on a device, before any forwarding decision).
#ifndef SIPBED_ATTACKER_TAP_H
#define SIPBED_ATTACKER_TAP_H

#include "sim/static-routing-wrapper.h"

#include "ns3/ipv4-header.h"
#include "ns3/net-device.h"
#include "ns3/nstime.h"
#include "ns3/traced-callback.h"
#include "ns3/udp-header.h"

#include <cstdint>
#include <functional>

namespace sipbed
{

class AttackerTap : public StaticRoutingWrapper
{
  public:
    static ns3::TypeId GetTypeId();

    AttackerTap();
    ~AttackerTap() override;

    /// Sees every IPv4 packet arriving at `device`, a device of this node
    /// (call once the tap is the node's routing protocol).
    void Watch(ns3::Ptr<ns3::NetDevice> device);

    /// Decides on every packet this node forwards (not on those addressed to
    /// the node itself): returns whether to forward it. It gets the packet
    /// after its IPv4 header and the header, and may change both (the payload
    /// length is set again afterwards; transport checksums are the hook's).
    using ForwardHook = std::function<bool(ns3::Ptr<ns3::Packet> payload, ns3::Ipv4Header& header)>;
    /// An empty hook forwards everything unchanged (the default).
    void SetForwardHook(ForwardHook hook);

    /// Sends a UDP datagram from `src`:`srcPort` (any address, typically one
    /// the node does not own) to `dst`:`dstPort`, routed by this node's
    /// static routes. Returns false when there is no route to `dst`.
    bool SendSpoofedUdp(ns3::Ipv4Address src,
                        uint16_t srcPort,
                        ns3::Ipv4Address dst,
                        uint16_t dstPort,
                        ns3::Ptr<ns3::Packet> payload);

    /// Reads a datagram as passed to the traces (IPv4 header first): false
    /// unless it is UDP and carries the UDP header (not a later fragment).
    static bool ParseUdp(ns3::Ptr<const ns3::Packet> datagram,
                         ns3::Ipv4Header& ip,
                         ns3::UdpHeader& udp,
                         ns3::Ptr<ns3::Packet>& payload);

    uint64_t GetPacketsSeen() const
    {
        return m_packetsSeen;
    }
    uint64_t GetBytesSeen() const
    {
        return m_bytesSeen;
    }
    uint64_t GetPacketsSpoofed() const
    {
        return m_packetsSpoofed;
    }
    /// Forwarded packets the hook refused.
    uint64_t GetPacketsDropped() const
    {
        return m_packetsDropped;
    }

    /// Trace signature of "Seen" and "Spoofed": the datagram as on the wire
    /// (a copy, IPv4 header first, link padding removed), its parsed IPv4
    /// header, and the time.
    typedef void (*PacketTracedCallback)(ns3::Ptr<const ns3::Packet> datagram,
                                         const ns3::Ipv4Header& header,
                                         ns3::Time at);

    // Ipv4RoutingProtocol (the rest is StaticRoutingWrapper's)
    bool RouteInput(ns3::Ptr<const ns3::Packet> p,
                    const ns3::Ipv4Header& header,
                    ns3::Ptr<const ns3::NetDevice> idev,
                    UnicastForwardCallback ucb,
                    MulticastForwardCallback mcb,
                    LocalDeliverCallback lcb,
                    ErrorCallback ecb) override;

  protected:
    void DoDispose() override;

  private:
    void Receive(ns3::Ptr<ns3::NetDevice> device,
                 ns3::Ptr<const ns3::Packet> packet,
                 uint16_t protocol,
                 const ns3::Address& from,
                 const ns3::Address& to,
                 ns3::NetDevice::PacketType type);

    uint8_t m_ttl; ///< attribute "Ttl" of injected datagrams

    ForwardHook m_hook;
    uint16_t m_nextId = 0; ///< IPv4 identification of injected datagrams

    uint64_t m_packetsSeen = 0;
    uint64_t m_bytesSeen = 0;
    uint64_t m_packetsSpoofed = 0;
    uint64_t m_packetsDropped = 0;

    ns3::TracedCallback<ns3::Ptr<const ns3::Packet>, const ns3::Ipv4Header&, ns3::Time> m_seenTrace;
    ns3::TracedCallback<ns3::Ptr<const ns3::Packet>, const ns3::Ipv4Header&, ns3::Time>
        m_spoofedTrace;
};

} // namespace sipbed

#endif
