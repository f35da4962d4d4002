// The attacker attachment point of the topology builder: a rogue node next to
// the target server (on a shared segment, or a router on path) sees that
// server's traffic and no other, lets it through without delaying it, and
// can race forged datagrams carrying the server's address to a host behind
// a NAT.
#include "sim/fault-helper.h"
#include "sim/topology-builder.h"

#include "ns3/core-module.h"
#include "ns3/csma-net-device.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-net-device.h"

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

using namespace ns3;
using namespace sipbed;

namespace sipbed
{

// Test names and failure messages show the mode by name.
void
PrintTo(AttackerMode mode, std::ostream* os)
{
    *os << (mode == AttackerMode::kSharedSegment ? "shared segment"
            : mode == AttackerMode::kOnPath      ? "on path"
                                                 : "none");
}

} // namespace sipbed

namespace
{

constexpr uint16_t kSipPort = 5060;

Ptr<Packet>
Bytes(const std::string& text)
{
    return Create<Packet>(reinterpret_cast<const uint8_t*>(text.data()),
                          static_cast<uint32_t>(text.size()));
}

std::string
Text(Ptr<const Packet> p)
{
    std::string out(p->GetSize(), '\0');
    p->CopyData(reinterpret_cast<uint8_t*>(out.data()), p->GetSize());
    return out;
}

struct Received
{
    InetSocketAddress from;
    std::string payload;
};

// A UDP socket on `node` port 5060 that records every datagram (sender and
// bytes) and, when `echo`, answers it to its sender.
struct Peer
{
    Peer(Ptr<Node> node, bool echo)
    {
        socket = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
        socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), kSipPort));
        socket->SetRecvCallback([this, echo](Ptr<Socket> s) {
            Address from;
            while (Ptr<Packet> p = s->RecvFrom(from))
            {
                received.push_back({InetSocketAddress::ConvertFrom(from), Text(p)});
                if (echo)
                {
                    s->SendTo(p, 0, from);
                }
            }
        });
    }

    void SendAt(Time at, Ipv4Address to, const std::string& text)
    {
        Ptr<Socket> s = socket;
        Simulator::Schedule(at, [s, to, text]() {
            s->SendTo(Bytes(text), 0, InetSocketAddress(to, kSipPort));
        });
    }

    Ptr<Socket> socket;
    std::vector<Received> received;
};

// A UDP datagram the attacker's tap reported.
struct SeenUdp
{
    Ipv4Address src;
    uint16_t srcPort;
    Ipv4Address dst;
    uint16_t dstPort;
    std::string payload;
    Time at;
};

// Everything the tap reports on its "Seen" trace.
struct Sniffer
{
    explicit Sniffer(Ptr<AttackerTap> tap)
    {
        tap->TraceConnectWithoutContext(
            "Seen",
            Callback<void, Ptr<const Packet>, const Ipv4Header&, Time>(
                [this](Ptr<const Packet> datagram, const Ipv4Header& header, Time at) {
                    ++traced;
                    Ipv4Header ip;
                    UdpHeader udp;
                    Ptr<Packet> payload;
                    if (!AttackerTap::ParseUdp(datagram, ip, udp, payload))
                    {
                        return;
                    }
                    EXPECT_EQ(ip.GetSource(), header.GetSource());
                    EXPECT_EQ(ip.GetDestination(), header.GetDestination());
                    udps.push_back({ip.GetSource(),
                                    udp.GetSourcePort(),
                                    ip.GetDestination(),
                                    udp.GetDestinationPort(),
                                    Text(payload),
                                    at});
                    if (onUdp)
                    {
                        onUdp(udps.back());
                    }
                }));
    }

    uint64_t traced = 0;
    std::vector<SeenUdp> udps;
    std::function<void(const SeenUdp&)> onUdp;
};

// Alice's side and Bob's side as sites, an edge proxy, a registrar and two
// proxies; the attacker on the second proxy's link (Proxy-2).
TopologyConfig
AttackerConfig(AttackerMode mode)
{
    TopologyConfig c;
    c.sites = 2;
    c.edgeProxies = 1;
    c.registrar = true;
    c.proxies = 2;
    c.attackerMode = mode;
    c.attackerTarget = ServerRef{ServerRole::kProxy, 1};
    return c;
}

std::vector<Ipv4Address>
ServerAddresses(const Topology& t)
{
    std::vector<Ipv4Address> v;
    for (const Server& s : t.edgeProxies)
    {
        v.push_back(s.address);
    }
    for (const Server* s : {&t.registrar, &t.credentialServer})
    {
        if (s->node)
        {
            v.push_back(s->address);
        }
    }
    for (const Server& s : t.proxies)
    {
        v.push_back(s.address);
    }
    return v;
}

// Every point-to-point device of the topology carries a LinkFaultModel.
void
ExpectFaultModelsOnEveryPointToPointLink(const Topology& t)
{
    for (uint32_t n = 0; n < t.allNodes.GetN(); ++n)
    {
        Ptr<Node> node = t.allNodes.Get(n);
        for (uint32_t d = 0; d < node->GetNDevices(); ++d)
        {
            if (DynamicCast<PointToPointNetDevice>(node->GetDevice(d)))
            {
                EXPECT_TRUE(FaultHelper::Get(node->GetDevice(d)))
                    << "node " << node->GetId() << " device " << d;
            }
        }
    }
}

std::string
ModeName(const ::testing::TestParamInfo<AttackerMode>& info)
{
    return info.param == AttackerMode::kSharedSegment ? "SharedSegment" : "OnPath";
}

} // namespace

TEST(AttackerTopology, ValidateRejectsABadTarget)
{
    TopologyConfig c = AttackerConfig(AttackerMode::kSharedSegment);
    EXPECT_EQ(TopologyBuilder::Validate(c), "");
    c.attackerTarget = ServerRef{ServerRole::kProxy, 2};
    EXPECT_EQ(TopologyBuilder::Validate(c), "attacker target proxy index must be from 0 to 1");
    c.attackerTarget = ServerRef{ServerRole::kRegistrar, 1};
    EXPECT_EQ(TopologyBuilder::Validate(c), "attacker target registrar index must be from 0 to 0");
    c.attackerTarget = ServerRef{ServerRole::kCredentialServer, 0};
    EXPECT_EQ(TopologyBuilder::Validate(c),
              "attacker target must be a server that is built (there is no credential server)");
    c.attackerTarget = ServerRef{static_cast<ServerRole>(9), 0};
    EXPECT_EQ(TopologyBuilder::Validate(c),
              "attacker target role must be edge proxy, registrar, credential server or proxy");
    c = AttackerConfig(static_cast<AttackerMode>(7));
    EXPECT_EQ(TopologyBuilder::Validate(c),
              "attacker mode must be none, shared segment or on path");
    // Without an attacker the target is not read.
    c = AttackerConfig(AttackerMode::kNone);
    c.attackerTarget = ServerRef{ServerRole::kEdgeProxy, 3};
    EXPECT_EQ(TopologyBuilder::Validate(c), "");
}

TEST(AttackerTopology, ModeNoneBuildsTheNetworkWithoutAnAttacker)
{
    Topology t = TopologyBuilder::Build(AttackerConfig(AttackerMode::kNone));
    EXPECT_EQ(t.attacker.mode, AttackerMode::kNone);
    EXPECT_FALSE(t.attacker.node);
    EXPECT_FALSE(t.attacker.tap);
    // core + 4 servers + 2 sites of (NAT + 1 host)
    EXPECT_EQ(t.allNodes.GetN(), 9u);
    // loopback, 4 servers, 2 access links; all point-to-point
    Ptr<Ipv4> core = t.core->GetObject<Ipv4>();
    ASSERT_EQ(core->GetNInterfaces(), 7u);
    for (uint32_t i = 1; i < core->GetNInterfaces(); ++i)
    {
        EXPECT_EQ(core->GetNAddresses(i), 1u);
        EXPECT_TRUE(DynamicCast<PointToPointNetDevice>(core->GetNetDevice(i)));
    }
    EXPECT_EQ(ServerAddresses(t),
              (std::vector<Ipv4Address>{Ipv4Address("198.18.0.2"),
                                        Ipv4Address("198.18.0.6"),
                                        Ipv4Address("198.18.0.10"),
                                        Ipv4Address("198.18.0.14")}));
    ExpectFaultModelsOnEveryPointToPointLink(t);
    Simulator::Destroy();
}

class AttackerModeTest : public ::testing::TestWithParam<AttackerMode>
{
};

INSTANTIATE_TEST_SUITE_P(Attacker,
                         AttackerModeTest,
                         ::testing::Values(AttackerMode::kSharedSegment, AttackerMode::kOnPath),
                         ModeName);

TEST_P(AttackerModeTest, KeepsTheAddressPlanAndNodeIds)
{
    Topology plain = TopologyBuilder::Build(AttackerConfig(AttackerMode::kNone));
    const std::vector<Ipv4Address> plainAddresses = ServerAddresses(plain);
    const uint32_t plainNodes = plain.allNodes.GetN();
    const uint32_t targetId = plain.proxies[1].node->GetId() - plain.core->GetId();
    Simulator::Destroy();

    Topology t = TopologyBuilder::Build(AttackerConfig(GetParam()));
    const bool shared = GetParam() == AttackerMode::kSharedSegment;
    const Attacker& a = t.attacker;
    EXPECT_EQ(ServerAddresses(t), plainAddresses);
    // The attacker (and the segment's gateway) come after every other node.
    ASSERT_EQ(t.allNodes.GetN(), plainNodes + (shared ? 2 : 1));
    EXPECT_EQ(t.proxies[1].node->GetId() - t.core->GetId(), targetId);
    EXPECT_EQ(t.allNodes.Get(plainNodes), a.node);
    EXPECT_EQ(a.mode, GetParam());
    ASSERT_TRUE(a.node);
    ASSERT_TRUE(a.tap);
    EXPECT_EQ(a.node->GetObject<AttackerTap>(), a.tap);
    EXPECT_EQ(a.address, Ipv4Address("198.19.255.254"));
    EXPECT_EQ(a.targetAddress, t.proxies[1].address);

    // The core link keeps the core's delay and has its fault model.
    ASSERT_EQ(a.coreLink.GetN(), 2u);
    EXPECT_EQ(a.coreLink.Get(1)->GetNode(), t.core);
    EXPECT_TRUE(FaultHelper::Get(a.coreLink.Get(0)));
    TimeValue delay;
    a.coreLink.Get(0)->GetChannel()->GetAttribute("Delay", delay);
    EXPECT_EQ(delay.Get(), TopologyConfig().coreDelay);
    EXPECT_EQ(t.proxies[1].link.Get(0)->GetNode(), t.proxies[1].node);
    if (shared)
    {
        ASSERT_TRUE(a.gateway);
        EXPECT_EQ(t.allNodes.Get(plainNodes + 1), a.gateway);
        EXPECT_EQ(a.coreLink.Get(0)->GetNode(), a.gateway);
        ASSERT_EQ(a.segment.GetN(), 3u);
        for (uint32_t i = 0; i < 3; ++i)
        {
            EXPECT_TRUE(DynamicCast<CsmaNetDevice>(a.segment.Get(i)));
        }
        EXPECT_EQ(a.segment.Get(0)->GetNode(), t.proxies[1].node);
        EXPECT_EQ(a.segment.Get(1)->GetNode(), a.gateway);
        EXPECT_EQ(a.segment.Get(2)->GetNode(), a.node);
        EXPECT_EQ(t.proxies[1].link.Get(1), a.segment.Get(1));
        ASSERT_EQ(a.devices.GetN(), 1u);
        EXPECT_EQ(a.devices.Get(0), a.segment.Get(2));
    }
    else
    {
        EXPECT_FALSE(a.gateway);
        EXPECT_EQ(a.coreLink.Get(0)->GetNode(), a.node);
        ASSERT_EQ(a.devices.GetN(), 2u);
        EXPECT_EQ(a.devices.Get(0), a.coreLink.Get(0));
        EXPECT_EQ(a.devices.Get(1), t.proxies[1].link.Get(1));
        EXPECT_TRUE(FaultHelper::Get(t.proxies[1].link.Get(0)));
    }
    ExpectFaultModelsOnEveryPointToPointLink(t);
    Simulator::Destroy();
}

// The attacker must not change the timing it is racing against: the target
// answers as fast as without it (up to a frame's transmission time per extra
// store-and-forward hop).
TEST_P(AttackerModeTest, TheTargetIsAsFarAwayAsWithoutTheAttacker)
{
    auto roundTrip = [](AttackerMode mode) {
        Topology t = TopologyBuilder::Build(AttackerConfig(mode));
        Peer server(t.proxies[1].node, true);
        Peer alice(t.sites[0].hosts.Get(0), false);
        Time answered;
        alice.socket->SetRecvCallback([&answered](Ptr<Socket> s) {
            while (s->Recv())
            {
                answered = Simulator::Now();
            }
        });
        alice.SendAt(Seconds(1), t.proxies[1].address, "OPTIONS");
        Simulator::Stop(Seconds(2));
        Simulator::Run();
        Simulator::Destroy();
        return answered - Seconds(1);
    };
    const Time plain = roundTrip(AttackerMode::kNone);
    const Time attacked = roundTrip(GetParam());
    EXPECT_GT(plain, MilliSeconds(32)); // 2 x (lan 1 + access 10 + core 5 ms)
    EXPECT_GE(attacked, plain);
    EXPECT_LT(attacked - plain, MicroSeconds(10));
}

TEST_P(AttackerModeTest, SeesTheTargetsTrafficOnlyAndLetsItThrough)
{
    Topology t = TopologyBuilder::Build(AttackerConfig(GetParam()));
    Sniffer sniffer(t.attacker.tap);
    Peer target(t.proxies[1].node, true);
    Peer otherProxy(t.proxies[0].node, true);
    Peer registrar(t.registrar.node, true);
    Peer edge(t.edgeProxies[0].node, true);
    Peer alice(t.sites[0].hosts.Get(0), false);
    Peer bob(t.sites[1].hosts.Get(0), false);

    alice.SendAt(Seconds(1), t.proxies[1].address, "INVITE to proxy-2");
    alice.SendAt(Seconds(1.1), t.proxies[0].address, "INVITE to proxy-1");
    bob.SendAt(Seconds(1.2), t.registrar.address, "REGISTER");
    bob.SendAt(Seconds(1.3), t.edgeProxies[0].address, "OPTIONS");
    Simulator::Stop(Seconds(3));
    Simulator::Run();

    // Everything arrived and was answered: the attacker is invisible.
    ASSERT_EQ(target.received.size(), 1u);
    EXPECT_EQ(target.received[0].payload, "INVITE to proxy-2");
    EXPECT_EQ(otherProxy.received.size(), 1u);
    EXPECT_EQ(registrar.received.size(), 1u);
    EXPECT_EQ(edge.received.size(), 1u);
    EXPECT_EQ(alice.received.size(), 2u);
    EXPECT_EQ(bob.received.size(), 2u);

    // It saw the request as the server got it (after the NAT), then the answer.
    ASSERT_EQ(sniffer.udps.size(), 2u);
    const InetSocketAddress natSide = target.received[0].from;
    EXPECT_EQ(natSide.GetIpv4(), t.sites[0].publicAddress);
    const SeenUdp& request = sniffer.udps[0];
    EXPECT_EQ(request.src, natSide.GetIpv4());
    EXPECT_EQ(request.srcPort, natSide.GetPort());
    EXPECT_EQ(request.dst, t.proxies[1].address);
    EXPECT_EQ(request.dstPort, kSipPort);
    EXPECT_EQ(request.payload, "INVITE to proxy-2");
    EXPECT_GE(request.at, Seconds(1));
    EXPECT_LT(request.at, Seconds(1.1));
    const SeenUdp& answer = sniffer.udps[1];
    EXPECT_EQ(answer.src, t.proxies[1].address);
    EXPECT_EQ(answer.srcPort, kSipPort);
    EXPECT_EQ(answer.dst, natSide.GetIpv4());
    EXPECT_EQ(answer.dstPort, natSide.GetPort());
    EXPECT_GT(answer.at, request.at);

    // Nothing else: no packet of another server, no stray IPv4 packet.
    EXPECT_EQ(sniffer.traced, 2u);
    EXPECT_EQ(t.attacker.tap->GetPacketsSeen(), 2u);
    EXPECT_EQ(t.attacker.tap->GetBytesSeen(),
              2u * (20 + 8 + std::string("INVITE to proxy-2").size()));
    EXPECT_EQ(t.attacker.tap->GetPacketsDropped(), 0u);
    Simulator::Destroy();
}

// A rogue node may also speak for itself (e.g. a rogue proxy's own traffic).
TEST_P(AttackerModeTest, TheAttackerIsReachableAtItsOwnAddress)
{
    Topology t = TopologyBuilder::Build(AttackerConfig(GetParam()));
    Peer rogue(t.attacker.node, true);
    Peer alice(t.sites[0].hosts.Get(0), false);
    alice.SendAt(Seconds(1), t.attacker.address, "hello rogue");
    Simulator::Stop(Seconds(2));
    Simulator::Run();
    ASSERT_EQ(rogue.received.size(), 1u);
    EXPECT_EQ(rogue.received[0].from.GetIpv4(), t.sites[0].publicAddress);
    ASSERT_EQ(alice.received.size(), 1u);
    EXPECT_EQ(alice.received[0].from.GetIpv4(), t.attacker.address);
    Simulator::Destroy();
}

TEST_P(AttackerModeTest, AnyServerCanBeTheTarget)
{
    const std::vector<ServerRef> targets = {{ServerRole::kEdgeProxy, 1},
                                            {ServerRole::kRegistrar, 0},
                                            {ServerRole::kCredentialServer, 0},
                                            {ServerRole::kProxy, 0}};
    for (const ServerRef& target : targets)
    {
        TopologyConfig c;
        c.edgeProxies = 2;
        c.credentialServer = true;
        c.proxies = 2;
        c.attackerMode = GetParam();
        c.attackerTarget = target;
        ASSERT_EQ(TopologyBuilder::Validate(c), "");
        Topology t = TopologyBuilder::Build(c);
        Sniffer sniffer(t.attacker.tap);
        std::vector<Ptr<Node>> nodes;
        for (const Server& s : t.edgeProxies)
        {
            nodes.push_back(s.node);
        }
        nodes.push_back(t.registrar.node);
        nodes.push_back(t.credentialServer.node);
        for (const Server& s : t.proxies)
        {
            nodes.push_back(s.node);
        }
        std::vector<std::unique_ptr<Peer>> servers;
        for (Ptr<Node> n : nodes)
        {
            servers.push_back(std::make_unique<Peer>(n, false));
        }
        Peer host(t.allHosts.Get(0), false);
        const std::vector<Ipv4Address> addresses = ServerAddresses(t);
        for (size_t i = 0; i < addresses.size(); ++i)
        {
            host.SendAt(Seconds(1 + 0.1 * i), addresses[i], "hello " + std::to_string(i));
        }
        Simulator::Stop(Seconds(3));
        Simulator::Run();

        for (size_t i = 0; i < servers.size(); ++i)
        {
            EXPECT_EQ(servers[i]->received.size(), 1u) << "server " << i;
        }
        ASSERT_EQ(sniffer.udps.size(), 1u) << "target role " << static_cast<int>(target.role);
        EXPECT_EQ(sniffer.udps[0].dst, t.attacker.targetAddress);
        EXPECT_EQ(sniffer.traced, 1u);
        Simulator::Destroy();
    }
}

TEST_P(AttackerModeTest, ForgedResponseReachesTheHostThroughItsNat)
{
    Topology t = TopologyBuilder::Build(AttackerConfig(GetParam()));
    Ptr<AttackerTap> tap = t.attacker.tap;
    const Ipv4Address proxy2 = t.proxies[1].address;
    Peer server(t.proxies[1].node, false); // never answers: only the forgery can
    Peer alice(t.sites[0].hosts.Get(0), false);

    std::vector<Ipv4Header> spoofed;
    tap->TraceConnectWithoutContext(
        "Spoofed",
        Callback<void, Ptr<const Packet>, const Ipv4Header&, Time>(
            [&spoofed](Ptr<const Packet>, const Ipv4Header& h, Time) { spoofed.push_back(h); }));

    // Before Alice has sent anything her NAT has no mapping and drops it.
    Simulator::Schedule(Seconds(0.5), [&]() {
        EXPECT_TRUE(tap->SendSpoofedUdp(proxy2,
                                        kSipPort,
                                        t.sites[0].publicAddress,
                                        kSipPort,
                                        Bytes("SIP/2.0 200 OK (too early)")));
    });
    // The race: answer as Proxy-2 as soon as the request is seen, to the
    // NAT's external endpoint the request came from.
    Sniffer sniffer(tap);
    sniffer.onUdp = [&](const SeenUdp& seen) {
        if (seen.dst != proxy2)
        {
            return;
        }
        Simulator::ScheduleNow([&, seen]() {
            EXPECT_TRUE(tap->SendSpoofedUdp(seen.dst,
                                            seen.dstPort,
                                            seen.src,
                                            seen.srcPort,
                                            Bytes("SIP/2.0 302 Moved (forged)")));
        });
    };
    alice.SendAt(Seconds(1), proxy2, "INVITE sip:bob@example.com SIP/2.0");
    Simulator::Stop(Seconds(3));
    Simulator::Run();

    ASSERT_EQ(server.received.size(), 1u); // the real request still got there
    ASSERT_EQ(alice.received.size(), 1u);  // only the forgery after the mapping
    EXPECT_EQ(alice.received[0].from.GetIpv4(), proxy2);
    EXPECT_EQ(alice.received[0].from.GetPort(), kSipPort);
    EXPECT_EQ(alice.received[0].payload, "SIP/2.0 302 Moved (forged)");
    EXPECT_EQ(t.sites[0].natRouting->GetCounters().droppedNoMapping, 1u);

    EXPECT_EQ(tap->GetPacketsSpoofed(), 2u);
    ASSERT_EQ(spoofed.size(), 2u);
    for (const Ipv4Header& h : spoofed)
    {
        EXPECT_EQ(h.GetSource(), proxy2);
        EXPECT_EQ(h.GetDestination(), t.sites[0].publicAddress);
        EXPECT_EQ(h.GetProtocol(), UdpL4Protocol::PROT_NUMBER);
    }
    // Its own forgeries are not reported as seen.
    EXPECT_EQ(tap->GetPacketsSeen(), 1u);
    Simulator::Destroy();
}

TEST(AttackerOnPath, ForwardHookCanDropOrChangeForwardedPackets)
{
    Topology t = TopologyBuilder::Build(AttackerConfig(AttackerMode::kOnPath));
    Ptr<AttackerTap> tap = t.attacker.tap;
    std::vector<std::string> hooked;
    tap->SetForwardHook([&hooked](Ptr<Packet> payload, Ipv4Header& header) {
        UdpHeader udp;
        Ptr<Packet> copy = payload->Copy();
        if (header.GetProtocol() != UdpL4Protocol::PROT_NUMBER)
        {
            return true;
        }
        copy->RemoveHeader(udp);
        const std::string text = Text(copy);
        hooked.push_back(text);
        if (text == "drop me")
        {
            return false;
        }
        if (text == "change me")
        {
            UdpHeader changed; // a fresh header: the length follows the new payload
            changed.SetSourcePort(udp.GetSourcePort());
            changed.SetDestinationPort(udp.GetDestinationPort());
            Ptr<Packet> body = Bytes("changed by the attacker");
            body->AddHeader(changed);
            payload->RemoveAtEnd(payload->GetSize());
            payload->AddAtEnd(body);
        }
        return true;
    });
    Peer server(t.proxies[1].node, true);
    Peer otherServer(t.proxies[0].node, true);
    Peer alice(t.sites[0].hosts.Get(0), false);
    alice.SendAt(Seconds(1), t.proxies[1].address, "drop me");
    alice.SendAt(Seconds(1.1), t.proxies[1].address, "change me");
    alice.SendAt(Seconds(1.2), t.proxies[1].address, "keep me");
    alice.SendAt(Seconds(1.3), t.proxies[0].address, "drop me"); // not on its path
    Simulator::Stop(Seconds(3));
    Simulator::Run();

    ASSERT_EQ(server.received.size(), 2u);
    EXPECT_EQ(server.received[0].payload, "changed by the attacker");
    EXPECT_EQ(server.received[1].payload, "keep me");
    ASSERT_EQ(otherServer.received.size(), 1u);
    EXPECT_EQ(otherServer.received[0].payload, "drop me");
    // The hook saw three requests and two answers; every arrival was seen.
    EXPECT_EQ(hooked.size(), 5u);
    EXPECT_EQ(tap->GetPacketsDropped(), 1u);
    EXPECT_EQ(tap->GetPacketsSeen(), 5u);
    EXPECT_EQ(alice.received.size(), 3u); // two echoes through the attacker, one direct
    Simulator::Destroy();
}

// A crash of the target on a shared segment (FaultHelper::NodeDown) takes it
// off the segment: what is sent to it is lost, what it sends reaches neither
// the gateway nor the sniffing attacker; the gateway and the attacker keep
// talking. After NodeUp it answers again.
TEST(AttackerSharedSegment, ACrashedTargetLeavesTheSegmentUntilItIsUp)
{
    Topology t = TopologyBuilder::Build(AttackerConfig(AttackerMode::kSharedSegment));
    Sniffer sniffer(t.attacker.tap);
    Peer target(t.proxies[1].node, true);
    Peer rogue(t.attacker.node, true);
    Peer alice(t.sites[0].hosts.Get(0), false);
    Ptr<Node> server = t.proxies[1].node;
    Simulator::Schedule(Seconds(2), [server]() { FaultHelper::NodeDown(server); });
    Simulator::Schedule(Seconds(4), [server]() { FaultHelper::NodeUp(server); });

    alice.SendAt(Seconds(1), t.proxies[1].address, "before");
    alice.SendAt(Seconds(3), t.proxies[1].address, "during");
    alice.SendAt(Seconds(3.1), t.attacker.address, "to the rogue");
    target.SendAt(Seconds(3.2), t.attacker.address, "from the dead");
    alice.SendAt(Seconds(5), t.proxies[1].address, "after");
    Simulator::Stop(Seconds(6));
    Simulator::Run();

    std::vector<std::string> atTarget;
    for (const Received& r : target.received)
    {
        atTarget.push_back(r.payload);
    }
    EXPECT_EQ(atTarget, (std::vector<std::string>{"before", "after"}));
    std::vector<std::string> atAlice;
    for (const Received& r : alice.received)
    {
        atAlice.push_back(r.payload);
    }
    EXPECT_EQ(atAlice, (std::vector<std::string>{"before", "to the rogue", "after"}));
    ASSERT_EQ(rogue.received.size(), 1u);
    EXPECT_EQ(rogue.received[0].payload, "to the rogue");

    // The attacker saw "during" go by on its way to the target (the gateway
    // is up), but no answer, and nothing the target sent while down.
    std::vector<std::string> seen;
    for (const SeenUdp& u : sniffer.udps)
    {
        seen.push_back(u.payload);
    }
    EXPECT_EQ(
        seen,
        (std::vector<std::string>{"before", "before", "during", "to the rogue", "after", "after"}));
    Simulator::Destroy();
}
