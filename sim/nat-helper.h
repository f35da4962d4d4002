// Puts a NAT (NatRouting) on a node that already has the Internet stack.
#ifndef SIPBED_NAT_HELPER_H
#define SIPBED_NAT_HELPER_H

#include "sim/nat-routing.h"

#include "ns3/node.h"
#include "ns3/object-factory.h"

namespace sipbed
{

class NatHelper
{
  public:
    NatHelper();

    /// Sets a NatRouting attribute for the NATs installed after this call
    /// (MappingBehavior, FilteringBehavior, UdpTimeout, ...).
    void SetAttribute(const std::string& name, const ns3::AttributeValue& value);

    /// Replaces the node's routing with a NAT whose outside is
    /// `outsideInterface` (an Ipv4 interface index) and whose default route
    /// leads to `outsideGateway`. Every other interface is inside. The NAT is
    /// also aggregated to the node (node->GetObject<NatRouting>()).
    ns3::Ptr<NatRouting> Install(ns3::Ptr<ns3::Node> node,
                                 uint32_t outsideInterface,
                                 ns3::Ipv4Address outsideGateway) const;

  private:
    ns3::ObjectFactory m_factory;
};

} // namespace sipbed

#endif
