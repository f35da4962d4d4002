// The SIP transport layer inside ns-3: a UA behind a NAT sends OPTIONS to a
// server over UDP and over TCP; the server sees the NAT's public address in
// received/rport and its answer finds the way back through the NAT (on the
// same connection for TCP).
#include "sim/ns3-timer-service.h"
#include "sim/ns3-transport-io.h"
#include "sim/topology-builder.h"

#include "models/sip/sip-parser.h"

#include "ns3/core-module.h"

#include <gtest/gtest.h>

using namespace ns3;
using namespace sipbed;

namespace
{

struct SipPeer
{
    SipPeer(Ptr<Node> node, Ns3TransportIo::Ports ports)
        : io(node, ports),
          transport(io, SipTransport::Config{}, Handler())
    {
        io.SetTransport(&transport);
        std::string error;
        EXPECT_TRUE(io.Open(error)) << error;
    }

    SipTransport::Handler Handler()
    {
        SipTransport::Handler h;
        h.onMessage = [this](SipMessage&& m, const TransportAddress& from, size_t) {
            received.push_back(std::move(m));
            froms.push_back(from);
            if (onMessage)
            {
                onMessage(received.back(), from);
            }
        };
        return h;
    }

    Ns3TransportIo io;
    SipTransport transport;
    std::vector<SipMessage> received;
    std::vector<TransportAddress> froms;
    std::function<void(const SipMessage&, const TransportAddress&)> onMessage;
};

std::string
Options(const char* transport, uint16_t port)
{
    return std::string("OPTIONS sip:server@198.18.0.2 SIP/2.0\r\n"
                       "Via: SIP/2.0/") +
           transport + " 10.0.0.2:" + std::to_string(port) +
           ";branch=z9hG4bKx1;rport\r\n"
           "Max-Forwards: 70\r\nTo: <sip:server@198.18.0.2>\r\n"
           "From: <sip:ua@example.com>;tag=9\r\nCall-ID: sim-1\r\nCSeq: 1 OPTIONS\r\n"
           "Content-Length: 0\r\n\r\n";
}

/// The server's answer: 200 with the request's (stamped) Via and dialog headers.
SipMessage
Answer(const SipMessage& request)
{
    Result<SipMessage> r = SipMessage::MakeResponse(200, "OK");
    SipMessage m = r.GetValue();
    for (std::string_view via : request.GetValues(HeaderId::kVia))
    {
        m.AddHeader("Via", via);
    }
    for (const char* name : {"From", "To", "Call-ID", "CSeq"})
    {
        m.AddHeader(name, request.FindHeader(name)->value);
    }
    m.AddHeader("Content-Length", "0");
    return m;
}

Topology
OneSiteAndARegistrar()
{
    TopologyConfig tc;
    tc.edgeProxies = 0;
    return TopologyBuilder::Build(tc);
}

} // namespace

TEST(SipTransportSim, UdpRequestThroughANatCarriesThePublicAddressAndTheAnswerComesBack)
{
    Topology topo = OneSiteAndARegistrar();
    {
        SipPeer server(topo.registrar.node, {5060, 5060, 0});
        SipPeer ua(topo.sites[0].hosts.Get(0), {0, 0, 0});
        server.onMessage = [&](const SipMessage& req, const TransportAddress& from) {
            server.transport.Send(Answer(req), from); // RFC 3581: to received:rport
        };
        const TransportAddress to{TransportKind::kUdp, topo.registrar.address.Get(), 5060, 0};
        Simulator::Schedule(Seconds(1), [&]() {
            ua.transport.SendBytes(Options("UDP", ua.io.GetUdpPort()), to);
        });
        Simulator::Stop(Seconds(3));
        Simulator::Run();

        ASSERT_EQ(server.received.size(), 1u);
        const Via via = *server.received[0].GetTopVia();
        std::ostringstream nat;
        topo.sites[0].publicAddress.Print(nat);
        EXPECT_EQ(via.GetReceived(), std::optional<std::string_view>(nat.str()));
        EXPECT_EQ(via.GetRport(), std::optional<int>(server.froms[0].port));
        ASSERT_EQ(ua.received.size(), 1u);
        EXPECT_EQ(ua.received[0].GetStatusCode(), 200);
    }
    Simulator::Destroy();
}

TEST(SipTransportSim, TcpAnswerGoesBackOnTheConnectionTheRequestCameOn)
{
    Topology topo = OneSiteAndARegistrar();
    {
        SipPeer server(topo.registrar.node, {5060, 5060, 0});
        SipPeer ua(topo.sites[0].hosts.Get(0), {0, 0, 0});
        server.onMessage = [&](const SipMessage& req, const TransportAddress& from) {
            SipTransport::SendResult r = server.transport.Send(Answer(req), from);
            EXPECT_TRUE(r.ok) << r.error;
            EXPECT_EQ(r.connection, from.connection);
        };
        const TransportAddress to{TransportKind::kTcp, topo.registrar.address.Get(), 5060, 0};
        Simulator::Schedule(Seconds(1), [&]() {
            ua.transport.SendBytes(Options("TCP", 5060), to);
        });
        Simulator::Schedule(Seconds(2), [&]() {
            ua.transport.SendBytes(Options("TCP", 5060), to); // reuses the connection
        });
        Simulator::Stop(Seconds(3));
        Simulator::Run();

        ASSERT_EQ(server.received.size(), 2u);
        EXPECT_NE(server.froms[0].connection, 0u);
        EXPECT_EQ(server.froms[0].connection, server.froms[1].connection);
        EXPECT_EQ(ua.received.size(), 2u);
        EXPECT_EQ(ua.transport.GetCounters().connectionsOpened, 1u);
        EXPECT_EQ(server.transport.GetCounters().connectionsAccepted, 1u);
    }
    Simulator::Destroy();
}

TEST(SipTransportSim, SecondEndpointOnATakenPortGetsAClearError)
{
    Topology topo = OneSiteAndARegistrar();
    {
        Ns3TransportIo first(topo.registrar.node, {5060, 0, 0});
        Ns3TransportIo second(topo.registrar.node, {5060, 0, 0});
        std::string error;
        EXPECT_TRUE(first.Open(error));
        EXPECT_FALSE(second.Open(error));
        EXPECT_NE(error.find("UDP port 5060 is already in use"), std::string::npos) << error;
    }
    Simulator::Destroy();
}

TEST(SipTransportSim, TimersAreSimulatorEventsAndCancelAllStopsThem)
{
    Ns3TimerService timers;
    std::vector<double> fired;
    timers.StartTimer(SecondsToNs(2), [&]() { fired.push_back(Simulator::Now().GetSeconds()); });
    TimerId cancelled = timers.StartTimer(SecondsToNs(1), [&]() { fired.push_back(-1); });
    timers.CancelTimer(cancelled);
    timers.StartTimer(SecondsToNs(3), [&]() { fired.push_back(99); });
    Simulator::Schedule(Seconds(2.5), [&]() { timers.CancelAll(); });
    Simulator::Run();
    EXPECT_EQ(fired, std::vector<double>{2.0});
    EXPECT_EQ(timers.GetPendingCount(), 0u);
    Simulator::Destroy();
}
