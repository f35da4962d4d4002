// Failures on the wire: link down windows, random loss, a node going silent,
// on point-to-point links and on a CSMA segment.
#include "sim/fault-helper.h"

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/csma-module.h"
#include "ns3/internet-module.h"
#include "ns3/neighbor-cache-helper.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <gtest/gtest.h>

#include <set>

using namespace ns3;
using namespace sipbed;

namespace
{

/// A UDP socket on port 9 of `node` that logs the sequence numbers it gets.
Ptr<Socket>
SeqLogger(Ptr<Node> node, std::set<uint32_t>* log)
{
    Ptr<Socket> s = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
    s->Bind(InetSocketAddress(Ipv4Address::GetAny(), 9));
    s->SetRecvCallback([log](Ptr<Socket> sock) {
        while (Ptr<Packet> p = sock->Recv())
        {
            SeqTsHeader h;
            p->RemoveHeader(h);
            log->insert(h.GetSeq());
        }
    });
    return s;
}

// A chain of nodes 0 - 1 - ... - (n-1) on 10 Mb/s, 10 ms point-to-point links,
// each node with a UDP socket on port 9 that logs the sequence numbers it gets.
struct Chain
{
    explicit Chain(uint32_t n)
    {
        nodes.Create(n);
        PointToPointHelper p2p;
        p2p.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
        p2p.SetChannelAttribute("Delay", StringValue("10ms"));
        InternetStackHelper stack;
        stack.Install(nodes);
        Ipv4AddressHelper addr;
        for (uint32_t i = 0; i + 1 < n; ++i)
        {
            NetDeviceContainer d = p2p.Install(nodes.Get(i), nodes.Get(i + 1));
            links.push_back(d);
            std::string base = "10.0." + std::to_string(i) + ".0";
            addr.SetBase(base.c_str(), "255.255.255.0");
            Ipv4InterfaceContainer ifs = addr.Assign(d);
            left.push_back(ifs.GetAddress(0));
            right.push_back(ifs.GetAddress(1));
        }
        Ipv4GlobalRoutingHelper::PopulateRoutingTables();
        FaultHelper::InstallAll(nodes);
        FaultHelper::AssignStreams(nodes, 100);
        received.resize(n);
        for (uint32_t i = 0; i < n; ++i)
        {
            sockets.push_back(SeqLogger(nodes.Get(i), &received[i]));
        }
    }

    ~Chain()
    {
        Simulator::Destroy();
    }

    /// `from` sends packet `seq` to `to` at `at`.
    void Send(uint32_t from, Ipv4Address to, uint32_t seq, Time at)
    {
        Ptr<Socket> s = sockets[from];
        Simulator::Schedule(at, [s, to, seq]() {
            Ptr<Packet> p = Create<Packet>(200);
            SeqTsHeader h;
            h.SetSeq(seq);
            p->AddHeader(h);
            s->SendTo(p, 0, InetSocketAddress(to, 9));
        });
    }

    NodeContainer nodes;
    std::vector<NetDeviceContainer> links;
    std::vector<Ipv4Address> left;
    std::vector<Ipv4Address> right;
    std::vector<Ptr<Socket>> sockets;
    std::vector<std::set<uint32_t>> received;
};

// n nodes on one 10 Mb/s CSMA segment without propagation delay, ARP caches
// filled beforehand (as TopologyBuilder does), each node with a UDP socket
// on port 9 that logs the sequence numbers it gets.
struct Segment
{
    explicit Segment(uint32_t n)
    {
        nodes.Create(n);
        CsmaHelper csma;
        csma.SetChannelAttribute("DataRate", StringValue("10Mbps"));
        csma.SetChannelAttribute("Delay", TimeValue(Seconds(0)));
        devices = csma.Install(nodes);
        InternetStackHelper stack;
        stack.Install(nodes);
        Ipv4AddressHelper addr;
        addr.SetBase("10.9.0.0", "255.255.255.0");
        Ipv4InterfaceContainer ifs = addr.Assign(devices);
        NeighborCacheHelper().PopulateNeighborCache();
        received.resize(n);
        for (uint32_t i = 0; i < n; ++i)
        {
            addresses.push_back(ifs.GetAddress(i));
            sockets.push_back(SeqLogger(nodes.Get(i), &received[i]));
        }
    }

    ~Segment()
    {
        Simulator::Destroy();
    }

    /// Node `from` sends packet `seq` (`bytes` of payload) to node `to` at `at`.
    void Send(uint32_t from, uint32_t to, uint32_t seq, Time at, uint32_t bytes = 200)
    {
        Ptr<Socket> s = sockets[from];
        Ipv4Address dst = addresses[to];
        Simulator::Schedule(at, [s, dst, seq, bytes]() {
            Ptr<Packet> p = Create<Packet>(bytes);
            SeqTsHeader h;
            h.SetSeq(seq);
            p->AddHeader(h);
            s->SendTo(p, 0, InetSocketAddress(dst, 9));
        });
    }

    NodeContainer nodes;
    NetDeviceContainer devices;
    std::vector<Ipv4Address> addresses;
    std::vector<Ptr<Socket>> sockets;
    std::vector<std::set<uint32_t>> received;
};

} // namespace

TEST(LinkFault, DownWindowDropsExactlyThePacketsSentInItBothWays)
{
    Chain c(2);
    FaultHelper::ScheduleLinkDown(c.links[0].Get(0), Seconds(1), Seconds(1));
    // One packet every 10 ms from 0.5 s to 2.99 s, each way.
    for (uint32_t k = 0; k < 250; ++k)
    {
        c.Send(0, c.right[0], k, MilliSeconds(500 + 10 * k));
        c.Send(1, c.left[0], k, MilliSeconds(500 + 10 * k));
    }
    Simulator::Stop(Seconds(4));
    Simulator::Run();
    for (uint32_t side : {0u, 1u})
    {
        for (uint32_t k = 0; k < 250; ++k)
        {
            Time sent = MilliSeconds(500 + 10 * k);
            bool inWindow = sent >= Seconds(1) && sent < Seconds(2);
            EXPECT_EQ(c.received[side].count(k) == 0, inWindow) << "packet sent at " << sent.As(Time::S);
        }
    }
    EXPECT_EQ(FaultHelper::Get(c.links[0].Get(1))->GetDroppedDown(), 100u);
}

TEST(LinkFault, PacketSentJustBeforeTheWindowStillArrives)
{
    Chain c(2);
    // Sent at 0.995 s: it is on the wire when the link goes down at 1 s.
    // "Down" applies to what is sent in the window, so it arrives.
    FaultHelper::ScheduleLinkDown(c.links[0].Get(0), Seconds(1), Seconds(1));
    c.Send(0, c.right[0], 1, MilliSeconds(995));
    c.Send(0, c.right[0], 2, MilliSeconds(1000));
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    EXPECT_EQ(c.received[1], (std::set<uint32_t>{1}));
}

TEST(LinkFault, BernoulliLossLosesAboutTheGivenFraction)
{
    Chain c(2);
    FaultHelper::SetBernoulliLoss(c.links[0].Get(0), 0.1);
    const uint32_t n = 5000;
    for (uint32_t k = 0; k < n; ++k)
    {
        c.Send(0, c.right[0], k, MilliSeconds(1 + k)); // 1 ms apart: no queueing
    }
    Simulator::Stop(Seconds(10));
    Simulator::Run();
    double lost = 1.0 - double(c.received[1].size()) / n;
    EXPECT_NEAR(lost, 0.1, 0.015);
}

TEST(LinkFault, GilbertElliottLossComesInBursts)
{
    Chain c(2);
    // Mean burst 1/0.25 = 4 packets; stationary loss 0.02 / (0.02 + 0.25) = 7.4 %.
    FaultHelper::SetGilbertElliottLoss(c.links[0].Get(0), 0.02, 0.25, 0.0, 1.0);
    const uint32_t n = 20000;
    for (uint32_t k = 0; k < n; ++k)
    {
        c.Send(0, c.right[0], k, MicroSeconds(500 * (k + 1)));
    }
    Simulator::Stop(Seconds(12));
    Simulator::Run();
    uint32_t lost = 0;
    uint32_t bursts = 0;
    bool inBurst = false;
    for (uint32_t k = 0; k < n; ++k)
    {
        bool gone = c.received[1].count(k) == 0;
        lost += gone;
        bursts += gone && !inBurst;
        inBurst = gone;
    }
    EXPECT_NEAR(double(lost) / n, 0.074, 0.015);
    EXPECT_NEAR(double(lost) / bursts, 4.0, 0.6);
}

TEST(LinkFault, NodeDownSilencesEveryLinkOfTheNodeUntilNodeUp)
{
    Chain c(3); // 0 - 1 - 2
    Simulator::Schedule(Seconds(1), [&]() { FaultHelper::NodeDown(c.nodes.Get(1)); });
    Simulator::Schedule(Seconds(2), [&]() { FaultHelper::NodeUp(c.nodes.Get(1)); });
    uint32_t seq = 0;
    for (double at : {0.5, 1.5, 2.5})
    {
        c.Send(0, c.right[0], seq, Seconds(at));       // 0 -> 1
        c.Send(2, c.left[1], seq + 100, Seconds(at));  // 2 -> 1
        c.Send(1, c.left[0], seq + 200, Seconds(at));  // 1 -> 0
        c.Send(0, c.right[1], seq + 300, Seconds(at)); // 0 -> 2 through 1
        ++seq;
    }
    Simulator::Stop(Seconds(4));
    Simulator::Run();
    EXPECT_EQ(c.received[1], (std::set<uint32_t>{0, 2, 100, 102}));
    EXPECT_EQ(c.received[0], (std::set<uint32_t>{200, 202}));
    EXPECT_EQ(c.received[2], (std::set<uint32_t>{300, 302}));
}

TEST(CsmaFault, NodeDownTakesTheNodeOffTheSegmentUntilNodeUp)
{
    Segment c(3);
    Simulator::Schedule(Seconds(1), [&]() { FaultHelper::NodeDown(c.nodes.Get(1)); });
    Simulator::Schedule(Seconds(2), [&]() { FaultHelper::NodeUp(c.nodes.Get(1)); });
    uint32_t seq = 0;
    for (double at : {0.5, 1.5, 2.5})
    {
        // 5 ms apart: each frame has the medium to itself.
        c.Send(0, 1, seq, Seconds(at));                          // 0 -> 1
        c.Send(2, 1, seq + 100, Seconds(at) + MilliSeconds(5));  // 2 -> 1
        c.Send(1, 0, seq + 200, Seconds(at) + MilliSeconds(10)); // 1 -> 0
        c.Send(1, 2, seq + 300, Seconds(at) + MilliSeconds(15)); // 1 -> 2
        c.Send(0, 2, seq + 400, Seconds(at) + MilliSeconds(20)); // 0 -> 2
        c.Send(2, 0, seq + 500, Seconds(at) + MilliSeconds(25)); // 2 -> 0
        ++seq;
    }
    Simulator::Stop(Seconds(4));
    Simulator::Run();
    // Node 1 neither receives nor sends while down, and does both again after.
    EXPECT_EQ(c.received[1], (std::set<uint32_t>{0, 2, 100, 102}));
    // The other two keep talking to each other all along.
    EXPECT_EQ(c.received[0], (std::set<uint32_t>{200, 202, 500, 501, 502}));
    EXPECT_EQ(c.received[2], (std::set<uint32_t>{300, 302, 400, 401, 402}));
    // Node 1 did send while down: its frames went out and every receiver
    // dropped them (each device checks every frame on the segment, whoever
    // it is addressed to), and node 1 dropped all four frames of the others.
    std::vector<uint64_t> dropped;
    for (uint32_t i = 0; i < 3; ++i)
    {
        Ptr<LinkFaultModel> m = FaultHelper::Get(c.devices.Get(i));
        ASSERT_TRUE(m) << "device " << i;
        dropped.push_back(m->GetDroppedDown());
    }
    EXPECT_EQ(dropped, (std::vector<uint64_t>{2, 4, 2}));
}

TEST(CsmaFault, NodeGoingDownWhileItsFramesWaitForTheMediumRecoversWithoutStaleFrames)
{
    // Node 2 keeps the medium busy (30 frames of about 1 kB: 25 ms) and node 1
    // queues 20 frames right behind, so node 1 is backing off with a full
    // queue when it goes down. After NodeUp it must send again (a CSMA device
    // whose send side is disabled in backoff never does), and none of the 20
    // frames of before the crash may arrive late.
    Segment c(3);
    for (uint32_t k = 0; k < 30; ++k)
    {
        c.Send(2, 0, 100 + k, Seconds(1), 1000);
    }
    for (uint32_t k = 0; k < 20; ++k)
    {
        c.Send(1, 0, k, Seconds(1) + MicroSeconds(1), 1000);
    }
    Simulator::Schedule(Seconds(1) + MicroSeconds(500),
                        [&]() { FaultHelper::NodeDown(c.nodes.Get(1)); });
    Simulator::Schedule(Seconds(2), [&]() { FaultHelper::NodeUp(c.nodes.Get(1)); });
    c.Send(1, 0, 50, Seconds(3));
    c.Send(0, 1, 60, Seconds(3.5));
    Simulator::Stop(Seconds(5));
    Simulator::Run();
    std::set<uint32_t> expected{50};
    for (uint32_t k = 0; k < 30; ++k)
    {
        expected.insert(100 + k);
    }
    EXPECT_EQ(c.received[0], expected);
    EXPECT_EQ(c.received[1], (std::set<uint32_t>{60}));
}

TEST(CsmaFault, LinkDownTakesOneDeviceOffTheSegmentForTheWindow)
{
    // A frame of 258 bytes on the wire takes about 206 us at 10 Mb/s.
    // Down goes by transmission start, as on a point-to-point link.
    Segment c(3);
    FaultHelper::ScheduleLinkDown(c.devices.Get(1), Seconds(1), Seconds(1));
    c.Send(1, 0, 1, Seconds(1) - MicroSeconds(100)); // on the wire at 1 s: arrives
    c.Send(0, 1, 2, Seconds(1.001));                 // in the window: lost
    c.Send(1, 2, 3, Seconds(1.002));                 // in the window: lost
    c.Send(0, 2, 4, Seconds(1.003));                 // not device 1's: arrives
    c.Send(2, 0, 5, Seconds(1.004));                 // not device 1's: arrives
    c.Send(1, 0, 6, Seconds(2) - MicroSeconds(100)); // starts in the window: lost
    c.Send(0, 1, 7, Seconds(2.001));                 // after: arrives
    c.Send(1, 2, 8, Seconds(2.002));                 // after: arrives
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    EXPECT_EQ(c.received[0], (std::set<uint32_t>{1, 5}));
    EXPECT_EQ(c.received[1], (std::set<uint32_t>{7}));
    EXPECT_EQ(c.received[2], (std::set<uint32_t>{4, 8}));
}

TEST(CsmaFault, ModelsAreInstalledOnTheWholeSegmentOnlyWhenAsked)
{
    Segment c(3);
    FaultHelper::InstallAll(c.nodes); // point-to-point devices only
    for (uint32_t i = 0; i < 3; ++i)
    {
        EXPECT_FALSE(FaultHelper::Get(c.devices.Get(i)));
    }
    Ptr<LinkFaultModel> m = FaultHelper::Install(c.devices.Get(2));
    ASSERT_TRUE(m);
    EXPECT_EQ(FaultHelper::Get(c.devices.Get(2)), m);
    EXPECT_EQ(FaultHelper::Install(c.devices.Get(2)), m);
    for (uint32_t i = 0; i < 3; ++i)
    {
        EXPECT_TRUE(FaultHelper::Get(c.devices.Get(i))) << "device " << i;
    }
}

TEST(CsmaFaultDeathTest, RandomLossOnACsmaDeviceIsRejected)
{
    Segment c(2);
    EXPECT_DEATH(FaultHelper::SetBernoulliLoss(c.devices.Get(0), 0.1),
                 "random loss needs a point-to-point device.*CSMA device");
}
