// The SIP transaction layer (RFC 3261 17, RFC 6026 7.1) on a ManualClock:
// what goes on the wire and when, what the TU is told, and how requests and
// responses are matched. Each test is named after the rule it checks.

#include "models/core/manual-clock.h"
#include "models/sip/client-transaction.h"
#include "models/sip/server-transaction.h"
#include "models/sip/sip-parser.h"
#include "models/sip/transaction-layer.h"
#include "models/sip/transaction-messages.h"

#include "tests/unit/test-support.h"

#include <gtest/gtest.h>

#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sipbed
{
namespace
{

using Kind = TransactionTransport::Kind;
using test::MustParse;

constexpr TimeNs kMs = 1000000;
constexpr TimeNs kSec = 1000 * kMs;

TransportAddress
Addr(TransportKind kind, uint32_t ip, uint16_t port, ConnectionId connection = 0)
{
    TransportAddress a;
    a.kind = kind;
    a.ip = ip;
    a.port = port;
    a.connection = connection;
    return a;
}

const TransportAddress kServerUdp = Addr(TransportKind::kUdp, 0xC0000202, 5060); // 192.0.2.2
const TransportAddress kServerTcp = Addr(TransportKind::kTcp, 0xC0000202, 5060);
const TransportAddress kClientUdp = Addr(TransportKind::kUdp, 0xC000020A, 5062); // 192.0.2.10
const TransportAddress kClientTcp = Addr(TransportKind::kTcp, 0xC000020A, 40001, 7);

/// What the peer sees: the message serialized and parsed again.
SipMessage
Wire(const SipMessage& m)
{
    return MustParse(m.Serialize());
}

std::string
Request(std::string_view method,
        std::string_view branch,
        std::string_view transport = "UDP",
        std::string_view sentBy = "pc33.atlanta.example.com",
        uint32_t cseq = 314159,
        std::string_view extra = "")
{
    std::string m;
    m += std::string(method) + " sip:bob@biloxi.example.com SIP/2.0\r\n";
    m += "Via: SIP/2.0/" + std::string(transport) + " " + std::string(sentBy);
    if (!branch.empty())
    {
        m += ";branch=" + std::string(branch);
    }
    m += "\r\n";
    m += "Max-Forwards: 70\r\n";
    m += "To: Bob <sip:bob@biloxi.example.com>\r\n";
    m += "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n";
    m += "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n";
    m += "CSeq: " + std::to_string(cseq) + " " + std::string(method) + "\r\n";
    m += std::string(extra);
    m += "Content-Length: 0\r\n\r\n";
    return m;
}

SipMessage
Invite(std::string_view branch = "z9hG4bK776asdhds", std::string_view transport = "UDP")
{
    return MustParse(Request("INVITE",
                             branch,
                             transport,
                             "pc33.atlanta.example.com",
                             314159,
                             "Route: <sip:p1.example.com;lr>\r\n"
                             "Route: <sip:p2.example.com;lr>, <sip:p3.example.com;lr>\r\n"
                             "Contact: <sip:alice@pc33.atlanta.example.com>\r\n"
                             "Timestamp: 54\r\n"));
}

SipMessage
Register(std::string_view branch = "z9hG4bKnashds7", std::string_view transport = "UDP")
{
    return MustParse(Request("REGISTER", branch, transport, "pc33.atlanta.example.com", 1826));
}

SipMessage
Response(const SipMessage& request, int code, std::string_view reason, std::string_view tag = "")
{
    auto r = MakeResponseFor(request, code, reason, tag);
    if (!r)
    {
        ADD_FAILURE() << "MakeResponseFor " << code;
        return SipMessage();
    }
    return Wire(*r);
}

struct Sent
{
    TimeNs at;
    std::string bytes;
    TransportAddress to;
    Kind kind;
};

class FakeTransport : public TransactionTransport
{
  public:
    explicit FakeTransport(const TimerService& clock)
        : m_clock(clock)
    {
    }

    Result SendMessage(std::string_view bytes, const TransportAddress& to, Kind kind) override
    {
        Result r;
        if (failing)
        {
            return r;
        }
        sent.push_back(Sent{m_clock.Now(), std::string(bytes), to, kind});
        r.ok = true;
        r.connection = connectionToReport;
        return r;
    }

    /// Send times (relative to `since`) of the messages of one kind.
    std::vector<TimeNs> TimesOf(Kind kind, TimeNs since = 0) const
    {
        std::vector<TimeNs> out;
        for (const Sent& s : sent)
        {
            if (s.kind == kind)
            {
                out.push_back(s.at - since);
            }
        }
        return out;
    }

    size_t CountOf(Kind kind) const
    {
        return TimesOf(kind).size();
    }

    SipMessage Last() const
    {
        return sent.empty() ? SipMessage() : MustParse(sent.back().bytes);
    }

    std::vector<Sent> sent;
    bool failing = false;
    ConnectionId connectionToReport = 0;

  private:
    const TimerService& m_clock;
};

class RecordingTu : public TransactionUser
{
  public:
    void OnNewRequest(ServerTransactionHandle tx,
                      const SipMessage& request,
                      const TransportAddress& from) override
    {
        requests.push_back(request);
        requestFrom.push_back(from);
        servers.push_back(tx);
        if (onRequest)
        {
            onRequest(tx, request);
        }
    }

    void OnResponse(ClientTransactionHandle tx,
                    const SipMessage& response,
                    const TransportAddress&) override
    {
        responses.push_back(response);
        responseTx.push_back(tx);
    }

    void OnClientError(ClientTransactionHandle tx, TransactionError error) override
    {
        clientErrors.push_back({tx, error});
    }

    void OnServerError(ServerTransactionHandle tx, TransactionError error) override
    {
        serverErrors.push_back({tx, error});
    }

    void OnStrayResponse(const SipMessage& response, const TransportAddress&) override
    {
        strayResponses.push_back(response);
    }

    void OnStrayAck(const SipMessage& ack, const TransportAddress&) override
    {
        strayAcks.push_back(ack);
    }

    std::vector<SipMessage> requests;
    std::vector<TransportAddress> requestFrom;
    std::vector<ServerTransactionHandle> servers;
    std::vector<SipMessage> responses;
    std::vector<ClientTransactionHandle> responseTx;
    std::vector<std::pair<ClientTransactionHandle, TransactionError>> clientErrors;
    std::vector<std::pair<ServerTransactionHandle, TransactionError>> serverErrors;
    std::vector<SipMessage> strayResponses;
    std::vector<SipMessage> strayAcks;
    std::function<void(ServerTransactionHandle, const SipMessage&)> onRequest;
};

/// One element: a clock, a transport, a TU and the layer between them.
class TransactionTest : public ::testing::Test
{
  protected:
    TransactionTest()
        : transport(clock)
    {
        Make(TransactionConfig());
    }

    void Make(const TransactionConfig& config)
    {
        layer.reset();
        layer = std::make_unique<TransactionLayer>(clock, transport, tu, config);
    }

    ManualClock clock;
    FakeTransport transport;
    RecordingTu tu;
    std::unique_ptr<TransactionLayer> layer;
};

// ---- client transactions: retransmission and timeout ------------------------

using TransactionClientTest = TransactionTest;

TEST_F(TransactionClientTest,
       NonInviteOverUdpRetransmitsAtT1DoublingCappedAtT2AndTimesOutWithTimerF)
{
    auto tx = layer->SendRequest(Register(), kServerUdp);
    ASSERT_TRUE(tx.IsValid());
    EXPECT_EQ(tx.GetState(), TransactionState::kTrying);
    clock.Advance(40 * kSec);

    // 17.1.2.2: timer E fires at T1, then MIN(2^n*T1, T2): intervals 0.5,
    // 1, 2, 4, 4, 4 ... s, until timer F (64*T1 = 32 s).
    std::vector<TimeNs> expected = {500 * kMs, 1500 * kMs, 3500 * kMs, 7500 * kMs};
    for (TimeNs t = 11500 * kMs; t < 32 * kSec; t += 4 * kSec)
    {
        expected.push_back(t);
    }
    EXPECT_EQ(transport.TimesOf(Kind::kRequest), std::vector<TimeNs>{0});
    EXPECT_EQ(transport.TimesOf(Kind::kRequestRetransmission), expected);
    for (const Sent& s : transport.sent)
    {
        EXPECT_EQ(s.bytes, transport.sent.front().bytes) << "a retransmission is the same bytes";
        EXPECT_TRUE(s.to.SameEndpoint(kServerUdp));
    }
    ASSERT_EQ(tu.clientErrors.size(), 1u);
    EXPECT_EQ(tu.clientErrors[0].first, tx);
    EXPECT_EQ(tu.clientErrors[0].second, TransactionError::kTimeout);
    EXPECT_FALSE(tx.IsAlive());
    EXPECT_EQ(layer->GetStats().requestRetransmissions, expected.size());
    EXPECT_EQ(layer->GetStats().timeouts, 1u);
    EXPECT_EQ(layer->GetClientCount(), 0u);
    EXPECT_EQ(clock.GetPendingCount(), 0u);
}

TEST_F(TransactionClientTest, TimeoutIsReportedExactlyAtTimerF)
{
    auto tx = layer->SendRequest(Register(), kServerUdp);
    clock.Advance(32 * kSec - 1);
    EXPECT_TRUE(tu.clientErrors.empty());
    EXPECT_TRUE(tx.IsAlive());
    clock.Advance(1);
    EXPECT_EQ(tu.clientErrors.size(), 1u);
}

TEST_F(TransactionClientTest, InviteOverUdpTimerADoublesWithoutCapAndTimerBTimesOutAt64T1)
{
    auto tx = layer->SendRequest(Invite(), kServerUdp);
    ASSERT_TRUE(tx.IsValid());
    EXPECT_EQ(tx.GetState(), TransactionState::kCalling);
    clock.Advance(32 * kSec - 1);
    EXPECT_TRUE(tu.clientErrors.empty());
    clock.Advance(100 * kSec);

    // 17.1.1.2: timer A = T1, 2*T1, 4*T1, ... (16 s is not capped at T2).
    EXPECT_EQ(transport.TimesOf(Kind::kRequestRetransmission),
              (std::vector<TimeNs>{
                  500 * kMs, 1500 * kMs, 3500 * kMs, 7500 * kMs, 15500 * kMs, 31500 * kMs}));
    ASSERT_EQ(tu.clientErrors.size(), 1u);
    EXPECT_EQ(tu.clientErrors[0].second, TransactionError::kTimeout);
    EXPECT_FALSE(tx.IsAlive());
    EXPECT_EQ(clock.GetPendingCount(), 0u);
}

TEST_F(TransactionClientTest, TimersFollowAConfiguredT1AndT2)
{
    TransactionConfig config;
    config.t1 = 100 * kMs;
    config.t2 = 300 * kMs;
    Make(config);
    layer->SendRequest(Register(), kServerUdp);
    clock.Advance(10 * kSec);
    // E: 0.1, 0.3 (+0.2), 0.6 (+0.3 = T2), ...; F = 64*T1 = 6.4 s.
    auto times = transport.TimesOf(Kind::kRequestRetransmission);
    ASSERT_GE(times.size(), 3u);
    EXPECT_EQ(times[0], 100 * kMs);
    EXPECT_EQ(times[1], 300 * kMs);
    EXPECT_EQ(times[2], 600 * kMs);
    EXPECT_EQ(times.back(), 6300 * kMs);
    EXPECT_EQ(tu.clientErrors.size(), 1u);
}

TEST_F(TransactionClientTest, NoRetransmissionsOverTcpButTimersBAndFStillTimeOut)
{
    auto invite = layer->SendRequest(Invite("z9hG4bKtcp1", "TCP"), kServerTcp);
    auto reg = layer->SendRequest(Register("z9hG4bKtcp2", "TCP"), kServerTcp);
    clock.Advance(31 * kSec);
    EXPECT_EQ(transport.sent.size(), 2u);
    EXPECT_EQ(transport.CountOf(Kind::kRequestRetransmission), 0u);
    EXPECT_TRUE(tu.clientErrors.empty());
    clock.Advance(1 * kSec);
    ASSERT_EQ(tu.clientErrors.size(), 2u);
    EXPECT_EQ(tu.clientErrors[0].first, invite);
    EXPECT_EQ(tu.clientErrors[1].first, reg);
    EXPECT_EQ(layer->GetStats().requestRetransmissions, 0u);
}

TEST_F(TransactionClientTest, NonInviteInProceedingRetransmitsEveryT2)
{
    SipMessage reg = Register();
    layer->SendRequest(reg, kServerUdp);
    clock.Advance(600 * kMs); // one retransmission at 0.5 s
    layer->OnReceive(Response(reg, 100, "Trying"), kServerUdp);
    EXPECT_EQ(tu.responses.size(), 1u);
    clock.Advance(10 * kSec); // now 10.6 s
    // 17.1.2.2: the timer E due at 1.5 s still fires, then every T2.
    EXPECT_EQ(transport.TimesOf(Kind::kRequestRetransmission),
              (std::vector<TimeNs>{500 * kMs, 1500 * kMs, 5500 * kMs, 9500 * kMs}));
}

TEST_F(TransactionClientTest, InviteProvisionalStopsRetransmissionsAndTimerB)
{
    SipMessage invite = Invite();
    auto tx = layer->SendRequest(invite, kServerUdp);
    clock.Advance(600 * kMs);
    layer->OnReceive(Response(invite, 180, "Ringing", "a6c85cf"), kServerUdp);
    EXPECT_EQ(tx.GetState(), TransactionState::kProceeding);
    clock.Advance(120 * kSec);
    // 17.1.1.2: no retransmission in Proceeding; timer B only acts in Calling.
    EXPECT_EQ(transport.CountOf(Kind::kRequestRetransmission), 1u);
    EXPECT_TRUE(tu.clientErrors.empty());
    EXPECT_TRUE(tx.IsAlive());
    // The TU can still give up (proxy timer C, 16.8).
    tx.Terminate();
    EXPECT_FALSE(tx.IsAlive());
    EXPECT_EQ(clock.GetPendingCount(), 0u);
}

// ---- INVITE client: final responses and the ACK -----------------------------

TEST_F(TransactionClientTest, AckForNon2xxHasSameBranchRequestUriCallIdFromToTagCSeqAndRoutes)
{
    SipMessage invite = Invite();
    auto tx = layer->SendRequest(invite, kServerUdp);
    layer->OnReceive(Response(invite, 486, "Busy Here", "8321234356"), kServerUdp);

    ASSERT_EQ(tu.responses.size(), 1u);
    EXPECT_EQ(tu.responses[0].GetStatusCode(), 486);
    EXPECT_EQ(tx.GetState(), TransactionState::kCompleted);
    ASSERT_EQ(transport.CountOf(Kind::kAck), 1u);
    const Sent& sent = transport.sent.back();
    EXPECT_TRUE(sent.to.SameEndpoint(kServerUdp)) << "17.1.1.3: same destination as the INVITE";
    SipMessage ack = MustParse(sent.bytes);

    // 17.1.1.3
    EXPECT_EQ(ack.GetMethod(), "ACK");
    EXPECT_EQ(ack.GetRequestUri().GetRaw(), invite.GetRequestUri().GetRaw());
    ASSERT_EQ(ack.CountValues(HeaderId::kVia), 1u) << "a single Via";
    EXPECT_EQ(ack.GetTopVia()->GetBranch(), invite.GetTopVia()->GetBranch());
    EXPECT_EQ(ack.GetTopVia()->GetHost(), "pc33.atlanta.example.com");
    EXPECT_EQ(ack.GetCallId(), invite.GetCallId());
    EXPECT_EQ(ack.GetFrom()->GetTag(), invite.GetFrom()->GetTag());
    EXPECT_EQ(ack.GetFrom()->GetUri().GetRaw(), invite.GetFrom()->GetUri().GetRaw());
    EXPECT_EQ(ack.GetTo()->GetUri().GetRaw(), "sip:bob@biloxi.example.com");
    EXPECT_EQ(ack.GetTo()->GetTag(), std::optional<std::string_view>("8321234356"));
    EXPECT_EQ(ack.GetCSeq()->seq, 314159u);
    EXPECT_EQ(ack.GetCSeq()->method, "ACK");
    EXPECT_EQ(ack.GetValues(HeaderId::kRoute), invite.GetValues(HeaderId::kRoute));
    EXPECT_EQ(ack.GetValues(HeaderId::kRoute).size(), 3u);
    EXPECT_EQ(ack.GetUint(HeaderId::kMaxForwards), std::optional<uint32_t>(70));
    EXPECT_TRUE(ack.GetBody().empty());
    EXPECT_FALSE(ack.FindHeader(HeaderId::kContact)) << "only what 17.1.1.3 asks for";
}

TEST_F(TransactionClientTest, RetransmittedFinalResponseResendsAckAndIsNotPassedUp)
{
    SipMessage invite = Invite();
    layer->SendRequest(invite, kServerUdp);
    SipMessage busy = Response(invite, 486, "Busy Here", "8321234356");
    layer->OnReceive(busy, kServerUdp);
    clock.Advance(500 * kMs);
    layer->OnReceive(busy, kServerUdp);
    layer->OnReceive(busy, kServerUdp);
    EXPECT_EQ(tu.responses.size(), 1u);
    EXPECT_EQ(transport.CountOf(Kind::kAck), 1u);
    EXPECT_EQ(transport.CountOf(Kind::kAckRetransmission), 2u);
    EXPECT_EQ(transport.sent.back().bytes, transport.sent[1].bytes);
    EXPECT_EQ(layer->GetStats().responseRetransmissionsReceived, 2u);
}

TEST_F(TransactionClientTest, TimerDIs32SecondsOnUdpAndZeroOnTcp)
{
    SipMessage invite = Invite();
    auto udp = layer->SendRequest(invite, kServerUdp);
    layer->OnReceive(Response(invite, 404, "Not Found", "x1"), kServerUdp);
    SipMessage inviteTcp = Invite("z9hG4bKtcpD", "TCP");
    auto tcp = layer->SendRequest(inviteTcp, kServerTcp);
    layer->OnReceive(Response(inviteTcp, 404, "Not Found", "x2"), kServerTcp);

    EXPECT_FALSE(tcp.IsAlive()) << "17.1.1.2: timer D is 0 on reliable transports";
    EXPECT_EQ(transport.CountOf(Kind::kAck), 2u);
    clock.Advance(32 * kSec - 1);
    EXPECT_EQ(udp.GetState(), TransactionState::kCompleted);
    clock.Advance(1);
    EXPECT_FALSE(udp.IsAlive()) << "17.1.1.2: timer D is 32 s on UDP";
    EXPECT_TRUE(tu.clientErrors.empty());
}

TEST_F(TransactionClientTest, A2xxEndsTheInviteTransactionAndItsRetransmissionIsStray)
{
    SipMessage invite = Invite();
    auto tx = layer->SendRequest(invite, kServerUdp);
    SipMessage ok = Response(invite, 200, "OK", "8321234356");
    layer->OnReceive(ok, kServerUdp);
    ASSERT_EQ(tu.responses.size(), 1u);
    EXPECT_EQ(tu.responseTx[0], tx);
    EXPECT_FALSE(tx.IsAlive()) << "17.1.1.2: a 2xx terminates the INVITE client transaction";
    EXPECT_EQ(transport.CountOf(Kind::kAck), 0u) << "the TU acknowledges a 2xx (13.2.2.4)";
    layer->OnReceive(ok, kServerUdp);
    EXPECT_EQ(tu.responses.size(), 1u);
    EXPECT_EQ(tu.strayResponses.size(), 1u);
    clock.Advance(100 * kSec);
    EXPECT_EQ(transport.CountOf(Kind::kRequestRetransmission), 0u);
    EXPECT_EQ(clock.GetPendingCount(), 0u);
}

TEST_F(TransactionClientTest, TimerKIsT4OnUdpAndZeroOnTcp)
{
    SipMessage reg = Register();
    auto udp = layer->SendRequest(reg, kServerUdp);
    SipMessage regTcp = Register("z9hG4bKtcpK", "TCP");
    auto tcp = layer->SendRequest(regTcp, kServerTcp);
    layer->OnReceive(Response(reg, 200, "OK", "t1"), kServerUdp);
    layer->OnReceive(Response(regTcp, 200, "OK", "t2"), kServerTcp);
    EXPECT_EQ(tu.responses.size(), 2u);
    EXPECT_FALSE(tcp.IsAlive()) << "17.1.2.2: timer K is 0 on reliable transports";
    EXPECT_EQ(udp.GetState(), TransactionState::kCompleted);
    // Completed absorbs response retransmissions.
    layer->OnReceive(Response(reg, 200, "OK", "t1"), kServerUdp);
    EXPECT_EQ(tu.responses.size(), 2u);
    clock.Advance(5 * kSec - 1);
    EXPECT_TRUE(udp.IsAlive());
    clock.Advance(1);
    EXPECT_FALSE(udp.IsAlive()) << "17.1.2.2: timer K is T4 on UDP";
    EXPECT_EQ(transport.CountOf(Kind::kRequestRetransmission), 0u);
}

TEST_F(TransactionClientTest, CancelIsBuiltFromTheInviteAndItsResponsesMatchByCSeqMethod)
{
    SipMessage invite = Invite();
    auto inv = layer->SendRequest(invite, kServerUdp);
    layer->OnReceive(Response(invite, 180, "Ringing", "r1"), kServerUdp);
    auto cancel = inv.MakeCancel();
    ASSERT_TRUE(cancel);
    // 9.1
    EXPECT_EQ(cancel->GetMethod(), "CANCEL");
    EXPECT_EQ(cancel->GetRequestUri().GetRaw(), invite.GetRequestUri().GetRaw());
    EXPECT_EQ(cancel->GetTopVia()->GetBranch(), invite.GetTopVia()->GetBranch());
    EXPECT_EQ(cancel->GetCSeq()->seq, 314159u);
    EXPECT_EQ(cancel->GetCSeq()->method, "CANCEL");
    EXPECT_FALSE(cancel->GetTo()->GetTag());
    EXPECT_EQ(cancel->GetValues(HeaderId::kRoute), invite.GetValues(HeaderId::kRoute));

    auto can = layer->SendRequest(*cancel, kServerUdp);
    ASSERT_TRUE(can.IsValid()) << "same branch, other method: another transaction (17.1.3)";
    // 200 to CANCEL and 487 to INVITE share the branch; CSeq method tells them apart.
    layer->OnReceive(Response(Wire(*cancel), 200, "OK", "r1"), kServerUdp);
    layer->OnReceive(Response(invite, 487, "Request Terminated", "r1"), kServerUdp);
    ASSERT_EQ(tu.responses.size(), 3u);
    EXPECT_EQ(tu.responseTx[1], can);
    EXPECT_EQ(tu.responses[1].GetCSeq()->method, "CANCEL");
    EXPECT_EQ(tu.responseTx[2], inv);
    EXPECT_EQ(tu.responses[2].GetStatusCode(), 487);
    EXPECT_EQ(transport.CountOf(Kind::kAck), 1u);
    EXPECT_FALSE(inv.MakeCancel()) << "nothing to cancel once Completed";
}

// ---- client matching and strays ------------------------------------------------

TEST_F(TransactionClientTest, ResponseMatchingNoTransactionIsPassedOnAsStray)
{
    SipMessage reg = Register();
    layer->SendRequest(reg, kServerUdp);
    // Another branch, and the right branch with another CSeq method.
    layer->OnReceive(Response(Register("z9hG4bKother"), 200, "OK"), kServerUdp);
    layer->OnReceive(Response(MustParse(Request("OPTIONS", "z9hG4bKnashds7")), 200, "OK"),
                     kServerUdp);
    EXPECT_TRUE(tu.responses.empty());
    ASSERT_EQ(tu.strayResponses.size(), 2u);
    EXPECT_EQ(tu.strayResponses[0].GetTopVia()->GetBranch(),
              std::optional<std::string_view>("z9hG4bKother"));
    EXPECT_EQ(layer->GetStats().strayResponses, 2u);
    layer->OnReceive(Response(reg, 200, "OK"), kServerUdp);
    EXPECT_EQ(tu.responses.size(), 1u);
}

TEST_F(TransactionClientTest, SendRequestRefusesAckRequestsWithoutBranchAndDuplicateBranches)
{
    EXPECT_FALSE(layer->SendRequest(MustParse(Request("ACK", "z9hG4bKa")), kServerUdp).IsValid());
    EXPECT_FALSE(layer->SendRequest(MustParse(Request("OPTIONS", "")), kServerUdp).IsValid());
    EXPECT_TRUE(layer->SendRequest(Register(), kServerUdp).IsValid());
    EXPECT_FALSE(layer->SendRequest(Register(), kServerUdp).IsValid());
    EXPECT_EQ(transport.sent.size(), 1u);
    // The ACK for a 2xx goes out statelessly (13.2.2.4).
    EXPECT_TRUE(layer->SendStateless(MustParse(Request("ACK", "z9hG4bKa")), kServerUdp));
    EXPECT_EQ(transport.sent.back().kind, Kind::kStateless);
}

TEST_F(TransactionClientTest, ImmediateTransportFailureIsReportedAfterSendRequestReturns)
{
    transport.failing = true;
    auto tx = layer->SendRequest(Register(), kServerUdp);
    ASSERT_TRUE(tx.IsValid());
    EXPECT_TRUE(tu.clientErrors.empty()) << "not from inside SendRequest";
    EXPECT_FALSE(tx.IsAlive());
    clock.Advance(0);
    ASSERT_EQ(tu.clientErrors.size(), 1u);
    EXPECT_EQ(tu.clientErrors[0].first, tx);
    EXPECT_EQ(tu.clientErrors[0].second, TransactionError::kTransportError);
    EXPECT_EQ(layer->GetClientCount(), 0u);
}

TEST_F(TransactionClientTest, LaterTransportFailureEndsTheTransactionsOnThatConnection)
{
    transport.connectionToReport = 9;
    auto a = layer->SendRequest(Invite("z9hG4bKc1", "TCP"), kServerTcp);
    transport.connectionToReport = 10;
    auto b = layer->SendRequest(Register("z9hG4bKc2", "TCP"), kServerTcp);
    layer->OnTransportFailure(Addr(TransportKind::kTcp, kServerTcp.ip, kServerTcp.port, 9));
    ASSERT_EQ(tu.clientErrors.size(), 1u);
    EXPECT_EQ(tu.clientErrors[0].first, a);
    EXPECT_EQ(tu.clientErrors[0].second, TransactionError::kTransportError);
    EXPECT_TRUE(b.IsAlive());
    layer->OnTransportFailure(kServerTcp); // no connection: the whole endpoint
    EXPECT_FALSE(b.IsAlive());
    EXPECT_EQ(layer->GetStats().transportErrors, 2u);
}

class ChallengeAnsweringTu : public RecordingTu
{
  public:
    void OnResponse(ClientTransactionHandle tx,
                    const SipMessage& response,
                    const TransportAddress& from) override
    {
        RecordingTu::OnResponse(tx, response, from);
        if (response.GetStatusCode() == 401 && layer)
        {
            // 22.2: retry with credentials, a new transaction, from inside the callback.
            retry = layer->SendRequest(Register("z9hG4bKretry"), kServerUdp);
        }
    }

    TransactionLayer* layer = nullptr;
    ClientTransactionHandle retry;
};

TEST(TransactionReentrancy, TuMayStartATransactionFromInsideACallback)
{
    ManualClock clock;
    FakeTransport transport(clock);
    ChallengeAnsweringTu tu;
    TransactionLayer layer(clock, transport, tu);
    tu.layer = &layer;
    SipMessage reg = Register();
    auto first = layer.SendRequest(reg, kServerUdp);
    layer.OnReceive(Response(reg, 401, "Unauthorized", "c1"), kServerUdp);
    ASSERT_TRUE(tu.retry.IsValid());
    EXPECT_NE(tu.retry, first);
    EXPECT_EQ(transport.CountOf(Kind::kRequest), 2u);
    EXPECT_EQ(tu.retry.GetState(), TransactionState::kTrying);
    clock.Advance(40 * kSec);
    EXPECT_EQ(tu.clientErrors.size(), 1u) << "the retry times out on its own";
    EXPECT_EQ(tu.clientErrors[0].first, tu.retry);
}

// ---- INVITE server ---------------------------------------------------------------

using TransactionServerTest = TransactionTest;

TEST_F(TransactionServerTest, InviteServerSends100TryingWhenTheTuDoesNotAnswerWithin200ms)
{
    layer->OnReceive(Invite(), kClientUdp);
    ASSERT_EQ(tu.requests.size(), 1u);
    EXPECT_EQ(tu.servers[0].GetState(), TransactionState::kProceeding);
    clock.Advance(200 * kMs - 1);
    EXPECT_TRUE(transport.sent.empty());
    clock.Advance(1);
    ASSERT_EQ(transport.sent.size(), 1u);
    EXPECT_TRUE(transport.sent[0].to.SameEndpoint(kClientUdp)) << "back to the source";
    SipMessage trying = transport.Last();
    // 17.2.1 / 8.2.6.1
    EXPECT_EQ(trying.GetStatusCode(), 100);
    EXPECT_EQ(trying.GetTopVia()->GetBranch(), std::optional<std::string_view>("z9hG4bK776asdhds"));
    EXPECT_FALSE(trying.GetTo()->GetTag());
    EXPECT_EQ(trying.GetCallId(), Invite().GetCallId());
    EXPECT_EQ(trying.GetCSeq()->method, "INVITE");
    ASSERT_TRUE(trying.FindHeader(HeaderId::kTimestamp));
    EXPECT_EQ(trying.FindHeader(HeaderId::kTimestamp)->value, "54");
    EXPECT_EQ(layer->GetStats().tryingSent, 1u);
}

TEST_F(TransactionServerTest, InviteServerSendsNo100WhenTheTuAnswersWithin200ms)
{
    layer->OnReceive(Invite(), kClientUdp);
    clock.Advance(100 * kMs);
    EXPECT_TRUE(tu.servers[0].SendResponse(Response(tu.requests[0], 180, "Ringing", "b1")));
    clock.Advance(1 * kSec);
    ASSERT_EQ(transport.sent.size(), 1u);
    EXPECT_EQ(transport.Last().GetStatusCode(), 180);
    EXPECT_EQ(layer->GetStats().tryingSent, 0u);
}

TEST_F(TransactionServerTest, InviteServerWithTryingDelayZeroSends100AtOnce)
{
    TransactionConfig config;
    config.tryingDelay = 0;
    Make(config);
    tu.onRequest = [this](ServerTransactionHandle tx, const SipMessage& request) {
        tx.SendResponse(Response(request, 180, "Ringing", "b1"));
    };
    layer->OnReceive(Invite(), kClientUdp);
    ASSERT_EQ(transport.sent.size(), 2u);
    EXPECT_EQ(MustParse(transport.sent[0].bytes).GetStatusCode(), 100);
    EXPECT_EQ(MustParse(transport.sent[1].bytes).GetStatusCode(), 180);
    EXPECT_EQ(transport.sent[0].at, 0);
}

TEST_F(TransactionServerTest, AHeldBack100TryingGoesOutWhenTheInviteIsRetransmitted)
{
    TransactionConfig config;
    config.tryingDelay = 2 * kSec;
    Make(config);
    SipMessage invite = Invite();
    layer->OnReceive(invite, kClientUdp);
    clock.Advance(500 * kMs);
    layer->OnReceive(invite, kClientUdp); // the client's timer A fired
    ASSERT_EQ(transport.sent.size(), 1u);
    EXPECT_EQ(transport.Last().GetStatusCode(), 100);
    EXPECT_EQ(transport.sent[0].at, 500 * kMs);
    clock.Advance(5 * kSec);
    EXPECT_EQ(transport.sent.size(), 1u) << "sent once";
}

TEST_F(TransactionServerTest, RetransmittedInviteGetsTheLastProvisionalAndIsNotPassedUp)
{
    SipMessage invite = Invite();
    layer->OnReceive(invite, kClientUdp);
    tu.servers[0].SendResponse(Response(invite, 180, "Ringing", "b1"));
    layer->OnReceive(invite, kClientUdp);
    EXPECT_EQ(tu.requests.size(), 1u);
    ASSERT_EQ(transport.sent.size(), 2u);
    EXPECT_EQ(transport.sent[1].kind, Kind::kResponseRetransmission);
    EXPECT_EQ(transport.sent[1].bytes, transport.sent[0].bytes);
    EXPECT_EQ(layer->GetStats().requestRetransmissionsReceived, 1u);
}

TEST_F(TransactionServerTest, InviteServerRetransmitsNon2xxFinalOnTimerGUntilTheAck)
{
    SipMessage invite = Invite();
    layer->OnReceive(invite, kClientUdp);
    auto tx = tu.servers[0];
    SipMessage busy = Response(invite, 486, "Busy Here", "b1");
    ASSERT_TRUE(tx.SendResponse(busy));
    EXPECT_EQ(tx.GetState(), TransactionState::kCompleted);
    EXPECT_FALSE(tx.SendResponse(Response(invite, 200, "OK", "b1"))) << "one final response";
    clock.Advance(9 * kSec);
    // 17.2.1: timer G = T1, 2*T1, 4*T1 ... capped at T2.
    EXPECT_EQ(transport.TimesOf(Kind::kResponseRetransmission),
              (std::vector<TimeNs>{500 * kMs, 1500 * kMs, 3500 * kMs, 7500 * kMs}));

    // The ACK (same branch as the INVITE, 17.1.1.3) stops the retransmissions.
    SipMessage ack = *MakeAckForNon2xx(invite, busy);
    layer->OnReceive(Wire(ack), kClientUdp);
    EXPECT_EQ(tx.GetState(), TransactionState::kConfirmed);
    EXPECT_TRUE(tu.strayAcks.empty()) << "17.2.1: the ACK for a non-2xx is absorbed";
    layer->OnReceive(Wire(ack), kClientUdp); // retransmitted ACK: absorbed too
    EXPECT_TRUE(tu.strayAcks.empty());
    clock.Advance(20 * kSec);
    EXPECT_EQ(transport.CountOf(Kind::kResponseRetransmission), 4u);
    EXPECT_FALSE(tx.IsAlive());
    EXPECT_TRUE(tu.serverErrors.empty());
}

TEST_F(TransactionServerTest, TimerIIsT4OnUdpAndZeroOnTcp)
{
    SipMessage invite = Invite();
    layer->OnReceive(invite, kClientUdp);
    SipMessage busy = Response(invite, 486, "Busy Here", "b1");
    tu.servers[0].SendResponse(busy);
    layer->OnReceive(Wire(*MakeAckForNon2xx(invite, busy)), kClientUdp);
    clock.Advance(5 * kSec - 1);
    EXPECT_EQ(tu.servers[0].GetState(), TransactionState::kConfirmed);
    clock.Advance(1);
    EXPECT_FALSE(tu.servers[0].IsAlive()) << "17.2.1: timer I = T4 on UDP";

    SipMessage inviteTcp = Invite("z9hG4bKtcpI", "TCP");
    layer->OnReceive(inviteTcp, kClientTcp);
    SipMessage busyTcp = Response(inviteTcp, 486, "Busy Here", "b2");
    tu.servers[1].SendResponse(busyTcp);
    EXPECT_EQ(transport.sent.back().to.connection, kClientTcp.connection)
        << "responses go back on the request's connection (18.2.2)";
    clock.Advance(10 * kSec);
    EXPECT_EQ(transport.CountOf(Kind::kResponseRetransmission), 0u)
        << "17.2.1: timer G only on unreliable transports";
    EXPECT_EQ(tu.servers[1].GetState(), TransactionState::kCompleted);
    layer->OnReceive(Wire(*MakeAckForNon2xx(inviteTcp, busyTcp)), kClientTcp);
    EXPECT_FALSE(tu.servers[1].IsAlive()) << "17.2.1: timer I = 0 on reliable transports";
}

TEST_F(TransactionServerTest, TimerHEndsTheInviteServerTransactionWithoutAck)
{
    SipMessage invite = Invite();
    layer->OnReceive(invite, kClientUdp);
    auto tx = tu.servers[0];
    tx.SendResponse(Response(invite, 603, "Decline", "b1"));
    clock.Advance(32 * kSec - 1);
    EXPECT_TRUE(tu.serverErrors.empty());
    clock.Advance(1);
    ASSERT_EQ(tu.serverErrors.size(), 1u);
    EXPECT_EQ(tu.serverErrors[0].first, tx);
    EXPECT_EQ(tu.serverErrors[0].second, TransactionError::kTimeout);
    EXPECT_FALSE(tx.IsAlive());
    // Timer G: 0.5, 1.5, 3.5, 7.5, then every T2 until 64*T1.
    EXPECT_EQ(transport.CountOf(Kind::kResponseRetransmission), 10u);
    EXPECT_EQ(transport.TimesOf(Kind::kResponseRetransmission).back(), 31500 * kMs);
    EXPECT_EQ(clock.GetPendingCount(), 0u);
}

TEST_F(TransactionServerTest,
       A2xxMovesTheInviteServerToAcceptedWhichAbsorbsRetransmissionsUntilTimerL)
{
    SipMessage invite = Invite();
    layer->OnReceive(invite, kClientUdp);
    auto tx = tu.servers[0];
    SipMessage ok = Response(invite, 200, "OK", "b1");
    ASSERT_TRUE(tx.SendResponse(ok));
    EXPECT_EQ(tx.GetState(), TransactionState::kAccepted);
    // RFC 6026 7.1: a retransmitted INVITE is absorbed, not a new request.
    layer->OnReceive(invite, kClientUdp);
    EXPECT_EQ(tu.requests.size(), 1u);
    // The TU retransmits its 2xx itself (13.3.1.4) through the transaction.
    EXPECT_TRUE(tx.SendResponse(ok));
    EXPECT_EQ(transport.sent.back().kind, Kind::kResponseRetransmission);
    EXPECT_FALSE(tx.SendResponse(Response(invite, 486, "Busy Here", "b1")));
    // The ACK for a 2xx has its own branch: the TU gets it.
    layer->OnReceive(MustParse(Request("ACK", "z9hG4bKack2xx")), kClientUdp);
    EXPECT_EQ(tu.strayAcks.size(), 1u);
    clock.Advance(32 * kSec);
    EXPECT_FALSE(tx.IsAlive()) << "timer L = 64*T1";
    EXPECT_EQ(transport.CountOf(Kind::kResponseRetransmission), 1u) << "no timer G for 2xx";
}

// ---- non-INVITE server ------------------------------------------------------------

TEST_F(TransactionServerTest, NonInviteServerAnswersARetransmittedRequestWithTheLastResponse)
{
    SipMessage reg = Register();
    layer->OnReceive(reg, kClientUdp);
    ASSERT_EQ(tu.requests.size(), 1u);
    auto tx = tu.servers[0];
    EXPECT_EQ(tx.GetState(), TransactionState::kTrying);
    clock.Advance(300 * kMs);
    EXPECT_TRUE(transport.sent.empty()) << "17.2.2: no 100 of its own";
    layer->OnReceive(reg, kClientUdp); // Trying: discarded
    EXPECT_TRUE(transport.sent.empty());
    ASSERT_TRUE(tx.SendResponse(Response(reg, 200, "OK", "s1")));
    EXPECT_EQ(tx.GetState(), TransactionState::kCompleted);
    layer->OnReceive(reg, kClientUdp);
    layer->OnReceive(reg, kClientUdp);
    EXPECT_EQ(tu.requests.size(), 1u) << "retransmissions never reach the TU";
    ASSERT_EQ(transport.sent.size(), 3u);
    EXPECT_EQ(transport.sent[1].bytes, transport.sent[0].bytes);
    EXPECT_EQ(transport.sent[2].kind, Kind::kResponseRetransmission);
    EXPECT_FALSE(tx.SendResponse(Response(reg, 500, "Oops", "s1")));
    EXPECT_EQ(layer->GetStats().responseRetransmissions, 2u);
}

TEST_F(TransactionServerTest, NonInviteServerInProceedingResendsTheLastProvisional)
{
    SipMessage reg = Register();
    layer->OnReceive(reg, kClientUdp);
    tu.servers[0].SendResponse(Response(reg, 100, "Trying"));
    EXPECT_EQ(tu.servers[0].GetState(), TransactionState::kProceeding);
    layer->OnReceive(reg, kClientUdp);
    ASSERT_EQ(transport.sent.size(), 2u);
    EXPECT_EQ(MustParse(transport.sent[1].bytes).GetStatusCode(), 100);
}

TEST_F(TransactionServerTest, TimerJIs64T1OnUdpAndZeroOnTcp)
{
    SipMessage reg = Register();
    layer->OnReceive(reg, kClientUdp);
    tu.servers[0].SendResponse(Response(reg, 200, "OK", "s1"));
    SipMessage regTcp = Register("z9hG4bKtcpJ", "TCP");
    layer->OnReceive(regTcp, kClientTcp);
    tu.servers[1].SendResponse(Response(regTcp, 200, "OK", "s2"));
    EXPECT_FALSE(tu.servers[1].IsAlive()) << "17.2.2: timer J = 0 on reliable transports";
    clock.Advance(32 * kSec - 1);
    EXPECT_EQ(tu.servers[0].GetState(), TransactionState::kCompleted);
    clock.Advance(1);
    EXPECT_FALSE(tu.servers[0].IsAlive()) << "17.2.2: timer J = 64*T1 on UDP";
    // After timer J a retransmission would be a new request.
    layer->OnReceive(reg, kClientUdp);
    EXPECT_EQ(tu.requests.size(), 3u);
}

TEST_F(TransactionServerTest, TuAnsweringInsideOnNewRequestIsSupported)
{
    tu.onRequest = [this](ServerTransactionHandle tx, const SipMessage& request) {
        EXPECT_TRUE(tx.SendResponse(Response(request, 200, "OK", "s1")));
    };
    layer->OnReceive(Register("z9hG4bKtcpN", "TCP"), kClientTcp);
    EXPECT_EQ(transport.sent.size(), 1u);
    EXPECT_FALSE(tu.servers[0].IsAlive());
    EXPECT_EQ(layer->GetServerCount(), 0u);
}

// ---- server matching (17.2.3) -------------------------------------------------------

TEST_F(TransactionServerTest, Rfc3261MatchingUsesBranchSentByAndMethod)
{
    layer->OnReceive(MustParse(Request("INVITE", "z9hG4bKsame")), kClientUdp);
    // Same branch, other sent-by: another transaction.
    layer->OnReceive(MustParse(Request("INVITE", "z9hG4bKsame", "UDP", "other.example.com")),
                     kClientUdp);
    // Same branch and sent-by, host in other case: the same transaction.
    layer->OnReceive(MustParse(Request("INVITE", "z9hG4bKsame", "UDP", "PC33.Atlanta.Example.COM")),
                     kClientUdp);
    // Same branch, CANCEL: its own transaction (9.2), which finds the INVITE.
    SipMessage cancel = MustParse(Request("CANCEL", "z9hG4bKsame"));
    layer->OnReceive(cancel, kClientUdp);
    ASSERT_EQ(tu.requests.size(), 3u);
    EXPECT_EQ(tu.requests[2].GetMethod(), "CANCEL");
    EXPECT_EQ(layer->FindInviteTransaction(cancel), tu.servers[0]);
    EXPECT_EQ(layer->GetStats().requestRetransmissionsReceived, 1u);
    // An ACK with the INVITE's branch matches the INVITE transaction (it
    // has not answered yet, so the ACK is absorbed); one with another
    // branch is stray.
    layer->OnReceive(MustParse(Request("ACK", "z9hG4bKsame")), kClientUdp);
    layer->OnReceive(MustParse(Request("ACK", "z9hG4bKelse")), kClientUdp);
    EXPECT_EQ(tu.strayAcks.size(), 1u);
    EXPECT_EQ(layer->GetStats().strayAcks, 1u);
}

TEST_F(TransactionServerTest, Rfc2543MatchingWithoutTheMagicCookie)
{
    // Branch without z9hG4bK: Request-URI, To tag, From tag, Call-ID, CSeq
    // and top Via decide (17.2.3).
    SipMessage invite = MustParse(Request("INVITE", "1234old"));
    layer->OnReceive(invite, kClientUdp);
    layer->OnReceive(invite, kClientUdp); // retransmission
    EXPECT_EQ(tu.requests.size(), 1u);
    // Other CSeq: a new request.
    layer->OnReceive(MustParse(Request("INVITE", "1234old", "UDP", "pc33.atlanta.example.com", 7)),
                     kClientUdp);
    EXPECT_EQ(tu.requests.size(), 2u);
    // No branch at all, otherwise the same as the first: a new transaction
    // (its top Via differs).
    layer->OnReceive(MustParse(Request("INVITE", "")), kClientUdp);
    EXPECT_EQ(tu.requests.size(), 3u);

    // The ACK matches on the To tag of the response the transaction sent.
    SipMessage busy = Response(invite, 486, "Busy Here", "2543tag");
    tu.servers[0].SendResponse(busy);
    std::string wrongTag = Request("ACK", "1234old");
    wrongTag.replace(wrongTag.find("<sip:bob@biloxi.example.com>\r\n"),
                     30,
                     "<sip:bob@biloxi.example.com>;tag=nope\r\n");
    layer->OnReceive(MustParse(wrongTag), kClientUdp);
    EXPECT_EQ(tu.strayAcks.size(), 1u);
    EXPECT_EQ(tu.servers[0].GetState(), TransactionState::kCompleted);
    layer->OnReceive(Wire(*MakeAckForNon2xx(invite, busy)), kClientUdp);
    EXPECT_EQ(tu.strayAcks.size(), 1u);
    EXPECT_EQ(tu.servers[0].GetState(), TransactionState::kConfirmed);
    // CANCEL finds the INVITE on everything but the method (9.2).
    EXPECT_EQ(layer->FindInviteTransaction(MustParse(Request("CANCEL", "1234old"))), tu.servers[0]);
}

TEST_F(TransactionServerTest, MessagesWithoutViaOrCSeqAreDroppedAndCounted)
{
    std::string noVia = Request("OPTIONS", "z9hG4bKx");
    noVia.erase(noVia.find("Via:"), noVia.find("Max-Forwards") - noVia.find("Via:"));
    layer->OnReceive(MustParse(noVia), kClientUdp);
    EXPECT_TRUE(tu.requests.empty());
    EXPECT_EQ(layer->GetStats().malformedDropped, 1u);
}

TEST_F(TransactionServerTest, ResponseSendFailureIsReportedOutsideSendResponse)
{
    SipMessage reg = Register();
    layer->OnReceive(reg, kClientUdp);
    transport.failing = true;
    EXPECT_TRUE(tu.servers[0].SendResponse(Response(reg, 200, "OK", "s1")));
    EXPECT_TRUE(tu.serverErrors.empty());
    clock.Advance(0);
    ASSERT_EQ(tu.serverErrors.size(), 1u);
    EXPECT_EQ(tu.serverErrors[0].second, TransactionError::kTransportError);
    EXPECT_FALSE(tu.servers[0].IsAlive());
}

// ---- helpers, stats and memory -----------------------------------------------------

TEST(TransactionBranch, StartsWithTheMagicCookieAndTakesItsRandomnessFromTheCaller)
{
    uint32_t next = 0x01234567;
    TransactionRandom random = [&next] {
        return next++;
    };
    std::string a = MakeTransactionBranch(random);
    std::string b = MakeTransactionBranch(random);
    EXPECT_EQ(a, "z9hG4bK0123456701234568");
    EXPECT_EQ(b, "z9hG4bK012345690123456a");
    SipMessage options = MustParse(Request("OPTIONS", a));
    EXPECT_TRUE(options.GetTopVia()->HasRfc3261Branch());
}

TEST(TransactionConfigTest, DerivedTimersFollowTable4)
{
    TransactionConfig c;
    EXPECT_TRUE(c.IsValid());
    EXPECT_EQ(c.TimerA(), 500 * kMs);
    EXPECT_EQ(c.TimerB(), 32 * kSec);
    EXPECT_EQ(c.TimerD(false), 32 * kSec);
    EXPECT_EQ(c.TimerD(true), 0);
    EXPECT_EQ(c.TimerE(), 500 * kMs);
    EXPECT_EQ(c.TimerF(), 32 * kSec);
    EXPECT_EQ(c.TimerG(), 500 * kMs);
    EXPECT_EQ(c.TimerH(), 32 * kSec);
    EXPECT_EQ(c.TimerI(false), 5 * kSec);
    EXPECT_EQ(c.TimerI(true), 0);
    EXPECT_EQ(c.TimerJ(false), 32 * kSec);
    EXPECT_EQ(c.TimerJ(true), 0);
    EXPECT_EQ(c.TimerK(false), 5 * kSec);
    EXPECT_EQ(c.TimerK(true), 0);
    EXPECT_EQ(c.TimerL(), 32 * kSec);
    c.t2 = 100 * kMs;
    EXPECT_FALSE(c.IsValid()) << "T2 below T1";
}

TEST_F(TransactionServerTest, AUaWithItsTransactionsStaysFarBelow20KB)
{
    // A UA in a call: a REGISTER refresh, an outgoing INVITE (with a
    // 300-byte SDP body) and an incoming re-INVITE answered 200, all live.
    SipMessage reg = Register();
    std::string inviteText = Request("INVITE",
                                     "z9hG4bKmem1",
                                     "UDP",
                                     "pc33.atlanta.example.com",
                                     1,
                                     "Contact: <sip:alice@pc33.atlanta.example.com>\r\n"
                                     "Content-Type: application/sdp\r\n");
    inviteText.replace(inviteText.find("Content-Length: 0"), 17, "Content-Length: 300");
    inviteText += std::string(300, 'v');
    layer->SendRequest(reg, kServerUdp);
    layer->SendRequest(MustParse(inviteText), kServerUdp);
    SipMessage incoming = MustParse(Request("INVITE", "z9hG4bKmem2"));
    layer->OnReceive(incoming, kClientUdp);
    tu.servers[0].SendResponse(Response(incoming, 200, "OK", "m1"));

    const size_t bytes = layer->EstimateMemoryBytes();
    std::cout << "[ sizes    ] sizeof(TransactionLayer) = " << sizeof(TransactionLayer)
              << ", sizeof(ClientTransaction) = " << sizeof(ClientTransaction)
              << ", sizeof(ServerTransaction) = " << sizeof(ServerTransaction)
              << ", sizeof(TransactionConfig) = " << sizeof(TransactionConfig)
              << "; layer with 3 live transactions: ~" << bytes << " bytes\n";
    RecordProperty("layer_with_three_transactions_bytes", static_cast<int>(bytes));
    EXPECT_LT(bytes, 8u * 1024u);
}

} // namespace
} // namespace sipbed
