// An InboundGate in front of a registrar on the loopback network (no ns-3):
// received messages wait in the gate until it releases them, in arrival
// order; a rejected request gets one stateless 503 with Retry-After (RFC
// 3261 21.5.4, 20.33, 8.2.7); a rejected ACK or response gets nothing; a UA
// told to retry after a 503 does so and registers. Without a gate the
// element processes at once.
#include "models/roles/inbound-gate.h"
#include "models/roles/registrar.h"
#include "models/roles/user-agent.h"
#include "models/sip/sip-transport.h"

#include "tests/unit/loopback-network.h"

#include <gtest/gtest.h>

#include <deque>
#include <string>
#include <vector>

using namespace sipbed;
using sipbed::test::Ip;
using sipbed::test::LoopbackNetwork;

namespace
{

/// Holds every message until the test releases, rejects or drops it.
class HoldingGate : public InboundGate
{
  public:
    struct Held
    {
        SipElement* element;
        SipMessage message;
        TransportAddress from;
        size_t bytes;
    };

    void Admit(SipElement& element,
               SipMessage&& message,
               const TransportAddress& from,
               size_t bytes) override
    {
        held.push_back(Held{&element, std::move(message), from, bytes});
    }

    void ConnectionClosed(SipElement&, const TransportAddress&) override
    {
        ++closed;
    }

    void ReleaseAll()
    {
        while (!held.empty())
        {
            Held h = Pop();
            h.element->ProcessInbound(std::move(h.message), h.from);
        }
    }

    bool RejectNext(uint32_t retryAfter)
    {
        Held h = Pop();
        return h.element->RejectOverloaded(h.message, h.from, retryAfter);
    }

    void DropNext()
    {
        Pop();
    }

    std::deque<Held> held;
    int closed = 0;

  private:
    Held Pop()
    {
        Held h = std::move(held.front());
        held.pop_front();
        return h;
    }
};

const uint32_t kRegistrarIp = Ip("198.18.0.2");
const uint32_t kClientIp = Ip("10.0.0.2");

/// A registrar without authentication and a bare SIP endpoint (a transport
/// that records what it receives) at 10.0.0.2:5060.
struct Bench
{
    /// `gated`: `gate` stands in front of the registrar.
    explicit Bench(bool gated = true, TransportKind kind = TransportKind::kUdp)
        : random(7)
        , registrarIo(net.AddEndpoint(kRegistrarIp, 5060))
        , clientIo(net.AddEndpoint(kClientIp, 5060))
        , kind(kind)
    {
        RegistrarConfig rc;
        rc.authenticate = false;
        ElementConfig ec;
        ec.ip = kRegistrarIp;
        ec.transport = kind;
        registrar = std::make_unique<Registrar>(
            ElementEnvironment{net.Clock(), random, registrarIo, &counters}, ec, rc);
        registrarIo.transport = &registrar->GetTransport();
        if (gated)
        {
            registrar->SetInboundGate(&gate);
        }
        SipTransport::Handler h;
        h.onMessage = [this](SipMessage&& m, const TransportAddress&, size_t) {
            received.push_back(std::move(m));
        };
        SipTransport::Config tc;
        tc.localIp = kClientIp;
        client = std::make_unique<SipTransport>(clientIo, tc, std::move(h));
        clientIo.transport = client.get();
    }

    void Send(const std::string& bytes)
    {
        client->SendBytes(bytes, TransportAddress{kind, kRegistrarIp, 5060, 0});
    }

    /// Sends and lets it arrive (the loopback delay is 10 ms).
    void Deliver(const std::string& bytes)
    {
        Send(bytes);
        Run(1);
    }

    void Run(double seconds)
    {
        net.Clock().Advance(SecondsToNs(seconds));
    }

    const TransactionStats& RegistrarLayer() const
    {
        return registrar->GetTransactions().GetStats();
    }

    LoopbackNetwork net;
    HoldingGate gate;
    SeededRandom random;
    MessageCounters counters;
    LoopbackNetwork::Io& registrarIo;
    LoopbackNetwork::Io& clientIo;
    TransportKind kind;
    std::unique_ptr<Registrar> registrar;
    std::unique_ptr<SipTransport> client;
    std::vector<SipMessage> received;
};

/// A request from 10.0.0.2 with the given method, branch and CSeq number.
std::string
Request(const std::string& method,
        const std::string& branch,
        int cseq = 1,
        TransportKind kind = TransportKind::kUdp)
{
    return method +
           " sip:example.com SIP/2.0\r\n"
           "Via: SIP/2.0/" +
           std::string(TransportName(kind)) + " 10.0.0.2:5060;branch=" + branch +
           ";rport\r\n"
           "Max-Forwards: 70\r\n"
           "To: <sip:alice@example.com>\r\n"
           "From: <sip:alice@example.com>;tag=a1\r\n"
           "Call-ID: gate-test@10.0.0.2\r\n"
           "CSeq: " +
           std::to_string(cseq) + " " + method +
           "\r\n"
           "Contact: <sip:alice@10.0.0.2:5060>\r\n"
           "Expires: 600\r\n"
           "Content-Length: 0\r\n\r\n";
}

} // namespace

TEST(InboundGate, WithoutAGateTheElementProcessesOnArrival)
{
    Bench b(false);
    EXPECT_EQ(b.registrar->GetInboundGate(), nullptr);
    b.Deliver(Request("REGISTER", "z9hG4bK-direct"));
    ASSERT_EQ(b.received.size(), 1u);
    EXPECT_EQ(b.received[0].GetStatusCode(), 200);
    EXPECT_EQ(b.registrar->GetRegistrarStats().registrations, 1u);
}

TEST(InboundGate, MessagesWaitInTheGateUntilReleasedInArrivalOrder)
{
    Bench b;
    HoldingGate& gate = b.gate;
    EXPECT_EQ(b.registrar->GetInboundGate(), &gate);
    b.Send(Request("REGISTER", "z9hG4bK-first", 1));
    b.Run(0.001); // the loopback delays each datagram by 10 ms: keep them apart
    b.Send(Request("OPTIONS", "z9hG4bK-second", 2));
    b.Run(5);

    // Held, not processed: no transaction, no answer; counted on arrival.
    ASSERT_EQ(gate.held.size(), 2u);
    EXPECT_EQ(gate.held[0].message.GetMethod(), "REGISTER");
    EXPECT_EQ(gate.held[1].message.GetMethod(), "OPTIONS");
    EXPECT_EQ(gate.held[0].from.ip, kClientIp);
    EXPECT_GT(gate.held[0].bytes, 0u);
    // RFC 3581 4: the transport stamped the top Via before the gate.
    EXPECT_NE(gate.held[0].message.FindHeader(HeaderId::kVia)->value.find("rport=5060"),
              std::string::npos);
    EXPECT_TRUE(b.received.empty());
    EXPECT_EQ(b.RegistrarLayer().serverTransactions, 0u);
    EXPECT_EQ(b.counters.byKey["REGISTER"].received, 1u);

    gate.ReleaseAll();
    b.Run(1);
    ASSERT_EQ(b.received.size(), 2u);
    EXPECT_EQ(b.received[0].GetStatusCode(), 200);
    EXPECT_EQ(b.received[0].GetCSeq()->method, "REGISTER");
    EXPECT_EQ(b.received[1].GetCSeq()->method, "OPTIONS");
    EXPECT_EQ(b.registrar->GetRegistrarStats().registrations, 1u);
    EXPECT_EQ(b.RegistrarLayer().serverTransactions, 2u);

    // Taken away again: straight to the transaction layer.
    b.registrar->SetInboundGate(nullptr);
    b.Deliver(Request("REGISTER", "z9hG4bK-third", 3));
    EXPECT_TRUE(gate.held.empty());
    EXPECT_EQ(b.received.size(), 3u);
}

TEST(InboundGate, ARejectedRegisterGetsExactlyOne503WithRetryAfter)
{
    Bench b;
    HoldingGate& gate = b.gate;
    const std::string reg = Request("REGISTER", "z9hG4bK-busy");
    b.Deliver(reg);
    ASSERT_EQ(gate.held.size(), 1u);
    EXPECT_TRUE(gate.RejectNext(7));
    b.Run(1);

    ASSERT_EQ(b.received.size(), 1u);
    const SipMessage& r = b.received[0];
    EXPECT_EQ(r.GetStatusCode(), 503);
    EXPECT_EQ(r.GetReasonPhrase(), "Service Unavailable");
    ASSERT_TRUE(r.GetRetryAfter());
    EXPECT_EQ(r.GetRetryAfter()->seconds, 7u);
    // 8.2.6.2: the request's Via, Call-ID, CSeq, From; a To tag added.
    EXPECT_EQ(r.GetCSeq()->method, "REGISTER");
    EXPECT_EQ(*r.GetCallId(), "gate-test@10.0.0.2");
    EXPECT_EQ(r.GetTopVia()->GetBranch().value_or(""), "z9hG4bK-busy");
    ASSERT_TRUE(r.GetTo());
    const std::string tag(r.GetTo()->GetParams().Get("tag").value_or(""));
    EXPECT_FALSE(tag.empty());
    // Stateless: no transaction, no registration; the 503 sent once.
    EXPECT_EQ(b.RegistrarLayer().serverTransactions, 0u);
    EXPECT_EQ(b.RegistrarLayer().statelessSent, 1u);
    EXPECT_EQ(b.registrar->GetRegistrarStats().registrations, 0u);
    EXPECT_EQ(b.counters.byKey["503 REGISTER"].sent, 1u);
    b.Run(60);
    EXPECT_EQ(b.received.size(), 1u);

    // 8.2.7: a retransmission rejected again gets the same To tag.
    b.Deliver(reg);
    ASSERT_TRUE(gate.RejectNext(7));
    b.Run(1);
    ASSERT_EQ(b.received.size(), 2u);
    EXPECT_EQ(b.received[1].GetTo()->GetParams().Get("tag").value_or(""), tag);
}

TEST(InboundGate, RetryAfterZeroSendsA503WithoutRetryAfter)
{
    Bench b;
    HoldingGate& gate = b.gate;
    b.Deliver(Request("REGISTER", "z9hG4bK-zero"));
    ASSERT_TRUE(gate.RejectNext(0));
    b.Run(1);
    ASSERT_EQ(b.received.size(), 1u);
    EXPECT_EQ(b.received[0].GetStatusCode(), 503);
    EXPECT_FALSE(b.received[0].GetRetryAfter());
}

TEST(InboundGate, ARejectedAckOrResponseGetsNothing)
{
    Bench b;
    HoldingGate& gate = b.gate;
    b.Send(Request("ACK", "z9hG4bK-ack"));
    b.Run(0.001);
    b.Send("SIP/2.0 200 OK\r\n"
           "Via: SIP/2.0/UDP 198.18.0.2:5060;branch=z9hG4bK-nothing\r\n"
           "To: <sip:bob@example.com>;tag=b1\r\n"
           "From: <sip:alice@example.com>;tag=a1\r\n"
           "Call-ID: gate-test@10.0.0.2\r\n"
           "CSeq: 1 OPTIONS\r\n"
           "Content-Length: 0\r\n\r\n");
    b.Run(1);
    ASSERT_EQ(gate.held.size(), 2u);
    EXPECT_FALSE(gate.RejectNext(5));
    EXPECT_FALSE(gate.RejectNext(5));
    b.Run(40);
    EXPECT_TRUE(b.received.empty());
    EXPECT_EQ(b.RegistrarLayer().statelessSent, 0u);
    EXPECT_EQ(b.counters.Total().sent, 0u);
}

TEST(InboundGate, ADroppedRequestIsForgottenAndItsRetransmissionServed)
{
    Bench b;
    HoldingGate& gate = b.gate;
    const std::string reg = Request("REGISTER", "z9hG4bK-drop");
    b.Deliver(reg);
    gate.DropNext();
    b.Run(1);
    EXPECT_TRUE(b.received.empty());
    b.Deliver(reg); // what timer E would send (17.1.2.2)
    gate.ReleaseAll();
    b.Run(1);
    ASSERT_EQ(b.received.size(), 1u);
    EXPECT_EQ(b.received[0].GetStatusCode(), 200);
}

TEST(InboundGate, A503OverTcpGoesBackOnTheRequestsConnectionAndClosesAreReported)
{
    Bench b(true, TransportKind::kTcp);
    HoldingGate& gate = b.gate;
    b.Deliver(Request("REGISTER", "z9hG4bK-tcp", 1, TransportKind::kTcp));
    ASSERT_EQ(gate.held.size(), 1u);
    EXPECT_NE(gate.held[0].from.connection, 0u);
    EXPECT_TRUE(gate.RejectNext(3));
    b.Run(1);
    ASSERT_EQ(b.received.size(), 1u);
    EXPECT_EQ(b.received[0].GetStatusCode(), 503);
    EXPECT_EQ(b.registrar->GetTransport().GetConnectionCount(), 1u);

    b.client->Close(
        b.client->FindConnection(TransportAddress{TransportKind::kTcp, kRegistrarIp, 5060, 0}));
    b.Run(1);
    EXPECT_EQ(gate.closed, 1);
}

namespace
{

struct RegistrationEvents : UaListener
{
    void OnRegistered(TimeNs delay, bool) override
    {
        delays.push_back(delay);
    }

    void OnRegistrationFailed(int status) override
    {
        failures.push_back(status);
    }

    std::vector<TimeNs> delays;
    std::vector<int> failures;
};

} // namespace

TEST(InboundGate, AUaToldToRetryAfterA503RegistersThen)
{
    Bench b;
    HoldingGate& gate = b.gate;
    LoopbackNetwork::Io& io = b.net.AddEndpoint(Ip("10.0.0.3"), 5060);
    UaConfig uc;
    uc.user = "carol";
    uc.domain = "example.com";
    uc.edgeProxy = TransportAddress{TransportKind::kUdp, kRegistrarIp, 5060, 0};
    ElementConfig ec;
    ec.ip = Ip("10.0.0.3");
    RegistrationEvents events;
    UserAgent ua(ElementEnvironment{b.net.Clock(), b.random, io, nullptr}, ec, uc, &events);
    io.transport = &ua.GetTransport();
    ua.Register();
    b.Run(0.1);
    ASSERT_EQ(gate.held.size(), 1u);
    ASSERT_TRUE(gate.RejectNext(4));
    b.Run(3.5);
    // The 503 ended the transaction: no retransmission, no new REGISTER yet.
    EXPECT_TRUE(gate.held.empty());
    EXPECT_FALSE(ua.IsRegistered());
    b.Run(1);
    ASSERT_EQ(gate.held.size(), 1u);
    gate.ReleaseAll();
    b.Run(1);
    EXPECT_TRUE(ua.IsRegistered());
    ASSERT_EQ(events.delays.size(), 1u);
    // 503 with Retry-After is not a failure to the user (outbound OB-UA-6).
    EXPECT_TRUE(events.failures.empty());
    ua.Stop();
}
