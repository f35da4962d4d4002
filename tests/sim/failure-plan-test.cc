// The failure plan: each failure happens at its time, does what issue 3
// says (a crash is silent and loses state, a restart starts fresh, a power
// cut boots hosts over a spread, a NAT reboot can move to a new address),
// and leaves its failure and recovery rows in events.csv.
#include "sim/failure-plan.h"
#include "sim/keepalive-client.h"
#include "sim/keepalive-server.h"
#include "sim/topology-builder.h"

#include "ns3/boolean.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"

#include <gtest/gtest.h>

#include <sstream>

using namespace ns3;
using namespace sipbed;

namespace
{

/// Sites of `hosts` hosts, a keepalive server on the registrar, one UDP
/// keepalive client (K = 20 s) per host, a failure plan writing to `csv`.
struct PlanRun
{
    PlanRun(uint32_t sites, uint32_t hosts)
        : events(csv),
          plan(events)
    {
        TopologyConfig tc;
        tc.sites = sites;
        tc.hostsPerSite = hosts;
        tc.edgeProxies = 0;
        topo = TopologyBuilder::Build(tc);
        plan.AssignStreams(7);
        server = CreateObject<KeepaliveServer>();
        server->SetAttribute("ProbeInterval", TimeValue(Seconds(5)));
        topo.registrar.node->AddApplication(server);
        for (uint32_t h = 0; h < topo.allHosts.GetN(); ++h)
        {
            Ptr<KeepaliveClient> k = CreateObject<KeepaliveClient>();
            k->SetAttribute("Server", Ipv4AddressValue(topo.registrar.address));
            k->SetAttribute("Interval", TimeValue(Seconds(20)));
            k->SetAttribute("ClientId", UintegerValue(h));
            k->AssignStreams(20 + h);
            topo.allHosts.Get(h)->AddApplication(k);
            k->SetStartTime(Seconds(1));
            k->TraceConnectWithoutContext(
                "Probe",
                MakeCallback(+[](PlanRun* r, uint32_t, uint32_t) {
                    r->probesAt.push_back(Simulator::Now());
                }).Bind(this));
            clients.push_back(k);
        }
    }

    ~PlanRun()
    {
        Simulator::Destroy();
    }

    void RunUntil(Time t)
    {
        Simulator::Stop(t);
        Simulator::Run();
        events.Finish();
    }

    /// Probes that arrived at a client in [from, to).
    size_t ProbesBetween(Time from, Time to) const
    {
        size_t n = 0;
        for (Time t : probesAt)
        {
            n += t >= from && t < to;
        }
        return n;
    }

    std::ostringstream csv;
    EventTable events;
    FailurePlan plan;
    Topology topo;
    Ptr<KeepaliveServer> server;
    std::vector<Ptr<KeepaliveClient>> clients;
    std::vector<Time> probesAt;
};

} // namespace

TEST(FailurePlan, LinkDownWindowIsOneRowWhenItStartsAndOneWhenItEnds)
{
    PlanRun r(1, 1);
    r.plan.LinkDown("nat-0", r.topo.sites[0].accessLink.Get(0), Seconds(30), Seconds(15), "access");
    r.RunUntil(Seconds(100));
    EXPECT_EQ(r.csv.str(),
              "t_s,node,kind,detail\n"
              "30,nat-0,link_down,access\n"
              "45,nat-0,link_up,\n");
    // probes sent while the access link is down are lost, the others arrive
    EXPECT_EQ(r.ProbesBetween(Seconds(30.1), Seconds(45)), 0u);
    EXPECT_GT(r.ProbesBetween(Seconds(46), Seconds(100)), 0u);
}

TEST(FailurePlan, LossWindowNamesItsModelAndEnds)
{
    PlanRun r(1, 1);
    FailurePlan::Loss loss;
    loss.rate = 1.0;
    r.plan.LinkLoss("nat-0", r.topo.sites[0].accessLink.Get(0), Seconds(30), Seconds(60), loss);
    r.RunUntil(Seconds(100));
    EXPECT_EQ(r.csv.str(),
              "t_s,node,kind,detail\n"
              "30,nat-0,loss_start,bernoulli rate=1\n"
              "60,nat-0,loss_end,\n");
    EXPECT_EQ(r.ProbesBetween(Seconds(30.1), Seconds(60)), 0u);
    EXPECT_GT(r.ProbesBetween(Seconds(61), Seconds(100)), 0u);
}

TEST(FailurePlan, CrashIsSilentAndLosesStateAndTheRestartStartsFresh)
{
    PlanRun r(1, 2);
    r.plan.NodeCrash("server", r.topo.registrar.node, Seconds(50), Seconds(30));
    bool crashedAt60 = false;
    uint32_t knownAtRestart = 99;
    Simulator::Schedule(Seconds(60), [&]() { crashedAt60 = r.server->IsCrashed(); });
    Simulator::Schedule(Seconds(80.001),
                        [&]() { knownAtRestart = r.server->GetClientCount(); });
    r.RunUntil(Seconds(150));
    EXPECT_TRUE(crashedAt60);
    EXPECT_FALSE(r.server->IsCrashed());
    EXPECT_EQ(knownAtRestart, 0u); // no memory of the clients
    // nothing leaves the crashed server
    EXPECT_EQ(r.ProbesBetween(Seconds(50.1), Seconds(80)), 0u);
    // UDP clients are known again after their next keepalive
    EXPECT_EQ(r.server->GetClientCount(), 2u);
    EXPECT_GT(r.ProbesBetween(Seconds(101), Seconds(150)), 0u);
    EXPECT_EQ(r.csv.str(),
              "t_s,node,kind,detail\n"
              "50,server,node_crash,silent\n"
              "80,server,node_restart,\n");
}

TEST(FailurePlan, PowerCutBootsEveryHostWithinTheSpreadWithFreshApplications)
{
    PlanRun r(1, 4);
    std::vector<std::string> names = {"h0", "h1", "h2", "h3"};
    r.plan.PowerCut("site-0", r.topo.sites[0].hosts, names, Seconds(50), Seconds(10), Seconds(20));
    std::vector<bool> crashedAt55;
    uint64_t mappingsBefore = 0;
    Simulator::Schedule(Seconds(55), [&]() {
        for (auto& c : r.clients)
        {
            crashedAt55.push_back(c->IsCrashed());
        }
        mappingsBefore = r.topo.sites[0].natRouting->GetCounters().mappingsCreated;
    });
    r.RunUntil(Seconds(120));
    EXPECT_EQ(crashedAt55, std::vector<bool>(4, true));
    // one row for the cut, one per host boot, at 50 + 10 + U(0, 20)
    std::istringstream in(r.csv.str());
    std::string line;
    std::getline(in, line);
    std::getline(in, line);
    EXPECT_EQ(line, "50,site-0,power_cut,4 hosts");
    int boots = 0;
    while (std::getline(in, line))
    {
        const double t = std::stod(line.substr(0, line.find(',')));
        EXPECT_GE(t, 60.0) << line;
        EXPECT_LE(t, 80.0) << line;
        EXPECT_NE(line.find(",host_boot,"), std::string::npos) << line;
        ++boots;
    }
    EXPECT_EQ(boots, 4);
    // A booted client opens a new socket: a new local port, a new mapping.
    EXPECT_EQ(r.topo.sites[0].natRouting->GetCounters().mappingsCreated, mappingsBefore + 4);
    EXPECT_GT(r.ProbesBetween(Seconds(105), Seconds(120)), 0u);
}

TEST(FailurePlan, NatRebootToANewAddressDropsAndCountsWhatStillComesToTheOldOne)
{
    PlanRun r(1, 1);
    const Site& site = r.topo.sites[0];
    const Ipv4Address old = site.publicAddress;
    const Ipv4Address fresh = site.sparePublicAddresses.at(0);
    r.plan.NatReboot("nat-0", site.natRouting, Seconds(50), fresh);
    r.RunUntil(Seconds(120));
    std::ostringstream detail;
    fresh.Print(detail);
    EXPECT_EQ(r.csv.str(), "t_s,node,kind,detail\n50,nat-0,nat_reboot," + detail.str() + "\n");
    EXPECT_EQ(site.natRouting->GetPublicAddress(), fresh);
    EXPECT_NE(old, fresh);
    // The server probes the old address until the next keepalive arrives
    // from the new one: those probes are dropped and counted, not answered.
    EXPECT_GT(site.natRouting->GetCounters().droppedNoMapping, 0u);
    EXPECT_GT(r.ProbesBetween(Seconds(75), Seconds(120)), 0u);
}

TEST(FailurePlan, AFailureInThePastIsRejected)
{
    PlanRun r(1, 1);
    Simulator::Schedule(Seconds(10), [&]() {
        EXPECT_THROW(r.plan.NodeCrash("server", r.topo.registrar.node, Seconds(5)),
                     std::invalid_argument);
    });
    r.RunUntil(Seconds(11));
}
