#include "sim/nat-helper.h"

#include "ns3/abort.h"
#include "ns3/ipv4.h"

namespace sipbed
{

using namespace ns3;

NatHelper::NatHelper()
{
    m_factory.SetTypeId(NatRouting::GetTypeId());
}

void
NatHelper::SetAttribute(const std::string& name, const AttributeValue& value)
{
    m_factory.Set(name, value);
}

Ptr<NatRouting>
NatHelper::Install(Ptr<Node> node, uint32_t outsideInterface, Ipv4Address outsideGateway) const
{
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    NS_ABORT_MSG_IF(!ipv4, "NatHelper::Install: node " << node->GetId()
                                                       << " has no Internet stack");
    NS_ABORT_MSG_IF(outsideInterface >= ipv4->GetNInterfaces(),
                    "NatHelper::Install: node " << node->GetId() << " has no interface "
                                                << outsideInterface);
    Ptr<NatRouting> nat = m_factory.Create<NatRouting>();
    nat->SetOutsideInterface(outsideInterface);
    // Static routing learns the connected networks of the interfaces already up.
    ipv4->SetRoutingProtocol(nat);
    nat->GetStaticRouting()->SetDefaultRoute(outsideGateway, outsideInterface);
    node->AggregateObject(nat);
    return nat;
}

} // namespace sipbed
