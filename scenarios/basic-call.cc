// Scenario basic-call: UAs behind NATs register with digest authentication
// through an edge proxy and call each other; calls arrive as a Poisson
// process, callees answer at once and the caller hangs up after the hold
// time. Measures registration and call success and delay, and the messages
// and bytes a call costs. docs/basic-call.md explains the metrics.
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

#include <map>
#include <memory>

namespace sipbed
{
namespace
{

using namespace ns3;

class BasicCallScenario : public Scenario
{
  public:
    void Setup(RunContext& context) override
    {
        const ParameterValues& p = context.GetParameters();
        m_context = &context;
        m_uas = static_cast<uint32_t>(p.GetInt("uas"));
        const uint32_t perNat = static_cast<uint32_t>(p.GetInt("uas_per_nat"));
        m_kind = TransportFromName(p.GetString("transport"));
        m_callRate = p.GetDouble("call_rate");
        m_holdTime = p.GetTime("hold_time");
        const Time duration = p.GetTime("duration");
        m_callsStart = p.GetTime("register_spread") + Seconds(5);
        // Calls stop early enough to finish before the end of the run.
        m_callsEnd = duration - m_holdTime - Seconds(40);
        if (m_callsEnd <= m_callsStart)
        {
            throw ParameterError("duration",
                                 "parameter 'duration': too short for calls: it must exceed "
                                 "register_spread + hold_time + 45 s");
        }
        context.SetStopTime(duration);

        TopologyConfig tc;
        tc.sites = (m_uas + perNat - 1) / perNat;
        tc.hostsPerSite = perNat;
        tc.edgeProxies = 1;
        if (std::string err = TopologyBuilder::Validate(tc); !err.empty())
        {
            throw ParameterError("uas", "parameter 'uas': " + err);
        }
        m_topo = TopologyBuilder::Build(tc);
        context.Log("topology: " + std::to_string(tc.sites) + " NATs, " + std::to_string(m_uas) +
                    " UAs, transport " + p.GetString("transport"));

        StreamAllocator& streams = context.GetStreams();
        streams.Assign("links", [&](int64_t s) { return FaultHelper::AssignStreams(m_topo.allNodes, s); });
        EventTable& events = context.GetEvents();
        events.DeclareColumn("ua", EventTable::ColumnType::INTEGER);
        events.DeclareColumn("status", EventTable::ColumnType::INTEGER);
        events.DeclareColumn("delay_s", EventTable::ColumnType::REAL);
        m_plan = std::make_unique<FailurePlan>(events);
        streams.Assign("failures", [&](int64_t s) { return m_plan->AssignStreams(s); });

        // Loss on every access link for the whole run.
        const double loss = p.GetDouble("access_loss");
        if (loss > 0)
        {
            FailurePlan::Loss l;
            l.rate = loss;
            for (uint32_t s = 0; s < m_topo.sites.size(); ++s)
            {
                m_plan->LinkLoss("nat-" + std::to_string(s), m_topo.sites[s].accessLink.Get(0),
                                 Seconds(0), Time::Max(), l);
            }
        }

        m_deploy = std::make_unique<SipDeployment>(context, m_kind);
        if (m_kind == TransportKind::kTls)
        {
            m_deploy->LoadTls(p.GetString("cert_dir"));
        }
        // Registrar and home proxy; one edge proxy.
        m_registrarApp = m_deploy->AddRegistrar(m_topo.registrar, OutboundProfile::kDraft);
        const TransportAddress edgeAddress = m_deploy->AddEdgeProxies(
            {m_topo.edgeProxies[0]}, m_deploy->AddressOf(m_topo.registrar), OutboundProfile::kDraft)[0];

        // UAs, one per host node, registering at a random time in [0, spread).
        Ptr<UniformRandomVariable> start = CreateObject<UniformRandomVariable>();
        streams.Assign("ua-start", [&](int64_t s) {
            start->SetStream(s);
            return int64_t(1);
        });
        m_listeners.resize(m_uas);
        m_uaApps.resize(m_uas);
        UaConfig base;
        base.domain = SipDeployment::kDomain;
        base.edgeProxy = edgeAddress;
        base.registerExpires = static_cast<uint32_t>(p.GetTime("register_expires").GetSeconds());
        base.keepaliveInterval = p.GetTime("keepalive_interval").GetNanoSeconds();
        for (uint32_t i = 0; i < m_uas; ++i)
        {
            const Site& site = m_topo.sites[i / perNat];
            const uint32_t h = i % perNat;
            m_listeners[i] = std::make_unique<UaEvents>(*this, i);
            Ptr<SipNodeApplication> app = m_deploy->InstallApp(site.hosts.Get(h), "ua-" + std::to_string(i));
            const Ipv4Address ip = site.hostAddresses[h];
            UaConfig uc = base;
            uc.user = "ua" + std::to_string(i);
            uc.password = *SipDeployment::PasswordOf(uc.user);
            app->AddElement({0, 0, 0},
                            [this, uc, ip, i](const ElementEnvironment& env, uint16_t port) {
                                return std::make_unique<UserAgent>(
                                    env, m_deploy->Client(ip, port), uc, m_listeners[i].get());
                            },
                            [](SipElement& e) { static_cast<UserAgent&>(e).Register(); });
            app->SetStartTime(Seconds(start->GetValue(0, p.GetTime("register_spread").GetSeconds())));
            m_uaApps[i] = app;
        }
        for (uint32_t s = 0; s < m_topo.sites.size(); ++s)
        {
            context.EnablePcap("access-" + std::to_string(s), m_topo.sites[s].accessLink);
        }
        context.EnablePcap("edge", m_topo.edgeProxies[0].link);
        context.EnablePcap("registrar", m_topo.registrar.link);

        // Calls: a Poisson process of rate call_rate between random UAs.
        m_interArrival = CreateObject<ExponentialRandomVariable>();
        m_interArrival->SetAttribute("Mean", DoubleValue(1.0 / m_callRate));
        m_pick = CreateObject<UniformRandomVariable>();
        streams.Assign("calls", [&](int64_t s) {
            m_interArrival->SetStream(s);
            m_pick->SetStream(s + 1);
            return int64_t(2);
        });
        Simulator::Schedule(m_callsStart, &BasicCallScenario::NextCall, this);

        TimeseriesSampler& ts = context.GetTimeseries();
        ts.SetInterval(Seconds(1));
        ts.AddProbe("registered_fraction", [this]() { return double(m_registeredNow) / m_uas; });
        ts.AddProbe("active_calls", [this]() { return double(m_activeCalls); });
        ts.AddRateProbe("messages_per_s", [this]() { return double(TotalSent()); });
    }

    void Finish(RunContext& context) override
    {
        SummaryValues& sum = context.GetSummary();
        sum.Set("uas_count", static_cast<int64_t>(m_uas));
        sum.Set("registration_success_ratio", double(m_firstRegistrations) / m_uas);
        sum.Set("registration_delay_s", m_registrationDelay);
        sum.Set("calls_attempted_count", static_cast<int64_t>(m_callsAttempted));
        sum.Set("call_success_ratio",
                m_callsAttempted == 0 ? 0.0 : double(m_callsEstablished) / m_callsAttempted);
        sum.Set("call_setup_delay_s", m_setupDelay);
        sum.Set("calls_completed_count", static_cast<int64_t>(m_callsCompleted));
        // Messages and bytes of calls: every INVITE, ACK and BYE and every
        // response to them, on every hop, retransmissions included.
        uint64_t messages = 0;
        uint64_t bytes = 0;
        uint64_t retransmissions = 0;
        ForEachCounter([&](const std::string& key, const MessageCounters::Counts& c) {
            retransmissions += c.retransmitted;
            if (IsCallMessage(key))
            {
                messages += c.sent + c.retransmitted;
                bytes += c.bytesSent;
            }
        });
        sum.Set("messages_per_call", m_callsAttempted == 0 ? 0.0 : double(messages) / m_callsAttempted);
        sum.Set("bytes_per_call", m_callsAttempted == 0 ? 0.0 : double(bytes) / m_callsAttempted);
        sum.Set("retransmissions_count", static_cast<int64_t>(retransmissions));
        std::map<std::string, std::pair<uint64_t, uint64_t>> byKey; // sent, retransmitted
        ForEachCounter([&](const std::string& key, const MessageCounters::Counts& c) {
            byKey[key].first += c.sent;
            byKey[key].second += c.retransmitted;
        });
        nlohmann::json kinds = nlohmann::json::object();
        for (const auto& [key, n] : byKey)
        {
            kinds[key] = {{"sent", n.first}, {"retransmitted", n.second}};
        }
        sum.SetJson("messages_by_kind", kinds);
    }

  private:
    /// Reports of one UA, to the scenario.
    class UaEvents : public UaListener
    {
      public:
        UaEvents(BasicCallScenario& s, uint32_t ua)
            : m_s(s),
              m_ua(ua)
        {
        }

        void OnRegistered(TimeNs delay, bool refresh) override
        {
            if (!m_registered)
            {
                m_registered = true;
                ++m_s.m_registeredNow;
            }
            if (!refresh && !m_everRegistered)
            {
                m_everRegistered = true;
                ++m_s.m_firstRegistrations;
                m_s.m_registrationDelay.Add(delay / 1e9);
            }
            m_s.Record("registered", m_ua, {{"delay_s", delay / 1e9}});
        }

        void OnRegistrationFailed(int status) override
        {
            if (m_registered)
            {
                m_registered = false;
                --m_s.m_registeredNow;
            }
            m_s.Record("registration_failed", m_ua, {{"status", status}});
        }

        void OnCallEstablished(TimeNs delay) override
        {
            ++m_s.m_callsEstablished;
            ++m_s.m_activeCalls;
            m_s.m_setupDelay.Add(delay / 1e9);
            m_s.Record("call_established", m_ua, {{"delay_s", delay / 1e9}});
        }

        void OnCallFailed(int status) override
        {
            m_s.Record("call_failed", m_ua, {{"status", status}});
        }

        void OnCallEnded(bool byUs) override
        {
            if (byUs)
            {
                ++m_s.m_callsCompleted;
                --m_s.m_activeCalls;
                m_s.Record("call_ended", m_ua, {});
            }
        }


        bool IsRegistered() const
        {
            return m_registered;
        }

      private:
        BasicCallScenario& m_s;
        uint32_t m_ua;
        bool m_registered = false;
        bool m_everRegistered = false;
    };

    static TransportKind TransportFromName(const std::string& name)
    {
        TransportKind k = TransportKind::kUdp;
        ParseTransportName(name, k);
        return k;
    }

    void Record(const char* kind, uint32_t ua, std::vector<EventTable::Field> fields)
    {
        fields.push_back({"ua", static_cast<int64_t>(ua)});
        m_context->GetEvents().Record("ua-" + std::to_string(ua), kind, fields);
    }

    void NextCall()
    {
        if (Simulator::Now() >= m_callsEnd)
        {
            return;
        }
        const uint32_t caller = m_pick->GetInteger(0, m_uas - 1);
        uint32_t callee = m_pick->GetInteger(0, m_uas - 2);
        if (callee >= caller)
        {
            ++callee; // anyone but the caller
        }
        ++m_callsAttempted;
        auto* ua = static_cast<UserAgent*>(m_uaApps[caller]->GetElement(0));
        if (!ua || !ua->Call(SipDeployment::AorOf(callee), m_holdTime.GetNanoSeconds()))
        {
            Record("call_failed", caller, {{"status", int64_t(0)}});
        }
        Simulator::Schedule(Seconds(m_interArrival->GetValue()), &BasicCallScenario::NextCall, this);
    }

    template <class F>
    void ForEachCounter(F f) const
    {
        for (const Ptr<SipNodeApplication>& app : m_deploy->GetApps())
        {
            for (const auto& [key, c] : app->GetCounters().byKey)
            {
                f(key, c);
            }
        }
    }

    uint64_t TotalSent() const
    {
        uint64_t n = 0;
        ForEachCounter([&](const std::string&, const MessageCounters::Counts& c) { n += c.sent + c.retransmitted; });
        return n;
    }

    static bool IsCallMessage(const std::string& key)
    {
        for (const char* m : {"INVITE", "ACK", "BYE", "CANCEL"})
        {
            const std::string method(m);
            if (key == method ||
                (key.size() > method.size() && key.compare(key.size() - method.size(), method.size(), method) == 0 &&
                 key[key.size() - method.size() - 1] == ' '))
            {
                return true;
            }
        }
        return false;
    }

    RunContext* m_context = nullptr;
    std::unique_ptr<SipDeployment> m_deploy;
    Topology m_topo;
    std::unique_ptr<FailurePlan> m_plan;
    uint32_t m_uas = 0;
    TransportKind m_kind = TransportKind::kUdp;
    double m_callRate = 1;
    Time m_holdTime;
    Time m_callsStart;
    Time m_callsEnd;
    Ptr<SipNodeApplication> m_registrarApp;
    std::vector<Ptr<SipNodeApplication>> m_uaApps;
    std::vector<std::unique_ptr<UaEvents>> m_listeners;
    Ptr<ExponentialRandomVariable> m_interArrival;
    Ptr<UniformRandomVariable> m_pick;

    uint32_t m_registeredNow = 0;
    uint32_t m_firstRegistrations = 0;
    Distribution m_registrationDelay;
    uint64_t m_callsAttempted = 0;
    uint64_t m_callsEstablished = 0;
    uint64_t m_callsCompleted = 0;
    int64_t m_activeCalls = 0;
    Distribution m_setupDelay;
};

} // namespace

ScenarioInfo
BasicCallScenarioInfo()
{
    ScenarioInfo info("basic-call", "UAs behind NATs register through an edge proxy and call each other");
    info.SetDescription(
        "UAs (one host node each, uas_per_nat behind each NAT) register with digest "
        "authentication through one edge proxy to the registrar, which is also the home proxy. "
        "From register_spread + 5 s on, calls arrive as a Poisson process of rate call_rate "
        "between random UAs; the callee answers at once and the caller hangs up after "
        "hold_time. Every SIP message is real (pcaps decode in Wireshark). See "
        "docs/basic-call.md.");
    ParameterSet& p = info.GetParameters();
    p.AddInt("uas", 20, "number of UAs").Range(2, 20000).Unit("UAs");
    p.AddInt("uas_per_nat", 2, "UAs behind each NAT").Range(1, 64).Unit("UAs");
    p.AddEnum("transport", "udp", {"udp", "tcp", "tls"}, "SIP transport of every hop (tls: over TCP, port 5061)");
    p.AddDouble("call_rate", 0.5, "calls per second over all UAs (Poisson)").Range(0.001, 1000).Unit("calls/s");
    p.AddDuration("hold_time", 10, "how long a call lasts before the caller's BYE").Range(0, 3600);
    p.AddDuration("register_expires", 3600, "registration lifetime the UAs ask for").Range(60, 86400);
    p.AddDuration("register_spread", 5, "UAs start registering at a uniform time in [0, spread)")
        .Range(0.001, 3600);
    p.AddDuration("keepalive_interval",
                  25,
                  "CRLFCRLF keepalive from each UA to the edge proxy, so that NAT mappings "
                  "stay open (0: none)")
        .Range(0, 3600);
    p.AddDouble("access_loss", 0.0, "packet loss on every access link, both ways (Bernoulli)").Range(0, 0.5);
    p.AddString("cert_dir",
                SIPBED_DEFAULT_CERT_DIR,
                "tls: folder with the sec-flows examplecom_cert.pem, examplecom_key.pem and "
                "ca_cert.pem");
    p.AddDuration("duration", 120, "simulated time").Range(1, 86400);
    info.SetFactory<BasicCallScenario>();
    return info;
}

} // namespace sipbed
