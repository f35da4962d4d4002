// The base of sipbed's routing protocols that wrap ns-3's static routing.
//
// Why it exists: ns-3.37 has no netfilter hooks (no PREROUTING/FORWARD
// chain where a model could see or rewrite a packet the node forwards). The
// node's routing protocol is the one place every forwarded packet passes
// through, so a model that must see or change forwarded packets (NatRouting,
// AttackerTap) takes the node's routing slot itself, implements RouteInput,
// and leaves the routes to an inner Ipv4StaticRouting. This class holds that
// inner routing and the delegation every such model needs: interface and
// address notifications, the node's Ipv4, route printing, and RouteOutput
// (the node's own traffic is routed by the static routes unchanged).
//
// A subclass implements RouteInput and may override RouteOutput; one that
// overrides DoDispose calls StaticRoutingWrapper::DoDispose last.
#ifndef SIPBED_STATIC_ROUTING_WRAPPER_H
#define SIPBED_STATIC_ROUTING_WRAPPER_H

#include "ns3/ipv4-routing-protocol.h"
#include "ns3/ipv4-static-routing.h"
#include "ns3/ipv4.h"

namespace sipbed
{

class StaticRoutingWrapper : public ns3::Ipv4RoutingProtocol
{
  public:
    static ns3::TypeId GetTypeId();

    StaticRoutingWrapper();
    ~StaticRoutingWrapper() override;

    /// The inner static routes: connected routes appear by themselves as
    /// interfaces come up; add the default route and any others here.
    ns3::Ptr<ns3::Ipv4StaticRouting> GetStaticRouting() const;

    // Ipv4RoutingProtocol, delegated to the static routes. RouteInput is
    // left to the subclass: it is why the subclass exists.
    ns3::Ptr<ns3::Ipv4Route> RouteOutput(ns3::Ptr<ns3::Packet> p,
                                         const ns3::Ipv4Header& header,
                                         ns3::Ptr<ns3::NetDevice> oif,
                                         ns3::Socket::SocketErrno& sockerr) override;
    void NotifyInterfaceUp(uint32_t interface) override;
    void NotifyInterfaceDown(uint32_t interface) override;
    void NotifyAddAddress(uint32_t interface, ns3::Ipv4InterfaceAddress address) override;
    void NotifyRemoveAddress(uint32_t interface, ns3::Ipv4InterfaceAddress address) override;
    /// Keeps `ipv4` (see GetIpv4) and hands it to the static routes.
    void SetIpv4(ns3::Ptr<ns3::Ipv4> ipv4) override;
    void PrintRoutingTable(ns3::Ptr<ns3::OutputStreamWrapper> stream,
                           ns3::Time::Unit unit = ns3::Time::S) const override;

  protected:
    /// The node's Ipv4, null until the protocol is set on a node.
    ns3::Ptr<ns3::Ipv4> GetIpv4() const;

    void DoDispose() override;

  private:
    ns3::Ptr<ns3::Ipv4> m_ipv4;
    ns3::Ptr<ns3::Ipv4StaticRouting> m_static;
};

} // namespace sipbed

#endif
