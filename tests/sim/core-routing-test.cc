// CoreRouting (sim/core-routing.h): the core router's constant-time routing
// answers as ns-3's static routes do: local delivery for every address of the
// node, forwarding by the static routes, and routes added after packets have
// flowed take effect (the per-destination cache is not stale).
#include "sim/core-routing.h"
#include "sim/topology-builder.h"

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"

#include <gtest/gtest.h>

using namespace ns3;
using namespace sipbed;

namespace
{

/// Counts datagrams arriving on UDP port 9 of `node`.
struct Sink
{
    explicit Sink(Ptr<Node> node)
    {
        socket = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
        socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), 9));
        socket->SetRecvCallback([this](Ptr<Socket> s) {
            while (s->Recv())
            {
                ++received;
            }
        });
    }

    Ptr<Socket> socket;
    int received = 0;
};

void
SendAt(double t, Ptr<Node> from, Ipv4Address to)
{
    Simulator::Schedule(Seconds(t), [from, to]() {
        Ptr<Socket> s = Socket::CreateSocket(from, UdpSocketFactory::GetTypeId());
        s->Bind();
        s->SendTo(Create<Packet>(100), 0, InetSocketAddress(to, 9));
    });
}

class CoreRoutingTest : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        TopologyConfig c;
        c.sites = 4;
        c.hostsPerSite = 1;
        c.edgeProxies = 1;
        m_topo = TopologyBuilder::Build(c);
        m_routing = DynamicCast<CoreRouting>(m_topo.core->GetObject<Ipv4>()->GetRoutingProtocol());
    }

    void TearDown() override
    {
        Simulator::Destroy();
    }

    Topology m_topo;
    Ptr<CoreRouting> m_routing;
};

} // namespace

TEST_F(CoreRoutingTest, TheCoreRoutesWithIt)
{
    ASSERT_TRUE(m_routing);
}

TEST_F(CoreRoutingTest, EveryAddressOfTheCoreIsDeliveredLocally)
{
    Sink core(m_topo.core);
    Ptr<Ipv4> ipv4 = m_topo.core->GetObject<Ipv4>();
    int sent = 0;
    // From the edge proxy to each address of every interface but loopback.
    for (uint32_t i = 1; i < ipv4->GetNInterfaces(); ++i)
    {
        SendAt(1 + 0.01 * i, m_topo.edgeProxies[0].node, ipv4->GetAddress(i, 0).GetLocal());
        ++sent;
    }
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    EXPECT_GE(sent, 6); // 4 access links, the edge proxy's and the registrar's
    EXPECT_EQ(core.received, sent);
}

TEST_F(CoreRoutingTest, ForwardsByTheStaticRoutesAndCachesOneRoutePerDestination)
{
    Sink registrar(m_topo.registrar.node);
    SendAt(1, m_topo.edgeProxies[0].node, m_topo.registrar.address);
    SendAt(1.1, m_topo.edgeProxies[0].node, m_topo.registrar.address);
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    EXPECT_EQ(registrar.received, 2);
    EXPECT_EQ(m_routing->GetCachedRouteCount(), 1u);
}

TEST_F(CoreRoutingTest, ARouteAddedAfterTrafficTakesEffect)
{
    // 203.0.113.9 is nowhere yet: the core has no route and caches that.
    const Ipv4Address extra("203.0.113.9");
    Ptr<Ipv4> reg = m_topo.registrar.node->GetObject<Ipv4>();
    const int32_t regIf = reg->GetInterfaceForAddress(m_topo.registrar.address);
    ASSERT_GE(regIf, 0);
    Sink registrar(m_topo.registrar.node);
    SendAt(1, m_topo.edgeProxies[0].node, extra);
    Simulator::Schedule(Seconds(2), [this, reg, regIf, extra]() {
        // Now the registrar also answers to it, and the core routes it there.
        reg->AddAddress(regIf, Ipv4InterfaceAddress(extra, Ipv4Mask("255.255.255.255")));
        Ptr<Ipv4> core = m_topo.core->GetObject<Ipv4>();
        const Ipv4Address next = m_topo.registrar.address;
        m_routing->GetStaticRouting()->AddHostRouteTo(extra, next, core->GetInterfaceForPrefix(next, Ipv4Mask("255.255.255.252")));
    });
    SendAt(3, m_topo.edgeProxies[0].node, extra);
    Simulator::Stop(Seconds(5));
    Simulator::Run();
    EXPECT_EQ(registrar.received, 1); // the second one only
}
