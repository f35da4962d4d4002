// The sans-IO SIP transport layer (RFC 3261 18): what arrives as bytes is
// handed up as messages, STUN, keepalives or errors; what is sent goes on
// the right datagram or connection.
#include "models/sip/sip-parser.h"
#include "models/sip/sip-transport.h"

#include "tests/unit/loopback-network.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace sipbed;
using sipbed::test::Ip;

namespace
{

/// Records what the transport asks of the world.
class FakeIo : public TransportIo
{
  public:
    void SendDatagram(const TransportAddress& to, std::string_view bytes) override
    {
        datagrams.emplace_back(to, std::string(bytes));
    }

    ConnectionId OpenConnection(const TransportAddress& to) override
    {
        opened.push_back(to);
        return ++lastId;
    }

    void SendOnConnection(ConnectionId id, std::string_view bytes) override
    {
        streamed[id] += bytes;
    }

    void CloseConnection(ConnectionId id) override
    {
        closed.push_back(id);
    }

    std::vector<std::pair<TransportAddress, std::string>> datagrams;
    std::vector<TransportAddress> opened;
    std::map<ConnectionId, std::string> streamed;
    std::vector<ConnectionId> closed;
    ConnectionId lastId = 100;
};

const char* const kOptions = "OPTIONS sip:bob@example.com SIP/2.0\r\n"
                             "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKa1;rport\r\n"
                             "Max-Forwards: 70\r\n"
                             "To: <sip:bob@example.com>\r\n"
                             "From: <sip:alice@example.com>;tag=1\r\n"
                             "Call-ID: c1\r\n"
                             "CSeq: 1 OPTIONS\r\n"
                             "Content-Length: 0\r\n\r\n";

struct Harness
{
    explicit Harness(StreamFilterFactory tls = nullptr)
        : transport(io, SipTransport::Config{Ip("198.18.0.2"), {}, std::move(tls)}, Handler())
    {
    }

    SipTransport::Handler Handler()
    {
        SipTransport::Handler h;
        h.onMessage = [this](SipMessage&& m, const TransportAddress& from, size_t) {
            messages.push_back(std::move(m));
            froms.push_back(from);
        };
        h.onStun = [this](std::string_view, const TransportAddress&) { ++stun; };
        h.onKeepalive = [this](size_t n, const TransportAddress&) { keepalives.push_back(n); };
        h.onBadMessage = [this](const ParseError& e, const TransportAddress&) {
            errors.push_back(e.ToString());
        };
        h.onConnected = [this](const TransportAddress& peer) { connected.push_back(peer); };
        h.onClosed = [this](const TransportAddress& peer, const std::string& reason) {
            closedReasons.push_back(peer.ToString() + ": " + reason);
        };
        return h;
    }

    FakeIo io;
    SipTransport transport;
    std::vector<SipMessage> messages;
    std::vector<TransportAddress> froms;
    int stun = 0;
    std::vector<size_t> keepalives;
    std::vector<std::string> errors;
    std::vector<TransportAddress> connected;
    std::vector<std::string> closedReasons;
};

} // namespace

TEST(SipTransport, UdpRequestGetsReceivedAndRportFromItsSourceAddress)
{
    Harness h;
    const TransportAddress nat{TransportKind::kUdp, Ip("100.64.0.2"), 40001, 0};
    h.transport.OnDatagram(kOptions, nat);
    ASSERT_EQ(h.messages.size(), 1u);
    const std::optional<Via> via = h.messages[0].GetTopVia();
    ASSERT_TRUE(via);
    EXPECT_EQ(via->GetReceived(), std::optional<std::string_view>("100.64.0.2"));
    EXPECT_EQ(via->GetRport(), std::optional<int>(40001));
    EXPECT_EQ(via->GetBranch(), std::optional<std::string_view>("z9hG4bKa1"));
    EXPECT_EQ(h.messages[0].CountValues(HeaderId::kVia), 1u);
}

TEST(SipTransport, SentByEqualToTheSourceAndNoRportLeavesTheViaAlone)
{
    Harness h;
    std::string msg = kOptions;
    msg.replace(msg.find(";rport"), 6, "");
    h.transport.OnDatagram(msg, {TransportKind::kUdp, Ip("10.0.0.2"), 5060, 0});
    ASSERT_EQ(h.messages.size(), 1u);
    EXPECT_FALSE(h.messages[0].GetTopVia()->GetReceived());
}

TEST(SipTransport, FirstOctetTellsStunFromSipAndCrlfIsAKeepalive)
{
    Harness h;
    const TransportAddress from{TransportKind::kUdp, Ip("100.64.0.2"), 40001, 0};
    h.transport.OnDatagram(std::string("\x00\x01\x00\x00", 4), from); // STUN Binding Request
    h.transport.OnDatagram("\r\n", from);
    h.transport.OnDatagram("garbage that is no SIP\r\n\r\n", from);
    EXPECT_EQ(h.stun, 1);
    EXPECT_EQ(h.keepalives, std::vector<size_t>{2});
    EXPECT_EQ(h.errors.size(), 1u);
    EXPECT_TRUE(h.messages.empty());
    EXPECT_EQ(h.transport.GetCounters().badMessages, 1u);
}

TEST(SipTransport, TcpSendOpensOneConnectionQueuesUntilItIsUpAndThenReusesIt)
{
    Harness h;
    const TransportAddress proxy{TransportKind::kTcp, Ip("198.18.0.6"), 5060, 0};
    Result<SipMessage> m = ParseDatagram(std::string_view(kOptions));
    ASSERT_TRUE(m);
    SipTransport::SendResult first = h.transport.Send(m.GetValue(), proxy);
    ASSERT_TRUE(first.ok);
    EXPECT_EQ(h.io.opened.size(), 1u);
    EXPECT_TRUE(h.io.streamed.empty()); // not connected yet
    h.transport.OnConnected(first.connection);
    EXPECT_EQ(h.io.streamed[first.connection], m.GetValue().Serialize());
    SipTransport::SendResult second = h.transport.Send(m.GetValue(), proxy);
    EXPECT_EQ(second.connection, first.connection); // 18.1.1: reuse
    EXPECT_EQ(h.io.opened.size(), 1u);
    ASSERT_EQ(h.connected.size(), 1u);
    EXPECT_EQ(h.connected[0].connection, first.connection);
}

TEST(SipTransport, StreamMessagesSplitAnywhereArriveWholeWithTheirConnection)
{
    Harness h;
    const TransportAddress peer{TransportKind::kTcp, Ip("100.64.0.2"), 40002, 0};
    h.transport.OnAccepted(7, peer);
    // Byte by byte, except the keepalive: a CRLFCRLF split across segments
    // reads as two CRLFs (see StreamFramer).
    const std::string message = kOptions;
    for (char c : message)
    {
        h.transport.OnConnectionBytes(7, std::string_view(&c, 1));
    }
    h.transport.OnConnectionBytes(7, "\r\n\r\n");
    for (char c : message)
    {
        h.transport.OnConnectionBytes(7, std::string_view(&c, 1));
    }
    ASSERT_EQ(h.messages.size(), 2u);
    EXPECT_EQ(h.froms[1].connection, 7u);
    EXPECT_EQ(h.froms[1].kind, TransportKind::kTcp);
    EXPECT_EQ(h.keepalives, std::vector<size_t>{4});
    // A response for that peer goes back on the same connection.
    SipTransport::SendResult r = h.transport.SendBytes("x", h.froms[1]);
    EXPECT_TRUE(r.ok);
    EXPECT_EQ(h.io.streamed[7], "x");
}

TEST(SipTransport, UnframeableStreamIsClosedAndReported)
{
    Harness h;
    h.transport.OnAccepted(9, {TransportKind::kTcp, Ip("100.64.0.2"), 40003, 0});
    h.transport.OnConnectionBytes(9,
                                  "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\n"
                                  "Content-Length: 99999999999\r\n\r\n");
    EXPECT_EQ(h.io.closed, std::vector<ConnectionId>{9});
    ASSERT_EQ(h.closedReasons.size(), 1u);
    EXPECT_NE(h.closedReasons[0].find("unframeable stream"), std::string::npos);
    EXPECT_FALSE(h.transport.HasConnection(9));
    // Sending on it now fails with a reason.
    SipTransport::SendResult r =
        h.transport.SendBytes("x", {TransportKind::kTcp, Ip("100.64.0.2"), 40003, 9});
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.error, "connection 9 is closed");
}

TEST(SipTransport, ConnectionThatNeverCameUpIsReportedAsFailed)
{
    Harness h;
    const TransportAddress proxy{TransportKind::kTcp, Ip("198.18.0.6"), 5060, 0};
    SipTransport::SendResult r = h.transport.SendBytes("x", proxy);
    h.transport.OnConnectionClosed(r.connection, true);
    ASSERT_EQ(h.closedReasons.size(), 1u);
    EXPECT_EQ(h.closedReasons[0], "TCP 198.18.0.6:5060#101: connection failed");
}

namespace
{

/// A stand-in for TLS: "hello" handshake, then each write is wrapped in [].
class BracketFilter : public StreamFilter
{
  public:
    void Start() override
    {
        m_out += "hello";
        m_started = true;
        m_out += m_buffered;
        m_buffered.clear();
    }

    void FromNetwork(std::string_view bytes) override
    {
        if (bytes == "bad")
        {
            m_error = "record MAC failure";
            return;
        }
        m_plain += bytes;
    }

    void Write(std::string_view plaintext) override
    {
        (m_started ? m_out : m_buffered) += "[" + std::string(plaintext) + "]";
    }

    std::string TakeToNetwork() override
    {
        return std::exchange(m_out, "");
    }

    std::string TakePlaintext() override
    {
        return std::exchange(m_plain, "");
    }

    std::optional<std::string> GetError() const override
    {
        return m_error;
    }

  private:
    bool m_started = false;
    std::string m_out;
    std::string m_buffered;
    std::string m_plain;
    std::optional<std::string> m_error;
};

} // namespace

TEST(SipTransport, TlsConnectionsRunTheirBytesThroughTheFilter)
{
    Harness h([](bool, const TransportAddress&) { return std::make_unique<BracketFilter>(); });
    const TransportAddress proxy{TransportKind::kTls, Ip("198.18.0.6"), 5061, 0};
    SipTransport::SendResult r = h.transport.SendBytes("REGISTER", proxy);
    ASSERT_TRUE(r.ok);
    EXPECT_TRUE(h.io.streamed.empty());
    h.transport.OnConnected(r.connection);
    EXPECT_EQ(h.io.streamed[r.connection], "hello[REGISTER]");
    h.transport.OnConnectionBytes(r.connection, kOptions);
    EXPECT_EQ(h.messages.size(), 1u);
    h.transport.OnConnectionBytes(r.connection, "bad");
    ASSERT_EQ(h.closedReasons.size(), 1u);
    EXPECT_NE(h.closedReasons[0].find("TLS: record MAC failure"), std::string::npos);
}

TEST(SipTransport, TlsWithoutAFilterFactoryIsRefused)
{
    Harness h;
    SipTransport::SendResult r =
        h.transport.SendBytes("x", {TransportKind::kTls, Ip("198.18.0.6"), 5061, 0});
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.error, "no TLS configured");
}
