#include "sim/keepalive-server.h"

#include "ns3/inet-socket-address.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

#include <sstream>
#include <vector>

namespace sipbed
{

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("SipbedKeepaliveServer");
NS_OBJECT_ENSURE_REGISTERED(KeepaliveServer);

namespace
{

Ptr<Packet>
Text(const std::string& s)
{
    return Create<Packet>(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

} // namespace

TypeId
KeepaliveServer::GetTypeId()
{
    static TypeId tid =
        TypeId("sipbed::KeepaliveServer")
            .SetParent<RestartableApplication>()
            .SetGroupName("Sipbed")
            .AddConstructor<KeepaliveServer>()
            .AddAttribute("Port",
                          "UDP and TCP port the server listens on.",
                          UintegerValue(5060),
                          MakeUintegerAccessor(&KeepaliveServer::m_port),
                          MakeUintegerChecker<uint16_t>())
            .AddAttribute("ProbeInterval",
                          "Time between two probe rounds to every known client.",
                          TimeValue(Seconds(10)),
                          MakeTimeAccessor(&KeepaliveServer::m_probeInterval),
                          MakeTimeChecker(MilliSeconds(1)))
            .AddTraceSource("Probe",
                            "A probe was sent: client id and round.",
                            MakeTraceSourceAccessor(&KeepaliveServer::m_probeTrace),
                            "sipbed::KeepaliveServer::ProbeTracedCallback")
            .AddTraceSource("Keepalive",
                            "A keepalive arrived from the client with this id.",
                            MakeTraceSourceAccessor(&KeepaliveServer::m_keepaliveTrace),
                            "ns3::TracedValueCallback::Uint32");
    return tid;
}

KeepaliveServer::KeepaliveServer()
    : m_port(5060)
{
}

void
KeepaliveServer::DoDispose()
{
    CloseAll();
    Application::DoDispose();
}

void
KeepaliveServer::StartApplication()
{
    Open();
}

void
KeepaliveServer::StopApplication()
{
    CloseAll();
}

void
KeepaliveServer::Open()
{
    m_running = true;
    m_udp = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
    m_udp->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_port));
    m_udp->SetRecvCallback(MakeCallback(&KeepaliveServer::OnUdp, this));
    m_listener = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
    m_listener->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_port));
    m_listener->Listen();
    m_listener->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                                  MakeCallback(&KeepaliveServer::OnAccept, this));
    m_probe = Simulator::Schedule(m_probeInterval, &KeepaliveServer::Probe, this);
}

void
KeepaliveServer::CloseAll()
{
    m_running = false;
    m_probe.Cancel();
    if (m_udp)
    {
        m_udp->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        m_udp->Close(); // UDP: nothing goes on the wire
        m_udp = nullptr;
    }
    if (m_listener)
    {
        m_listener->Close(); // a listening socket closes without a packet
        m_listener = nullptr;
    }
    for (auto& [socket, buffer] : m_tcpBuffers)
    {
        socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        socket->SetCloseCallbacks(MakeNullCallback<void, Ptr<Socket>>(),
                                  MakeNullCallback<void, Ptr<Socket>>());
        // A crash (links already down) closes too: ns-3 has no silent abort.
        // The FIN is lost on the dead links, so nothing leaves during the
        // crash. After the restart the orphaned socket's retransmitted FIN
        // tells the client its connection is gone, where a rebooted real host
        // would answer the client's next segment with an RST.
        socket->Close();
    }
    m_tcpBuffers.clear();
    m_clients.clear();
}

void
KeepaliveServer::DoCrash()
{
    CloseAll();
}

void
KeepaliveServer::DoRestart()
{
    m_round = 0;
    Open();
}

void
KeepaliveServer::Probe()
{
    ++m_round;
    const std::string text = "PROBE " + std::to_string(m_round) + "\n";
    for (auto& [id, c] : m_clients)
    {
        if (c.tcp)
        {
            c.tcpSocket->Send(Text(text));
        }
        else
        {
            m_udp->SendTo(Text(text), 0, c.udpFrom);
        }
        m_probeTrace(id, m_round);
    }
    m_probe = Simulator::Schedule(m_probeInterval, &KeepaliveServer::Probe, this);
}

void
KeepaliveServer::HandleLine(const std::string& line, const Address& from, Ptr<Socket> tcp)
{
    std::istringstream is(line);
    std::string word;
    uint32_t id = 0;
    if (!(is >> word >> id) || word != "KA")
    {
        return;
    }
    Client& c = m_clients[id];
    c.tcp = tcp != nullptr;
    c.udpFrom = from;
    c.tcpSocket = tcp;
    m_keepaliveTrace(id);
}

void
KeepaliveServer::OnUdp(Ptr<Socket> socket)
{
    Address from;
    while (Ptr<Packet> p = socket->RecvFrom(from))
    {
        std::string data(p->GetSize(), '\0');
        p->CopyData(reinterpret_cast<uint8_t*>(data.data()), data.size());
        size_t nl = data.find('\n');
        HandleLine(data.substr(0, nl), from, nullptr);
    }
}

void
KeepaliveServer::OnAccept(Ptr<Socket> socket, const Address&)
{
    m_tcpBuffers[socket];
    socket->SetRecvCallback(MakeCallback(&KeepaliveServer::OnTcp, this));
    socket->SetCloseCallbacks(MakeCallback(&KeepaliveServer::OnTcpClosed, this),
                              MakeCallback(&KeepaliveServer::OnTcpClosed, this));
}

void
KeepaliveServer::OnTcp(Ptr<Socket> socket)
{
    std::string& buffer = m_tcpBuffers[socket];
    Address from;
    while (Ptr<Packet> p = socket->RecvFrom(from))
    {
        std::string data(p->GetSize(), '\0');
        p->CopyData(reinterpret_cast<uint8_t*>(data.data()), data.size());
        buffer += data;
    }
    size_t nl;
    while ((nl = buffer.find('\n')) != std::string::npos)
    {
        std::string line = buffer.substr(0, nl);
        buffer.erase(0, nl + 1);
        HandleLine(line, Address(), socket);
    }
}

void
KeepaliveServer::OnTcpClosed(Ptr<Socket> socket)
{
    m_tcpBuffers.erase(socket);
    std::vector<uint32_t> gone;
    for (const auto& [id, c] : m_clients)
    {
        if (c.tcpSocket == socket)
        {
            gone.push_back(id);
        }
    }
    for (uint32_t id : gone)
    {
        m_clients.erase(id);
    }
}

} // namespace sipbed
