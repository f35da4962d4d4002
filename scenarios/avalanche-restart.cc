// Scenario avalanche-restart: a registrar or edge proxy crashes and comes
// back, or power returns to every site at once, and every UA re-registers.
// The restarted server sits behind the server capacity model (FIFO queue,
// service times, queue limit, drop or 503). Measures the offered load and
// goodput at that server over time, the peak load against the bound the
// outbound backoff implies, how long until 50/90/99 % of UAs are registered
// again, drops, 503s and amplification, for four retry policies.
// docs/avalanche-restart.md explains the metrics.
#include "scenarios/run-context.h"
#include "scenarios/scenario.h"
#include "scenarios/sip-deployment.h"
#include "sim/failure-plan.h"
#include "sim/fault-helper.h"
#include "sim/server-capacity.h"
#include "sim/sip-node-application.h"
#include "sim/topology-builder.h"

#include "models/roles/edge-proxy.h"
#include "models/roles/registrar.h"
#include "models/roles/user-agent.h"

#include "ns3/double.h"
#include "ns3/random-variable-stream.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <numeric>
#include <memory>

namespace sipbed
{
namespace
{

using namespace ns3;

class AvalancheRestartScenario : public Scenario
{
  public:
    void Setup(RunContext& context) override
    {
        const ParameterValues& p = context.GetParameters();
        m_context = &context;
        m_uas = static_cast<uint32_t>(p.GetInt("uas"));
        const uint32_t perNat = static_cast<uint32_t>(p.GetInt("uas_per_nat"));
        const uint32_t perHost = static_cast<uint32_t>(p.GetInt("uas_per_host"));
        m_flows = static_cast<uint32_t>(p.GetInt("flows"));
        TransportKind kind = TransportKind::kUdp;
        ParseTransportName(p.GetString("transport"), kind);
        m_policy = p.GetString("policy");
        const OutboundProfile profile = m_policy == "rfc5626" ? OutboundProfile::kRfc5626 : OutboundProfile::kDraft;
        m_failure = p.GetString("failure");
        m_failureTime = p.GetTime("failure_time");
        m_serviceBack = m_failureTime + p.GetTime("failure_duration");
        const Time duration = p.GetTime("duration");
        if (m_serviceBack >= duration)
        {
            throw ParameterError("duration",
                                 "parameter 'duration': must be after failure_time + failure_duration");
        }
        if (perHost > perNat)
        {
            throw ParameterError("uas_per_host", "parameter 'uas_per_host': must not exceed uas_per_nat");
        }
        context.SetStopTime(duration);

        TopologyConfig tc;
        tc.sites = (m_uas + perNat - 1) / perNat;
        tc.hostsPerSite = (perNat + perHost - 1) / perHost;
        tc.edgeProxies = m_flows;
        tc.natAttributes = {{"UdpTimeout", "60s"}};
        if (std::string err = TopologyBuilder::Validate(tc); !err.empty())
        {
            throw ParameterError("uas_per_host", "parameter 'uas_per_host': " + err);
        }
        m_topo = TopologyBuilder::Build(tc);
        context.Log("topology: " + std::to_string(tc.sites) + " NATs, " + std::to_string(tc.sites * tc.hostsPerSite) +
                    " host nodes, " + std::to_string(m_uas) + " UAs, policy " + m_policy);

        StreamAllocator& streams = context.GetStreams();
        streams.Assign("links", [&](int64_t s) { return FaultHelper::AssignStreams(m_topo.allNodes, s); });
        EventTable& events = context.GetEvents();
        SipDeployment::DeclareBackoffColumns(events);
        events.DeclareColumn("detail", EventTable::ColumnType::TEXT);
        m_plan = std::make_unique<FailurePlan>(events);
        streams.Assign("failures", [&](int64_t s) { return m_plan->AssignStreams(s); });

        m_deploy = std::make_unique<SipDeployment>(context, kind);
        const TransportAddress registrar = m_deploy->AddressOf(m_topo.registrar);

        // Servers, each behind its own capacity model. The watched server
        // (the one that restarts: edge proxy 0 for edge-crash, else the
        // registrar) has the scenario's capacity parameters; the others keep
        // ServerCapacity's defaults (calibration.md), so that the measured
        // server is the bottleneck and not a neighbour with the same
        // artificial limit.
        const bool edgeWatched = m_failure == "edge-crash";
        m_registrarApp = m_deploy->AddRegistrar(m_topo.registrar, profile, &m_registrar);
        m_registrarCpu = edgeWatched ? CreateObject<ServerCapacity>() : MakeCapacity(p);
        m_registrarApp->EnableServerCapacity(0, m_registrarCpu);
        std::vector<Ptr<SipNodeApplication>> edgeApps;
        const std::vector<TransportAddress> edges =
            m_deploy->AddEdgeProxies(m_topo.edgeProxies, registrar, profile, &edgeApps);
        for (const Ptr<SipNodeApplication>& app : edgeApps)
        {
            Ptr<ServerCapacity> cpu = edgeWatched && m_edgeCpus.empty() ? MakeCapacity(p) : CreateObject<ServerCapacity>();
            app->EnableServerCapacity(0, cpu);
            m_edgeCpus.push_back(cpu);
        }
        m_watched = edgeWatched ? m_edgeCpus[0] : m_registrarCpu;

        // UAs: uas_per_host on each host node, all outbound.
        UaConfig base;
        base.domain = SipDeployment::kDomain;
        base.edgeProxy = edges[0];
        base.outbound = true;
        base.profile = profile;
        base.outboundProxies = edges;
        base.registerExpires = static_cast<uint32_t>(p.GetTime("register_expires").GetSeconds());
        base.retryPolicy = m_policy == "immediate" ? UaConfig::RetryPolicy::kImmediate
                           : m_policy == "fixed"   ? UaConfig::RetryPolicy::kFixed
                                                   : UaConfig::RetryPolicy::kBackoff;
        base.retryFixed = p.GetTime("fixed_interval").GetNanoSeconds();
        base.retryJitter = p.GetTime("fixed_jitter").GetNanoSeconds();
        Ptr<UniformRandomVariable> start = CreateObject<UniformRandomVariable>();
        streams.Assign("ua-start", [&](int64_t s) {
            start->SetStream(s);
            return int64_t(1);
        });
        m_flowsUp.assign(m_uas, 0);
        m_aors.clear();
        for (uint32_t i = 0; i < m_uas; ++i)
        {
            m_aors.push_back(SipDeployment::AorOf(i));
        }
        m_siteFirstUa.clear();
        uint32_t ua = 0;
        for (uint32_t s = 0; s < m_topo.sites.size() && ua < m_uas; ++s)
        {
            const Site& site = m_topo.sites[s];
            m_siteFirstUa.push_back(ua);
            std::vector<std::string> hostNames;
            for (uint32_t h = 0; h < site.hosts.GetN(); ++h)
            {
                hostNames.push_back("host-" + std::to_string(s) + "-" + std::to_string(h));
                Ptr<SipNodeApplication> app = m_deploy->InstallApp(site.hosts.Get(h), hostNames.back());
                for (uint32_t k = 0; k < perHost && ua < m_uas && (h * perHost + k) < perNat; ++k, ++ua)
                {
                    // Each UA first registers at its own time in [0, register_spread);
                    // after a reboot at once (the power cut spreads the boots).
                    const Time firstRegister = Seconds(start->GetValue(0, p.GetTime("register_spread").GetSeconds()));
                    const size_t element = app->GetElementCount();
                    m_listeners.push_back(std::make_unique<UaEvents>(*this, ua));
                    const UaConfig uc = SipDeployment::UserConfig(base, ua);
                    const Ipv4Address ip = site.hostAddresses[h];
                    UaListener* listener = m_listeners.back().get();
                    const uint32_t index = ua;
                    app->AddElement({0, 0, 0},
                                    [this, uc, ip, listener, index](const ElementEnvironment& env, uint16_t localPort) {
                                        m_flowsUp[index] = 0; // (re)booted: no flow yet
                                        return std::make_unique<UserAgent>(env, m_deploy->Client(ip, localPort), uc, listener);
                                    },
                                    // The hook lives in the application: a raw pointer, not
                                    // a Ptr, or the application would own itself (a leak).
                                    [app = PeekPointer(app), element, firstRegister](SipElement& e) {
                                        if (Simulator::Now() >= firstRegister)
                                        {
                                            static_cast<UserAgent&>(e).Register();
                                            return;
                                        }
                                        Simulator::Schedule(firstRegister - Simulator::Now(), [app, element, ue = &e]() {
                                            // unless the host went down meanwhile
                                            if (app->GetElement(element) == ue)
                                            {
                                                static_cast<UserAgent*>(ue)->Register();
                                            }
                                        });
                                    });
                }
            }
            if (m_failure == "power-cut")
            {
                m_plan->PowerCut("site-" + std::to_string(s), site.hosts, hostNames, m_failureTime,
                                 p.GetTime("failure_duration"), p.GetTime("boot_spread"));
            }
        }
        m_siteFirstUa.push_back(ua);
        // A power cut takes every flow of the site's UAs down at once.
        m_plan->SetListener([this](const std::string& node, const std::string& kind) {
            if (kind == "power_cut" && node.rfind("site-", 0) == 0)
            {
                const size_t site = std::stoul(node.substr(5));
                for (uint32_t i = m_siteFirstUa[site]; i < m_siteFirstUa[site + 1]; ++i)
                {
                    m_flowsUp[i] = 0;
                }
            }
        });
        if (m_failure == "registrar-crash")
        {
            m_plan->NodeCrash("registrar", m_topo.registrar.node, m_failureTime, p.GetTime("failure_duration"));
        }
        else if (m_failure == "edge-crash")
        {
            m_plan->NodeCrash("edge-0", m_topo.edgeProxies[0].node, m_failureTime, p.GetTime("failure_duration"));
        }
        context.EnablePcap("registrar", m_topo.registrar.link);

        // Per-second samples of our own, for the peaks and the times to X %.
        Simulator::Schedule(Seconds(1), &AvalancheRestartScenario::Sample, this);
        TimeseriesSampler& ts = context.GetTimeseries();
        ts.SetInterval(Seconds(1));
        ts.AddRateProbe("offered_load_rps", [this]() { return double(m_watched->GetCounters().arrivals); });
        ts.AddRateProbe("goodput_rps", [this]() { return double(Registrations()); });
        ts.AddProbe("queue_length", [this]() { return double(m_watched->GetQueueLength()); });
        ts.AddRateProbe("rejected_503_per_s", [this]() { return double(m_watched->GetCounters().rejected503); });
        ts.AddRateProbe("dropped_per_s", [this]() { return double(m_watched->GetCounters().dropped); });
        // The fraction of the latest per-second sample (computing it is a
        // pass over every UA: once a second is enough).
        ts.AddProbe("registered_fraction",
                    [this]() { return m_samples.empty() ? 0.0 : m_samples.back().registered; });
    }

    void Finish(RunContext& context) override
    {
        SummaryValues& sum = context.GetSummary();
        sum.Set("uas_count", static_cast<int64_t>(m_uas));
        double peak = 0;
        for (const Sample1s& s : m_samples)
        {
            // A sample's rate covers the second before s.t: the one taken at
            // the failure time is the load before it.
            if (s.t > m_failureTime)
            {
                peak = std::max(peak, s.offered);
            }
        }
        sum.Set("peak_offered_load_rps", peak);
        // Boot burst against retry rounds: the offered load before the first
        // backoff retry after the failure is due (first attempts, their
        // challenges and retransmissions), and while retries are due (from
        // the first to 2 s after the last: later peaks are refresh waves).
        const Time firstRetry = m_retriesDue.empty() ? Time::Max() : Seconds(double(m_retriesDue.begin()->first));
        const Time lastRetry = m_retriesDue.empty() ? Time::Max() : Seconds(double(m_retriesDue.rbegin()->first + 2));
        double peakFirst = 0;
        double peakRetries = 0;
        for (const Sample1s& s : m_samples)
        {
            // A sample covers the second before s.t.
            if (s.t > m_failureTime && s.t <= firstRetry)
            {
                peakFirst = std::max(peakFirst, s.offered);
            }
            else if (s.t > firstRetry && s.t <= lastRetry)
            {
                peakRetries = std::max(peakRetries, s.offered);
            }
        }
        sum.Set("peak_first_round_load_rps", peakFirst);
        sum.Set("peak_retry_rounds_load_rps", m_retriesDue.empty() ? CellValue() : CellValue(peakRetries));
        uint32_t retriesPeak = 0;
        for (const auto& [second, count] : m_retriesDue)
        {
            retriesPeak = std::max(retriesPeak, count);
        }
        sum.Set("backoff_retries_count", static_cast<int64_t>(std::accumulate(
            m_retriesDue.begin(), m_retriesDue.end(), uint64_t{0},
            [](uint64_t n, const auto& entry) { return n + entry.second; })));
        sum.Set("peak_retries_due_per_s", static_cast<int64_t>(retriesPeak));
        // Reachable: some flow up and bound. The least seen from the failure
        // until every UA is registered again or the end.
        double minReachable = 1;
        for (const Sample1s& s : m_samples)
        {
            if (s.t >= m_failureTime)
            {
                minReachable = std::min(minReachable, s.reachable);
            }
        }
        sum.Set("min_reachable_fraction", minReachable);
        // Outbound 4.3: N UAs re-registering spread over [0.5 W, W] offer
        // about N / (0.5 W) = 2N/W per second in the first round; W for the
        // first failure is 2 x base (base 30 when every flow failed, else 90).
        if (m_policy == "draft" || m_policy == "rfc5626")
        {
            const double base = m_failure == "edge-crash" && m_flows > 1 ? 90 : 30;
            const double attempts = 2.0 * m_uas / (2 * base);
            sum.Set("backoff_bound_attempts_per_s", attempts);
            // Each attempt is two REGISTERs at the registrar (401 challenge,
            // then the authenticated one); retransmissions come on top.
            sum.Set("backoff_bound_rps", 2 * attempts);
        }
        for (double q : {0.5, 0.9, 0.99})
        {
            std::optional<double> t;
            for (const Sample1s& s : m_samples)
            {
                if (s.t >= m_serviceBack && s.registered >= q)
                {
                    t = (s.t - m_serviceBack).GetSeconds();
                    break;
                }
            }
            char name[40];
            std::snprintf(name, sizeof(name), "time_to_%d_percent_s", int(q * 100 + 0.5));
            sum.Set(name, t ? CellValue(*t) : CellValue());
        }
        const ServiceQueue::Counters& c = m_watched->GetCounters();
        sum.Set("server_arrivals_count", static_cast<int64_t>(c.arrivals));
        sum.Set("server_served_count", static_cast<int64_t>(c.served));
        sum.Set("server_dropped_count", static_cast<int64_t>(c.dropped));
        sum.Set("server_503_count", static_cast<int64_t>(c.rejected503));
        sum.Set("server_utilization", m_watched->GetUtilization());
        const uint64_t good = Registrations() - m_registrationsAtFailure;
        const uint64_t messages = RegisterMessages() - m_registerMessagesAtFailure;
        sum.Set("registrations_after_failure_count", static_cast<int64_t>(good));
        sum.Set("messages_per_registration", good == 0 ? CellValue() : CellValue(double(messages) / good));
        sum.Set("registered_at_end_fraction", RegisteredFraction());
        uint64_t sent = 0;
        uint64_t sends = 0;
        for (const Ptr<SipNodeApplication>& app : m_deploy->GetApps())
        {
            const MessageCounters::Counts t = app->GetCounters().Total();
            sent += t.sent + t.retransmitted;
            sends += app->GetCounters().transportSends;
        }
        // All nodes, the whole run: SIP messages, and every packet the SIP
        // nodes sent (SIP, STUN, keepalives).
        sum.Set("sip_messages_sent_count", static_cast<int64_t>(sent));
        sum.Set("packets_sent_count", static_cast<int64_t>(sends));
    }

  private:
    struct Sample1s
    {
        Time t;
        double offered = 0;
        double registered = 0; ///< every flow up and a binding at the registrar
        double reachable = 0;  ///< at least one flow up and a binding
    };

    class UaEvents : public UaListener
    {
      public:
        UaEvents(AvalancheRestartScenario& s, uint32_t ua)
            : m_s(s),
              m_ua(ua)
        {
        }

        void OnFlowEvent(uint32_t, std::string_view kind, std::string_view) override
        {
            uint32_t& up = m_s.m_flowsUp[m_ua];
            if (kind == "flow_registered")
            {
                up = std::min(up + 1, m_s.m_flows);
            }
            else if (kind == "flow_failed" && up > 0)
            {
                --up;
            }
        }

        void OnBackoff(uint32_t flow, const BackoffDecision& d) override
        {
            SipDeployment::RecordBackoff(m_s.m_context->GetEvents(), m_ua, flow, d);
            // The retry this decision schedules, by the second it is due
            // (decisions from the failure on: earlier ones belong to the
            // initial registration).
            if (Simulator::Now() >= m_s.m_failureTime)
            {
                ++m_s.m_retriesDue[static_cast<int64_t>(Simulator::Now().GetSeconds() + d.delayS)];
            }
        }

      private:
        AvalancheRestartScenario& m_s;
        uint32_t m_ua;
    };

    Ptr<ServerCapacity> MakeCapacity(const ParameterValues& p)
    {
        Ptr<ServerCapacity> cpu = CreateObject<ServerCapacity>();
        cpu->SetAttribute("RegisterCost", TimeValue(p.GetTime("register_cost")));
        cpu->SetAttribute("QueueLimit", UintegerValue(static_cast<uint32_t>(p.GetInt("queue_limit"))));
        cpu->SetAttribute("OverloadPolicy", StringValue(p.GetString("overload")));
        cpu->SetAttribute("RetryAfter", UintegerValue(static_cast<uint32_t>(p.GetTime("retry_after").GetSeconds())));
        return cpu;
    }

    /// Shares of UAs whose AOR the registrar has and with every flow up
    /// (registered) or some flow up (reachable); one pass, once a second.
    std::pair<double, double> Fractions() const
    {
        if (!m_registrar || m_registrarApp->GetElement(0) == nullptr)
        {
            return {0.0, 0.0};
        }
        const TimeNs now = Simulator::Now().GetNanoSeconds();
        const LocationService& locations = m_registrar->GetLocations();
        uint32_t all = 0;
        uint32_t some = 0;
        for (uint32_t i = 0; i < m_uas; ++i)
        {
            if (m_flowsUp[i] > 0 && locations.HasBinding(m_aors[i], now))
            {
                ++some;
                all += m_flowsUp[i] >= m_flows;
            }
        }
        return {double(all) / m_uas, double(some) / m_uas};
    }

    double RegisteredFraction() const
    {
        return Fractions().first;
    }

    /// REGISTERs answered 200 by the registrar since the start, across its
    /// restarts (a restarted registrar counts from 0 again).
    uint64_t Registrations() const
    {
        const bool live = m_registrarApp->GetElement(0) != nullptr;
        return m_registrationsBeforeRestarts +
               (live ? m_registrar->GetRegistrarStats().registrations : m_lastRegistrarCount);
    }

    /// REGISTER requests and their responses sent by every node, retransmissions included.
    uint64_t RegisterMessages() const
    {
        uint64_t n = 0;
        for (const Ptr<SipNodeApplication>& app : m_deploy->GetApps())
        {
            for (const auto& [key, c] : app->GetCounters().byKey)
            {
                if (key == "REGISTER" || (key.size() > 9 && key.compare(key.size() - 9, 9, " REGISTER") == 0))
                {
                    n += c.sent + c.retransmitted;
                }
            }
        }
        return n;
    }

    void Sample()
    {
        if (m_registrarApp->GetElement(0) != nullptr)
        {
            const uint64_t count = m_registrar->GetRegistrarStats().registrations;
            if (count < m_lastRegistrarCount)
            {
                m_registrationsBeforeRestarts += m_lastRegistrarCount; // a new element
            }
            m_lastRegistrarCount = count;
        }
        const uint64_t arrivals = m_watched->GetCounters().arrivals;
        const auto [registered, reachable] = Fractions();
        m_samples.push_back(Sample1s{Simulator::Now(), double(arrivals - m_lastArrivals), registered, reachable});
        m_lastArrivals = arrivals;
        if (Simulator::Now() < m_failureTime)
        {
            m_registrationsAtFailure = Registrations();
            m_registerMessagesAtFailure = RegisterMessages();
        }
        Simulator::Schedule(Seconds(1), &AvalancheRestartScenario::Sample, this);
    }

    RunContext* m_context = nullptr;
    std::unique_ptr<SipDeployment> m_deploy;
    Topology m_topo;
    std::unique_ptr<FailurePlan> m_plan;
    uint32_t m_uas = 0;
    uint32_t m_flows = 1;
    std::string m_policy;
    std::string m_failure;
    Time m_failureTime;
    Time m_serviceBack;
    Ptr<SipNodeApplication> m_registrarApp;
    Registrar* m_registrar = nullptr; ///< the live registrar element (rebuilt on restart)
    Ptr<ServerCapacity> m_registrarCpu;
    std::vector<Ptr<ServerCapacity>> m_edgeCpus;
    Ptr<ServerCapacity> m_watched;
    std::vector<std::unique_ptr<UaEvents>> m_listeners;
    std::vector<uint32_t> m_flowsUp;
    std::vector<std::string> m_aors; ///< AOR of each UA
    std::vector<uint32_t> m_siteFirstUa; ///< first UA of each site, then the UA count
    std::vector<Sample1s> m_samples;
    std::map<int64_t, uint32_t> m_retriesDue; ///< retries of decisions made from the failure on, by the second due
    uint64_t m_lastArrivals = 0;
    uint64_t m_registrationsAtFailure = 0;
    uint64_t m_registerMessagesAtFailure = 0;
    uint64_t m_registrationsBeforeRestarts = 0;
    uint64_t m_lastRegistrarCount = 0;
};

} // namespace

ScenarioInfo
AvalancheRestartScenarioInfo()
{
    ScenarioInfo info("avalanche-restart",
                      "every UA re-registers at once after a server restart or a power cut; load on the server");
    info.SetDescription(
        "UAs (uas_per_host on each host node, uas_per_nat behind each NAT) keep `flows` outbound flows "
        "through as many edge proxies to a registrar; the registrar and the edge proxies sit behind the "
        "server capacity model; the watched one (the server that restarts: edge proxy 0 for edge-crash, "
        "else the registrar) has register_cost, queue_limit and overload (drop or 503 with retry_after), "
        "the others calibration.md's defaults. At "
        "failure_time the registrar or edge proxy 0 crashes and restarts after failure_duration, or every "
        "site loses power and its UAs boot over boot_spread. UAs retry per `policy`: the outbound "
        "backoff (draft, rfc5626), at once (immediate) or every fixed_interval +- fixed_jitter (fixed). "
        "See docs/avalanche-restart.md.");
    ParameterSet& p = info.GetParameters();
    p.AddInt("uas", 200, "number of UAs").Range(1, 100000).Unit("UAs");
    p.AddInt("uas_per_nat", 40, "UAs behind each NAT").Range(1, 4096).Unit("UAs");
    p.AddInt("uas_per_host", 10, "UAs on each host node").Range(1, 4096).Unit("UAs");
    p.AddInt("flows", 1, "outbound flows per UA, one per edge proxy").Range(1, 4).Unit("flows");
    p.AddEnum("transport", "udp", {"udp", "tcp"}, "transport of every flow and hop");
    p.AddEnum("policy", "draft", {"draft", "rfc5626", "immediate", "fixed"}, "how UAs retry a failed registration");
    p.AddDuration("fixed_interval", 300, "policy fixed: time between attempts").Range(1, 86400);
    p.AddDuration("fixed_jitter", 10, "policy fixed: +- uniform jitter").Range(0, 86400);
    p.AddDuration("register_cost", 0.00007, "watched server's time for one REGISTER (calibration.md: 50-100 us)")
        .Range(0.000001, 10);
    p.AddInt("queue_limit", 1000, "messages that may wait at the watched server").Range(1, 10000000).Unit("messages");
    p.AddEnum("overload", "503", {"drop", "503"}, "what the watched server's full queue does to an arrival");
    p.AddDuration("retry_after", 0, "Retry-After of the watched server's 503s (0: none)").Range(0, 86400);
    p.AddEnum("failure", "registrar-crash", {"registrar-crash", "edge-crash", "power-cut"}, "what happens at failure_time");
    p.AddDuration("failure_time", 60, "when").Range(1, 86400);
    p.AddDuration("failure_duration", 60, "server down / power off").Range(0, 86400);
    p.AddDuration("boot_spread", 10, "power-cut: boots uniform over this window").Range(0, 86400);
    p.AddDuration("register_expires", 300, "registration lifetime the UAs ask for").Range(60, 86400);
    p.AddDuration("register_spread", 10, "UAs start at a uniform time in [0, spread)").Range(0.001, 3600);
    p.AddDuration("duration", 600, "simulated time").Range(1, 86400);
    info.SetFactory<AvalancheRestartScenario>();
    return info;
}

} // namespace sipbed
