// TLS inside ns-3: a real OpenSSL handshake in simulated TCP segments
// between a UA behind a NAT and a server with the sec-flows example.net
// certificate (issue 4): it succeeds when the client expects example.net
// and fails with a name mismatch when it expects good.example.com.
#include "sim/ns3-transport-io.h"
#include "sim/topology-builder.h"

#include "models/security/sec-flows-tls.h"
#include "models/security/tls-stream-filter.h"

#include "ns3/core-module.h"

#include <gtest/gtest.h>

using namespace ns3;
using namespace sipbed;

namespace
{

std::shared_ptr<TlsContext>
Context(bool server)
{
    std::string error;
    std::shared_ptr<TlsContext> ctx = MakeSecFlowsTlsContext(
        std::string(SIPBED_SHARED_DIR) + "/vectors/sec-flows", server ? "examplenet" : "", &error);
    EXPECT_TRUE(ctx) << error;
    return ctx;
}

struct Outcome
{
    int messagesAtServer = 0;
    std::vector<std::string> clientClosed;
};

Outcome
RunTls(const std::string& expectedName)
{
    TopologyConfig tc;
    tc.edgeProxies = 0;
    Topology topo = TopologyBuilder::Build(tc);
    Outcome out;
    {
        Ns3TransportIo serverIo(topo.registrar.node, {5060, 0, 5061});
        SipTransport::Config sc;
        sc.tls = MakeTlsFilterFactory(Context(true), "");
        SipTransport::Handler sh;
        sh.onMessage = [&out](SipMessage&&, const TransportAddress&, size_t) { ++out.messagesAtServer; };
        SipTransport server(serverIo, sc, sh);
        serverIo.SetTransport(&server);

        Ns3TransportIo clientIo(topo.sites[0].hosts.Get(0), {0, 0, 0});
        SipTransport::Config cc;
        cc.tls = MakeTlsFilterFactory(Context(false), expectedName);
        SipTransport::Handler ch;
        ch.onClosed = [&out](const TransportAddress&, const std::string& reason) {
            out.clientClosed.push_back(reason);
        };
        SipTransport client(clientIo, cc, ch);
        clientIo.SetTransport(&client);
        std::string error;
        EXPECT_TRUE(serverIo.Open(error)) << error;
        EXPECT_TRUE(clientIo.Open(error)) << error;

        Simulator::Schedule(Seconds(1), [&]() {
            client.SendBytes("OPTIONS sip:example.net SIP/2.0\r\n"
                             "Via: SIP/2.0/TLS 10.0.0.2:5061;branch=z9hG4bKtls1\r\n"
                             "To: <sip:example.net>\r\nFrom: <sip:ua@example.net>;tag=1\r\n"
                             "Call-ID: tls-1\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n"
                             "Content-Length: 0\r\n\r\n",
                             TransportAddress{TransportKind::kTls, topo.registrar.address.Get(), 5061, 0});
        });
        Simulator::Stop(Seconds(5));
        Simulator::Run();
    }
    Simulator::Destroy();
    return out;
}

} // namespace

TEST(TlsSim, HandshakeSucceedsWhenTheClientExpectsTheCertificatesName)
{
    const Outcome o = RunTls("example.net");
    EXPECT_EQ(o.messagesAtServer, 1);
    EXPECT_TRUE(o.clientClosed.empty());
}

TEST(TlsSim, HandshakeFailsWithANameMismatchForAnotherName)
{
    const Outcome o = RunTls("good.example.com");
    EXPECT_EQ(o.messagesAtServer, 0);
    ASSERT_EQ(o.clientClosed.size(), 1u);
    EXPECT_NE(o.clientClosed[0].find("name mismatch: expected good.example.com, certificate has example.net"),
              std::string::npos)
        << o.clientClosed[0];
}
