// Routing for the core router, in constant time per packet.
//
// Why: the core router has one interface per site, 2,500 of them at 100,000
// UAs. ns-3.37's Ipv4StaticRouting::RouteInput first asks
// Ipv4L3Protocol::IsDestinationAddress, which scans every interface and
// address (weak end-system model), then LookupStatic scans every route
// computing prefix lengths: two linear scans for every packet the core
// forwards. In the avalanche-scale profile (callgrind, 2,000 UAs) those
// scans were already the largest costs, and they grow with the number of
// sites. CoreRouting answers the same questions from a hash set of the
// node's addresses and a per-destination cache of the static routing's
// answer, so routing behaves exactly as with the static routes alone.
//
// The address set follows the address notifications; the cache is cleared
// whenever an interface or address changes, and whenever the number of
// static routes changes (routes added after setup).
#ifndef SIPBED_SIM_CORE_ROUTING_H
#define SIPBED_SIM_CORE_ROUTING_H

#include "sim/static-routing-wrapper.h"

#include <cstdint>
#include <unordered_map>
#include <unordered_set>

namespace sipbed
{

class CoreRouting : public StaticRoutingWrapper
{
  public:
    static ns3::TypeId GetTypeId();

    CoreRouting();
    ~CoreRouting() override;

    bool RouteInput(ns3::Ptr<const ns3::Packet> p,
                    const ns3::Ipv4Header& header,
                    ns3::Ptr<const ns3::NetDevice> idev,
                    UnicastForwardCallback ucb,
                    MulticastForwardCallback mcb,
                    LocalDeliverCallback lcb,
                    ErrorCallback ecb) override;

    /// Also takes the addresses the node already has (loopback).
    void SetIpv4(ns3::Ptr<ns3::Ipv4> ipv4) override;
    void NotifyInterfaceUp(uint32_t interface) override;
    void NotifyInterfaceDown(uint32_t interface) override;
    void NotifyAddAddress(uint32_t interface, ns3::Ipv4InterfaceAddress address) override;
    void NotifyRemoveAddress(uint32_t interface, ns3::Ipv4InterfaceAddress address) override;

    /// How many destinations the route cache holds (for tests).
    size_t GetCachedRouteCount() const;

  private:

    std::unordered_set<uint32_t> m_local;                                 ///< the node's addresses
    std::unordered_map<uint32_t, ns3::Ptr<ns3::Ipv4Route>> m_routes;      ///< by destination
    uint32_t m_routeCount{0}; ///< static routes when the cache was filled
};

} // namespace sipbed

#endif
