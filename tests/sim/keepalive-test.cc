// Keepalive clients behind NATs and a probing server, on the scenario topology.
#include "sim/fault-helper.h"
#include "sim/keepalive-client.h"
#include "sim/keepalive-server.h"
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

struct KeepaliveRun
{
    KeepaliveRun(bool tcp, double keepaliveS, double natUdpTimeoutS, uint32_t hostsPerSite = 2)
    {
        TopologyConfig c;
        c.sites = 4 / hostsPerSite;
        c.hostsPerSite = hostsPerSite;
        c.edgeProxies = 0;
        c.natAttributes = {{"UdpTimeout", std::to_string(natUdpTimeoutS) + "s"}};
        topo = TopologyBuilder::Build(c);
        server = CreateObject<KeepaliveServer>();
        server->SetAttribute("ProbeInterval", TimeValue(Seconds(10)));
        topo.registrar.node->AddApplication(server);
        server->SetStartTime(Seconds(0));
        server->TraceConnectWithoutContext(
            "Probe",
            MakeCallback(+[](KeepaliveRun* r, uint32_t id, uint32_t round) {
                r->sent[id].insert(round);
            }).Bind(this));
        for (uint32_t h = 0; h < topo.allHosts.GetN(); ++h)
        {
            Ptr<KeepaliveClient> k = CreateObject<KeepaliveClient>();
            k->SetAttribute("Server", Ipv4AddressValue(topo.registrar.address));
            k->SetAttribute("Tcp", BooleanValue(tcp));
            k->SetAttribute("Interval", TimeValue(Seconds(keepaliveS)));
            k->SetAttribute("ClientId", UintegerValue(h));
            k->AssignStreams(10 + h);
            topo.allHosts.Get(h)->AddApplication(k);
            k->SetStartTime(Seconds(1));
            k->TraceConnectWithoutContext(
                "Probe",
                MakeCallback(+[](KeepaliveRun* r, uint32_t id, uint32_t round) {
                    r->received[id].insert(round);
                }).Bind(this));
            k->TraceConnectWithoutContext(
                "Connection",
                MakeCallback(+[](KeepaliveRun* r, uint32_t id, const std::string& what) {
                    r->connection[id].push_back({Simulator::Now(), what});
                }).Bind(this));
            clients.push_back(k);
        }
    }

    ~KeepaliveRun()
    {
        Simulator::Destroy();
    }

    void RunUntil(Time t)
    {
        Simulator::Stop(t);
        Simulator::Run();
    }

    Topology topo;
    Ptr<KeepaliveServer> server;
    std::vector<Ptr<KeepaliveClient>> clients;
    std::map<uint32_t, std::set<uint32_t>> sent;
    std::map<uint32_t, std::set<uint32_t>> received;
    std::map<uint32_t, std::vector<std::pair<Time, std::string>>> connection;
};

uint64_t
ExpiredMappings(const Topology& t)
{
    uint64_t n = 0;
    for (const Site& s : t.sites)
    {
        n += s.natRouting->GetCounters().mappingsExpired;
    }
    return n;
}

} // namespace

TEST(Keepalive, UdpKeepaliveBelowTheNatTimeoutKeepsEveryClientReachable)
{
    KeepaliveRun r(false, 20, 60);
    r.RunUntil(Seconds(300));
    ASSERT_EQ(r.sent.size(), 4u);
    for (auto& [id, rounds] : r.sent)
    {
        EXPECT_GT(rounds.size(), 25u);
        // Every probe except one still in flight at the end arrived.
        std::set<uint32_t> got = r.received[id];
        for (uint32_t round : rounds)
        {
            if (round < *rounds.rbegin())
            {
                EXPECT_TRUE(got.count(round)) << "client " << id << " round " << round;
            }
        }
    }
    EXPECT_EQ(ExpiredMappings(r.topo), 0u);
}

TEST(Keepalive, UdpKeepaliveAboveTheNatTimeoutLosesProbes)
{
    KeepaliveRun r(false, 90, 60);
    r.RunUntil(Seconds(400));
    uint64_t sent = 0;
    uint64_t got = 0;
    for (auto& [id, rounds] : r.sent)
    {
        sent += rounds.size();
        got += r.received[id].size();
    }
    // A mapping lives 60 s after each keepalive; keepalives come every 90 s:
    // about a third of the time the client cannot be reached.
    EXPECT_GT(ExpiredMappings(r.topo), 4u);
    EXPECT_LT(double(got) / sent, 0.8);
    EXPECT_GT(double(got) / sent, 0.5);
}

namespace
{

Time
FirstErrorAfter(KeepaliveRun& r, uint32_t id, Time after)
{
    Time detected = Time::Max();
    for (auto& [at, what] : r.connection[id])
    {
        if (what == "error" && at > after)
        {
            detected = std::min(detected, at);
        }
    }
    return detected;
}

void
RebootNatsAt(KeepaliveRun& r, Time at)
{
    Simulator::Schedule(at, [&r]() {
        for (Site& s : r.topo.sites)
        {
            s.natRouting->Reboot();
        }
    });
}

} // namespace

TEST(Keepalive, TcpClientDetectsAStrictNatRebootWhenItsKeepaliveGoesUnanswered)
{
    KeepaliveRun r(true, 20, 60); // strict TCP tracking (the default)
    RebootNatsAt(r, Seconds(100));
    r.RunUntil(Seconds(400));
    for (uint32_t id = 0; id < 4; ++id)
    {
        // The next keepalive (within 20 s) is dropped by the NAT, which has no
        // state for it; ns-3 TCP gives up after 6 retransmissions with
        // exponential backoff from a 1 s RTO (1 + 2 + ... + 64 s).
        Time detected = FirstErrorAfter(r, id, Seconds(100));
        EXPECT_GT(detected, Seconds(100 + 60)) << "client " << id;
        EXPECT_LT(detected, Seconds(100 + 20 + 130)) << "client " << id;
    }
}

TEST(Keepalive, TcpConnectionSurvivesALooseNatRebootUnnoticed)
{
    // One host per NAT: with two, both may have used the same inside port,
    // and after the reboot only one of them can keep it.
    KeepaliveRun r(true, 20, 60, 1);
    for (Site& s : r.topo.sites)
    {
        s.natRouting->SetAttribute("TcpRequireSyn", BooleanValue(false));
    }
    RebootNatsAt(r, Seconds(100));
    r.RunUntil(Seconds(200));
    for (uint32_t id = 0; id < 4; ++id)
    {
        // The next keepalive re-creates the mapping with the same external
        // port (port preservation): the server never sees a new endpoint.
        EXPECT_EQ(FirstErrorAfter(r, id, Seconds(0)), Time::Max()) << "client " << id;
        EXPECT_GT(*r.received[id].rbegin(), 15u) << "client " << id; // probes keep arriving
    }
}

TEST(Keepalive, ServerCrashLosesItsStateAndTheRestartStartsFresh)
{
    for (bool tcp : {false, true})
    {
        KeepaliveRun r(tcp, 20, 60);
        uint32_t knownBeforeCrash = 0;
        uint32_t knownAfterRestart = 99;
        Simulator::Schedule(Seconds(50), [&]() {
            knownBeforeCrash = r.server->GetClientCount();
            FaultHelper::NodeDown(r.topo.registrar.node);
            r.server->Crash();
        });
        Simulator::Schedule(Seconds(80), [&]() {
            FaultHelper::NodeUp(r.topo.registrar.node);
            r.server->Restart();
            knownAfterRestart = r.server->GetClientCount();
        });
        uint32_t knownAt110 = 0;
        Simulator::Schedule(Seconds(110), [&]() { knownAt110 = r.server->GetClientCount(); });
        r.RunUntil(Seconds(300));
        const char* t = tcp ? "tcp" : "udp";
        EXPECT_EQ(knownBeforeCrash, 4u) << t;
        EXPECT_EQ(knownAfterRestart, 0u) << t;
        if (!tcp)
        {
            // UDP clients are known again after their next keepalive.
            EXPECT_EQ(knownAt110, 4u) << t;
        }
        else
        {
            // Nothing left the crashed node; after the restart each client
            // learns that its connection is gone (see KeepaliveServer::CloseAll),
            // then reconnects.
            for (uint32_t id = 0; id < 4; ++id)
            {
                Time end = Time::Max();
                for (auto& [at, what] : r.connection[id])
                {
                    if ((what == "closed" || what == "error") && at > Seconds(50))
                    {
                        end = std::min(end, at);
                    }
                }
                EXPECT_GE(end, Seconds(80)) << id;
                EXPECT_LT(end, Seconds(300)) << id;
            }
        }
        EXPECT_EQ(r.server->GetClientCount(), 4u) << t;
    }
}
