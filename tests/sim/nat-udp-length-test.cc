// A NAT rewrites UDP ports, never the UDP Length field: a receiver that
// reads the field (Wireshark, a real stack) must see the datagram's length.
#include "sim/topology-builder.h"

#include "ns3/core-module.h"
#include "ns3/internet-module.h"

#include <gtest/gtest.h>

using namespace ns3;
using namespace sipbed;

TEST(NatUdpLength, TranslatedDatagramKeepsItsUdpLengthField)
{
    TopologyConfig tc;
    tc.edgeProxies = 0;
    Topology topo = TopologyBuilder::Build(tc);
    std::vector<uint16_t> lengths;
    {
        Ptr<Socket> sink = Socket::CreateSocket(topo.registrar.node, UdpSocketFactory::GetTypeId());
        sink->Bind(InetSocketAddress(Ipv4Address::GetAny(), 5060));
        // What arrives on the server's interface, IPv4 header first.
        topo.registrar.node->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
            "Rx",
            MakeCallback(+[](std::vector<uint16_t>* out, Ptr<const Packet> p, Ptr<Ipv4>, uint32_t) {
                Ptr<Packet> copy = p->Copy();
                Ipv4Header ip;
                copy->RemoveHeader(ip);
                uint8_t udp[8] = {};
                copy->CopyData(udp, sizeof(udp));
                out->push_back(static_cast<uint16_t>(udp[4] << 8 | udp[5]));
            }).Bind(&lengths));
        Ptr<Socket> client = Socket::CreateSocket(topo.sites[0].hosts.Get(0), UdpSocketFactory::GetTypeId());
        client->Bind();
        Simulator::Schedule(Seconds(1), [&]() {
            client->SendTo(Create<Packet>(360), 0, InetSocketAddress(topo.registrar.address, 5060));
        });
        Simulator::Stop(Seconds(2));
        Simulator::Run();
    }
    Simulator::Destroy();
    ASSERT_EQ(lengths.size(), 1u);
    EXPECT_EQ(lengths[0], 368); // 8-byte header + 360 bytes of payload
}
