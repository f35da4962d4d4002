// The server capacity model in front of a SIP role inside ns-3 (DESIGN.md,
// "Network model: Server capacity"; docs/server-capacity.md, "In front of
// SIP roles"): a registrar whose CPU is too slow for N UAs registering at
// the same instant, with a short queue. Under the 503 policy the UAs are
// told to come back later (RFC 3261 21.5.4, 20.33) and all register in the
// end; under the drop policy UDP retransmissions (timer E, 17.1.2.2) get
// them through. The statistics add up: what the queue served is what the
// registrar's transaction layer processed. A crash empties the queue.
#include "sim/server-capacity.h"
#include "sim/sip-node-application.h"
#include "sim/topology-builder.h"

#include "models/roles/registrar.h"
#include "models/roles/user-agent.h"
#include "models/sip/sip-parser.h"

#include "ns3/core-module.h"
#include "ns3/internet-module.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace ns3;
using namespace sipbed;

namespace
{

struct Registrations : UaListener
{
    void OnRegistered(TimeNs, bool refresh) override
    {
        if (!refresh)
        {
            ++registered;
            lastAt = Simulator::Now();
        }
    }

    void OnRegistrationFailed(int status) override
    {
        failures.push_back(status);
    }

    uint32_t registered = 0;
    Time lastAt;
    std::vector<int> failures;
};

struct LoadRun
{
    uint32_t uas = 40;
    TransportKind transport = TransportKind::kUdp;
    /// Null: the registrar has no capacity model.
    Ptr<ServerCapacity> capacity;
    /// The registrar crashes and restarts at these times (zero: never).
    Time crashAt;
    Time restartAt;
    /// Every UA unregisters at this time (zero: never).
    Time unregisterAt;
    Time stopAt = Seconds(60);
};

struct Outcome
{
    uint32_t registeredUas = 0; ///< UAs registered at the end
    Registrations events;
    CapacityStats stats;
    bool hasCapacity = false;
    uint64_t registrations = 0;             ///< the registrar's 200s (this life)
    TransactionStats layer;                 ///< the registrar's transaction layer (this life)
    MessageCounters::Counts uaRegister;     ///< REGISTER sent by the UAs' node
    MessageCounters::Counts ua503Register;  ///< 503 REGISTER received by the UAs' node
    MessageCounters::Counts serverRegister; ///< REGISTER received by the registrar's node
    uint64_t servedTraced = 0;
    std::vector<Time> serviceTimes; ///< from the Served trace, in order
    uint32_t inSystemAfterRestart = 1000;
    uint64_t flushedAtCrash = 0;
};

const uint16_t kPort = 5060;

Outcome
RunRegistrations(const LoadRun& setup)
{
    Outcome out;
    TopologyConfig tc;
    tc.edgeProxies = 0;
    tc.accessRate = DataRate("100Mbps"); // the registrar's CPU, not the link, is the bottleneck
    Topology topo = TopologyBuilder::Build(tc);
    {
        const uint32_t registrarIp = topo.registrar.address.Get();
        const bool stream = setup.transport != TransportKind::kUdp;
        Ptr<SipNodeApplication> server = CreateObject<SipNodeApplication>();
        topo.registrar.node->AddApplication(server);
        const size_t index = server->AddElement({kPort, uint16_t(stream ? kPort : 0), 0},
                                                [&](const ElementEnvironment& env, uint16_t port) {
                                                    ElementConfig e;
                                                    e.ip = registrarIp;
                                                    e.port = port;
                                                    e.transport = setup.transport;
                                                    RegistrarConfig rc;
                                                    rc.authenticate = false;
                                                    return std::make_unique<Registrar>(env, e, rc);
                                                });
        if (setup.capacity)
        {
            CapacityWorkRules rules;
            server->EnableServerCapacity(index, setup.capacity, rules);
            setup.capacity->TraceConnectWithoutContext(
                "Served",
                Callback<void, uint64_t, Time, Time>([&out](uint64_t, Time, Time service) {
                    ++out.servedTraced;
                    out.serviceTimes.push_back(service);
                }));
        }
        server->AssignStreams(100);
        server->SetStartTime(Seconds(0));

        Ptr<SipNodeApplication> hosts = CreateObject<SipNodeApplication>();
        topo.sites[0].hosts.Get(0)->AddApplication(hosts);
        const uint32_t hostIp = topo.sites[0].hostAddresses[0].Get();
        for (uint32_t i = 0; i < setup.uas; ++i)
        {
            hosts->AddElement(
                {0, 0, 0},
                [&, i](const ElementEnvironment& env, uint16_t port) {
                    ElementConfig e;
                    e.ip = hostIp;
                    e.port = port;
                    e.transport = setup.transport;
                    UaConfig uc;
                    uc.user = "ua" + std::to_string(i);
                    uc.domain = "example.com";
                    uc.edgeProxy = TransportAddress{setup.transport, registrarIp, kPort, 0};
                    return std::make_unique<UserAgent>(env, e, uc, &out.events);
                },
                [](SipElement& e) { static_cast<UserAgent&>(e).Register(); });
        }
        hosts->AssignStreams(1);
        hosts->SetStartTime(Seconds(1)); // every UA registers at this instant

        if (!setup.crashAt.IsZero())
        {
            Simulator::Schedule(setup.crashAt, [&]() {
                server->Crash();
                out.flushedAtCrash = server->GetCapacityStats(index).flushed;
            });
            Simulator::Schedule(setup.restartAt, [&]() {
                server->Restart();
                out.inSystemAfterRestart = server->GetCapacityStats(index).inSystem;
            });
        }
        if (!setup.unregisterAt.IsZero())
        {
            Simulator::Schedule(setup.unregisterAt, [&]() {
                for (size_t i = 0; i < hosts->GetElementCount(); ++i)
                {
                    static_cast<UserAgent*>(hosts->GetElement(i))->Unregister();
                }
            });
        }
        Simulator::Stop(setup.stopAt);
        Simulator::Run();

        for (size_t i = 0; i < hosts->GetElementCount(); ++i)
        {
            out.registeredUas += static_cast<UserAgent*>(hosts->GetElement(i))->IsRegistered();
        }
        auto* registrar = static_cast<Registrar*>(server->GetElement(index));
        out.registrations = registrar->GetRegistrarStats().registrations;
        out.layer = registrar->GetTransactions().GetStats();
        out.hasCapacity = server->GetServerCapacity(index) != nullptr;
        out.stats = server->GetCapacityStats(index);
        out.uaRegister = hosts->GetCounters().byKey["REGISTER"];
        out.ua503Register = hosts->GetCounters().byKey["503 REGISTER"];
        out.serverRegister = server->GetCounters().byKey["REGISTER"];
        for (size_t i = 0; i < hosts->GetElementCount(); ++i)
        {
            static_cast<UserAgent*>(hosts->GetElement(i))->Stop();
        }
    }
    Simulator::Destroy();
    return out;
}

/// A registrar CPU that takes 5 ms per REGISTER (200/s) with room for 5
/// waiting messages: 40 REGISTERs at once overload it.
Ptr<ServerCapacity>
SlowRegistrar(const std::string& policy)
{
    Ptr<ServerCapacity> cpu = CreateObject<ServerCapacity>();
    cpu->SetAttribute("RegisterCost", TimeValue(MilliSeconds(5)));
    cpu->SetAttribute("QueueLimit", UintegerValue(5));
    cpu->SetAttribute("OverloadPolicy", StringValue(policy));
    cpu->SetAttribute("RetryAfter", UintegerValue(2));
    return cpu;
}

/// What every run with a capacity must satisfy: the accounting identity,
/// the queue served exactly what the registrar's transaction layer
/// processed (REGISTERs only: new transactions and absorbed
/// retransmissions), the trace saw every service, utilization in (0, 1).
void
ExpectConsistent(const Outcome& o)
{
    const CapacityStats& s = o.stats;
    EXPECT_EQ(s.arrivals,
              s.served + s.responses503 + s.rejectedUnanswered + s.dropped + s.flushed +
                  s.inSystem);
    EXPECT_EQ(s.served, o.layer.serverTransactions + o.layer.requestRetransmissionsReceived);
    EXPECT_EQ(o.servedTraced, s.served);
    EXPECT_EQ(o.serverRegister.received, s.arrivals); // counted on arrival, as before
    EXPECT_GT(s.utilization, 0.0);
    EXPECT_LT(s.utilization, 1.0);
    EXPECT_EQ(s.rejectedUnanswered, 0u); // only REGISTERs arrive: all answerable
}

/// The user's view at the end: every UA registered (each once, in the
/// registrar's current life), none saw a failure.
void
ExpectEveryUaRegistered(const Outcome& o, const LoadRun& setup)
{
    EXPECT_EQ(o.registeredUas, setup.uas);
    EXPECT_EQ(o.events.registered, setup.uas);
    EXPECT_TRUE(o.events.failures.empty());
    EXPECT_EQ(o.registrations, setup.uas);
}

} // namespace

TEST(ServerCapacitySip, WithoutCapacityEveryUaRegistersAtOnce)
{
    LoadRun setup;
    Outcome o = RunRegistrations(setup);
    EXPECT_FALSE(o.hasCapacity);
    ExpectEveryUaRegistered(o, setup);
    EXPECT_EQ(o.uaRegister.retransmitted, 0u);
    EXPECT_EQ(o.ua503Register.received, 0u);
    EXPECT_LT(o.events.lastAt, Seconds(1.2));
    EXPECT_EQ(o.stats.arrivals, 0u);
    EXPECT_EQ(o.stats.utilization, 0.0);
}

TEST(ServerCapacitySip, Under503PolicyUasRetryAfterRetryAfterAndAllRegister)
{
    LoadRun setup;
    setup.capacity = SlowRegistrar("503");
    Outcome o = RunRegistrations(setup);
    ExpectConsistent(o);

    // The user's view: everyone registered, nobody saw a failure (a 503
    // with Retry-After is "come back later", outbound OB-UA-6), some only
    // after waiting Retry-After (2 s) at least once.
    ExpectEveryUaRegistered(o, setup);
    EXPECT_GT(o.events.lastAt, Seconds(3));

    // The server's view: some REGISTERs answered 503, each received by a UA;
    // every UA registered once; nothing dropped or retransmitted (the queue
    // waits at most 6 x 5 ms, far below T1).
    EXPECT_GT(o.stats.responses503, 0u);
    EXPECT_EQ(o.ua503Register.received, o.stats.responses503);
    EXPECT_EQ(o.stats.dropped, 0u);
    EXPECT_EQ(o.stats.served, uint64_t(setup.uas));
    EXPECT_EQ(o.uaRegister.retransmitted, 0u);
    EXPECT_EQ(o.uaRegister.sent, setup.uas + o.stats.responses503);
    EXPECT_EQ(o.stats.inSystem, 0u);
    EXPECT_LE(o.stats.maxWait, MilliSeconds(31));
    // Every service: a REGISTER's 5 ms (UDP, no credentials).
    for (const Time& t : o.serviceTimes)
    {
        EXPECT_EQ(t, MilliSeconds(5));
    }
}

TEST(ServerCapacitySip, UnderDropPolicyUdpRetransmissionsGetEveryRegisterThrough)
{
    LoadRun setup;
    setup.capacity = SlowRegistrar("drop");
    Outcome o = RunRegistrations(setup);
    ExpectConsistent(o);

    ExpectEveryUaRegistered(o, setup); // no timer F expired
    EXPECT_GT(o.stats.dropped, 0u);
    EXPECT_EQ(o.stats.responses503, 0u);
    EXPECT_EQ(o.ua503Register.received, 0u);
    // Timer E: the dropped REGISTERs came again, from T1 = 500 ms on.
    EXPECT_GT(o.uaRegister.retransmitted, 0u);
    EXPECT_GE(o.uaRegister.sent + o.uaRegister.retransmitted, setup.uas + o.stats.dropped);
    EXPECT_GT(o.events.lastAt, Seconds(1.5));
}

TEST(ServerCapacitySip, ACrashFlushesTheQueueAndTheRestartStartsEmpty)
{
    LoadRun setup;
    setup.capacity = SlowRegistrar("drop");
    // The REGISTERs reach the registrar about 17 ms after 1 s; at 1.02 s the
    // queue is full and a REGISTER in service.
    setup.crashAt = Seconds(1.02);
    setup.restartAt = Seconds(1.3);
    Outcome o = RunRegistrations(setup);

    EXPECT_GT(o.flushedAtCrash, 0u);
    EXPECT_EQ(o.stats.flushed, o.flushedAtCrash);
    EXPECT_EQ(o.inSystemAfterRestart, 0u);
    // What the restarted registrar's layer saw is what was served after
    // the restart: the accounting still adds up over both lives.
    EXPECT_EQ(o.stats.arrivals,
              o.stats.served + o.stats.dropped + o.stats.flushed + o.stats.inSystem);
    EXPECT_EQ(o.servedTraced, o.stats.served);
    // Retransmissions reach the restarted registrar: everyone registers,
    // all in the registrar's new life.
    ExpectEveryUaRegistered(o, setup);
}

TEST(ServerCapacitySip, TheFirstRequestOnATcpConnectionCostsTheAccept)
{
    LoadRun setup;
    setup.uas = 3;
    setup.transport = TransportKind::kTcp;
    setup.capacity = CreateObject<ServerCapacity>(); // default costs, no overload
    setup.unregisterAt = Seconds(5);
    setup.stopAt = Seconds(10);
    Outcome o = RunRegistrations(setup);
    ExpectConsistent(o);
    EXPECT_EQ(o.stats.arrivals, 6u);
    ASSERT_EQ(o.serviceTimes.size(), 6u);
    // RegisterCost 60 us + NewConnectionCost 100 us for each first REGISTER
    // (calibration.md); the unregistering REGISTER rides the same connection.
    for (size_t i = 0; i < 3; ++i)
    {
        EXPECT_EQ(o.serviceTimes[i], MicroSeconds(160)) << i;
        EXPECT_EQ(o.serviceTimes[i + 3], MicroSeconds(60)) << i;
    }
    EXPECT_EQ(o.registeredUas, 0u); // unregistered
    EXPECT_EQ(o.events.registered, 3u);
}

TEST(ServerCapacitySip, ClassificationFollowsTheMessageAndTheRolesRules)
{
    auto parse = [](const std::string& text) {
        return ParseDatagram(text).GetValue();
    };
    const std::string head = " sip:example.com SIP/2.0\r\n"
                             "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK-c\r\n"
                             "To: <sip:a@example.com>\r\n"
                             "From: <sip:a@example.com>;tag=1\r\n"
                             "Call-ID: c@10.0.0.2\r\n";
    const SipMessage reg =
        parse("REGISTER" + head + "CSeq: 1 REGISTER\r\nContent-Length: 0\r\n\r\n");
    const SipMessage authReg = parse("REGISTER" + head +
                                     "CSeq: 2 REGISTER\r\n"
                                     "Authorization: Digest username=\"a\", realm=\"example.com\", "
                                     "nonce=\"n\", uri=\"sip:example.com\", response=\"r\"\r\n"
                                     "Content-Length: 0\r\n\r\n");
    const SipMessage proxyAuthInvite = parse("INVITE" + head +
                                             "CSeq: 1 INVITE\r\n"
                                             "Proxy-Authorization: Digest username=\"a\"\r\n"
                                             "Content-Length: 0\r\n\r\n");
    const SipMessage bye = parse("BYE" + head + "CSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n");
    const SipMessage ok = parse("SIP/2.0 200 OK\r\n"
                                "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK-c\r\n"
                                "To: <sip:a@example.com>;tag=2\r\n"
                                "From: <sip:a@example.com>;tag=1\r\n"
                                "Call-ID: c@10.0.0.2\r\n"
                                "CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n");
    const TransportAddress udp{TransportKind::kUdp, 1, 5060, 0};
    const TransportAddress tcp{TransportKind::kTcp, 1, 40000, 3};
    const TransportAddress tls{TransportKind::kTls, 1, 40001, 4};
    const CapacityWorkRules registrar{true, true, 0, TlsWork::kFullHandshake};
    const CapacityWorkRules edge{false, false, 1, TlsWork::kResumption};

    /// One case: the message, how it arrived, the role's rules, and the
    /// work expected as {kind, challenge, digestCheck, hmacs, tls, newConnection}.
    struct Case
    {
        const char* what;
        const SipMessage& message;
        TransportAddress from;
        bool first;
        CapacityWorkRules rules;
        MessageKind kind;
        bool challenge;
        bool digestCheck;
        uint8_t hmacs;
        TlsWork tls;
        bool newConnection;
    };

    using K = MessageKind;
    const TlsWork none = TlsWork::kNone;
    // One case per row reads better than one field per line:
    // clang-format off
    const std::vector<Case> cases = {
        {"REGISTER without credentials: challenged", reg, udp, false, registrar,
         K::kRegister, true, false, 0, none, false},
        {"REGISTER with credentials: checked", authReg, udp, false, registrar,
         K::kRegister, false, true, 0, none, false},
        {"edge proxy: credentials passed on, a flow token HMAC", authReg, udp, false, edge,
         K::kRegister, false, false, 1, none, false},
        {"edge proxy: no challenge", reg, udp, false, edge,
         K::kRegister, false, false, 1, none, false},
        {"INVITE first on TCP, Proxy-Authorization, not challenged", proxyAuthInvite, tcp,
         true, registrar, K::kInvite, false, true, 0, none, true},
        {"BYE first on TLS: accept and handshake", bye, tls, true, edge,
         K::kOtherRequest, false, false, 1, TlsWork::kResumption, true},
        {"BYE later on TLS", bye, tls, false, registrar,
         K::kOtherRequest, false, false, 0, none, false},
        {"a response first on a connection: one we opened", ok, tls, true, registrar,
         K::kResponse, false, false, 0, none, false},
        {"a response: no HMAC", ok, udp, false, edge,
         K::kResponse, false, false, 0, none, false},
    };
    // clang-format on
    for (const Case& c : cases)
    {
        const WorkItem w = ClassifyInboundWork(c.message, c.from, c.first, c.rules);
        EXPECT_EQ(w.kind, c.kind) << c.what;
        EXPECT_EQ(w.challenge, c.challenge) << c.what;
        EXPECT_EQ(w.digestCheck, c.digestCheck) << c.what;
        EXPECT_EQ(w.hmacs, c.hmacs) << c.what;
        EXPECT_EQ(w.tls, c.tls) << c.what;
        EXPECT_EQ(w.newConnection, c.newConnection) << c.what;
        EXPECT_EQ(w.signatures + w.verifications, 0) << c.what;
    }

    // With the default costs: a challenged REGISTER 15 us, an authenticated
    // one 60 + 10 us, a first REGISTER over TLS 60 + 100 + 935 us.
    Ptr<ServerCapacity> cpu = CreateObject<ServerCapacity>();
    EXPECT_EQ(cpu->GetServiceTime(ClassifyInboundWork(reg, udp, false, registrar)),
              MicroSeconds(15));
    EXPECT_EQ(cpu->GetServiceTime(ClassifyInboundWork(authReg, udp, false, registrar)),
              MicroSeconds(70));
    EXPECT_EQ(cpu->GetServiceTime(ClassifyInboundWork(authReg, tls, true, registrar)),
              MicroSeconds(1105));
}
