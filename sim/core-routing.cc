#include "sim/core-routing.h"

#include "ns3/ipv4-route.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"

namespace sipbed
{

NS_LOG_COMPONENT_DEFINE("SipbedCoreRouting");
NS_OBJECT_ENSURE_REGISTERED(CoreRouting);

using namespace ns3;

TypeId
CoreRouting::GetTypeId()
{
    static TypeId tid = TypeId("sipbed::CoreRouting")
                            .SetParent<StaticRoutingWrapper>()
                            .SetGroupName("Sipbed")
                            .AddConstructor<CoreRouting>();
    return tid;
}

CoreRouting::CoreRouting() = default;
CoreRouting::~CoreRouting() = default;

void
CoreRouting::SetIpv4(Ptr<Ipv4> ipv4)
{
    StaticRoutingWrapper::SetIpv4(ipv4);
    // The addresses configured before this protocol was installed (loopback).
    m_local.clear();
    m_routes.clear();
    for (uint32_t i = 0; i < ipv4->GetNInterfaces(); ++i)
    {
        for (uint32_t a = 0; a < ipv4->GetNAddresses(i); ++a)
        {
            m_local.insert(ipv4->GetAddress(i, a).GetLocal().Get());
        }
    }
}

bool
CoreRouting::RouteInput(Ptr<const Packet> p,
                        const Ipv4Header& header,
                        Ptr<const NetDevice> idev,
                        UnicastForwardCallback ucb,
                        MulticastForwardCallback mcb,
                        LocalDeliverCallback lcb,
                        ErrorCallback ecb)
{
    const Ipv4Address dst = header.GetDestination();
    if (dst.IsMulticast() || dst.IsBroadcast())
    {
        // Nothing in the topology sends these through the core: the static
        // routing's own handling (it counts what it does with them).
        return GetStaticRouting()->RouteInput(p, header, idev, ucb, mcb, lcb, ecb);
    }
    Ptr<Ipv4> ipv4 = GetIpv4();
    if (m_local.count(dst.Get()) != 0)
    {
        lcb(p, header, static_cast<uint32_t>(ipv4->GetInterfaceForDevice(idev)));
        return true;
    }
    if (GetStaticRouting()->GetNRoutes() != m_routeCount)
    {
        m_routes.clear();
        m_routeCount = GetStaticRouting()->GetNRoutes();
    }
    auto it = m_routes.find(dst.Get());
    if (it == m_routes.end())
    {
        // Ask the static routes once per destination (the same longest
        // prefix match, with their interface-up checks).
        Ipv4Header probe;
        probe.SetDestination(dst);
        Socket::SocketErrno err = Socket::ERROR_NOTERROR;
        Ptr<Ipv4Route> route = GetStaticRouting()->RouteOutput(nullptr, probe, nullptr, err);
        it = m_routes.emplace(dst.Get(), route).first;
    }
    if (!it->second)
    {
        return false; // no route: Ipv4L3Protocol drops it as the static routing would
    }
    // The source the static routing picked is for our own packets: forward
    // with the packet's header unchanged.
    ucb(it->second, p, header);
    return true;
}

void
CoreRouting::NotifyInterfaceUp(uint32_t interface)
{
    StaticRoutingWrapper::NotifyInterfaceUp(interface);
    m_routes.clear();
}

void
CoreRouting::NotifyInterfaceDown(uint32_t interface)
{
    StaticRoutingWrapper::NotifyInterfaceDown(interface);
    m_routes.clear();
}

void
CoreRouting::NotifyAddAddress(uint32_t interface, Ipv4InterfaceAddress address)
{
    StaticRoutingWrapper::NotifyAddAddress(interface, address);
    m_local.insert(address.GetLocal().Get());
    m_routes.clear();
}

void
CoreRouting::NotifyRemoveAddress(uint32_t interface, Ipv4InterfaceAddress address)
{
    StaticRoutingWrapper::NotifyRemoveAddress(interface, address);
    m_local.erase(address.GetLocal().Get());
    m_routes.clear();
}

size_t
CoreRouting::GetCachedRouteCount() const
{
    return m_routes.size();
}

} // namespace sipbed
