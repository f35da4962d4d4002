// Scenario nat-keepalive: clients behind NATs keep their mappings alive with
// UDP datagrams or one TCP connection every K seconds; a server probes every
// client it knows; at a given time the NATs reboot or their access links go
// down. Measures reachability from the server, mapping expiry, and (TCP)
// how long the client takes to notice that its connection is dead.
// docs/nat-keepalive.md explains the metrics.
#include "scenarios/run-context.h"
#include "scenarios/scenario.h"
#include "sim/failure-plan.h"
#include "sim/fault-helper.h"
#include "sim/keepalive-client.h"
#include "sim/keepalive-server.h"
#include "sim/topology-builder.h"

#include "ns3/boolean.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <map>
#include <memory>

namespace sipbed
{
namespace
{

using namespace ns3;

class NatKeepaliveScenario : public Scenario
{
  public:
    void Setup(RunContext& context) override
    {
        const ParameterValues& p = context.GetParameters();
        m_context = &context;
        m_clients = static_cast<uint32_t>(p.GetInt("clients"));
        const uint32_t perNat = static_cast<uint32_t>(p.GetInt("clients_per_nat"));
        m_tcp = p.GetString("transport") == "tcp";
        m_keepalive = p.GetTime("keepalive_interval");
        m_probeInterval = p.GetTime("probe_interval");
        m_failure = p.GetString("failure");
        m_failureTime = p.GetTime("failure_time");
        // nat-reboot is instantaneous; the others last failure_duration (for
        // a power cut: until the earliest boot).
        const bool instantaneous = m_failure == "nat-reboot" || m_failure == "nat-reboot-new-address";
        m_failureEnd = instantaneous ? m_failureTime : m_failureTime + p.GetTime("failure_duration");
        const Time duration = p.GetTime("duration");
        if (m_failure != "none" && m_failureTime >= duration)
        {
            throw ParameterError("failure_time",
                                 "parameter 'failure_time': must be before the end of the run "
                                 "(duration " +
                                     std::to_string(duration.GetSeconds()) + " s)");
        }
        context.SetStopTime(duration);

        // Topology: one host node per client, perNat of them behind each NAT.
        TopologyConfig tc;
        tc.sites = (m_clients + perNat - 1) / perNat;
        tc.hostsPerSite = perNat;
        tc.edgeProxies = 0;
        tc.natAttributes = {
            {"UdpTimeout", std::to_string(p.GetDouble("nat_udp_timeout")) + "s"},
            {"MappingBehavior", p.GetString("nat_mapping")},
            {"FilteringBehavior", p.GetString("nat_filtering")},
            {"TcpRequireSyn", p.GetString("nat_tcp_tracking") == "strict" ? "true" : "false"},
        };
        if (std::string err = TopologyBuilder::Validate(tc); !err.empty())
        {
            throw ParameterError("clients", "parameter 'clients': " + err);
        }
        m_topo = TopologyBuilder::Build(tc);
        context.Log("topology: " + std::to_string(tc.sites) + " NATs, " +
                    std::to_string(m_clients) + " clients");

        StreamAllocator& streams = context.GetStreams();
        streams.Assign("links",
                       [&](int64_t s) { return FaultHelper::AssignStreams(m_topo.allNodes, s); });

        EventTable& events = context.GetEvents();
        events.DeclareColumn("client", EventTable::ColumnType::INTEGER);
        events.DeclareColumn("detail", EventTable::ColumnType::TEXT);
        events.DeclareColumn("delay_s", EventTable::ColumnType::REAL);
        m_plan = std::make_unique<FailurePlan>(events);
        streams.Assign("failures", [&](int64_t s) { return m_plan->AssignStreams(s); });
        // A restarted server numbers its probe rounds from 1 again.
        m_plan->SetListener([this](const std::string& node, const std::string& kind) {
            if (node == "server" && kind == "node_crash")
            {
                m_serverDown = true;
            }
            if (node == "server" && kind == "node_restart")
            {
                m_serverDown = false;
                m_roundOffset = static_cast<uint32_t>(m_rounds.size());
            }
        });

        // Server on the registrar's node.
        m_server = CreateObject<KeepaliveServer>();
        m_server->SetAttribute("ProbeInterval", TimeValue(m_probeInterval));
        m_topo.registrar.node->AddApplication(m_server);
        m_server->SetStartTime(Seconds(0));
        m_server->TraceConnectWithoutContext(
            "Probe", MakeCallback(&NatKeepaliveScenario::OnProbeSent, this));

        // Clients, and which client each inside address belongs to.
        m_state.resize(m_clients);
        uint32_t id = 0;
        for (uint32_t s = 0; s < m_topo.sites.size(); ++s)
        {
            Site& site = m_topo.sites[s];
            streams.Assign("nat-" + std::to_string(s),
                           [&](int64_t st) { return site.natRouting->AssignStreams(st); });
            site.natRouting->TraceConnectWithoutContext(
                "MappingExpired", MakeCallback(&NatKeepaliveScenario::OnMappingExpired, this));
            for (uint32_t h = 0; h < site.hosts.GetN() && id < m_clients; ++h, ++id)
            {
                Ptr<KeepaliveClient> k = CreateObject<KeepaliveClient>();
                k->SetAttribute("Server", Ipv4AddressValue(m_topo.registrar.address));
                k->SetAttribute("Tcp", BooleanValue(m_tcp));
                k->SetAttribute("Interval", TimeValue(m_keepalive));
                k->SetAttribute("ReconnectDelay", TimeValue(p.GetTime("reconnect_delay")));
                k->SetAttribute("ClientId", UintegerValue(id));
                streams.Assign("client-" + std::to_string(id),
                               [&](int64_t st) { return k->AssignStreams(st); });
                site.hosts.Get(h)->AddApplication(k);
                k->SetStartTime(Seconds(1));
                k->TraceConnectWithoutContext(
                    "Probe", MakeCallback(&NatKeepaliveScenario::OnProbeReceived, this));
                k->TraceConnectWithoutContext(
                    "Connection", MakeCallback(&NatKeepaliveScenario::OnConnection, this));
                m_byAddress[site.hostAddresses[h].Get()] = id;
            }
            context.EnablePcap("access-" + std::to_string(s), site.accessLink);
        }
        context.EnablePcap("server", m_topo.registrar.link);

        ScheduleFailure(p);

        TimeseriesSampler& ts = context.GetTimeseries();
        ts.SetInterval(m_probeInterval);
        ts.AddProbe("reachable_fraction", [this]() { return LatestRoundFraction(); });
        ts.AddProbe("clients_known_fraction",
                    [this]() { return double(m_server->GetClientCount()) / m_clients; });
        ts.AddProbe("nat_mappings", [this]() {
            double n = 0;
            for (const Site& s : m_topo.sites)
            {
                n += s.natRouting->GetMappingCount();
            }
            return n;
        });
    }

    void Finish(RunContext& context) override
    {
        SummaryValues& sum = context.GetSummary();
        sum.Set("clients_count", static_cast<int64_t>(m_clients));
        uint32_t expired = 0;
        uint32_t recovered = 0;
        Distribution recovery;
        Distribution detection;
        for (const ClientState& c : m_state)
        {
            expired += c.mappingExpired;
            if (c.recoveredAt)
            {
                ++recovered;
                recovery.Add((*c.recoveredAt - m_failureEnd).GetSeconds());
            }
            if (c.detectedAt)
            {
                detection.Add((*c.detectedAt - m_failureTime).GetSeconds());
            }
        }
        sum.Set("mapping_expired_fraction", double(expired) / m_clients);
        const Time end = Simulator::Now();
        sum.Set("probe_success_before",
                Ratio(Seconds(0), m_failure == "none" ? end : m_failureTime));
        if (m_failure != "none")
        {
            sum.Set("probe_success_during", Ratio(m_failureTime, m_failureEnd + m_keepalive));
            sum.Set("probe_success_after", Ratio(m_failureEnd + m_keepalive, end));
            sum.Set("recovered_fraction", double(recovered) / m_clients);
            sum.Set("recovery_time_s", recovery);
            if (m_tcp)
            {
                sum.Set("tcp_detection_delay_s", detection);
            }
        }
        uint64_t drops = 0;
        for (const Site& s : m_topo.sites)
        {
            drops += s.natRouting->GetCounters().droppedNoMapping +
                     s.natRouting->GetCounters().droppedFiltered;
        }
        sum.Set("nat_inbound_drops_count", static_cast<int64_t>(drops));
    }

  private:
    struct ClientState
    {
        bool mappingExpired = false;
        std::optional<Time> recoveredAt;
        std::optional<Time> detectedAt;
    };

    struct Round
    {
        Time sentAt;
        uint32_t delivered = 0;
    };

    /// Every failure goes through the FailurePlan: it applies it and writes
    /// the failure and recovery rows of events.csv.
    void ScheduleFailure(const ParameterValues& p)
    {
        if (m_failure == "none")
        {
            return;
        }
        const Time length = m_failureEnd - m_failureTime;
        if (m_failure == "server-crash")
        {
            m_plan->NodeCrash("server", m_topo.registrar.node, m_failureTime, length);
            return;
        }
        uint32_t sites = static_cast<uint32_t>(p.GetInt("failure_sites"));
        if (sites == 0 || sites > m_topo.sites.size())
        {
            sites = static_cast<uint32_t>(m_topo.sites.size());
        }
        for (uint32_t s = 0; s < sites; ++s)
        {
            Site& site = m_topo.sites[s];
            const std::string nat = "nat-" + std::to_string(s);
            if (m_failure == "nat-reboot")
            {
                m_plan->NatReboot(nat, site.natRouting, m_failureTime);
            }
            else if (m_failure == "nat-reboot-new-address")
            {
                m_plan->NatReboot(nat, site.natRouting, m_failureTime, site.sparePublicAddresses.at(0));
            }
            else if (m_failure == "link-down")
            {
                m_plan->LinkDown(nat, site.accessLink.Get(0), m_failureTime, length, "access");
            }
            else if (m_failure == "loss")
            {
                FailurePlan::Loss loss;
                loss.rate = p.GetDouble("loss_rate");
                m_plan->LinkLoss(nat, site.accessLink.Get(0), m_failureTime, m_failureEnd, loss);
            }
            else // power-cut
            {
                std::vector<std::string> names;
                for (uint32_t h = 0; h < site.hosts.GetN(); ++h)
                {
                    names.push_back("host-" + std::to_string(s) + "-" + std::to_string(h));
                }
                m_plan->PowerCut("site-" + std::to_string(s),
                                 site.hosts,
                                 names,
                                 m_failureTime,
                                 length,
                                 p.GetTime("boot_spread"));
            }
        }
    }

    void OnProbeSent(uint32_t, uint32_t serverRound)
    {
        const uint32_t round = m_roundOffset + serverRound;
        if (m_rounds.size() < round)
        {
            m_rounds.resize(round);
            m_rounds[round - 1].sentAt = Simulator::Now();
        }
    }

    void OnProbeReceived(uint32_t client, uint32_t serverRound)
    {
        const uint32_t round = m_roundOffset + serverRound;
        if (round >= 1 && round <= m_rounds.size())
        {
            ++m_rounds[round - 1].delivered;
        }
        ClientState& c = m_state[client];
        if (m_failure != "none" && !c.recoveredAt && Simulator::Now() >= m_failureEnd &&
            round <= m_rounds.size() && m_rounds[round - 1].sentAt >= m_failureEnd)
        {
            c.recoveredAt = Simulator::Now();
            m_context->GetEvents().Record(
                "client-" + std::to_string(client),
                "recovered",
                {{"client", client}, {"delay_s", (Simulator::Now() - m_failureEnd).GetSeconds()}});
        }
    }

    void OnConnection(uint32_t client, const std::string& what)
    {
        m_context->GetEvents().Record(
            "client-" + std::to_string(client),
            "tcp_" + (what == "connect-failed" ? std::string("connect_failed") : what),
            {{"client", client}});
        ClientState& c = m_state[client];
        if ((what == "error" || what == "closed") && m_failure != "none" &&
            Simulator::Now() >= m_failureTime && !c.detectedAt)
        {
            c.detectedAt = Simulator::Now();
        }
    }

    void OnMappingExpired(uint8_t, const std::string& internal, const std::string&)
    {
        // internal is "a.b.c.d:port"
        Ipv4Address addr(internal.substr(0, internal.find(':')).c_str());
        auto it = m_byAddress.find(addr.Get());
        if (it == m_byAddress.end())
        {
            return;
        }
        // The headline counts expiries while clients keep their mappings
        // alive (keepalive_interval against nat_udp_timeout): before the
        // failure. Mappings abandoned after it (a rebooted client's old
        // port) expire by design; they are still rows in events.csv.
        if (m_failure == "none" || Simulator::Now() < m_failureTime)
        {
            m_state[it->second].mappingExpired = true;
        }
        m_context->GetEvents().Record("client-" + std::to_string(it->second),
                                      "mapping_expired",
                                      {{"client", it->second}, {"detail", internal}});
    }

    /// Delivered probes / clients, over the rounds sent in [from, to).
    double Ratio(Time from, Time to) const
    {
        uint64_t delivered = 0;
        uint64_t rounds = 0;
        for (const Round& r : m_rounds)
        {
            // Leave out the warm-up: a client first registers within one
            // keepalive interval of its start (1 s).
            if (r.sentAt >= from && r.sentAt < to && r.sentAt >= Seconds(1) + m_keepalive)
            {
                delivered += r.delivered;
                ++rounds;
            }
        }
        if (m_failure == "server-crash")
        {
            // A crashed server sends no rounds; each round it would have sent
            // counts as reaching nobody.
            const Time overlap = Min(to, m_failureEnd) - Max(from, m_failureTime);
            if (overlap.IsStrictlyPositive())
            {
                rounds += static_cast<uint64_t>(overlap.GetDouble() / m_probeInterval.GetDouble());
            }
        }
        return rounds == 0 ? 0.0 : double(delivered) / (double(rounds) * m_clients);
    }

    /// Share of clients reached by the latest round sent at least half a probe interval ago.
    double LatestRoundFraction() const
    {
        if (m_serverDown)
        {
            return 0.0;
        }
        for (auto it = m_rounds.rbegin(); it != m_rounds.rend(); ++it)
        {
            if (it->sentAt <= Simulator::Now() - m_probeInterval / 2)
            {
                return double(it->delivered) / m_clients;
            }
        }
        return 0.0;
    }

    RunContext* m_context = nullptr;
    std::unique_ptr<FailurePlan> m_plan;
    Topology m_topo;
    Ptr<KeepaliveServer> m_server;
    uint32_t m_clients = 0;
    bool m_tcp = false;
    Time m_keepalive;
    Time m_probeInterval;
    std::string m_failure;
    Time m_failureTime;
    Time m_failureEnd;
    std::vector<ClientState> m_state;
    std::vector<Round> m_rounds;
    uint32_t m_roundOffset = 0; ///< rounds sent before the server's restart
    bool m_serverDown = false;
    std::map<uint32_t, uint32_t> m_byAddress;
};

} // namespace

ScenarioInfo
NatKeepaliveScenarioInfo()
{
    ScenarioInfo info("nat-keepalive",
                      "UDP/TCP clients behind NATs keep mappings alive; a NAT reboot or link "
                      "failure hits them");
    info.SetDescription(
        "Each client (one host node) sends a keepalive every keepalive_interval to a server, "
        "over UDP or one TCP connection. The server probes every client it knows every "
        "probe_interval, through the NATs. At failure_time the NATs reboot (all mappings "
        "lost) or their access links go down for failure_duration. With keepalive_interval "
        "below nat_udp_timeout every UDP client stays reachable before the failure; above "
        "it, mappings expire between keepalives. See docs/nat-keepalive.md.");
    ParameterSet& p = info.GetParameters();
    p.AddInt("clients", 20, "number of clients (one host node each)")
        .Range(1, 20000)
        .Unit("clients");
    p.AddInt("clients_per_nat", 2, "clients behind each NAT").Range(1, 64).Unit("clients");
    p.AddEnum("transport", "udp", {"udp", "tcp"}, "keepalive transport");
    p.AddDuration("keepalive_interval", 20, "time between a client's keepalives").Range(0.1, 86400);
    p.AddDuration("probe_interval", 5, "time between the server's probe rounds").Range(0.1, 3600);
    p.AddDuration("reconnect_delay", 5, "TCP: wait before reconnecting after a failure")
        .Range(0, 3600);
    p.AddDuration("nat_udp_timeout", 60, "NAT UDP mapping timeout").Range(1, 86400);
    p.AddEnum("nat_mapping",
              "endpoint-independent",
              {"endpoint-independent", "address-dependent", "address-and-port-dependent"},
              "NAT mapping behaviour (RFC 4787)");
    p.AddEnum("nat_filtering",
              "address-and-port-dependent",
              {"endpoint-independent", "address-dependent", "address-and-port-dependent"},
              "NAT filtering behaviour (RFC 4787)");
    p.AddEnum("nat_tcp_tracking",
              "strict",
              {"strict", "loose"},
              "strict: only an outbound SYN opens TCP state; loose: any outbound segment does");
    p.AddEnum("failure",
              "nat-reboot",
              {"none",
               "nat-reboot",
               "nat-reboot-new-address",
               "link-down",
               "loss",
               "server-crash",
               "power-cut"},
              "what fails at failure_time: NATs lose every mapping (optionally moving to a "
              "new public address), access links go down or lose packets, the server "
              "crashes silently and restarts, or the clients of the hit sites lose power "
              "and boot again");
    p.AddDuration("failure_time", 120, "when the failure happens").Range(0, 86400);
    p.AddDuration("failure_duration",
                  30,
                  "how long link-down, loss, server-crash and power-cut last (power-cut: "
                  "until the earliest boot)")
        .Range(0, 86400);
    p.AddDouble("loss_rate", 0.3, "loss: share of packets lost on the hit access links (Bernoulli)")
        .Range(0, 1);
    p.AddDuration("boot_spread",
                  10,
                  "power-cut: each client boots at failure_time + failure_duration + "
                  "uniform[0, boot_spread]")
        .Range(0, 86400);
    p.AddInt("failure_sites", 0, "how many NATs the failure hits (0: all)")
        .Range(0, 20000)
        .Unit("NATs");
    p.AddDuration("duration", 300, "simulated time").Range(1, 86400);
    info.SetFactory<NatKeepaliveScenario>();
    return info;
}

} // namespace sipbed
