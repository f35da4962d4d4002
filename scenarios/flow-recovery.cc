// Scenario flow-recovery: UAs behind NATs keep 1-4 outbound flows to as many
// edge proxies (outbound draft or RFC 5626); a failure hits one edge proxy
// (crash and restart, link down, loss burst) or the NATs (reboot). A prober
// sends OPTIONS to random UAs' AORs through the home proxy all along.
// Measures failure detection, recovery, unreachable time and every backoff
// decision. docs/flow-recovery.md explains the metrics.
#include "scenarios/run-context.h"
#include "scenarios/scenario.h"
#include "scenarios/sip-deployment.h"
#include "sim/failure-plan.h"
#include "sim/fault-helper.h"
#include "sim/sip-node-application.h"
#include "sim/topology-builder.h"

#include "models/roles/edge-proxy.h"
#include "models/roles/registrar.h"
#include "models/roles/user-agent.h"

#include "ns3/random-variable-stream.h"
#include "ns3/simulator.h"

#include <cstdio>
#include <map>
#include <memory>

namespace sipbed
{
namespace
{

using namespace ns3;

class FlowRecoveryScenario : public Scenario
{
  public:
    void Setup(RunContext& context) override
    {
        const ParameterValues& p = context.GetParameters();
        m_context = &context;
        m_uas = static_cast<uint32_t>(p.GetInt("uas"));
        const uint32_t perNat = static_cast<uint32_t>(p.GetInt("uas_per_nat"));
        m_flows = static_cast<uint32_t>(p.GetInt("flows"));
        ParseTransportName(p.GetString("transport"), m_kind);
        m_profile = ParseProfile(p.GetString("profile")).value_or(OutboundProfile::kDraft);
        m_failure = p.GetString("failure");
        m_failureTime = p.GetTime("failure_time");
        m_failureLength = p.GetTime("failure_duration");
        const Time duration = p.GetTime("duration");
        if (m_failure != "none" && m_failureTime >= duration)
        {
            throw ParameterError("failure_time", "parameter 'failure_time': must be before the end of the run");
        }
        const uint32_t target = static_cast<uint32_t>(p.GetInt("failure_target"));
        if (target >= m_flows)
        {
            throw ParameterError("failure_target",
                                 "parameter 'failure_target': edge proxy " + std::to_string(target) +
                                     " does not exist: expected an integer in [0, flows - 1] = [0, " +
                                     std::to_string(m_flows - 1) + "]");
        }
        // When the service is back: NAT reboots are instantaneous. The probes
        // count as "during" for failure_duration in every case.
        m_serviceBack = m_failure == "nat-reboot" ? m_failureTime : m_failureTime + m_failureLength;
        m_windowEnd = m_failureTime + m_failureLength;
        context.SetStopTime(duration);

        TopologyConfig tc;
        tc.sites = (m_uas + perNat - 1) / perNat;
        tc.hostsPerSite = perNat;
        tc.edgeProxies = m_flows;
        tc.proxies = 1; // the prober's node
        tc.natAttributes = {{"UdpTimeout", std::to_string(p.GetTime("nat_udp_timeout").GetSeconds()) + "s"}};
        if (std::string err = TopologyBuilder::Validate(tc); !err.empty())
        {
            throw ParameterError("uas", "parameter 'uas': " + err);
        }
        m_topo = TopologyBuilder::Build(tc);
        context.Log("topology: " + std::to_string(tc.sites) + " NATs, " + std::to_string(m_uas) + " UAs, " +
                    std::to_string(m_flows) + " edge proxies, profile " + p.GetString("profile"));

        StreamAllocator& streams = context.GetStreams();
        streams.Assign("links", [&](int64_t s) { return FaultHelper::AssignStreams(m_topo.allNodes, s); });
        EventTable& events = context.GetEvents();
        SipDeployment::DeclareBackoffColumns(events);
        events.DeclareColumn("detail", EventTable::ColumnType::TEXT);
        m_plan = std::make_unique<FailurePlan>(events);
        streams.Assign("failures", [&](int64_t s) { return m_plan->AssignStreams(s); });

        m_deploy = std::make_unique<SipDeployment>(context, m_kind);
        if (m_kind == TransportKind::kTls)
        {
            m_deploy->LoadTls(p.GetString("cert_dir"));
        }
        const TransportAddress registrar = m_deploy->AddressOf(m_topo.registrar);

        // Registrar and home proxy; edge proxies, one per flow.
        m_deploy->AddRegistrar(m_topo.registrar, m_profile);
        const std::vector<TransportAddress> edges = m_deploy->AddEdgeProxies(
            std::vector<Server>(m_topo.edgeProxies.begin(), m_topo.edgeProxies.begin() + m_flows), registrar, m_profile);
        ScheduleFailure(p, target);

        // UAs: outbound, one flow per edge proxy, registering at a random
        // time in [0, register_spread).
        Ptr<UniformRandomVariable> start = CreateObject<UniformRandomVariable>();
        streams.Assign("ua-start", [&](int64_t s) {
            start->SetStream(s);
            return int64_t(1);
        });
        UaConfig base;
        base.domain = SipDeployment::kDomain;
        base.edgeProxy = edges[0];
        base.outbound = true;
        base.profile = m_profile;
        base.outboundProxies = edges;
        base.stunParameter = p.GetBool("stun");
        base.registerExpires = static_cast<uint32_t>(p.GetTime("register_expires").GetSeconds());
        base.backoff.baseAllFailedS = p.GetTime("backoff_base_all_failed").GetSeconds();
        base.backoff.baseSomeUpS = p.GetTime("backoff_base_some_up").GetSeconds();
        base.backoff.maxS = p.GetTime("backoff_max").GetSeconds();
        m_state.resize(m_uas);
        for (uint32_t i = 0; i < m_uas; ++i)
        {
            const Site& site = m_topo.sites[i / perNat];
            const uint32_t h = i % perNat;
            m_listeners.push_back(std::make_unique<UaEvents>(*this, i));
            const UaConfig uc = SipDeployment::UserConfig(base, i);
            const Ipv4Address ip = site.hostAddresses[h];
            Ptr<SipNodeApplication> app = m_deploy->InstallApp(site.hosts.Get(h), "ua-" + std::to_string(i));
            app->AddElement({0, 0, 0},
                            [this, uc, ip, i](const ElementEnvironment& env, uint16_t port) {
                                return std::make_unique<UserAgent>(env, m_deploy->Client(ip, port), uc, m_listeners[i].get());
                            },
                            [](SipElement& e) { static_cast<UserAgent&>(e).Register(); });
            app->SetStartTime(Seconds(start->GetValue(0, p.GetTime("register_spread").GetSeconds())));
            m_uaApps.push_back(app);
        }

        // The prober: a UA on a core node that sends OPTIONS to the home
        // proxy for random AORs.
        m_proberListener = std::make_unique<ProberEvents>(*this);
        m_prober = m_deploy->InstallApp(m_topo.proxies[0].node, "prober");
        m_prober->AddElement({5070, 0, 0}, [this, registrar](const ElementEnvironment& env, uint16_t port) {
            UaConfig uc;
            uc.user = "prober";
            uc.domain = SipDeployment::kDomain;
            uc.edgeProxy = registrar;
            return std::make_unique<UserAgent>(
                env, m_deploy->Client(m_topo.proxies[0].address, port), uc, m_proberListener.get());
        });
        m_probeGap = CreateObject<ExponentialRandomVariable>();
        m_probeGap->SetAttribute("Mean", DoubleValue(1.0 / p.GetDouble("probe_rate")));
        m_pick = CreateObject<UniformRandomVariable>();
        streams.Assign("probes", [&](int64_t s) {
            m_probeGap->SetStream(s);
            m_pick->SetStream(s + 1);
            return int64_t(2);
        });
        m_probesStart = p.GetTime("register_spread") + Seconds(10);
        Simulator::Schedule(m_probesStart, &FlowRecoveryScenario::NextProbe, this);

        for (uint32_t e = 0; e < m_flows; ++e)
        {
            context.EnablePcap("edge-" + std::to_string(e), m_topo.edgeProxies[e].link);
        }
        context.EnablePcap("registrar", m_topo.registrar.link);

        TimeseriesSampler& ts = context.GetTimeseries();
        ts.SetInterval(Seconds(1));
        ts.AddProbe("registered_fraction", [this]() { return Fraction([](const UaState& s) { return s.flowsUp > 0; }); });
        ts.AddProbe("all_flows_fraction",
                    [this]() { return Fraction([this](const UaState& s) { return s.flowsUp == m_flows; }); });
        ts.AddRateProbe("probes_ok_per_s", [this]() { return double(m_probesOk); });
        ts.AddRateProbe("probes_failed_per_s", [this]() { return double(m_probesFailed); });
        ts.AddRateProbe("registers_per_s", [this]() { return double(m_registerAttempts); });
    }

    void Finish(RunContext& context) override
    {
        SummaryValues& sum = context.GetSummary();
        const Time end = Simulator::Now();
        sum.Set("uas_count", static_cast<int64_t>(m_uas));
        sum.Set("flows_count", static_cast<int64_t>(m_flows));
        Distribution detection;
        Distribution recovery;
        Distribution unreachable;
        uint32_t hit = 0;
        uint32_t recovered = 0;
        for (UaState& s : m_state)
        {
            if (s.firstFailureAt)
            {
                ++hit;
                detection.Add((*s.firstFailureAt - m_failureTime).GetSeconds());
                if (s.recoveredAt)
                {
                    ++recovered;
                    recovery.Add(std::max(0.0, (*s.recoveredAt - m_serviceBack).GetSeconds()));
                }
            }
            if (s.unreachableSince)
            {
                s.unreachable += end - *s.unreachableSince;
            }
            unreachable.Add(s.unreachable.GetSeconds());
        }
        sum.Set("uas_hit_count", static_cast<int64_t>(hit));
        sum.Set("failure_detection_delay_s", detection);
        sum.Set("recovery_time_s", recovery);
        sum.Set("unreachable_time_s", unreachable);
        sum.Set("recovered_fraction", hit == 0 ? 1.0 : double(recovered) / hit);
        sum.Set("registered_at_end_fraction",
                Fraction([this](const UaState& s) { return s.flowsUp == m_flows; }));
        sum.Set("reregistration_attempts_count", static_cast<int64_t>(m_reregistrations));
        sum.Set("backoff_decisions_count", static_cast<int64_t>(m_backoffs));
        // A probe belongs to the window it was sent in, except that one still
        // unanswered when the failure struck counts as "during".
        const Time failAt = m_failure == "none" ? end : m_failureTime;
        sum.Set("probe_success_before",
                ProbeRatio([&](const Probe& pr) { return pr.answeredAt < failAt; }));
        if (m_failure != "none")
        {
            sum.Set("probe_success_during", ProbeRatio([&](const Probe& pr) {
                        return pr.answeredAt >= failAt && pr.sentAt < m_windowEnd;
                    }));
            sum.Set("probe_success_after", ProbeRatio([&](const Probe& pr) { return pr.sentAt >= m_windowEnd; }));
        }
        sum.Set("probes_count", static_cast<int64_t>(m_probes.size()));
    }

  private:
    struct UaState
    {
        uint32_t flowsUp = 0;
        std::optional<Time> firstFailureAt; ///< first flow failure after the failure
        std::optional<Time> recoveredAt;    ///< all flows registered again after that
        std::optional<Time> unreachableSince;
        Time unreachable;
    };

    struct Probe
    {
        Time sentAt;
        Time answeredAt = Time::Max(); ///< Max while unanswered
        bool ok = false;
    };

    class UaEvents : public UaListener
    {
      public:
        UaEvents(FlowRecoveryScenario& s, uint32_t ua)
            : m_s(s),
              m_ua(ua)
        {
        }

        void OnRegistered(TimeNs, bool refresh) override
        {
            if (!refresh)
            {
                ++m_s.m_registerAttempts;
            }
        }

        void OnRegistrationFailed(int) override
        {
            ++m_s.m_registerAttempts;
            if (Simulator::Now() >= m_s.m_failureTime)
            {
                ++m_s.m_reregistrations;
            }
        }

        void OnFlowEvent(uint32_t flow, std::string_view kind, std::string_view detail) override
        {
            UaState& st = m_s.m_state[m_ua];
            if (kind == "flow_registered")
            {
                st.flowsUp = std::min(st.flowsUp + 1, m_s.m_flows);
                if (detail == "recovered")
                {
                    ++m_s.m_reregistrations;
                    if (st.firstFailureAt && st.flowsUp == m_s.m_flows && !st.recoveredAt)
                    {
                        st.recoveredAt = Simulator::Now();
                    }
                }
            }
            else if (kind == "flow_failed")
            {
                if (st.flowsUp > 0)
                {
                    --st.flowsUp;
                }
                if (m_s.m_failure != "none" && Simulator::Now() >= m_s.m_failureTime && !st.firstFailureAt)
                {
                    st.firstFailureAt = Simulator::Now();
                }
            }
            m_s.m_context->GetEvents().Record("ua-" + std::to_string(m_ua),
                                              kind,
                                              {{"ua", int64_t(m_ua)}, {"flow", int64_t(flow)}, {"detail", std::string(detail)}});
        }

        void OnBackoff(uint32_t flow, const BackoffDecision& d) override
        {
            ++m_s.m_backoffs;
            SipDeployment::RecordBackoff(m_s.m_context->GetEvents(), m_ua, flow, d);
        }


      private:
        FlowRecoveryScenario& m_s;
        uint32_t m_ua;
    };

    class ProberEvents : public UaListener
    {
      public:
        explicit ProberEvents(FlowRecoveryScenario& s)
            : m_s(s)
        {
        }

        void OnRequestAnswered(std::string_view, std::string_view target, int status, TimeNs delay) override
        {
            m_s.OnProbeAnswered(target, status, delay);
        }


      private:
        FlowRecoveryScenario& m_s;
    };

    void ScheduleFailure(const ParameterValues& p, uint32_t target)
    {
        const std::string edge = "edge-" + std::to_string(target);
        if (m_failure == "edge-crash")
        {
            m_plan->NodeCrash(edge, m_topo.edgeProxies[target].node, m_failureTime, m_failureLength);
        }
        else if (m_failure == "link-down")
        {
            m_plan->LinkDown(edge, m_topo.edgeProxies[target].link.Get(0), m_failureTime, m_failureLength, "core");
        }
        else if (m_failure == "loss-burst")
        {
            FailurePlan::Loss loss;
            loss.rate = p.GetDouble("loss_rate");
            m_plan->LinkLoss(edge, m_topo.edgeProxies[target].link.Get(0), m_failureTime,
                             m_failureTime + m_failureLength, loss);
        }
        else if (m_failure == "nat-reboot")
        {
            for (uint32_t s = 0; s < m_topo.sites.size(); ++s)
            {
                // A new public address (as after a DHCP lease change): with
                // port preservation and the same address, a rebooted NAT
                // would hand out the very same mapping and nobody would notice.
                m_plan->NatReboot("nat-" + std::to_string(s),
                                  m_topo.sites[s].natRouting,
                                  m_failureTime,
                                  m_topo.sites[s].sparePublicAddresses.at(0));
            }
        }
    }

    void NextProbe()
    {
        const uint32_t ua = m_pick->GetInteger(0, m_uas - 1);
        auto* prober = static_cast<UserAgent*>(m_prober->GetElement(0));
        if (prober)
        {
            const std::string aor = SipDeployment::AorOf(ua);
            if (prober->SendRequest("OPTIONS", aor))
            {
                m_pendingProbes[aor].push_back(m_probes.size());
                m_probes.push_back(Probe{Simulator::Now(), Time::Max(), false});
            }
        }
        Simulator::Schedule(Seconds(m_probeGap->GetValue()), &FlowRecoveryScenario::NextProbe, this);
    }

    void OnProbeAnswered(std::string_view target, int status, TimeNs)
    {
        auto it = m_pendingProbes.find(std::string(target));
        if (it == m_pendingProbes.end() || it->second.empty())
        {
            return;
        }
        Probe& probe = m_probes[it->second.front()];
        it->second.erase(it->second.begin());
        probe.ok = status / 100 == 2;
        probe.answeredAt = Simulator::Now();
        (probe.ok ? m_probesOk : m_probesFailed) += 1;
        // Unreachable time: from the first failed probe of a run of failures
        // to the next successful one.
        const uint32_t ua = static_cast<uint32_t>(std::stoul(std::string(target.substr(6, target.find('@') - 6))));
        UaState& st = m_state[ua];
        if (!probe.ok && !st.unreachableSince)
        {
            st.unreachableSince = probe.sentAt;
        }
        else if (probe.ok && st.unreachableSince)
        {
            st.unreachable += probe.sentAt - *st.unreachableSince;
            st.unreachableSince.reset();
        }
        if (!probe.ok)
        {
            m_context->GetEvents().Record("prober",
                                          "probe_failed",
                                          {{"ua", int64_t(ua)}, {"detail", std::to_string(status)}});
        }
    }

    /// Share of the answered probes `in` selects that succeeded.
    template <class F>
    double ProbeRatio(F in) const
    {
        uint64_t ok = 0;
        uint64_t n = 0;
        for (const Probe& pr : m_probes)
        {
            if (pr.answeredAt != Time::Max() && in(pr))
            {
                ++n;
                ok += pr.ok;
            }
        }
        return n == 0 ? 0.0 : double(ok) / n;
    }

    template <class F>
    double Fraction(F predicate) const
    {
        uint32_t n = 0;
        for (const UaState& s : m_state)
        {
            n += predicate(s);
        }
        return double(n) / m_uas;
    }

    RunContext* m_context = nullptr;
    std::unique_ptr<SipDeployment> m_deploy;
    Topology m_topo;
    std::unique_ptr<FailurePlan> m_plan;
    uint32_t m_uas = 0;
    uint32_t m_flows = 1;
    TransportKind m_kind = TransportKind::kUdp;
    OutboundProfile m_profile = OutboundProfile::kDraft;
    std::string m_failure;
    Time m_failureTime;
    Time m_failureLength;
    Time m_serviceBack;
    Time m_windowEnd;
    Time m_probesStart;
    std::vector<Ptr<SipNodeApplication>> m_uaApps;
    Ptr<SipNodeApplication> m_prober;
    std::vector<std::unique_ptr<UaEvents>> m_listeners;
    std::unique_ptr<ProberEvents> m_proberListener;
    Ptr<ExponentialRandomVariable> m_probeGap;
    Ptr<UniformRandomVariable> m_pick;
    std::vector<UaState> m_state;
    std::vector<Probe> m_probes;
    std::map<std::string, std::vector<size_t>> m_pendingProbes; ///< AOR -> probes waiting, oldest first
    uint64_t m_probesOk = 0;
    uint64_t m_probesFailed = 0;
    uint64_t m_registerAttempts = 0;
    uint64_t m_reregistrations = 0;
    uint64_t m_backoffs = 0;
};

} // namespace

ScenarioInfo
FlowRecoveryScenarioInfo()
{
    ScenarioInfo info("flow-recovery",
                      "UAs with 1-4 outbound flows behind NATs recover from an edge proxy, link or NAT failure");
    info.SetDescription(
        "UAs (one host each, uas_per_nat per NAT) register one outbound flow through each of `flows` "
        "edge proxies (outbound draft or RFC 5626), with keepalives per profile (STUN on UDP, CRLF on "
        "TCP/TLS). At failure_time the failure hits edge proxy failure_target (crash and restart after "
        "failure_duration, core link down, loss burst) or every NAT (reboot). A prober on a core node "
        "sends OPTIONS to random UAs' AORs through the home proxy at probe_rate. See "
        "docs/flow-recovery.md.");
    ParameterSet& p = info.GetParameters();
    p.AddInt("uas", 100, "number of UAs").Range(1, 20000).Unit("UAs");
    p.AddInt("uas_per_nat", 1, "UAs behind each NAT").Range(1, 64).Unit("UAs");
    p.AddEnum("transport", "udp", {"udp", "tcp", "tls"}, "transport of every flow and hop");
    p.AddEnum("profile", "draft", {"draft", "rfc5626"}, "outbound behaviour: the seed draft or RFC 5626");
    p.AddInt("flows", 2, "outbound flows per UA, one per edge proxy").Range(1, 4).Unit("flows");
    p.AddBool("stun", true, "draft: the outbound proxy URIs carry `stun` (STUN keepalives on UDP)");
    p.AddDuration("nat_udp_timeout", 60, "NAT UDP mapping timeout").Range(1, 86400);
    p.AddEnum("failure",
              "edge-crash",
              {"none", "edge-crash", "link-down", "loss-burst", "nat-reboot"},
              "what fails at failure_time");
    p.AddInt("failure_target", 0, "which edge proxy fails (0 = every UA's primary)").Range(0, 3);
    p.AddDuration("failure_time", 120, "when the failure happens").Range(0, 86400);
    p.AddDuration("failure_duration", 120, "how long the edge proxy or link stays down / the loss lasts")
        .Range(0, 86400);
    p.AddDouble("loss_rate", 0.5, "loss-burst: share of packets lost on the edge proxy's link").Range(0, 1);
    p.AddDouble("probe_rate", 2, "OPTIONS probes per second over all UAs (Poisson)").Range(0.01, 10000).Unit("probes/s");
    p.AddDuration("register_expires", 3600, "registration lifetime the UAs ask for").Range(60, 86400);
    p.AddDuration("register_spread", 10, "UAs start at a uniform time in [0, spread)").Range(0.001, 3600);
    p.AddDuration("backoff_base_all_failed", 30, "outbound 4.3 base time when every flow failed").Range(1, 86400);
    p.AddDuration("backoff_base_some_up", 90, "outbound 4.3 base time when a flow is still up").Range(1, 86400);
    p.AddDuration("backoff_max", 1800, "outbound 4.3 maximum wait time").Range(1, 86400);
    p.AddString("cert_dir", SIPBED_DEFAULT_CERT_DIR, "tls: folder with the sec-flows certificates");
    p.AddDuration("duration", 600, "simulated time").Range(1, 86400);
    info.SetFactory<FlowRecoveryScenario>();
    return info;
}

} // namespace sipbed
