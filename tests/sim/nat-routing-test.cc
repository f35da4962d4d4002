// The NAT inside ns-3: real UDP and TCP traffic through a NatRouting node.
//
//   inside host 10.1.0.2 --p2p-- 10.1.0.1 [NAT] 100.64.0.2 --p2p-- 100.64.0.1 server
#include "sim/nat-helper.h"

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <gtest/gtest.h>

using namespace ns3;
using namespace sipbed;

namespace
{

struct Received
{
    Time at;
    Address from;
    uint32_t bytes;
};

class NatTopology
{
  public:
    explicit NatTopology(NatHelper helper = NatHelper())
    {
        nodes.Create(3); // 0 inside host, 1 NAT, 2 server
        PointToPointHelper p2p;
        p2p.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
        p2p.SetChannelAttribute("Delay", StringValue("5ms"));
        NetDeviceContainer inside = p2p.Install(nodes.Get(0), nodes.Get(1));
        NetDeviceContainer outside = p2p.Install(nodes.Get(1), nodes.Get(2));
        InternetStackHelper stack;
        stack.Install(nodes);
        Ipv4AddressHelper addr;
        addr.SetBase("10.1.0.0", "255.255.255.0");
        Ipv4InterfaceContainer in = addr.Assign(inside);
        addr.SetBase("100.64.0.0", "255.255.255.0", "0.0.0.1");
        Ipv4InterfaceContainer out = addr.Assign(outside);
        hostAddress = in.GetAddress(0);
        serverAddress = out.GetAddress(1);
        publicAddress = out.GetAddress(0);
        // The NAT's outside interface is the second one it got (index 2; 0 is loopback).
        nat = helper.Install(nodes.Get(1), 2, serverAddress);
        Ipv4StaticRoutingHelper routing;
        routing.GetStaticRouting(nodes.Get(0)->GetObject<Ipv4>())
            ->SetDefaultRoute(in.GetAddress(1), 1);
    }

    Ptr<Socket> Udp(uint32_t node, uint16_t port, std::vector<Received>* log)
    {
        Ptr<Socket> s = Socket::CreateSocket(nodes.Get(node), UdpSocketFactory::GetTypeId());
        s->Bind(InetSocketAddress(Ipv4Address::GetAny(), port));
        s->SetRecvCallback([log](Ptr<Socket> sock) {
            Address from;
            while (Ptr<Packet> p = sock->RecvFrom(from))
            {
                log->push_back(Received{Simulator::Now(), from, p->GetSize()});
            }
        });
        return s;
    }

    NodeContainer nodes;
    Ipv4Address hostAddress;
    Ipv4Address serverAddress;
    Ipv4Address publicAddress;
    Ptr<NatRouting> nat;
};

void
SendAt(Time t, Ptr<Socket> s, uint32_t bytes, Address to)
{
    Simulator::Schedule(t, [=]() { s->SendTo(Create<Packet>(bytes), 0, to); });
}

} // namespace

TEST(NatRoutingSim, UdpGoesOutTranslatedAndTheAnswerComesBack)
{
    NatTopology t;
    std::vector<Received> atServer;
    std::vector<Received> atHost;
    Ptr<Socket> host = t.Udp(0, 5060, &atHost);
    Ptr<Socket> server = t.Udp(2, 3478, &atServer);
    SendAt(Seconds(1), host, 100, InetSocketAddress(t.serverAddress, 3478));
    Simulator::Schedule(Seconds(1.5), [&]() {
        ASSERT_EQ(atServer.size(), 1u);
        server->SendTo(Create<Packet>(60), 0, atServer[0].from);
    });
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    ASSERT_EQ(atServer.size(), 1u);
    InetSocketAddress seen = InetSocketAddress::ConvertFrom(atServer[0].from);
    EXPECT_EQ(seen.GetIpv4(), t.publicAddress);
    EXPECT_EQ(seen.GetPort(), 5060); // port preserved
    ASSERT_EQ(atHost.size(), 1u);
    EXPECT_EQ(InetSocketAddress::ConvertFrom(atHost[0].from).GetIpv4(), t.serverAddress);
    EXPECT_EQ(atHost[0].bytes, 60u);
    EXPECT_EQ(t.nat->GetCounters().mappingsCreated, 1u);
    Simulator::Destroy();
}

TEST(NatRoutingSim, UdpMappingTimesOutAfterUdpTimeoutAndLaterPacketsAreDroppedSilently)
{
    NatHelper h;
    h.SetAttribute("UdpTimeout", TimeValue(Seconds(30)));
    NatTopology t(h);
    std::vector<Received> atServer;
    std::vector<Received> atHost;
    std::vector<std::string> drops;
    t.nat->TraceConnectWithoutContext("Drop", MakeCallback(+[](std::vector<std::string>* d, const std::string& r) {
                                          d->push_back(r);
                                      }).Bind(&drops));
    Ptr<Socket> host = t.Udp(0, 5060, &atHost);
    Ptr<Socket> server = t.Udp(2, 3478, &atServer);
    SendAt(Seconds(1), host, 100, InetSocketAddress(t.serverAddress, 3478));
    // Probes back through the mapping: 1.005 + 30 s is when it runs out.
    for (double at : {10.0, 30.9, 31.1, 40.0})
    {
        Simulator::Schedule(Seconds(at), [&]() {
            server->SendTo(Create<Packet>(10), 0, InetSocketAddress(t.publicAddress, 5060));
        });
    }
    Simulator::Stop(Seconds(50));
    Simulator::Run();
    ASSERT_EQ(atHost.size(), 2u); // 10 s and 30.9 s (+5 ms) only
    EXPECT_LT(atHost[1].at, Seconds(31.006));
    EXPECT_EQ(drops, (std::vector<std::string>{"no-mapping", "no-mapping"}));
    EXPECT_EQ(t.nat->GetCounters().mappingsExpired, 1u);
    EXPECT_EQ(t.nat->GetMappingCount(), 0u);
    Simulator::Destroy();
}

TEST(NatRoutingSim, LargeUdpDatagramIsFragmentedAndTranslatedBothWays)
{
    NatTopology t;
    std::vector<Received> atServer;
    std::vector<Received> atHost;
    Ptr<Socket> host = t.Udp(0, 5060, &atHost);
    Ptr<Socket> server = t.Udp(2, 5060, &atServer);
    SendAt(Seconds(1), host, 4000, InetSocketAddress(t.serverAddress, 5060));
    Simulator::Schedule(Seconds(1.5), [&]() {
        ASSERT_EQ(atServer.size(), 1u);
        server->SendTo(Create<Packet>(3500), 0, atServer[0].from);
    });
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    ASSERT_EQ(atServer.size(), 1u);
    EXPECT_EQ(atServer[0].bytes, 4000u);
    ASSERT_EQ(atHost.size(), 1u);
    EXPECT_EQ(atHost[0].bytes, 3500u);
    Simulator::Destroy();
}

TEST(NatRoutingSim, TcpConnectionFromInsideWorksAndARebootCutsItSilently)
{
    NatTopology t;
    uint32_t serverBytes = 0;
    uint32_t hostBytes = 0;
    Ptr<Socket> listener = Socket::CreateSocket(t.nodes.Get(2), TcpSocketFactory::GetTypeId());
    listener->Bind(InetSocketAddress(Ipv4Address::GetAny(), 5060));
    listener->Listen();
    Ptr<Socket> accepted;
    Address peer;
    listener->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                                MakeCallback(+[](Ptr<Socket>* acc, Address* from, uint32_t* bytes,
                                                 Ptr<Socket> s, const Address& a) {
                                                 *acc = s;
                                                 *from = a;
                                                 s->SetRecvCallback(MakeCallback(
                                                     +[](uint32_t* n, Ptr<Socket> sock) {
                                                         while (Ptr<Packet> p = sock->Recv())
                                                         {
                                                             *n += p->GetSize();
                                                         }
                                                     }).Bind(bytes));
                                             })
                                    .Bind(&accepted, &peer, &serverBytes));
    Ptr<Socket> client = Socket::CreateSocket(t.nodes.Get(0), TcpSocketFactory::GetTypeId());
    client->Bind();
    client->SetRecvCallback(MakeCallback(+[](uint32_t* n, Ptr<Socket> sock) {
                                while (Ptr<Packet> p = sock->Recv())
                                {
                                    *n += p->GetSize();
                                }
                            }).Bind(&hostBytes));
    Simulator::Schedule(Seconds(1), [&]() {
        client->Connect(InetSocketAddress(t.serverAddress, 5060));
    });
    Simulator::Schedule(Seconds(2), [&]() { client->Send(Create<Packet>(500)); });
    Simulator::Schedule(Seconds(3), [&]() { accepted->Send(Create<Packet>(700)); });
    Simulator::Schedule(Seconds(4), [&]() { t.nat->Reboot(); });
    uint64_t droppedBefore = 0;
    Simulator::Schedule(Seconds(4.5), [&]() {
        droppedBefore = t.nat->GetCounters().droppedNoMapping;
        accepted->Send(Create<Packet>(300)); // to a mapping the reboot erased
    });
    Simulator::Stop(Seconds(8));
    Simulator::Run();
    EXPECT_EQ(InetSocketAddress::ConvertFrom(peer).GetIpv4(), t.publicAddress);
    EXPECT_EQ(serverBytes, 500u);
    EXPECT_EQ(hostBytes, 700u); // the 300 bytes after the reboot never arrive
    EXPECT_GT(t.nat->GetCounters().droppedNoMapping, droppedBefore);
    EXPECT_EQ(t.nat->GetCounters().mappingsLostInReboot, 1u);
    Simulator::Destroy();
}
