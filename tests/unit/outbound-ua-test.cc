// Outbound from the UA's side, end to end over the loopback network: the
// wire format of each profile on captured messages (OB-UA-2..5; RFC 5626
// reg-id, ;ob, Supported/Require: outbound, Flow-Timer, CRLF pong), and
// that a UA reusing a victim's instance-id cannot take the victim's calls.
#include "models/roles/edge-proxy.h"
#include "models/roles/registrar.h"
#include "models/roles/user-agent.h"
#include "models/sip/sip-parser.h"
#include "models/sip/transaction-messages.h"
#include "tests/unit/loopback-network.h"

#include <gtest/gtest.h>

#include <set>

using namespace sipbed;
using sipbed::test::Ip;
using sipbed::test::LoopbackNetwork;

namespace
{

struct Calls : UaListener
{
    void OnCallAnswered() override
    {
        ++answered;
    }
    void OnCallEstablished(TimeNs) override
    {
        ++established;
    }
    void OnFlowEvent(uint32_t flow, std::string_view kind, std::string_view detail) override
    {
        flowEvents.push_back(std::to_string(flow) + " " + std::string(kind) + " " + std::string(detail));
    }
    int answered = 0;
    int established = 0;
    std::vector<std::string> flowEvents;
};

/// A registrar, two edge proxies and UAs with two outbound flows each.
struct OutboundDomain
{
    OutboundDomain(TransportKind kind, OutboundProfile profile)
        : kind(kind),
          profile(profile),
          random(5)
    {
        net.observe = [this](const std::string& bytes) { wire.push_back(bytes); };
        LoopbackNetwork::Io& regIo = net.AddEndpoint(Ip("198.18.0.10"), 5060);
        RegistrarConfig rc;
        rc.profile = profile;
        rc.flowTimer = 60;
        rc.password = [](std::string_view user) -> std::optional<std::string> { return "pw-" + std::string(user); };
        registrar = std::make_unique<Registrar>(Env(regIo), Element("198.18.0.10"), rc);
        regIo.transport = &registrar->GetTransport();
        for (const char* ip : {"198.18.0.2", "198.18.0.6"})
        {
            LoopbackNetwork::Io& io = net.AddEndpoint(Ip(ip), 5060);
            EdgeProxyConfig ec;
            ec.registrar = TransportAddress{kind, Ip("198.18.0.10"), 5060, 0};
            ec.profile = profile;
            edges.push_back(std::make_unique<EdgeProxy>(Env(io), Element(ip), ec));
            io.transport = &edges.back()->GetTransport();
        }
    }

    ElementEnvironment Env(LoopbackNetwork::Io& io)
    {
        return ElementEnvironment{net.Clock(), random, io, nullptr};
    }

    ElementConfig Element(const char* ip) const
    {
        ElementConfig c;
        c.ip = Ip(ip);
        c.transport = kind;
        return c;
    }

    /// A UA `user` at `ip` with two flows (edge 1 and 2) and `instance`.
    UserAgent& AddUa(const std::string& user, const char* ip, const std::string& instance, const std::string& password,
                     Calls* listener)
    {
        LoopbackNetwork::Io& io = net.AddEndpoint(Ip(ip), 5060);
        UaConfig uc;
        uc.user = user;
        uc.domain = "example.com";
        uc.password = password;
        uc.outbound = true;
        uc.profile = profile;
        uc.instanceId = instance;
        uc.outboundProxies = {TransportAddress{kind, Ip("198.18.0.2"), 5060, 0},
                              TransportAddress{kind, Ip("198.18.0.6"), 5060, 0}};
        uc.edgeProxy = uc.outboundProxies[0];
        uas.push_back(std::make_unique<UserAgent>(Env(io), Element(ip), uc, listener));
        io.transport = &uas.back()->GetTransport();
        return *uas.back();
    }

    /// Every message of `method` (requests) or answering it (responses) seen on the wire.
    std::vector<SipMessage> Messages(std::string_view start) const
    {
        std::vector<SipMessage> out;
        for (const std::string& bytes : wire)
        {
            if (bytes.rfind(start, 0) != 0)
            {
                continue;
            }
            Result<SipMessage> m = ParseDatagram(std::string_view(bytes));
            if (m)
            {
                out.push_back(m.GetValue());
            }
        }
        return out;
    }

    TransportKind kind;
    OutboundProfile profile;
    LoopbackNetwork net;
    SeededRandom random;
    std::unique_ptr<Registrar> registrar;
    std::vector<std::unique_ptr<EdgeProxy>> edges;
    std::vector<std::unique_ptr<UserAgent>> uas;
    std::vector<std::string> wire;
};

const char* const kAliceInstance = "urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF";

} // namespace

class OutboundWire : public ::testing::TestWithParam<OutboundProfile>
{
};

TEST_P(OutboundWire, EachFlowRegistersThroughItsProxyWithTheInstanceAndItsFlowNumber)
{
    const OutboundProfile profile = GetParam();
    OutboundDomain d(TransportKind::kUdp, profile);
    UserAgent& alice = d.AddUa("alice", "10.0.0.2", kAliceInstance, "pw-alice", nullptr);
    alice.Register();
    d.net.Clock().Advance(SecondsToNs(1));
    EXPECT_EQ(alice.GetRegisteredFlowCount(), 2u);

    // The REGISTERs the UA itself sent (one Via), with credentials.
    std::map<std::string, SipMessage> byRoute;
    std::set<std::string> callIds;
    for (const SipMessage& m : d.Messages("REGISTER"))
    {
        if (m.CountValues(HeaderId::kVia) == 1 && m.FindHeader(HeaderId::kAuthorization))
        {
            byRoute.emplace(std::string(m.GetValues(HeaderId::kRoute).at(0)), m);
            callIds.insert(std::string(*m.GetCallId()));
        }
    }
    ASSERT_EQ(byRoute.size(), 2u); // OB-UA-2: one per proxy, each a loose route to it
    EXPECT_EQ(callIds.size(), 2u); // OB-UA-5
    const std::string param(FlowParameterName(profile));
    int flow = 1;
    for (const char* route : {"<sip:198.18.0.2:5060;lr>", "<sip:198.18.0.6:5060;lr>"})
    {
        ASSERT_TRUE(byRoute.count(route)) << route;
        const SipMessage& m = byRoute.at(route);
        EXPECT_EQ(m.GetRequestUri().GetRaw(), "sip:example.com");
        const ContactValue c = m.GetContacts().at(0);
        EXPECT_EQ(c.GetInstance(), std::optional<std::string>(kAliceInstance)); // OB-UA-3
        EXPECT_EQ(c.GetParams().Get(param), std::optional<std::string_view>(std::to_string(flow))); // OB-UA-4
        EXPECT_EQ(std::string(m.FindHeader(HeaderId::kSupported)->value),
                  profile == OutboundProfile::kRfc5626 ? "outbound, path" : "path");
        ++flow;
    }
    // The registrar's 2xx: Require: outbound and Flow-Timer in RFC 5626 only;
    // the first hop's Path with ;ob in RFC 5626 only.
    bool sawOk = false;
    for (const SipMessage& m : d.Messages("SIP/2.0 200"))
    {
        if (m.GetCSeq()->method != "REGISTER" || m.CountValues(HeaderId::kVia) != 1)
        {
            continue;
        }
        sawOk = true;
        const bool rfc = profile == OutboundProfile::kRfc5626;
        EXPECT_EQ(m.FindHeader(HeaderId::kRequire) != nullptr, rfc);
        EXPECT_EQ(m.GetUint(HeaderId::kFlowTimer).has_value(), rfc);
        const std::string path(m.GetValues(HeaderId::kPath).at(0));
        EXPECT_EQ(path.find(";ob") != std::string::npos, rfc) << path;
    }
    EXPECT_TRUE(sawOk);
}

TEST_P(OutboundWire, DialogFormingRequestsCarryObInTheContactOnlyInRfc5626)
{
    const OutboundProfile profile = GetParam();
    OutboundDomain d(TransportKind::kUdp, profile);
    Calls bobCalls;
    UserAgent& alice = d.AddUa("alice", "10.0.0.2", kAliceInstance, "pw-alice", nullptr);
    d.AddUa("bob", "10.0.1.2", "urn:uuid:00000000-0000-1000-8000-000000000B0B", "pw-bob", &bobCalls);
    for (auto& ua : d.uas)
    {
        ua->Register();
    }
    d.net.Clock().Advance(SecondsToNs(1));
    ASSERT_TRUE(alice.Call("sip:bob@example.com", SecondsToNs(2)));
    d.net.Clock().Advance(SecondsToNs(5));
    EXPECT_EQ(bobCalls.answered, 1);
    const std::vector<SipMessage> invites = d.Messages("INVITE");
    ASSERT_FALSE(invites.empty());
    const std::string contact(invites[0].GetContacts().at(0).GetUri().GetRaw());
    EXPECT_EQ(contact.find(";ob") != std::string::npos, profile == OutboundProfile::kRfc5626) << contact;
}

INSTANTIATE_TEST_SUITE_P(Profiles,
                         OutboundWire,
                         ::testing::Values(OutboundProfile::kDraft, OutboundProfile::kRfc5626),
                         [](const auto& info) { return std::string(ProfileName(info.param)); });

TEST(OutboundUa, Rfc5626TcpFlowsPingWithCrlfCrlfAndStayUpOnThePong)
{
    OutboundDomain d(TransportKind::kTcp, OutboundProfile::kRfc5626);
    Calls events;
    UserAgent& alice = d.AddUa("alice", "10.0.0.2", kAliceInstance, "pw-alice", &events);
    alice.Register();
    d.net.Clock().Advance(SecondsToNs(300)); // Flow-Timer 60 s: pings every 48-60 s
    int pings = 0;
    int pongs = 0;
    for (const std::string& bytes : d.wire)
    {
        pings += bytes == "\r\n\r\n";
        pongs += bytes == "\r\n";
    }
    EXPECT_GE(pings, 2 * 4); // two flows, at least 4 pings each in 300 s
    EXPECT_EQ(pongs, pings);
    EXPECT_EQ(alice.GetRegisteredFlowCount(), 2u);
    for (const std::string& e : events.flowEvents)
    {
        EXPECT_EQ(e.find("flow_failed"), std::string::npos) << e;
    }
}

TEST(OutboundUa, DraftStreamFlowsSendASingleCrlfAndExpectNoAnswer)
{
    OutboundDomain d(TransportKind::kTcp, OutboundProfile::kDraft);
    UserAgent& alice = d.AddUa("alice", "10.0.0.2", kAliceInstance, "pw-alice", nullptr);
    alice.Register();
    d.net.Clock().Advance(SecondsToNs(1300)); // CRLF after 500-600 s idle
    int crlf = 0;
    int pings = 0;
    for (const std::string& bytes : d.wire)
    {
        crlf += bytes == "\r\n";
        pings += bytes == "\r\n\r\n";
    }
    EXPECT_GE(crlf, 2 * 2); // two flows, at least two CRLFs each
    EXPECT_EQ(pings, 0);
    EXPECT_EQ(alice.GetRegisteredFlowCount(), 2u);
}

TEST(OutboundUa, AUaReusingAVictimsInstanceIdNeverReceivesTheVictimsCalls)
{
    OutboundDomain d(TransportKind::kUdp, OutboundProfile::kDraft);
    Calls aliceCalls;
    Calls malloryCalls;
    Calls carolCalls;
    d.AddUa("alice", "10.0.0.2", kAliceInstance, "pw-alice", &aliceCalls);
    // mallory registers her own AOR with alice's instance-id (she has her
    // own credentials) ...
    d.AddUa("mallory", "10.0.6.6", kAliceInstance, "pw-mallory", &malloryCalls);
    // ... and tries alice's AOR with alice's instance-id but her own password.
    d.AddUa("alice", "10.0.6.7", kAliceInstance, "pw-mallory", &malloryCalls);
    UserAgent& carol = d.AddUa("carol", "10.0.3.2", "urn:uuid:00000000-0000-1000-8000-0000000CA201", "pw-carol",
                               &carolCalls);
    for (auto& ua : d.uas)
    {
        ua->Register();
    }
    d.net.Clock().Advance(SecondsToNs(2));
    EXPECT_FALSE(d.uas[2]->IsRegistered()); // wrong password: never registered
    for (int i = 0; i < 5; ++i)
    {
        ASSERT_TRUE(carol.Call("sip:alice@example.com", SecondsToNs(1)));
        d.net.Clock().Advance(SecondsToNs(5));
    }
    EXPECT_EQ(aliceCalls.answered, 5);
    EXPECT_EQ(malloryCalls.answered, 0);
    EXPECT_EQ(carolCalls.established, 5);
}

namespace
{

/// A proxy that answers every REGISTER with `status` (and Retry-After when
/// `retryAfter` >= 0), recording when each arrives.
struct ScriptedProxy
{
    ScriptedProxy(LoopbackNetwork& net, int status, int retryAfter)
        : io(net.AddEndpoint(Ip("198.18.0.2"), 5060)),
          transport(io, SipTransport::Config{}, Handler(net, status, retryAfter))
    {
        io.transport = &transport;
    }

    SipTransport::Handler Handler(LoopbackNetwork& net, int status, int retryAfter)
    {
        SipTransport::Handler h;
        h.onMessage = [this, &net, status, retryAfter](SipMessage&& m, const TransportAddress& from, size_t) {
            if (!m.IsRequest())
            {
                return;
            }
            arrivals.push_back(net.Clock().Now() / 1e9);
            std::optional<SipMessage> r = MakeResponseFor(m, status, "Service Unavailable", "t1");
            if (retryAfter >= 0)
            {
                r->AddHeader("Retry-After", std::to_string(retryAfter));
            }
            r->AddHeader("Content-Length", "0");
            transport.Send(*r, from);
        };
        return h;
    }

    LoopbackNetwork::Io& io;
    SipTransport transport;
    std::vector<double> arrivals;
};

struct Backoffs : UaListener
{
    void OnBackoff(uint32_t, const BackoffDecision& d) override
    {
        decisions.push_back(d);
    }
    std::vector<BackoffDecision> decisions;
};

/// One outbound UA whose only proxy is the scripted one.
std::unique_ptr<UserAgent>
UaBehind(LoopbackNetwork& net,
         RandomSource& random,
         UaListener* listener,
         UaConfig::RetryPolicy policy,
         const std::vector<TransportAddress>& hosts = {})
{
    LoopbackNetwork::Io& io = net.AddEndpoint(Ip("10.0.0.2"), 5060);
    UaConfig uc;
    uc.user = "alice";
    uc.domain = "example.com";
    uc.outbound = true;
    uc.instanceId = kAliceInstance;
    uc.edgeProxy = TransportAddress{TransportKind::kUdp, Ip("198.18.0.2"), 5060, 0};
    if (!hosts.empty())
    {
        uc.outboundProxyHosts = {hosts};
        uc.outboundProxies = {hosts[0]};
    }
    uc.retryPolicy = policy;
    uc.retryFixed = SecondsToNs(300);
    uc.retryJitter = SecondsToNs(10);
    ElementConfig ec;
    ec.ip = Ip("10.0.0.2");
    auto ua = std::make_unique<UserAgent>(ElementEnvironment{net.Clock(), random, io, nullptr}, ec, uc, listener);
    io.transport = &ua->GetTransport();
    return ua;
}

} // namespace

TEST(OutboundUa, A503WithRetryAfterIsNotAFailureAndTheRetryComesWhenTold)
{
    // OB-UA-6: Retry-After 20 -> next REGISTER 20 s later, no backoff; 0 -> at once.
    for (int after : {20, 0})
    {
        LoopbackNetwork net;
        SeededRandom random(1);
        ScriptedProxy proxy(net, 503, after);
        Backoffs b;
        auto ua = UaBehind(net, random, &b, UaConfig::RetryPolicy::kBackoff);
        ua->Register();
        net.Clock().Advance(SecondsToNs(after + 1));
        ASSERT_GE(proxy.arrivals.size(), 2u) << after;
        EXPECT_NEAR(proxy.arrivals[1] - proxy.arrivals[0], after + 0.02, 1e-6) << after; // + one round trip
        EXPECT_TRUE(b.decisions.empty()) << after;
        ua->Stop();
    }
}

TEST(OutboundUa, A503WithoutRetryAfterIsAFailureAndBacksOffThirtyToSixtySeconds)
{
    // OB-UA-7 and OB-UA-18: the only flow failed at boot: n = 1, base 30.
    LoopbackNetwork net;
    SeededRandom random(2);
    ScriptedProxy proxy(net, 503, -1);
    Backoffs b;
    auto ua = UaBehind(net, random, &b, UaConfig::RetryPolicy::kBackoff);
    ua->Register();
    net.Clock().Advance(SecondsToNs(61));
    ASSERT_GE(b.decisions.size(), 1u);
    EXPECT_EQ(b.decisions[0].consecutiveFailures, 1u);
    EXPECT_EQ(b.decisions[0].baseTimeS, 30);
    if (b.decisions.size() > 1)
    {
        EXPECT_EQ(b.decisions[1].consecutiveFailures, 2u); // the retry failed too
    }
    ASSERT_GE(proxy.arrivals.size(), 2u);
    const double gap = proxy.arrivals[1] - proxy.arrivals[0] - 0.02;
    EXPECT_GE(gap, 30);
    EXPECT_LE(gap, 60);
    ua->Stop();
}

TEST(OutboundUa, RetryPoliciesImmediateAndFixedRetryAsConfigured)
{
    {
        LoopbackNetwork net;
        SeededRandom random(3);
        ScriptedProxy proxy(net, 500, -1);
        auto ua = UaBehind(net, random, nullptr, UaConfig::RetryPolicy::kImmediate);
        ua->Register();
        net.Clock().Advance(SecondsToNs(1));
        // one attempt per round trip (20 ms): about 50 in a second
        EXPECT_GT(proxy.arrivals.size(), 40u);
        ua->Stop();
    }
    {
        LoopbackNetwork net;
        SeededRandom random(4);
        ScriptedProxy proxy(net, 500, -1);
        auto ua = UaBehind(net, random, nullptr, UaConfig::RetryPolicy::kFixed);
        ua->Register();
        net.Clock().Advance(SecondsToNs(1000));
        ASSERT_GE(proxy.arrivals.size(), 3u);
        for (size_t i = 1; i < proxy.arrivals.size(); ++i)
        {
            const double gap = proxy.arrivals[i] - proxy.arrivals[i - 1] - 0.02;
            EXPECT_GE(gap, 290);
            EXPECT_LE(gap, 310);
        }
        ua->Stop();
    }
}

TEST(OutboundUa, ARetryResolvesTheProxyAgainSoAnotherHostCanBePicked)
{
    // OB-UA-6: the proxy URI resolves to hosts A and B; A answers 503
    // Retry-After: 0. Over many seeded runs the retry goes to both A and B.
    std::set<std::string> retryHosts;
    for (uint64_t seed = 1; seed <= 200 && retryHosts.size() < 2; ++seed)
    {
        LoopbackNetwork net;
        SeededRandom random(seed);
        ScriptedProxy a(net, 503, 0); // at 198.18.0.2
        LoopbackNetwork::Io& bIo = net.AddEndpoint(Ip("198.18.0.3"), 5060);
        std::vector<double> bArrivals;
        SipTransport::Handler h;
        h.onMessage = [&](SipMessage&&, const TransportAddress&, size_t) { bArrivals.push_back(0); };
        SipTransport b(bIo, SipTransport::Config{}, h);
        bIo.transport = &b;
        auto ua = UaBehind(net,
                           random,
                           nullptr,
                           UaConfig::RetryPolicy::kBackoff,
                           {TransportAddress{TransportKind::kUdp, Ip("198.18.0.2"), 5060, 0},
                            TransportAddress{TransportKind::kUdp, Ip("198.18.0.3"), 5060, 0}});
        ua->Register();
        net.Clock().Advance(SecondsToNs(0.05)); // first attempt and its answer
        if (a.arrivals.empty())
        {
            continue; // the first attempt went to B, which never answers
        }
        const size_t aBefore = a.arrivals.size();
        net.Clock().Advance(SecondsToNs(0.05)); // the retry
        if (a.arrivals.size() > aBefore)
        {
            retryHosts.insert("A");
        }
        if (!bArrivals.empty())
        {
            retryHosts.insert("B");
        }
        ua->Stop();
    }
    EXPECT_EQ(retryHosts, (std::set<std::string>{"A", "B"}));
}

TEST(OutboundUa, DraftStreamFlowCarryingAMessageEvery400SecondsNeverSendsACrlf)
{
    // OB-UA-9: the CRLF goes only after [500, 600] s with no data.
    OutboundDomain d(TransportKind::kTcp, OutboundProfile::kDraft);
    UserAgent& alice = d.AddUa("alice", "10.0.0.2", kAliceInstance, "pw-alice", nullptr);
    alice.Register();
    for (int i = 0; i < 6; ++i)
    {
        d.net.Clock().Advance(SecondsToNs(400));
        alice.SendRequest("OPTIONS", "sip:nobody@example.com"); // traffic on the primary flow
    }
    int crlfs = 0;
    for (const std::string& bytes : d.wire)
    {
        crlfs += bytes == "\r\n";
    }
    // the second (idle) flow sends its CRLFs; the busy one none: at most
    // ceil(2400 / 500) = 5 CRLFs in all, all from the idle flow
    EXPECT_LE(crlfs, 5);
    EXPECT_GE(crlfs, 3);
}
