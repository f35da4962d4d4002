// The registrar and home proxy side of outbound (../shared/spec/outbound.md
// 5.2, 5.3, 10) over the loopback network: probe endpoints send hand-built
// REGISTERs with +sip.instance and flow-id (draft) or reg-id (RFC 5626),
// answer what the home proxy forwards to them, and the tests look at the
// bytes that come back. Digest is off: authentication is not the point here.
#include "models/roles/registrar.h"
#include "models/sip/transaction-messages.h"

#include "tests/unit/loopback-network.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

using namespace sipbed;
using sipbed::test::Ip;
using sipbed::test::LoopbackNetwork;

namespace
{

const char* const kInstance = "urn:uuid:0C67446E-F1A1-11D9-94D3-000A95A0E128";
const char* const kRegistrarIp = "198.18.0.2";
const char* const kHomeRecordRoute = "<sip:198.18.0.2:5060;lr>";

/// An endpoint speaking hand-built SIP: it records every message it gets
/// and answers each request (but ACK) with `answer` when that is not 0.
struct Probe
{
    Probe(LoopbackNetwork& net, const char* ipText, uint16_t portNumber)
        : io(net.AddEndpoint(Ip(ipText), portNumber))
        , ip(ipText)
        , port(portNumber)
        , transport(io, MakeConfig(ipText), MakeHandler())
    {
        io.transport = &transport;
    }

    static SipTransport::Config MakeConfig(const char* ipText)
    {
        SipTransport::Config c;
        c.localIp = Ip(ipText);
        return c;
    }

    SipTransport::Handler MakeHandler()
    {
        SipTransport::Handler h;
        h.onMessage = [this](SipMessage&& m, const TransportAddress& from, size_t) {
            if (!m.IsRequest())
            {
                responses.push_back(std::move(m));
                return;
            }
            if (answer != 0 && m.GetMethod() != "ACK")
            {
                std::optional<SipMessage> r = MakeResponseFor(m, answer, "Answer", "uas");
                r->AddHeader("Content-Length", "0");
                transport.Send(*r, from);
            }
            requests.push_back(std::move(m));
        };
        return h;
    }

    /// Requests of this method received so far.
    std::vector<SipMessage> Received(std::string_view method) const
    {
        std::vector<SipMessage> out;
        for (const SipMessage& m : requests)
        {
            if (m.GetMethod() == method)
            {
                out.push_back(m);
            }
        }
        return out;
    }

    /// The last final response received, or status 0.
    int LastFinal() const
    {
        for (auto it = responses.rbegin(); it != responses.rend(); ++it)
        {
            if (it->GetStatusCode() >= 200)
            {
                return it->GetStatusCode();
            }
        }
        return 0;
    }

    LoopbackNetwork::Io& io;
    std::string ip;
    uint16_t port;
    SipTransport transport;
    int answer = 0;
    std::vector<SipMessage> requests;
    std::vector<SipMessage> responses;
};

/// The home domain: a registrar (home proxy) at 198.18.0.2:5060, no digest.
struct Home
{
    Home(OutboundProfile p, TransportKind k)
        : profile(p)
        , kind(k)
        , random(7)
    {
        LoopbackNetwork::Io& io = net.AddEndpoint(Ip(kRegistrarIp), 5060);
        RegistrarConfig rc;
        rc.authenticate = false;
        rc.profile = profile;
        ElementConfig ec;
        ec.ip = Ip(kRegistrarIp);
        ec.transport = kind;
        registrar = std::make_unique<Registrar>(
            ElementEnvironment{net.Clock(), random, io, nullptr}, ec, rc);
        io.transport = &registrar->GetTransport();
    }

    void Run(double seconds)
    {
        net.Clock().Advance(SecondsToNs(seconds));
    }

    TransportAddress Address(TransportKind k) const
    {
        return TransportAddress{k, Ip(kRegistrarIp), 5060, 0};
    }

    /// Contact parameters of flow `n` of kInstance in this profile.
    std::string FlowParams(uint32_t n) const
    {
        return ";+sip.instance=\"<" + std::string(kInstance) + ">\";" +
               std::string(FlowParameterName(profile)) + "=" + std::to_string(n);
    }

    /// REGISTER from `ua` for `user` with one Contact; `extra` header lines
    /// (each ending in CRLF) go first, so an extra Via lands on top. RFC 5626:
    /// the UA says it supports outbound (4.2.1).
    std::string Register(const Probe& ua,
                         const std::string& user,
                         const std::string& contact,
                         const std::string& callId,
                         uint32_t cseq,
                         const std::string& extra = "") const
    {
        const std::string supported =
            profile == OutboundProfile::kRfc5626 ? "Supported: outbound, path\r\n" : "";
        return "REGISTER sip:example.com SIP/2.0\r\n" + extra + "Via: SIP/2.0/" +
               std::string(TransportName(kind)) + " " + ua.ip + ":" + std::to_string(ua.port) +
               ";branch=z9hG4bK-" + callId + "-" + std::to_string(cseq) + ";rport\r\n" +
               "Max-Forwards: 70\r\n"
               "From: <sip:" +
               user + "@example.com>;tag=reg" + callId + "\r\n" + "To: <sip:" + user +
               "@example.com>\r\n" + "Call-ID: " + callId + "\r\n" +
               "CSeq: " + std::to_string(cseq) + " REGISTER\r\n" + supported +
               "Contact: " + contact + "\r\nContent-Length: 0\r\n\r\n";
    }

    /// Sends REGISTER for bob over `ua` and runs until it is answered.
    /// Returns the connection it went on (0 for UDP).
    ConnectionId RegisterFlow(Probe& ua, uint32_t flow, const std::string& callId, uint32_t cseq)
    {
        const SipTransport::SendResult r = ua.transport.SendBytes(
            Register(ua, "bob", "<sip:bob@10.0.1.1>" + FlowParams(flow), callId, cseq),
            Address(kind));
        EXPECT_TRUE(r.ok) << r.error;
        Run(1);
        EXPECT_EQ(ua.LastFinal(), 200);
        return r.connection;
    }

    /// A request from `ua` over UDP to `ruri` (From: alice); `extra` header
    /// lines go in as they are.
    void Send(Probe& ua,
              const std::string& method,
              const std::string& ruri,
              const std::string& callId,
              const std::string& extra = "",
              uint32_t cseq = 1)
    {
        const std::string text =
            method + " " + ruri + " SIP/2.0\r\nVia: SIP/2.0/UDP " + ua.ip + ":" +
            std::to_string(ua.port) + ";branch=z9hG4bK-" + callId + "-" + method + ";rport\r\n" +
            "Max-Forwards: 70\r\nFrom: <sip:alice@example.com>;tag=caller\r\n" + extra +
            "Call-ID: " + callId + "\r\nCSeq: " + std::to_string(cseq) + " " + method + "\r\n" +
            "Contact: <sip:alice@" + ua.ip + ">\r\nContent-Length: 0\r\n\r\n";
        ua.transport.SendBytes(text, Address(TransportKind::kUdp));
    }

    std::vector<Binding> Bindings(const std::string& user)
    {
        return registrar->GetLocations().Lookup("sip:" + user + "@example.com", net.Clock().Now());
    }

    OutboundProfile profile;
    TransportKind kind;
    LoopbackNetwork net;
    SeededRandom random;
    std::unique_ptr<Registrar> registrar;
};

/// bob's instance registered over two flows from 10.0.1.1: `a` with flow
/// number 1, then `b` with 2 (the freshest); and a caller at 192.0.2.9.
struct TwoFlows
{
    TwoFlows(OutboundProfile profile, TransportKind kind, int answerA, int answerB)
        : h(profile, kind)
        , a(h.net, "10.0.1.1", 5060)
        , b(h.net, "10.0.1.1", 5062)
        , caller(h.net, "192.0.2.9", 5060)
    {
        a.answer = answerA;
        b.answer = answerB;
        connectionA = h.RegisterFlow(a, 1, "flow1", 1);
        connectionB = h.RegisterFlow(b, 2, "flow2", 1);
    }

    Home h;
    Probe a;
    Probe b;
    Probe caller;
    ConnectionId connectionA = 0;
    ConnectionId connectionB = 0;
};

const std::string kToBob = "To: <sip:bob@example.com>\r\n";

/// The value of Contact parameter `name` in `c`, "" when absent.
std::string
ContactParam(const ContactValue& c, std::string_view name)
{
    return std::string(c.GetParams().Get(name).value_or(""));
}

class RegistrarOutbound : public ::testing::TestWithParam<OutboundProfile>
{
  protected:
    std::string FlowParam() const
    {
        return std::string(FlowParameterName(GetParam()));
    }
};

} // namespace

TEST_P(RegistrarOutbound, TwoFlowsOfOneInstanceAreStoredEachWithItsFlow)
{
    // OB-REG-1, OB-REG-3: the same Contact URI and instance over two TCP
    // connections with flow numbers 1 and 2 are two bindings, each with
    // its connection. OB-REG-8: the 200 lists both with +sip.instance, the
    // flow number and expires.
    TwoFlows t(GetParam(), TransportKind::kTcp, 0, 0);
    EXPECT_NE(t.connectionA, 0u);
    EXPECT_NE(t.connectionB, 0u);

    const std::vector<Binding> bindings = t.h.Bindings("bob");
    ASSERT_EQ(bindings.size(), 2u);
    EXPECT_EQ(bindings[0].flowId, 2u); // the most recent first
    EXPECT_EQ(bindings[1].flowId, 1u);
    for (const Binding& binding : bindings)
    {
        EXPECT_EQ(binding.instance, kInstance);
        EXPECT_EQ(binding.source.kind, TransportKind::kTcp);
        EXPECT_EQ(binding.source.ip, Ip("10.0.1.1"));
        EXPECT_NE(binding.source.connection, 0u);
    }
    EXPECT_NE(bindings[0].source.connection, bindings[1].source.connection);
    EXPECT_NE(bindings[0].source.port, bindings[1].source.port);

    const SipMessage& ok = t.b.responses.back();
    ASSERT_EQ(ok.GetStatusCode(), 200);
    const std::vector<ContactValue> contacts = ok.GetContacts();
    ASSERT_EQ(contacts.size(), 2u);
    std::vector<std::string> flows;
    std::vector<uint32_t> expires;
    for (const ContactValue& c : contacts)
    {
        EXPECT_EQ(c.GetUri().GetRaw(), "sip:bob@10.0.1.1");
        EXPECT_EQ(c.GetInstance().value_or(""), kInstance);
        flows.push_back(ContactParam(c, FlowParam()));
        expires.push_back(c.GetExpires().value_or(0));
    }
    EXPECT_EQ(flows, (std::vector<std::string>{"2", "1"}));
    EXPECT_EQ(expires, (std::vector<uint32_t>{3600, 3599})); // flow 1 registered 1 s earlier
    // RFC 5626 6: Require: outbound when outbound processing applied; the
    // draft has no option tag.
    const std::vector<std::string_view> require = ok.GetOptionTags(HeaderId::kRequire);
    if (GetParam() == OutboundProfile::kRfc5626)
    {
        EXPECT_EQ(require, std::vector<std::string_view>{"outbound"});
    }
    else
    {
        EXPECT_TRUE(require.empty());
    }
}

TEST_P(RegistrarOutbound, TheMostRecentlyRefreshedFlowIsTheTarget)
{
    // OB-PX-1, OB-PX-3, OB-PX-6: one flow at a time, the freshest one, sent
    // to where its REGISTER came from.
    TwoFlows t(GetParam(), TransportKind::kUdp, 200, 200);

    t.h.Send(t.caller, "MESSAGE", "sip:bob@example.com", "m1", kToBob);
    t.h.Run(1);
    EXPECT_EQ(t.caller.LastFinal(), 200);
    ASSERT_EQ(t.b.Received("MESSAGE").size(), 1u);
    EXPECT_TRUE(t.a.Received("MESSAGE").empty());
    EXPECT_EQ(t.b.Received("MESSAGE")[0].GetRequestUri().GetRaw(), "sip:bob@10.0.1.1");

    t.h.RegisterFlow(t.a, 1, "flow1", 2); // refresh flow 1: now the freshest
    t.h.Send(t.caller, "MESSAGE", "sip:bob@example.com", "m2", kToBob);
    t.h.Run(1);
    EXPECT_EQ(t.caller.LastFinal(), 200);
    EXPECT_EQ(t.a.Received("MESSAGE").size(), 1u);
    EXPECT_EQ(t.b.Received("MESSAGE").size(), 1u);
    EXPECT_EQ(t.h.registrar->GetRegistrarStats().flowFailovers, 0u);
}

TEST_P(RegistrarOutbound, ClosedConnectionRemovesExactlyTheBindingsOfItsFlow)
{
    // OB-PX-7, OB-PX-8: every outbound binding over the flow goes, in any
    // AOR; other flows and plain RFC 3261 bindings stay.
    TwoFlows t(GetParam(), TransportKind::kTcp, 0, 0);
    // bob-line2 over the same connection, and a plain binding for carol.
    t.a.transport.SendBytes(
        t.h.Register(t.a, "bob-line2", "<sip:bob-line2@10.0.1.1>" + t.h.FlowParams(1), "line2", 1),
        t.h.Address(TransportKind::kTcp));
    t.a.transport.SendBytes(t.h.Register(t.a, "carol", "<sip:carol@10.0.1.1>", "carol", 1),
                            t.h.Address(TransportKind::kTcp));
    t.h.Run(1);
    ASSERT_EQ(t.h.Bindings("bob-line2").size(), 1u);
    ASSERT_EQ(t.h.Bindings("carol").size(), 1u);

    t.a.transport.Close(t.connectionA);
    t.h.Run(1);
    const std::vector<Binding> bob = t.h.Bindings("bob");
    ASSERT_EQ(bob.size(), 1u);
    EXPECT_EQ(bob[0].flowId, 2u);
    EXPECT_TRUE(t.h.Bindings("bob-line2").empty());
    EXPECT_EQ(t.h.Bindings("carol").size(), 1u);
    EXPECT_EQ(t.h.registrar->GetRegistrarStats().flowBindingsRemoved, 2u);

    t.h.Send(t.caller,
             "MESSAGE",
             "sip:bob-line2@example.com",
             "m1",
             "To: <sip:bob-line2@example.com>\r\n");
    t.h.Run(1);
    EXPECT_EQ(t.caller.LastFinal(), 480);
}

TEST_P(RegistrarOutbound, FlowGoneMovesTheRequestToTheNextFlowOfTheInstance)
{
    // OB-PX-2 (RFC 5626 7): 410 (draft) or 430 (RFC 5626) from the freshest
    // flow; the home proxy tries the other flow within the same server
    // transaction and the caller sees that flow's 200, never the 410/430.
    // OB-PX-5: both INVITEs carry the home proxy's Record-Route.
    TwoFlows t(GetParam(), TransportKind::kUdp, 200, FlowGoneStatus(GetParam()));

    t.h.Send(t.caller, "INVITE", "sip:bob@example.com", "call1", kToBob);
    t.h.Run(1);
    ASSERT_EQ(t.b.Received("INVITE").size(), 1u);
    ASSERT_EQ(t.a.Received("INVITE").size(), 1u);
    for (const Probe* p : {&t.a, &t.b})
    {
        const SipMessage invite = p->Received("INVITE")[0];
        EXPECT_EQ(std::string(invite.GetRequestUri().GetRaw()), "sip:bob@10.0.1.1");
        const std::vector<std::string_view> rr = invite.GetValues(HeaderId::kRecordRoute);
        EXPECT_EQ(rr, std::vector<std::string_view>{kHomeRecordRoute});
    }
    EXPECT_EQ(t.caller.LastFinal(), 200);
    for (const SipMessage& r : t.caller.responses)
    {
        EXPECT_NE(r.GetStatusCode(), FlowGoneStatus(GetParam()));
    }
    EXPECT_EQ(t.h.registrar->GetRegistrarStats().flowFailovers, 1u);
}

TEST_P(RegistrarOutbound, OtherFinalResponsesAreRelayedWithoutTryingAnotherFlow)
{
    // RFC 5626 7: after a final response other than 408 or 430 (410 in the
    // draft) no other flow of the instance is tried; the other profile's
    // flow-gone code is such a response too.
    TwoFlows t(GetParam(), TransportKind::kUdp, 200, 0);
    const int otherGone = GetParam() == OutboundProfile::kRfc5626 ? 410 : 430;
    int n = 0;
    for (int code : {486, otherGone})
    {
        t.b.answer = code;
        t.h.Send(t.caller, "MESSAGE", "sip:bob@example.com", "m" + std::to_string(++n), kToBob);
        t.h.Run(1);
        EXPECT_EQ(t.caller.LastFinal(), code);
    }
    EXPECT_EQ(t.b.Received("MESSAGE").size(), 2u);
    EXPECT_TRUE(t.a.Received("MESSAGE").empty());
    EXPECT_EQ(t.h.registrar->GetRegistrarStats().flowFailovers, 0u);
}

TEST_P(RegistrarOutbound, NetworkErrorOnTheFlowMovesTheRequestToTheNextFlow)
{
    // OB-PX-7 and spec 9: flow 2 dies while the home proxy sends on it; its
    // binding goes and the request reaches flow 1.
    TwoFlows t(GetParam(), TransportKind::kTcp, 200, 200);
    t.h.Send(t.caller, "MESSAGE", "sip:bob@example.com", "m1", kToBob);
    // The connection closes on b's side before the MESSAGE (10 ms per hop)
    // reaches it: the home proxy learns of it after writing the MESSAGE.
    t.h.Run(0.005);
    t.b.transport.Close(t.connectionB);
    t.h.Run(1);
    EXPECT_TRUE(t.b.Received("MESSAGE").empty());
    EXPECT_EQ(t.a.Received("MESSAGE").size(), 1u);
    EXPECT_EQ(t.caller.LastFinal(), 200);
    ASSERT_EQ(t.h.Bindings("bob").size(), 1u);
    EXPECT_EQ(t.h.Bindings("bob")[0].flowId, 1u);
    EXPECT_EQ(t.h.registrar->GetRegistrarStats().flowFailovers, 1u);
    EXPECT_EQ(t.h.registrar->GetRegistrarStats().flowBindingsRemoved, 1u);
}

TEST_P(RegistrarOutbound, MidDialogRequestsFollowTheRecordRouteBackOverTheFlow)
{
    // OB-PX-5, OB-PX-9: the caller's ACK and BYE carry the home proxy's
    // Record-Route and the callee's Contact as Request-URI; the home proxy
    // sends them over the flow registered with that Contact.
    TwoFlows t(GetParam(), TransportKind::kUdp, 200, 200);
    t.h.Send(t.caller, "INVITE", "sip:bob@example.com", "call1", kToBob);
    t.h.Run(1);
    ASSERT_EQ(t.caller.LastFinal(), 200);
    const std::string route = "Route: " + std::string(kHomeRecordRoute) + "\r\n";
    const std::string inDialog = "To: <sip:bob@example.com>;tag=uas\r\n" + route;
    t.h.Send(t.caller, "ACK", "sip:bob@10.0.1.1", "call1", inDialog);
    t.h.Send(t.caller, "BYE", "sip:bob@10.0.1.1", "call1", inDialog, 2);
    t.h.Run(1);
    EXPECT_EQ(t.b.Received("ACK").size(), 1u);
    ASSERT_EQ(t.b.Received("BYE").size(), 1u);
    EXPECT_EQ(t.b.Received("BYE")[0].GetRequestUri().GetRaw(), "sip:bob@10.0.1.1");
    EXPECT_EQ(t.b.Received("BYE")[0].CountValues(HeaderId::kRecordRoute), 0u);
    EXPECT_TRUE(t.a.requests.empty());
    EXPECT_EQ(t.caller.LastFinal(), 200);

    // The other way: a request through our Record-Route to a UA that is not
    // registered here goes to its Contact (the caller's, 192.0.2.9).
    t.caller.answer = 200;
    t.h.Send(t.b, "BYE", "sip:alice@192.0.2.9", "call1", inDialog, 3);
    t.h.Run(1);
    EXPECT_EQ(t.caller.Received("BYE").size(), 1u);
    EXPECT_EQ(t.b.LastFinal(), 200);
}

TEST_P(RegistrarOutbound, WithoutInstanceIdTheRfc3261BehaviourHolds)
{
    // A flow number without +sip.instance is ignored (RFC 5626 6; the
    // draft alike): plain bindings keyed by Contact URI, refreshed in place,
    // the freshest one the target, no Record-Route, no failover, and the
    // 200 neither echoes the ignored number nor requires outbound.
    Home h(GetParam(), TransportKind::kUdp);
    Probe a(h.net, "10.0.1.1", 5060);
    Probe b(h.net, "10.0.1.2", 5060);
    Probe caller(h.net, "192.0.2.9", 5060);
    a.answer = 200;
    b.answer = FlowGoneStatus(GetParam());
    const std::string flow = ";" + FlowParam() + "=1";
    a.transport.SendBytes(h.Register(a, "bob", "<sip:bob@10.0.1.1>" + flow, "plain-a", 1),
                          h.Address(TransportKind::kUdp));
    h.Run(1);
    b.transport.SendBytes(h.Register(b, "bob", "<sip:bob@10.0.1.2>" + flow, "plain-b", 1),
                          h.Address(TransportKind::kUdp));
    h.Run(1);
    ASSERT_EQ(b.LastFinal(), 200);
    const SipMessage& ok = b.responses.back();
    ASSERT_EQ(ok.GetContacts().size(), 2u);
    for (const ContactValue& c : ok.GetContacts())
    {
        EXPECT_FALSE(c.GetParams().Has(FlowParam()));
    }
    EXPECT_EQ(ok.CountHeaders(HeaderId::kRequire), 0u);
    std::vector<Binding> bindings = h.Bindings("bob");
    ASSERT_EQ(bindings.size(), 2u);
    EXPECT_FALSE(bindings[0].IsOutbound());
    EXPECT_EQ(bindings[0].contact, "sip:bob@10.0.1.2");

    h.Send(caller, "INVITE", "sip:bob@example.com", "call1", kToBob);
    h.Run(1);
    ASSERT_EQ(b.Received("INVITE").size(), 1u);
    EXPECT_EQ(b.Received("INVITE")[0].CountValues(HeaderId::kRecordRoute), 0u);
    EXPECT_EQ(caller.LastFinal(), FlowGoneStatus(GetParam()));
    EXPECT_TRUE(a.Received("INVITE").empty());

    // A refresh of the first contact replaces it and puts it first.
    a.transport.SendBytes(h.Register(a, "bob", "<sip:bob@10.0.1.1>", "plain-a", 2),
                          h.Address(TransportKind::kUdp));
    h.Run(1);
    bindings = h.Bindings("bob");
    ASSERT_EQ(bindings.size(), 2u);
    EXPECT_EQ(bindings[0].contact, "sip:bob@10.0.1.1");
}

TEST_P(RegistrarOutbound, InvalidFlowNumberIsRejectedWith400)
{
    // OB-REG-7: 1 to 2^31-1 (RFC 5626 10: the same for reg-id).
    Home h(GetParam(), TransportKind::kUdp);
    Probe a(h.net, "10.0.1.1", 5060);
    const std::string instance = ";+sip.instance=\"<" + std::string(kInstance) + ">\"";
    uint32_t cseq = 0;
    for (const char* value : {"0", "2147483648", "abc", "2147483647"})
    {
        SCOPED_TRACE(value);
        a.transport.SendBytes(
            h.Register(a,
                       "bob",
                       "<sip:bob@10.0.1.1>" + instance + ";" + FlowParam() + "=" + value,
                       "f",
                       ++cseq),
            h.Address(TransportKind::kUdp));
        h.Run(1);
        const bool valid = std::string(value) == "2147483647";
        EXPECT_EQ(a.LastFinal(), valid ? 200 : 400);
        if (!valid)
        {
            EXPECT_NE(a.responses.back().GetReasonPhrase().find(FlowParam()),
                      std::string_view::npos);
        }
    }
    EXPECT_EQ(h.Bindings("bob").size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(RegistrarOutbound,
                         RegistrarOutbound,
                         ::testing::Values(OutboundProfile::kDraft, OutboundProfile::kRfc5626),
                         [](const ::testing::TestParamInfo<OutboundProfile>& info) {
                             return std::string(ProfileName(info.param));
                         });

namespace
{

/// A REGISTER for bob relayed by an edge proxy at 198.18.0.6 (its Via on
/// top, its Path), with reg-id 1; `pathParams` go into the Path URI.
std::string
RelayedRegister(const Home& h, const Probe& edge, const std::string& pathParams, uint32_t cseq)
{
    const std::string edgeVia = "Via: SIP/2.0/UDP 198.18.0.6:5060;branch=z9hG4bK-edge-" +
                                std::to_string(cseq) + ";rport\r\n";
    const std::string path = "Path: <sip:token@198.18.0.6;lr" + pathParams + ">\r\n";
    return h.Register(
        edge, "bob", "<sip:bob@10.0.1.1>" + h.FlowParams(1), "relayed", cseq, edgeVia + path);
}

/// Sends `text` from the edge and returns the answer (status 0 if none).
SipMessage
Relay(Home& h, Probe& edge, const std::string& text)
{
    edge.transport.SendBytes(text, h.Address(TransportKind::kUdp));
    h.Run(1);
    return edge.responses.empty() ? SipMessage() : edge.responses.back();
}

} // namespace

TEST(RegistrarOutboundRfc5626, RegIdThroughAFirstHopWithoutOutboundSupportGets439)
{
    // RFC 5626 6: the registrar is not the first hop (two Vias) and the
    // first hop's Path has no `ob`: 439. With `ob`: outbound processing,
    // Require: outbound, the binding keeps the Path.
    Home h(OutboundProfile::kRfc5626, TransportKind::kUdp);
    Probe edge(h.net, "198.18.0.6", 5060);
    const SipMessage refused = Relay(h, edge, RelayedRegister(h, edge, "", 1));
    EXPECT_EQ(refused.GetStatusCode(), 439);
    EXPECT_EQ(refused.GetReasonPhrase(), "First Hop Lacks Outbound Support");
    EXPECT_TRUE(h.Bindings("bob").empty());

    const SipMessage ok = Relay(h, edge, RelayedRegister(h, edge, ";ob", 2));
    EXPECT_EQ(ok.GetStatusCode(), 200);
    EXPECT_EQ(ok.GetOptionTags(HeaderId::kRequire), std::vector<std::string_view>{"outbound"});
    const std::vector<Binding> b = h.Bindings("bob");
    ASSERT_EQ(b.size(), 1u);
    EXPECT_TRUE(b[0].IsOutbound());
    EXPECT_EQ(b[0].path, std::vector<std::string>{"<sip:token@198.18.0.6;lr;ob>"});
}

TEST(RegistrarOutboundRelayed, WithoutObTheRegistrationSucceedsWhereNo439Applies)
{
    // The draft has no `ob` and no 439: the edge's Path is enough. RFC 5626
    // 6: without `Supported: outbound` the reg-id is ignored (no 439, no
    // outbound processing, no Require).
    struct Case
    {
        OutboundProfile profile;
        bool outbound;
    };
    for (const Case& c :
         {Case{OutboundProfile::kDraft, true}, Case{OutboundProfile::kRfc5626, false}})
    {
        SCOPED_TRACE(std::string(ProfileName(c.profile)));
        Home h(c.profile, TransportKind::kUdp);
        Probe edge(h.net, "198.18.0.6", 5060);
        std::string text = RelayedRegister(h, edge, "", 1);
        const std::string supported = "Supported: outbound, path\r\n";
        if (const size_t at = text.find(supported); at != std::string::npos)
        {
            text.erase(at, supported.size());
        }
        const SipMessage ok = Relay(h, edge, text);
        EXPECT_EQ(ok.GetStatusCode(), 200);
        EXPECT_EQ(ok.CountHeaders(HeaderId::kRequire), 0u);
        const std::vector<Binding> b = h.Bindings("bob");
        ASSERT_EQ(b.size(), 1u);
        EXPECT_EQ(b[0].IsOutbound(), c.outbound);
    }
}

TEST(RegistrarOutboundRfc5626, TwoContactsWithRegIdInOneRegisterGet400)
{
    // RFC 5626 6: one flow per REGISTER.
    Home h(OutboundProfile::kRfc5626, TransportKind::kUdp);
    Probe a(h.net, "10.0.1.1", 5060);
    a.transport.SendBytes(h.Register(a,
                                     "bob",
                                     "<sip:bob@10.0.1.1>" + h.FlowParams(1) +
                                         ", <sip:bob@10.0.1.1>" + h.FlowParams(2),
                                     "two",
                                     1),
                          h.Address(TransportKind::kUdp));
    h.Run(1);
    EXPECT_EQ(a.LastFinal(), 400);
    EXPECT_TRUE(h.Bindings("bob").empty());
}
