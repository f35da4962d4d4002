// How many packets per second the NAT translates.
//
// - NatTable alone (the sans-IO translation logic): outbound packets that
//   refresh one of 10,000 mappings, inbound packets through them, and new
//   mappings being created.
// - End to end in ns-3: one site of 50 host nodes with 40 UDP sockets each
//   (2,000 mappings) echoing 1 packet/s with a server through the NAT node,
//   against the same topology where the middle node is a plain router: the
//   difference is what the translation costs inside the simulator.
#include "models/net/nat-table.h"
#include "sim/nat-helper.h"

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <benchmark/benchmark.h>

using namespace sipbed;

namespace
{

class CountingRandom : public NatRandom
{
  public:
    uint32_t Uniform(uint32_t lo, uint32_t hi) override
    {
        m_x = m_x * 6364136223846793005ULL + 1442695040888963407ULL;
        return lo + static_cast<uint32_t>((m_x >> 33) % (hi - lo + 1));
    }

  private:
    uint64_t m_x = 1;
};

constexpr uint32_t kHosts = 10000;
const Endpoint kServer{0xC6120002, 5060}; // 198.18.0.2
const uint32_t kPublic = 0x64400002;      // 100.64.0.2

Endpoint
Host(uint32_t i)
{
    return Endpoint{0x0A000000 + i, 5060};
}

void
BM_NatTableOutboundRefresh(benchmark::State& state)
{
    CountingRandom rnd;
    NatTable nat(NatConfig(), kPublic, rnd);
    for (uint32_t i = 0; i < kHosts; ++i)
    {
        nat.Outbound(IpProto::kUdp, Host(i), kServer, TcpFlags(), 0);
    }
    uint32_t i = 0;
    TimeNs now = 0;
    for (auto _ : state)
    {
        now += 1000;
        benchmark::DoNotOptimize(nat.Outbound(IpProto::kUdp, Host(i), kServer, TcpFlags(), now));
        i = (i + 1) % kHosts;
    }
    state.SetItemsProcessed(state.iterations());
}

void
BM_NatTableInbound(benchmark::State& state)
{
    CountingRandom rnd;
    NatTable nat(NatConfig(), kPublic, rnd);
    std::vector<Endpoint> external;
    for (uint32_t i = 0; i < kHosts; ++i)
    {
        external.push_back(nat.Outbound(IpProto::kUdp, Host(i), kServer, TcpFlags(), 0).src);
    }
    uint32_t i = 0;
    for (auto _ : state)
    {
        benchmark::DoNotOptimize(
            nat.Inbound(IpProto::kUdp, kServer, external[i], TcpFlags(), 1000));
        i = (i + 1) % kHosts;
    }
    state.SetItemsProcessed(state.iterations());
}

void
BM_NatTableNewMappings(benchmark::State& state)
{
    for (auto _ : state)
    {
        CountingRandom rnd;
        NatTable nat(NatConfig(), kPublic, rnd);
        for (uint32_t i = 0; i < kHosts; ++i)
        {
            benchmark::DoNotOptimize(nat.Outbound(IpProto::kUdp, Host(i), kServer, TcpFlags(), 0));
        }
    }
    state.SetItemsProcessed(state.iterations() * kHosts);
}

// ---- end to end in ns-3 ----

using namespace ns3;

struct Echo
{
    uint64_t packets = 0;
};

/// Runs `seconds` of simulated time; returns packets that crossed the middle node.
uint64_t
RunThrough(bool nat, uint32_t hosts, uint32_t socketsPerHost, double seconds)
{
    NodeContainer inside;
    inside.Create(hosts);
    Ptr<Node> middle = CreateObject<Node>();
    Ptr<Node> server = CreateObject<Node>();
    InternetStackHelper stack;
    Ipv4StaticRoutingHelper staticRouting;
    stack.SetRoutingHelper(staticRouting);
    stack.Install(inside);
    stack.Install(middle);
    stack.Install(server);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("1Gbps"));
    p2p.SetChannelAttribute("Delay", StringValue("1ms"));
    Ipv4AddressHelper addr;
    for (uint32_t h = 0; h < hosts; ++h)
    {
        NetDeviceContainer d = p2p.Install(inside.Get(h), middle);
        std::string base = "10." + std::to_string(h / 64) + "." + std::to_string((h % 64) * 4) + ".0";
        addr.SetBase(base.c_str(), "255.255.255.252");
        Ipv4InterfaceContainer ifs = addr.Assign(d);
        staticRouting.GetStaticRouting(inside.Get(h)->GetObject<Ipv4>())
            ->SetDefaultRoute(ifs.GetAddress(1), 1);
    }
    NetDeviceContainer up = p2p.Install(middle, server);
    addr.SetBase("100.64.0.0", "255.255.255.0");
    Ipv4InterfaceContainer upIfs = addr.Assign(up);
    Ipv4Address serverAddr = upIfs.GetAddress(1);
    uint32_t outside = static_cast<uint32_t>(middle->GetObject<Ipv4>()->GetInterfaceForDevice(up.Get(0)));
    if (nat)
    {
        NatHelper().Install(middle, outside, serverAddr);
    }
    else
    {
        // Plain router: the server needs a route back to the inside.
        staticRouting.GetStaticRouting(server->GetObject<Ipv4>())
            ->SetDefaultRoute(upIfs.GetAddress(0), 1);
    }

    Echo echo;
    Ptr<Socket> srv = Socket::CreateSocket(server, UdpSocketFactory::GetTypeId());
    srv->Bind(InetSocketAddress(Ipv4Address::GetAny(), 5060));
    srv->SetRecvCallback([&echo](Ptr<Socket> s) {
        Address from;
        while (Ptr<Packet> p = s->RecvFrom(from))
        {
            ++echo.packets;
            s->SendTo(p, 0, from);
        }
    });
    std::vector<Ptr<Socket>> clients;
    for (uint32_t h = 0; h < hosts; ++h)
    {
        for (uint32_t k = 0; k < socketsPerHost; ++k)
        {
            Ptr<Socket> c = Socket::CreateSocket(inside.Get(h), UdpSocketFactory::GetTypeId());
            c->Bind();
            c->SetRecvCallback([&echo](Ptr<Socket> s) {
                while (s->Recv())
                {
                    ++echo.packets;
                }
            });
            clients.push_back(c);
            double offset = double(h * socketsPerHost + k) / (hosts * socketsPerHost);
            for (double t = offset; t < seconds; t += 1.0)
            {
                Simulator::Schedule(Seconds(t), [c, serverAddr]() {
                    c->SendTo(Create<Packet>(100), 0, InetSocketAddress(serverAddr, 5060));
                });
            }
        }
    }
    Simulator::Stop(Seconds(seconds + 1));
    Simulator::Run();
    Simulator::Destroy();
    return echo.packets;
}

void
BM_Ns3ThroughMiddleNode(benchmark::State& state)
{
    const bool nat = state.range(0) != 0;
    uint64_t packets = 0;
    for (auto _ : state)
    {
        packets += RunThrough(nat, 50, 40, 30);
    }
    state.SetLabel(nat ? "NAT node" : "plain router");
    state.counters["packets_per_s"] =
        benchmark::Counter(static_cast<double>(packets), benchmark::Counter::kIsRate);
}

} // namespace

BENCHMARK(BM_NatTableOutboundRefresh);
BENCHMARK(BM_NatTableInbound);
BENCHMARK(BM_NatTableNewMappings)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Ns3ThroughMiddleNode)->Arg(0)->Arg(1)->Iterations(3)->Unit(benchmark::kSecond);

BENCHMARK_MAIN();
