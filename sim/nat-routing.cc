#include "sim/nat-routing.h"

#include "ns3/boolean.h"
#include "ns3/enum.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/tcp-header.h"
#include "ns3/udp-header.h"

namespace sipbed
{

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("SipbedNatRouting");
NS_OBJECT_ENSURE_REGISTERED(NatRouting);

namespace
{

// How long the translation of a fragmented datagram's first fragment is kept
// for the fragments that follow it (RFC 791 suggests a reassembly timer of
// about 15 s; 30 s covers it).
const Time kFragmentLifetime = Seconds(30);

Endpoint
MakeEndpoint(Ipv4Address a, uint16_t port)
{
    return Endpoint{a.Get(), port};
}

} // namespace

class NatRouting::Random : public NatRandom
{
  public:
    Random()
        : m_rv(CreateObject<UniformRandomVariable>())
    {
    }

    uint32_t Uniform(uint32_t lo, uint32_t hi) override
    {
        return m_rv->GetInteger(lo, hi);
    }

    Ptr<UniformRandomVariable> m_rv;
};

TypeId
NatRouting::GetTypeId()
{
    static TypeId tid =
        TypeId("sipbed::NatRouting")
            .SetParent<StaticRoutingWrapper>()
            .SetGroupName("Sipbed")
            .AddConstructor<NatRouting>()
            .AddAttribute("MappingBehavior",
                          "RFC 4787 4.1 mapping behaviour: when an inside endpoint reuses its "
                          "external endpoint.",
                          EnumValue(static_cast<int>(NatBehavior::kEndpointIndependent)),
                          MakeEnumAccessor(&NatRouting::m_mappingBehavior),
                          MakeEnumChecker(static_cast<int>(NatBehavior::kEndpointIndependent),
                                          "endpoint-independent",
                                          static_cast<int>(NatBehavior::kAddressDependent),
                                          "address-dependent",
                                          static_cast<int>(NatBehavior::kAddressAndPortDependent),
                                          "address-and-port-dependent"))
            .AddAttribute("FilteringBehavior",
                          "RFC 4787 5 filtering behaviour: which outside senders may use a "
                          "mapping.",
                          EnumValue(static_cast<int>(NatBehavior::kAddressAndPortDependent)),
                          MakeEnumAccessor(&NatRouting::m_filteringBehavior),
                          MakeEnumChecker(static_cast<int>(NatBehavior::kEndpointIndependent),
                                          "endpoint-independent",
                                          static_cast<int>(NatBehavior::kAddressDependent),
                                          "address-dependent",
                                          static_cast<int>(NatBehavior::kAddressAndPortDependent),
                                          "address-and-port-dependent"))
            .AddAttribute("PortPreservation",
                          "Keep the inside port as the external port when it is free "
                          "(RFC 4787 4.2.1); otherwise pick a random port.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&NatRouting::m_portPreservation),
                          MakeBooleanChecker())
            .AddAttribute("Hairpinning",
                          "Let inside hosts reach each other through their external "
                          "endpoints (RFC 4787 6).",
                          BooleanValue(true),
                          MakeBooleanAccessor(&NatRouting::m_hairpinning),
                          MakeBooleanChecker())
            .AddAttribute("UdpTimeout",
                          "UDP mapping timeout, refreshed by outbound packets (RFC 4787 "
                          "REQ-5 asks for 2 min; 60 s is common in deployed NATs).",
                          TimeValue(Seconds(60)),
                          MakeTimeAccessor(&NatRouting::m_udpTimeout),
                          MakeTimeChecker(Seconds(1)))
            .AddAttribute("InboundRefresh",
                          "Inbound UDP packets refresh the mapping too (RFC 4787 REQ-6: MAY).",
                          BooleanValue(false),
                          MakeBooleanAccessor(&NatRouting::m_inboundRefresh),
                          MakeBooleanChecker())
            .AddAttribute("TcpRequireSyn",
                          "Create TCP state only for an outbound SYN and drop other outbound "
                          "segments that match no connection (strict tracking); when false, "
                          "any outbound segment opens state (loose tracking).",
                          BooleanValue(true),
                          MakeBooleanAccessor(&NatRouting::m_tcpRequireSyn),
                          MakeBooleanChecker())
            .AddAttribute("TcpEstablishedTimeout",
                          "Idle timeout of an established TCP connection (RFC 5382 REQ-5: "
                          "at least 2 h 4 min).",
                          TimeValue(Seconds(7440)),
                          MakeTimeAccessor(&NatRouting::m_tcpEstablishedTimeout),
                          MakeTimeChecker(Seconds(1)))
            .AddAttribute("TcpTransitoryTimeout",
                          "Idle timeout of a half-open or closing TCP connection (RFC 5382 "
                          "REQ-5: at least 4 min).",
                          TimeValue(Seconds(240)),
                          MakeTimeAccessor(&NatRouting::m_tcpTransitoryTimeout),
                          MakeTimeChecker(Seconds(1)))
            .AddTraceSource("Mappings",
                            "Number of live mappings.",
                            MakeTraceSourceAccessor(&NatRouting::m_current),
                            "ns3::TracedValueCallback::Uint32")
            .AddTraceSource("MappingCreated",
                            "A mapping was created: protocol, internal, external endpoint.",
                            MakeTraceSourceAccessor(&NatRouting::m_createdTrace),
                            "sipbed::NatRouting::MappingTracedCallback")
            .AddTraceSource("MappingExpired",
                            "A mapping timed out: protocol, internal, external endpoint.",
                            MakeTraceSourceAccessor(&NatRouting::m_expiredTrace),
                            "sipbed::NatRouting::MappingTracedCallback")
            .AddTraceSource("Drop",
                            "A packet was dropped silently, with the reason.",
                            MakeTraceSourceAccessor(&NatRouting::m_dropTrace),
                            "sipbed::NatRouting::DropTracedCallback");
    return tid;
}

NatRouting::NatRouting()
    : m_mappingBehavior(static_cast<int>(NatBehavior::kEndpointIndependent)),
      m_filteringBehavior(static_cast<int>(NatBehavior::kAddressAndPortDependent)),
      m_portPreservation(true),
      m_hairpinning(true),
      m_inboundRefresh(false),
      m_tcpRequireSyn(true),
      m_random(std::make_unique<Random>()),
      m_current(0)
{
}

NatRouting::~NatRouting() = default;

void
NatRouting::DoDispose()
{
    m_expiryEvent.Cancel();
    m_table.reset();
    StaticRoutingWrapper::DoDispose();
}

NatConfig
NatRouting::MakeConfig() const
{
    NatConfig c;
    c.mapping = static_cast<NatBehavior>(m_mappingBehavior);
    c.filtering = static_cast<NatBehavior>(m_filteringBehavior);
    c.portPreservation = m_portPreservation;
    c.hairpinning = m_hairpinning;
    c.udpTimeout = m_udpTimeout.GetNanoSeconds();
    c.inboundRefreshesUdp = m_inboundRefresh;
    c.tcpRequireSyn = m_tcpRequireSyn;
    c.tcpEstablishedTimeout = m_tcpEstablishedTimeout.GetNanoSeconds();
    c.tcpTransitoryTimeout = m_tcpTransitoryTimeout.GetNanoSeconds();
    return c;
}

NatTable&
NatRouting::Table()
{
    if (!m_table)
    {
        // Built on first use, so that attributes set after construction count.
        m_table = std::make_unique<NatTable>(MakeConfig(), GetPublicAddress().Get(), *m_random);
        NatTable::Listener l;
        l.created = [this](IpProto proto, Endpoint in, Endpoint ext, TimeNs) {
            if (!m_createdTrace.IsEmpty())
            {
                m_createdTrace(static_cast<uint8_t>(proto), ToString(in), ToString(ext));
            }
        };
        l.expired = [this](IpProto proto, Endpoint in, Endpoint ext, TimeNs) {
            if (!m_expiredTrace.IsEmpty())
            {
                m_expiredTrace(static_cast<uint8_t>(proto), ToString(in), ToString(ext));
            }
        };
        m_table->SetListener(l);
    }
    return *m_table;
}

void
NatRouting::SetOutsideInterface(uint32_t interface)
{
    m_outside = interface;
}

void
NatRouting::SetPublicAddress(Ipv4Address address)
{
    m_public = address;
}

Ipv4Address
NatRouting::GetPublicAddress() const
{
    Ptr<Ipv4> ipv4 = GetIpv4();
    if (m_public == Ipv4Address() && ipv4 && m_outside < ipv4->GetNInterfaces() &&
        ipv4->GetNAddresses(m_outside) > 0)
    {
        return ipv4->GetAddress(m_outside, 0).GetLocal();
    }
    return m_public;
}

const NatTable::Counters&
NatRouting::GetCounters() const
{
    return const_cast<NatRouting*>(this)->Table().GetCounters();
}

uint32_t
NatRouting::GetMappingCount() const
{
    return static_cast<uint32_t>(const_cast<NatRouting*>(this)->Table().GetMappingCount());
}

bool
NatRouting::LookupExternal(IpProto proto, Endpoint internal, Endpoint remote, Endpoint& external)
{
    return Table().LookupExternal(proto,
                                  internal,
                                  remote,
                                  Simulator::Now().GetNanoSeconds(),
                                  external);
}

int64_t
NatRouting::AssignStreams(int64_t stream)
{
    m_random->m_rv->SetStream(stream);
    return 1;
}

void
NatRouting::Reboot(Ipv4Address newPublic)
{
    if (newPublic != Ipv4Address::GetAny())
    {
        m_public = newPublic;
    }
    Table().Reboot(Simulator::Now().GetNanoSeconds(),
                   newPublic != Ipv4Address::GetAny() ? newPublic.Get() : 0);
    m_fragments.clear();
    m_expiryEvent.Cancel();
    m_expiryAt = -1;
    m_current = 0;
}

void
NatRouting::ScheduleExpiry()
{
    m_current = static_cast<uint32_t>(Table().GetMappingCount());
    TimeNs next = Table().NextExpiry();
    if (next < 0 || (m_expiryEvent.IsRunning() && m_expiryAt <= next))
    {
        return;
    }
    m_expiryEvent.Cancel();
    m_expiryAt = next;
    TimeNs now = Simulator::Now().GetNanoSeconds();
    m_expiryEvent =
        Simulator::Schedule(NanoSeconds(next > now ? next - now : 0), &NatRouting::OnExpiryTimer, this);
}

void
NatRouting::OnExpiryTimer()
{
    m_expiryAt = -1;
    Table().ExpireUntil(Simulator::Now().GetNanoSeconds());
    ScheduleExpiry();
}

void
NatRouting::Drop(NatTable::DropReason reason)
{
    NS_LOG_LOGIC("drop: " << ToString(reason));
    if (!m_dropTrace.IsEmpty())
    {
        m_dropTrace(ToString(reason));
    }
}

bool
NatRouting::Forward(Ptr<Packet> packet, Ipv4Header header, const UnicastForwardCallback& ucb)
{
    Socket::SocketErrno err;
    Ptr<Ipv4Route> route = GetStaticRouting()->RouteOutput(nullptr, header, nullptr, err);
    if (!route)
    {
        NS_LOG_LOGIC("no route to " << header.GetDestination());
        m_dropTrace("no-route");
        return true;
    }
    ucb(route, packet, header);
    return true;
}

bool
NatRouting::RouteInput(Ptr<const Packet> p,
                       const Ipv4Header& header,
                       Ptr<const NetDevice> idev,
                       UnicastForwardCallback ucb,
                       MulticastForwardCallback mcb,
                       LocalDeliverCallback lcb,
                       ErrorCallback ecb)
{
    (void)mcb;
    (void)ecb;
    Ptr<Ipv4> ipv4 = GetIpv4();
    const uint32_t iif = static_cast<uint32_t>(ipv4->GetInterfaceForDevice(idev));
    const Ipv4Address dst = header.GetDestination();
    const Ipv4Address pub = GetPublicAddress();
    const bool fromOutside = iif == m_outside;

    // The box itself runs no service on the outside: everything arriving
    // there is for the public address or dropped below. That includes the
    // address it had before a reboot with a new one, which stays configured
    // on the interface but is no longer the NAT's (a real ISP would route it
    // elsewhere); answering with the box's own stack would send RSTs and
    // ICMP errors a real NAT never sends.
    if (!fromOutside && dst != pub && ipv4->IsDestinationAddress(dst, iif))
    {
        lcb(p, header, iif); // addressed to the box itself
        return true;
    }
    if (dst.IsMulticast() || dst.IsBroadcast())
    {
        return true; // a NAT forwards neither
    }
    if (fromOutside && dst != pub)
    {
        // Not for the public address: a NAT does not route from the outside
        // into private addresses (nor for a public address it gave up in a
        // reboot).
        Table().CountDrop(NatTable::DropReason::kNoMapping);
        Drop(NatTable::DropReason::kNoMapping);
        return true;
    }
    const uint8_t proto = header.GetProtocol();
    if (proto != static_cast<uint8_t>(IpProto::kUdp) && proto != static_cast<uint8_t>(IpProto::kTcp))
    {
        m_dropTrace("unsupported-protocol");
        return true;
    }

    const TimeNs now = Simulator::Now().GetNanoSeconds();
    const bool fragmented = !header.IsLastFragment() || header.GetFragmentOffset() != 0;
    const FragmentKey fkey{header.GetSource().Get(), dst.Get(), header.GetIdentification(), proto};
    if (header.GetFragmentOffset() != 0)
    {
        // A later fragment: no ports in it; follow the first fragment's translation.
        auto it = m_fragments.find(fkey);
        if (it == m_fragments.end() || it->second.until < now || it->second.drop)
        {
            m_dropTrace("fragment-without-translation");
            return true;
        }
        Ipv4Header h = header;
        h.SetSource(Ipv4Address(it->second.newSrc));
        h.SetDestination(Ipv4Address(it->second.newDst));
        if (header.IsLastFragment())
        {
            m_fragments.erase(it);
        }
        return Forward(p->Copy(), h, ucb);
    }

    Ptr<Packet> packet = p->Copy();
    Endpoint src;
    Endpoint to;
    TcpFlags flags;
    UdpHeader udp;
    TcpHeader tcp;
    uint16_t udpLength = 0;
    if (proto == static_cast<uint8_t>(IpProto::kUdp))
    {
        // The UDP Length field as received: ns-3's UdpHeader writes back
        // the payload size it deserialized (8 short) unless forced, and for
        // a first fragment the field covers the whole datagram, not this
        // packet. Wireshark and real hosts read it.
        uint8_t raw[8] = {};
        packet->CopyData(raw, sizeof(raw));
        udpLength = static_cast<uint16_t>(raw[4] << 8 | raw[5]);
        packet->RemoveHeader(udp);
        src = MakeEndpoint(header.GetSource(), udp.GetSourcePort());
        to = MakeEndpoint(dst, udp.GetDestinationPort());
    }
    else
    {
        packet->RemoveHeader(tcp);
        src = MakeEndpoint(header.GetSource(), tcp.GetSourcePort());
        to = MakeEndpoint(dst, tcp.GetDestinationPort());
        uint8_t f = tcp.GetFlags();
        flags.syn = (f & TcpHeader::SYN) != 0;
        flags.ack = (f & TcpHeader::ACK) != 0;
        flags.fin = (f & TcpHeader::FIN) != 0;
        flags.rst = (f & TcpHeader::RST) != 0;
    }

    const IpProto ip = static_cast<IpProto>(proto);
    NatTable::Result r = fromOutside ? Table().Inbound(ip, src, to, flags, now)
                                     : Table().Outbound(ip, src, to, flags, now);
    ScheduleExpiry();
    if (fragmented)
    {
        // Expired records go as new fragmented datagrams come.
        for (auto it = m_fragments.begin(); it != m_fragments.end();)
        {
            it = it->second.until < now ? m_fragments.erase(it) : std::next(it);
        }
        m_fragments[fkey] = FragmentTranslation{r.src.addr,
                                                r.dst.addr,
                                                r.verdict == NatTable::Verdict::kDrop,
                                                now + kFragmentLifetime.GetNanoSeconds()};
    }
    if (r.verdict == NatTable::Verdict::kDrop)
    {
        Drop(r.reason);
        return true;
    }
    if (proto == static_cast<uint8_t>(IpProto::kUdp))
    {
        udp.SetSourcePort(r.src.port);
        udp.SetDestinationPort(r.dst.port);
        udp.ForcePayloadSize(udpLength);
        packet->AddHeader(udp);
    }
    else
    {
        tcp.SetSourcePort(r.src.port);
        tcp.SetDestinationPort(r.dst.port);
        packet->AddHeader(tcp);
    }
    Ipv4Header h = header;
    h.SetSource(Ipv4Address(r.src.addr));
    h.SetDestination(Ipv4Address(r.dst.addr));
    return Forward(packet, h, ucb);
}

} // namespace sipbed
