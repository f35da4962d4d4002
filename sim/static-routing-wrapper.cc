#include "sim/static-routing-wrapper.h"

namespace sipbed
{

using namespace ns3;

NS_OBJECT_ENSURE_REGISTERED(StaticRoutingWrapper);

TypeId
StaticRoutingWrapper::GetTypeId()
{
    // Abstract (RouteInput is the subclass's): no constructor registered.
    static TypeId tid = TypeId("sipbed::StaticRoutingWrapper")
                            .SetParent<Ipv4RoutingProtocol>()
                            .SetGroupName("Sipbed");
    return tid;
}

StaticRoutingWrapper::StaticRoutingWrapper()
    : m_static(CreateObject<Ipv4StaticRouting>())
{
}

StaticRoutingWrapper::~StaticRoutingWrapper() = default;

void
StaticRoutingWrapper::DoDispose()
{
    m_static = nullptr;
    m_ipv4 = nullptr;
    Ipv4RoutingProtocol::DoDispose();
}

Ptr<Ipv4StaticRouting>
StaticRoutingWrapper::GetStaticRouting() const
{
    return m_static;
}

Ptr<Ipv4>
StaticRoutingWrapper::GetIpv4() const
{
    return m_ipv4;
}

Ptr<Ipv4Route>
StaticRoutingWrapper::RouteOutput(Ptr<Packet> p,
                                  const Ipv4Header& header,
                                  Ptr<NetDevice> oif,
                                  Socket::SocketErrno& sockerr)
{
    return m_static->RouteOutput(p, header, oif, sockerr);
}

void
StaticRoutingWrapper::NotifyInterfaceUp(uint32_t interface)
{
    m_static->NotifyInterfaceUp(interface);
}

void
StaticRoutingWrapper::NotifyInterfaceDown(uint32_t interface)
{
    m_static->NotifyInterfaceDown(interface);
}

void
StaticRoutingWrapper::NotifyAddAddress(uint32_t interface, Ipv4InterfaceAddress address)
{
    m_static->NotifyAddAddress(interface, address);
}

void
StaticRoutingWrapper::NotifyRemoveAddress(uint32_t interface, Ipv4InterfaceAddress address)
{
    m_static->NotifyRemoveAddress(interface, address);
}

void
StaticRoutingWrapper::SetIpv4(Ptr<Ipv4> ipv4)
{
    m_ipv4 = ipv4;
    m_static->SetIpv4(ipv4);
}

void
StaticRoutingWrapper::PrintRoutingTable(Ptr<OutputStreamWrapper> stream, Time::Unit unit) const
{
    m_static->PrintRoutingTable(stream, unit);
}

} // namespace sipbed
