// The edge proxy's part of outbound (outbound 6, spec 5.4 OB-EP-1..9, 5.6
// OB-SEC-3/4; RFC 5626 5 for the rfc5626 profile), on the loopback network.
// Around one real EdgeProxy, the UAs and the registrar are raw SIP endpoints
// ("probes"): they send hand-written requests and record every byte that
// reaches them, so a test sees exactly what the edge put on the wire and
// what it never sent.
#include "models/roles/edge-proxy.h"
#include "models/sip/transaction-messages.h"

#include "tests/unit/loopback-network.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

using namespace sipbed;
using sipbed::test::LoopbackNetwork;

namespace
{

constexpr uint32_t
Ipv4(uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
    return a << 24 | b << 16 | c << 8 | d;
}

constexpr uint32_t kEdgeIp = Ipv4(198, 18, 0, 6);
constexpr uint32_t kRegistrarIp = Ipv4(198, 18, 0, 2);

EdgeProxyConfig
WithProfile(OutboundProfile profile)
{
    EdgeProxyConfig config;
    config.profile = profile;
    return config;
}

/// `text` with every "$NAME" replaced by its value, so that the messages
/// below read as they go on the wire.
std::string
Fill(std::string text, const std::vector<std::pair<std::string, std::string>>& values)
{
    for (const auto& [name, value] : values)
    {
        for (size_t at = text.find(name); at != std::string::npos;
             at = text.find(name, at + value.size()))
        {
            text.replace(at, name.size(), value);
        }
    }
    return text;
}

/// A raw SIP endpoint: its own SipTransport on the network, no transaction
/// layer. Records every message and keepalive it receives.
struct Probe
{
    Probe(LoopbackNetwork& net, uint32_t ip, TransportKind kind)
        : address{kind, ip, 5060, 0}
        , io(net.AddEndpoint(address.ip, 5060))
        , transport(io, SipTransport::Config{address.ip, {}, nullptr}, Handler())
    {
        io.transport = &transport;
    }

    SipTransport::Handler Handler()
    {
        SipTransport::Handler h;
        h.onMessage = [this](SipMessage&& m, const TransportAddress& from, size_t) {
            received.push_back({std::move(m), from});
        };
        h.onKeepalive = [this](size_t bytes, const TransportAddress&) {
            keepalives.push_back(bytes);
        };
        return h;
    }

    /// Sends text (with "\n" line ends) to the edge proxy; returns the
    /// connection it went on (0 for UDP).
    ConnectionId Send(std::string text)
    {
        std::string wire;
        for (char c : text)
        {
            wire += c == '\n' ? std::string("\r\n") : std::string(1, c);
        }
        const TransportAddress edge{address.kind, kEdgeIp, 5060, 0};
        SipTransport::SendResult r = transport.SendBytes(wire, edge);
        EXPECT_TRUE(r.ok) << r.error;
        return r.connection;
    }

    /// The requests of one method received so far.
    std::vector<const SipMessage*> Requests(std::string_view method) const
    {
        std::vector<const SipMessage*> out;
        for (const auto& r : received)
        {
            if (r.message.IsRequest() && r.message.GetMethod() == method)
            {
                out.push_back(&r.message);
            }
        }
        return out;
    }

    /// The final statuses received so far (a 100 Trying is no answer).
    std::vector<int> Statuses() const
    {
        std::vector<int> out;
        for (const auto& r : received)
        {
            if (r.message.IsResponse() && r.message.GetStatusCode() >= 200)
            {
                out.push_back(r.message.GetStatusCode());
            }
        }
        return out;
    }

    struct Received
    {
        SipMessage message;
        TransportAddress from;
    };

    TransportAddress address;
    LoopbackNetwork::Io& io;
    SipTransport transport;
    std::vector<Received> received;
    std::vector<size_t> keepalives;
};

/// The edge proxy between two UA probes (alice, bob) and a registrar probe
/// that answers every REGISTER with 200.
struct EdgeBed
{
    explicit EdgeBed(TransportKind kind, EdgeProxyConfig config = {})
        : kind(kind)
        , config(config)
        , edgeIo(net.AddEndpoint(kEdgeIp, 5060))
        , registrar(net, kRegistrarIp, kind)
        , alice(net, Ipv4(10, 0, 0, 2), kind)
        , bob(net, Ipv4(10, 0, 1, 2), kind)
    {
        this->config.registrar = registrar.address;
        StartEdge();
    }

    /// A new edge proxy on the same address: what a crash and restart leaves
    /// (every connection and transaction gone; a new K unless configured).
    void StartEdge()
    {
        edge.reset();
        ElementConfig element;
        element.ip = kEdgeIp;
        element.port = 5060;
        element.transport = kind;
        edge = std::make_unique<EdgeProxy>(
            ElementEnvironment{net.Clock(), random, edgeIo, nullptr}, element, config);
        edgeIo.transport = &edge->GetTransport();
    }

    void Run(double seconds)
    {
        net.Clock().Advance(SecondsToNs(seconds));
        AnswerRegisters();
    }

    /// The registrar probe's 200 to each REGISTER, on the way it came.
    void AnswerRegisters()
    {
        for (; answered < registrar.received.size(); ++answered)
        {
            const Probe::Received& r = registrar.received[answered];
            if (r.message.IsRequest() && r.message.GetMethod() == "REGISTER")
            {
                std::optional<SipMessage> ok = MakeResponseFor(r.message, 200, "OK", "reg");
                ASSERT_TRUE(ok);
                registrar.transport.Send(*ok, r.from);
            }
        }
        net.Clock().Advance(SecondsToNs(0.1));
    }

    /// `ua` registers through the edge (first hop, as the only Via); returns
    /// the Path value the registrar got.
    std::string Register(Probe& ua, const std::string& contactParams = "")
    {
        ua.Send(Fill("REGISTER sip:example.com SIP/2.0\n"
                     "Via: SIP/2.0/$T $HOST:5060;branch=z9hG4bK-reg-$USER;rport\n"
                     "Max-Forwards: 70\n"
                     "From: <sip:$USER@example.com>;tag=r$USER\n"
                     "To: <sip:$USER@example.com>\n"
                     "Call-ID: reg-$USER\n"
                     "CSeq: 1 REGISTER\n"
                     "Route: <sip:$EDGE;lr>\n"
                     "Contact: <sip:$USER@$HOST:5060>$PARAMS\n"
                     "Content-Length: 0\n\n",
                     {{"$T", std::string(TransportName(kind))},
                      {"$HOST", FormatIpv4(ua.address.ip)},
                      {"$USER", &ua == &alice ? "alice" : "bob"},
                      {"$EDGE", FormatIpv4(kEdgeIp)},
                      {"$PARAMS", contactParams}}));
        Run(0.1);
        std::vector<const SipMessage*> registers = registrar.Requests("REGISTER");
        EXPECT_FALSE(registers.empty());
        if (registers.empty())
        {
            return "";
        }
        const std::vector<std::string_view> path = registers.back()->GetValues(HeaderId::kPath);
        EXPECT_EQ(path.size(), 1u);
        return path.empty() ? "" : std::string(path[0]);
    }

    /// The home proxy (registrar probe) sends `method` towards a UA with
    /// `route` (a Path value) as its Route, as RFC 3327 5 has it do.
    void FromHome(const std::string& method, const std::string& route, int n = 1)
    {
        // An INVITE creates a dialog: it needs a Contact (RFC 3261 8.1.1.8).
        registrar.Send(
            Fill("$M sip:alice@10.0.0.2:5060 SIP/2.0\n"
                 "Via: SIP/2.0/$T $HOME:5060;branch=z9hG4bK-home-$N\n"
                 "Max-Forwards: 69\n"
                 "From: <sip:carol@example.com>;tag=c$N\n"
                 "To: <sip:alice@example.com>\n"
                 "Call-ID: home-$N\n"
                 "CSeq: 1 $M\n"
                 "Route: $ROUTE\n"
                 "$CONTACT"
                 "Content-Length: 0\n\n",
                 {{"$M", method},
                  {"$T", std::string(TransportName(kind))},
                  {"$HOME", FormatIpv4(kRegistrarIp)},
                  {"$N", std::to_string(n)},
                  {"$ROUTE", route},
                  {"$CONTACT", method == "INVITE" ? "Contact: <sip:carol@192.0.2.9>\n" : ""}}));
        Run(0.1);
    }

    TransportKind kind;
    EdgeProxyConfig config;
    LoopbackNetwork net;
    SeededRandom random{11};
    LoopbackNetwork::Io& edgeIo;
    std::unique_ptr<EdgeProxy> edge;
    Probe registrar;
    Probe alice;
    Probe bob;
    size_t answered = 0;
};

/// The user part of a "<sip:user@host;...>" value.
std::string
UserOf(const std::string& nameAddr)
{
    Result<NameAddr> a = NameAddr::Parse(nameAddr);
    EXPECT_TRUE(a) << nameAddr;
    return a ? std::string(a.GetValue().GetUri().GetUser()) : "";
}

/// `route` with its token's character at `i` replaced by another base64 one.
std::string
ChangeTokenChar(const std::string& route, size_t i)
{
    std::string changed = route;
    const size_t at = route.find(':') + 1 + i; // "<sip:" then the token
    changed[at] = changed[at] == 'A' ? 'B' : 'A';
    return changed;
}

} // namespace

TEST(EdgeProxy, RegisterGetsAPathWithAnHmacTokenForItsFlow)
{
    // OB-EP-1, OB-EP-3: <sip:TOKEN@edge;lr>, TOKEN the 32-character
    // Algorithm 2 token of UDP 10.0.0.2:5060 (no NAT on the loopback).
    EdgeBed bed(TransportKind::kUdp);
    const std::string path = bed.Register(bed.alice);
    EXPECT_EQ(path.rfind("<sip:", 0), 0u) << path;
    EXPECT_NE(path.find("@198.18.0.6:5060;lr>"), std::string::npos) << path;
    const std::string token = UserOf(path);
    EXPECT_EQ(token.size(), 32u);
    ASSERT_TRUE(DecodeFlowToken(token));
    EXPECT_EQ(DecodeFlowToken(token)->ToString(), "UDP 10.0.0.2:5060");
    // The registrar answered; the 200 reached alice through the edge.
    EXPECT_EQ(bed.alice.Statuses(), std::vector<int>{200});
}

TEST(EdgeProxy, ValidTokenRoutesTheRequestDownTheRightUdpFlow)
{
    // OB-EP-4 and OB-EP-8: the INVITE goes to alice's flow (not bob's) and is
    // Record-Routed with the very URI of the Path (draft: no ";ob").
    EdgeBed bed(TransportKind::kUdp);
    const std::string alicePath = bed.Register(bed.alice);
    bed.Register(bed.bob);
    bed.FromHome("INVITE", alicePath);
    ASSERT_EQ(bed.alice.Requests("INVITE").size(), 1u);
    EXPECT_TRUE(bed.bob.Requests("INVITE").empty());
    const SipMessage& invite = *bed.alice.Requests("INVITE")[0];
    EXPECT_FALSE(invite.FindHeader(HeaderId::kRoute)); // the edge popped its own
    const std::vector<std::string_view> rr = invite.GetValues(HeaderId::kRecordRoute);
    ASSERT_EQ(rr.size(), 1u);
    EXPECT_EQ(rr[0], alicePath);
    EXPECT_EQ(bed.edge->GetEdgeStats().tokensForbidden, 0u);
}

TEST(EdgeProxy, ValidTokenRoutesTheRequestOnTheConnectionTheUaOpened)
{
    // OB-PX-6 at the edge: over TCP the request goes on alice's own
    // connection; the edge opens none towards her.
    EdgeBed bed(TransportKind::kTcp);
    const std::string alicePath = bed.Register(bed.alice);
    bed.Register(bed.bob);
    EXPECT_EQ(UserOf(alicePath).size(), 36u); // 27 octets: S carries the connection
    const uint64_t opened = bed.edge->GetTransport().GetCounters().connectionsOpened;
    bed.FromHome("MESSAGE", alicePath);
    ASSERT_EQ(bed.alice.Requests("MESSAGE").size(), 1u);
    EXPECT_TRUE(bed.bob.Requests("MESSAGE").empty());
    EXPECT_EQ(bed.edge->GetTransport().GetCounters().connectionsOpened, opened);
    EXPECT_EQ(bed.alice.transport.GetCounters().connectionsAccepted, 0u);
}

TEST(EdgeProxy, TamperedTokenGets403AndNothingIsForwarded)
{
    // OB-EP-5 / OB-SEC-4, for a change at the start, in the middle and in the
    // last data character of the token.
    for (TransportKind kind : {TransportKind::kUdp, TransportKind::kTcp})
    {
        SCOPED_TRACE(std::string(TransportName(kind)));
        EdgeBed bed(kind);
        const std::string path = bed.Register(bed.alice);
        const size_t tokenLength = UserOf(path).size();
        const uint64_t sentBefore = bed.net.datagramsSent;
        int n = 0;
        for (size_t i : {size_t{0}, tokenLength / 2, tokenLength - 2})
        {
            bed.FromHome("MESSAGE", ChangeTokenChar(path, i), ++n);
        }
        EXPECT_EQ(bed.registrar.Statuses(), (std::vector<int>{403, 403, 403}));
        EXPECT_TRUE(bed.alice.Requests("MESSAGE").empty());
        EXPECT_EQ(bed.edge->GetEdgeStats().tokensForbidden, 3u);
        EXPECT_EQ(bed.edge->GetProxyStats().forwarded, 1u); // the REGISTER only
        if (kind == TransportKind::kUdp)
        {
            // Three requests in, three 403s out: not one datagram more.
            EXPECT_EQ(bed.net.datagramsSent - sentBefore, 6u);
        }
    }
}

TEST(EdgeProxy, ForgedPathOfAnotherUserPartIsRefused)
{
    // OB-SEC-3: a Path URI naming the edge whose user part the edge did not
    // make (Mallory's FORGED) is never routed on.
    EdgeBed bed(TransportKind::kUdp);
    bed.Register(bed.alice);
    bed.FromHome("MESSAGE", "<sip:FORGED@198.18.0.6;lr>");
    EXPECT_EQ(bed.registrar.Statuses(), std::vector<int>{403});
    EXPECT_TRUE(bed.alice.Requests("MESSAGE").empty());
}

TEST(EdgeProxy, RestartedEdgeRejectsOldTokensWith403)
{
    // OB-EP-9: a new random K after a restart: old Paths fail the HMAC.
    EdgeBed bed(TransportKind::kUdp);
    const std::string path = bed.Register(bed.alice);
    bed.Run(40); // let every transaction of the first life end
    bed.StartEdge();
    bed.FromHome("MESSAGE", path);
    EXPECT_EQ(bed.registrar.Statuses(), (std::vector<int>{403}));
    EXPECT_TRUE(bed.alice.Requests("MESSAGE").empty());
    // Registering again gives a new token that works.
    const std::string fresh = bed.Register(bed.alice);
    EXPECT_NE(fresh, path);
    bed.FromHome("MESSAGE", fresh, 2);
    EXPECT_EQ(bed.alice.Requests("MESSAGE").size(), 1u);
}

TEST(EdgeProxy, EdgeWithAConfiguredKeyKeepsTokensAcrossARestart)
{
    // OB-EP-9: "restarting the edge with the same K (configured) keeps old
    // tokens valid" (UDP flows outlive the edge; the NAT mapping does too).
    EdgeProxyConfig config;
    config.tokenKey = FlowTokenCodec::Key{};
    config.tokenKey->fill(0x5a);
    EdgeBed bed(TransportKind::kUdp, config);
    const std::string path = bed.Register(bed.alice);
    bed.Run(40);
    bed.StartEdge();
    bed.FromHome("MESSAGE", path);
    EXPECT_EQ(bed.alice.Requests("MESSAGE").size(), 1u);
}

TEST(EdgeProxy, TokenOfAClosedTcpConnectionGets410InTheDraftAnd430InRfc5626)
{
    // OB-EP-6; RFC 5626 5.3.1 (spec 10): 430 Flow Failed.
    for (OutboundProfile profile : {OutboundProfile::kDraft, OutboundProfile::kRfc5626})
    {
        SCOPED_TRACE(std::string(ProfileName(profile)));
        EdgeBed bed(TransportKind::kTcp, WithProfile(profile));
        const std::string path = bed.Register(bed.alice);
        // alice's connection dies (her registration is still at the registrar).
        bed.alice.transport.Close(bed.alice.received.at(0).from.connection);
        bed.Run(0.1);
        bed.FromHome("INVITE", path);
        EXPECT_EQ(bed.registrar.Statuses(), std::vector<int>{FlowGoneStatus(profile)});
        EXPECT_EQ(bed.edge->GetEdgeStats().flowsGone, 1u);
        EXPECT_EQ(bed.edge->GetEdgeStats().tokensForbidden, 0u);
        // No new connection towards alice's (private) Contact or her old port.
        EXPECT_EQ(bed.edge->GetTransport().GetCounters().connectionsOpened, 1u); // the registrar's
        EXPECT_TRUE(bed.alice.Requests("INVITE").empty());
    }
}

TEST(EdgeProxy, UdpFlowIsNeverGoneAtTheEdge)
{
    // outbound 6.2: 410 is for connection-oriented flows; a UDP token that
    // verifies is forwarded even if the UA has gone quiet.
    EdgeBed bed(TransportKind::kUdp);
    const std::string path = bed.Register(bed.alice);
    bed.Run(120);
    bed.FromHome("MESSAGE", path);
    EXPECT_EQ(bed.alice.Requests("MESSAGE").size(), 1u);
    EXPECT_EQ(bed.edge->GetEdgeStats().flowsGone, 0u);
}

TEST(EdgeProxy, DescriptorTokensRouteAndNoticeAReusedDescriptor)
{
    // outbound 6.1 / 6.2 Algorithm 1 (OB-EP-2, OB-EP-7).
    EdgeProxyConfig config;
    config.tokenAlgorithm = FlowTokenAlgorithm::kDescriptor;
    EdgeBed bed(TransportKind::kTcp, config);
    const std::string path = bed.Register(bed.alice);
    EXPECT_EQ(UserOf(path).size(), 20u);
    bed.FromHome("MESSAGE", path);
    EXPECT_EQ(bed.alice.Requests("MESSAGE").size(), 1u);
    // The same descriptor with another creation time: another connection
    // that once had this number; 410, nothing forwarded.
    const FlowTokenCodec codec(FlowTokenAlgorithm::kDescriptor, FlowTokenCodec::Key{});
    const FlowTokenResult real = codec.Decode(UserOf(path));
    ASSERT_TRUE(real.IsOk());
    const std::string stale = codec.Encode(real.flow, real.local, real.created + SecondsToNs(150));
    bed.FromHome("MESSAGE", "<sip:" + stale + "@198.18.0.6;transport=tcp;lr>", 2);
    EXPECT_EQ(bed.registrar.Statuses(), std::vector<int>{410});
    EXPECT_EQ(bed.alice.Requests("MESSAGE").size(), 1u);
}

TEST(EdgeProxy, UaRequestsGoToTheHomeProxyRecordRoutedWithTheirFlow)
{
    // OB-EP-8 in the other direction: alice's INVITE leaves with a
    // Record-Route equal to her Path.
    EdgeBed bed(TransportKind::kUdp);
    const std::string path = bed.Register(bed.alice);
    bed.alice.Send("INVITE sip:bob@example.com SIP/2.0\n"
                   "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK-inv-1;rport\n"
                   "Max-Forwards: 70\n"
                   "From: <sip:alice@example.com>;tag=a1\n"
                   "To: <sip:bob@example.com>\n"
                   "Call-ID: inv-1\n"
                   "CSeq: 1 INVITE\n"
                   "Route: <sip:198.18.0.6;lr>\n"
                   "Contact: <sip:alice@10.0.0.2:5060>\n"
                   "Content-Length: 0\n\n");
    bed.Run(0.1);
    ASSERT_EQ(bed.registrar.Requests("INVITE").size(), 1u);
    const std::vector<std::string_view> rr =
        bed.registrar.Requests("INVITE")[0]->GetValues(HeaderId::kRecordRoute);
    ASSERT_EQ(rr.size(), 1u);
    EXPECT_EQ(rr[0], path);
}

TEST(EdgeProxy, Rfc5626FirstHopAddsObToThePathButNotToRecordRoute)
{
    // RFC 5626 5.1 (spec 10): ";ob" on the Path of an outbound registration
    // (reg-id) from the first hop; the Record-Route has the plain token URI
    // (RFC 5626 9 example).
    EdgeBed bed(TransportKind::kUdp, WithProfile(OutboundProfile::kRfc5626));
    const std::string path = bed.Register(
        bed.alice, ";+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>\";reg-id=1");
    EXPECT_NE(path.find(";lr;ob>"), std::string::npos) << path;
    bed.FromHome("INVITE", path);
    ASSERT_EQ(bed.alice.Requests("INVITE").size(), 1u);
    const std::vector<std::string_view> rr =
        bed.alice.Requests("INVITE")[0]->GetValues(HeaderId::kRecordRoute);
    ASSERT_EQ(rr.size(), 1u);
    EXPECT_EQ(rr[0], path.substr(0, path.size() - 4) + ">");
    // Without reg-id (no outbound registration): no ";ob".
    EXPECT_EQ(bed.Register(bed.bob).find(";ob"), std::string::npos);
}

TEST(EdgeProxy, DraftProfileNeverAddsOb)
{
    EdgeBed bed(TransportKind::kUdp);
    EXPECT_EQ(bed.Register(bed.alice, ";+sip.instance=\"<urn:uuid:1>\";flow-id=1").find(";ob"),
              std::string::npos);
}

TEST(EdgeProxy, CrlfPingGetsAPongOnlyInRfc5626)
{
    // RFC 5626 4.4.1 / 5.4: CRLFCRLF -> CRLF at once; the draft has no pong
    // (OB-UA-10).
    for (OutboundProfile profile : {OutboundProfile::kDraft, OutboundProfile::kRfc5626})
    {
        SCOPED_TRACE(std::string(ProfileName(profile)));
        EdgeBed bed(TransportKind::kTcp, WithProfile(profile));
        bed.Register(bed.alice);
        bed.alice.transport.SendBytes("\r\n\r\n", bed.alice.received.at(0).from);
        bed.Run(0.1);
        const std::vector<size_t> expected =
            HasCrlfPong(profile) ? std::vector<size_t>{2} : std::vector<size_t>{};
        EXPECT_EQ(bed.alice.keepalives, expected);
        EXPECT_EQ(bed.edge->GetEdgeStats().pongs, expected.size());
    }
}
