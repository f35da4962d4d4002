// Failures on the wire: link down windows, random loss, a node going silent.
#include "sim/fault-helper.h"

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <gtest/gtest.h>

#include <set>

using namespace ns3;
using namespace sipbed;

namespace
{

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
            Ptr<Socket> s = Socket::CreateSocket(nodes.Get(i), UdpSocketFactory::GetTypeId());
            s->Bind(InetSocketAddress(Ipv4Address::GetAny(), 9));
            std::set<uint32_t>* log = &received[i];
            s->SetRecvCallback([log](Ptr<Socket> sock) {
                while (Ptr<Packet> p = sock->Recv())
                {
                    SeqTsHeader h;
                    p->RemoveHeader(h);
                    log->insert(h.GetSeq());
                }
            });
            sockets.push_back(s);
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
