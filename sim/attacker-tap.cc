#include "sim/attacker-tap.h"

#include "ns3/abort.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"
#include "ns3/udp-l4-protocol.h"
#include "ns3/uinteger.h"

namespace sipbed
{

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("SipbedAttackerTap");
NS_OBJECT_ENSURE_REGISTERED(AttackerTap);

namespace
{

constexpr uint32_t kMinIpv4HeaderSize = 20;
constexpr uint32_t kUdpHeaderSize = 8;

} // namespace

TypeId
AttackerTap::GetTypeId()
{
    static TypeId tid =
        TypeId("sipbed::AttackerTap")
            .SetParent<StaticRoutingWrapper>()
            .SetGroupName("Sipbed")
            .AddConstructor<AttackerTap>()
            .AddAttribute("Ttl",
                          "IPv4 TTL of injected datagrams (64: what a host one hop away "
                          "would send, as the forged source would).",
                          UintegerValue(64),
                          MakeUintegerAccessor(&AttackerTap::m_ttl),
                          MakeUintegerChecker<uint8_t>(1))
            .AddTraceSource("Seen",
                            "An IPv4 packet arrived at a watched device: the datagram "
                            "(IPv4 header first), its header, the time.",
                            MakeTraceSourceAccessor(&AttackerTap::m_seenTrace),
                            "sipbed::AttackerTap::PacketTracedCallback")
            .AddTraceSource("Spoofed",
                            "A forged datagram was sent: the datagram (IPv4 header "
                            "first), its header, the time.",
                            MakeTraceSourceAccessor(&AttackerTap::m_spoofedTrace),
                            "sipbed::AttackerTap::PacketTracedCallback");
    return tid;
}

AttackerTap::AttackerTap()
    : m_ttl(64)
{
}

AttackerTap::~AttackerTap() = default;

void
AttackerTap::DoDispose()
{
    m_hook = nullptr;
    StaticRoutingWrapper::DoDispose();
}

void
AttackerTap::Watch(Ptr<NetDevice> device)
{
    Ptr<Ipv4> ipv4 = GetIpv4();
    NS_ABORT_MSG_IF(!ipv4, "AttackerTap::Watch: the tap is not a node's routing protocol yet");
    Ptr<Node> node = device->GetNode();
    NS_ABORT_MSG_IF(node != ipv4->GetObject<Node>(),
                    "AttackerTap::Watch: device " << device->GetIfIndex()
                                                  << " belongs to another node");
    // Promiscuous: every frame the device receives, addressed to this node
    // or not (a CSMA device hands up frames for other stations this way only).
    node->RegisterProtocolHandler(MakeCallback(&AttackerTap::Receive, this),
                                  Ipv4L3Protocol::PROT_NUMBER,
                                  device,
                                  true);
}

void
AttackerTap::SetForwardHook(ForwardHook hook)
{
    m_hook = std::move(hook);
}

void
AttackerTap::Receive(Ptr<NetDevice> device,
                     Ptr<const Packet> packet,
                     uint16_t protocol,
                     const Address& from,
                     const Address& to,
                     NetDevice::PacketType type)
{
    (void)device;
    (void)from;
    (void)to;
    (void)type;
    if (protocol != Ipv4L3Protocol::PROT_NUMBER || packet->GetSize() < kMinIpv4HeaderSize)
    {
        return;
    }
    Ptr<Packet> datagram = packet->Copy();
    Ipv4Header ip;
    datagram->PeekHeader(ip);
    // Short frames arrive with Ethernet padding after the datagram.
    const uint32_t length = ip.GetSerializedSize() + ip.GetPayloadSize();
    if (length < datagram->GetSize())
    {
        datagram->RemoveAtEnd(datagram->GetSize() - length);
    }
    ++m_packetsSeen;
    m_bytesSeen += datagram->GetSize();
    m_seenTrace(datagram, ip, Simulator::Now());
}

bool
AttackerTap::SendSpoofedUdp(Ipv4Address src,
                            uint16_t srcPort,
                            Ipv4Address dst,
                            uint16_t dstPort,
                            Ptr<Packet> payload)
{
    // A UDP socket takes its source address from the node's own addresses
    // (binding one to a foreign address happens to pass in ns-3.37 but is
    // unchecked behaviour, and the endpoint would catch replies). A raw
    // socket with IpHeaderInclude ends in Ipv4::SendWithHeader too. So build
    // both headers here and hand them to SendWithHeader, which sends the
    // header as given (only its checksum is computed) along a route from
    // this node's static routes.
    Ptr<Ipv4> ipv4 = GetIpv4();
    if (!ipv4)
    {
        return false;
    }
    Ptr<Packet> p = payload ? payload->Copy() : Create<Packet>();
    UdpHeader udp;
    udp.SetSourcePort(srcPort);
    udp.SetDestinationPort(dstPort);
    if (Node::ChecksumEnabled())
    {
        // The pseudo-header holds the forged source, as the receiver will check it.
        udp.EnableChecksums();
        udp.InitializeChecksum(src, dst, UdpL4Protocol::PROT_NUMBER);
    }
    p->AddHeader(udp);

    Ipv4Header ip;
    ip.SetSource(src);
    ip.SetDestination(dst);
    ip.SetProtocol(UdpL4Protocol::PROT_NUMBER);
    ip.SetPayloadSize(p->GetSize());
    ip.SetTtl(m_ttl);
    ip.SetIdentification(m_nextId++);
    ip.SetMayFragment();

    Socket::SocketErrno err = Socket::ERROR_NOTERROR;
    Ptr<Ipv4Route> route = GetStaticRouting()->RouteOutput(p, ip, nullptr, err);
    if (!route)
    {
        NS_LOG_LOGIC("no route to " << dst);
        return false;
    }
    if (!m_spoofedTrace.IsEmpty())
    {
        Ptr<Packet> datagram = p->Copy();
        Ipv4Header traced = ip;
        if (Node::ChecksumEnabled())
        {
            traced.EnableChecksum();
        }
        datagram->AddHeader(traced);
        m_spoofedTrace(datagram, traced, Simulator::Now());
    }
    ++m_packetsSpoofed;
    ipv4->SendWithHeader(p, ip, route);
    return true;
}

bool
AttackerTap::ParseUdp(Ptr<const Packet> datagram,
                      Ipv4Header& ip,
                      UdpHeader& udp,
                      Ptr<Packet>& payload)
{
    if (!datagram || datagram->GetSize() < kMinIpv4HeaderSize)
    {
        return false;
    }
    Ptr<Packet> p = datagram->Copy();
    p->RemoveHeader(ip);
    if (ip.GetProtocol() != UdpL4Protocol::PROT_NUMBER || ip.GetFragmentOffset() != 0 ||
        p->GetSize() < kUdpHeaderSize)
    {
        return false;
    }
    p->RemoveHeader(udp);
    payload = p;
    return true;
}

bool
AttackerTap::RouteInput(Ptr<const Packet> p,
                        const Ipv4Header& header,
                        Ptr<const NetDevice> idev,
                        UnicastForwardCallback ucb,
                        MulticastForwardCallback mcb,
                        LocalDeliverCallback lcb,
                        ErrorCallback ecb)
{
    const Ipv4Address dst = header.GetDestination();
    Ptr<Ipv4> ipv4 = GetIpv4();
    Ptr<Ipv4StaticRouting> routes = GetStaticRouting();
    const int32_t iif = ipv4->GetInterfaceForDevice(idev);
    const bool local = iif >= 0 && ipv4->IsDestinationAddress(dst, static_cast<uint32_t>(iif));
    if (!m_hook || local || dst.IsMulticast() || dst.IsBroadcast())
    {
        return routes->RouteInput(p, header, idev, ucb, mcb, lcb, ecb);
    }
    Ptr<Packet> copy = p->Copy();
    Ipv4Header h = header;
    if (!m_hook(copy, h))
    {
        ++m_packetsDropped;
        return true; // taken care of: silently gone
    }
    h.SetPayloadSize(copy->GetSize());
    return routes->RouteInput(copy, h, idev, ucb, mcb, lcb, ecb);
}

} // namespace sipbed
