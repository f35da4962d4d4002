// The topology builder: hosts behind per-site NATs reach every server, and
// the servers' answers come back through the NATs.
#include "sim/topology-builder.h"

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

using namespace ns3;
using namespace sipbed;

namespace
{

// A UDP socket on `node` port 5060 that answers every datagram to its sender
// (when `echo`) and records who sent what.
struct Peer
{
    Peer(Ptr<Node> node, bool echo)
    {
        socket = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
        socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), 5060));
        socket->SetRecvCallback([this, echo](Ptr<Socket> s) {
            Address from;
            while (Ptr<Packet> p = s->RecvFrom(from))
            {
                senders.push_back(InetSocketAddress::ConvertFrom(from));
                if (echo)
                {
                    s->SendTo(p, 0, from);
                }
            }
        });
    }

    Ptr<Socket> socket;
    std::vector<InetSocketAddress> senders;
};

} // namespace

TEST(Topology, ValidateNamesTheBadField)
{
    TopologyConfig c;
    c.hostsPerSite = 65;
    EXPECT_EQ(TopologyBuilder::Validate(c), "hosts per site must be from 1 to 64");
    c = TopologyConfig();
    c.edgeProxies = 5;
    EXPECT_EQ(TopologyBuilder::Validate(c), "edge proxies must be from 0 to 4");
    EXPECT_EQ(TopologyBuilder::Validate(TopologyConfig()), "");
}

TEST(Topology, EveryHostReachesEveryServerThroughItsNatAndGetsTheAnswer)
{
    TopologyConfig c;
    c.sites = 3;
    c.hostsPerSite = 2;
    c.edgeProxies = 2;
    Topology t = TopologyBuilder::Build(c);
    ASSERT_EQ(t.sites.size(), 3u);
    ASSERT_EQ(t.allHosts.GetN(), 6u);

    std::vector<std::unique_ptr<Peer>> servers;
    std::vector<Ipv4Address> serverAddresses;
    for (const Server& s : t.edgeProxies)
    {
        servers.push_back(std::make_unique<Peer>(s.node, true));
        serverAddresses.push_back(s.address);
    }
    servers.push_back(std::make_unique<Peer>(t.registrar.node, true));
    serverAddresses.push_back(t.registrar.address);

    std::vector<std::unique_ptr<Peer>> hosts;
    for (uint32_t h = 0; h < t.allHosts.GetN(); ++h)
    {
        hosts.push_back(std::make_unique<Peer>(t.allHosts.Get(h), false));
        for (Ipv4Address to : serverAddresses)
        {
            Ptr<Socket> s = hosts.back()->socket;
            Simulator::Schedule(Seconds(1 + 0.01 * h), [s, to]() {
                s->SendTo(Create<Packet>(100), 0, InetSocketAddress(to, 5060));
            });
        }
    }
    Simulator::Stop(Seconds(3));
    Simulator::Run();

    for (size_t i = 0; i < servers.size(); ++i)
    {
        ASSERT_EQ(servers[i]->senders.size(), 6u) << "server " << i;
        std::set<std::pair<uint32_t, uint16_t>> distinct;
        for (const InetSocketAddress& a : servers[i]->senders)
        {
            distinct.insert({a.GetIpv4().Get(), a.GetPort()});
        }
        EXPECT_EQ(distinct.size(), 6u); // one external endpoint per host
    }
    // The two hosts of a site share their NAT's public address.
    for (uint32_t s = 0; s < 3; ++s)
    {
        EXPECT_EQ(servers[0]->senders[2 * s].GetIpv4(), t.sites[s].publicAddress);
        EXPECT_EQ(servers[0]->senders[2 * s + 1].GetIpv4(), t.sites[s].publicAddress);
    }
    for (size_t h = 0; h < hosts.size(); ++h)
    {
        EXPECT_EQ(hosts[h]->senders.size(), serverAddresses.size()) << "host " << h;
    }
    Simulator::Destroy();
}

TEST(Topology, NatRebootWithANewPublicAddressStillRoutes)
{
    TopologyConfig c;
    Topology t = TopologyBuilder::Build(c);
    Peer server(t.registrar.node, true);
    Peer host(t.allHosts.Get(0), false);
    Ipv4Address to = t.registrar.address;
    Ptr<Socket> s = host.socket;
    auto send = [s, to]() { s->SendTo(Create<Packet>(100), 0, InetSocketAddress(to, 5060)); };
    Simulator::Schedule(Seconds(1), send);
    Simulator::Schedule(Seconds(2), [&]() {
        t.sites[0].natRouting->Reboot(t.sites[0].sparePublicAddresses[0]);
    });
    Simulator::Schedule(Seconds(3), send);
    Simulator::Stop(Seconds(4));
    Simulator::Run();
    ASSERT_EQ(server.senders.size(), 2u);
    EXPECT_EQ(server.senders[0].GetIpv4(), t.sites[0].publicAddress);
    EXPECT_EQ(server.senders[1].GetIpv4(), t.sites[0].sparePublicAddresses[0]);
    EXPECT_EQ(host.senders.size(), 2u); // both answers came back
    Simulator::Destroy();
}
