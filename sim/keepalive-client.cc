#include "sim/keepalive-client.h"

#include "ns3/boolean.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-address.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

#include <sstream>

namespace sipbed
{

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("SipbedKeepaliveClient");
NS_OBJECT_ENSURE_REGISTERED(KeepaliveClient);

TypeId
KeepaliveClient::GetTypeId()
{
    static TypeId tid =
        TypeId("sipbed::KeepaliveClient")
            .SetParent<RestartableApplication>()
            .SetGroupName("Sipbed")
            .AddConstructor<KeepaliveClient>()
            .AddAttribute("Server",
                          "Address of the keepalive server.",
                          Ipv4AddressValue(),
                          MakeIpv4AddressAccessor(&KeepaliveClient::m_server),
                          MakeIpv4AddressChecker())
            .AddAttribute("Port",
                          "Server port.",
                          UintegerValue(5060),
                          MakeUintegerAccessor(&KeepaliveClient::m_port),
                          MakeUintegerChecker<uint16_t>())
            .AddAttribute("Tcp",
                          "Keep one TCP connection alive instead of sending UDP datagrams.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&KeepaliveClient::m_tcp),
                          MakeBooleanChecker())
            .AddAttribute("Interval",
                          "Time between keepalives; the first goes at a random offset in "
                          "[0, Interval) so that clients do not send in step.",
                          TimeValue(Seconds(30)),
                          MakeTimeAccessor(&KeepaliveClient::m_interval),
                          MakeTimeChecker(MilliSeconds(1)))
            .AddAttribute("ReconnectDelay",
                          "TCP: time between a failed connection and the next attempt.",
                          TimeValue(Seconds(5)),
                          MakeTimeAccessor(&KeepaliveClient::m_reconnectDelay),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("ClientId",
                          "Identifies the client to the server.",
                          UintegerValue(0),
                          MakeUintegerAccessor(&KeepaliveClient::m_id),
                          MakeUintegerChecker<uint32_t>())
            .AddTraceSource("Probe",
                            "A server probe arrived: client id and probe round.",
                            MakeTraceSourceAccessor(&KeepaliveClient::m_probeTrace),
                            "sipbed::KeepaliveClient::ProbeTracedCallback")
            .AddTraceSource("Connection",
                            "TCP connection events: \"connected\", \"error\" (failure "
                            "detected), \"closed\", \"connect-failed\".",
                            MakeTraceSourceAccessor(&KeepaliveClient::m_connectionTrace),
                            "sipbed::KeepaliveClient::ConnectionTracedCallback");
    return tid;
}

KeepaliveClient::KeepaliveClient()
    : m_port(5060),
      m_tcp(false),
      m_id(0),
      m_offset(CreateObject<UniformRandomVariable>())
{
}

int64_t
KeepaliveClient::AssignStreams(int64_t stream)
{
    m_offset->SetStream(stream);
    return 1;
}

void
KeepaliveClient::DoDispose()
{
    m_socket = nullptr;
    Application::DoDispose();
}

void
KeepaliveClient::StartApplication()
{
    Open();
    m_next = Simulator::Schedule(Seconds(m_offset->GetValue(0, m_interval.GetSeconds())),
                                 &KeepaliveClient::SendKeepalive,
                                 this);
}

void
KeepaliveClient::StopApplication()
{
    m_next.Cancel();
    m_reconnect.Cancel();
    if (m_socket)
    {
        m_socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        m_socket->SetCloseCallbacks(MakeNullCallback<void, Ptr<Socket>>(),
                                    MakeNullCallback<void, Ptr<Socket>>());
        m_socket->Close();
        m_socket = nullptr;
    }
}

void
KeepaliveClient::DoCrash()
{
    StopApplication();
    m_seq = 0;
}

void
KeepaliveClient::DoRestart()
{
    StartApplication();
}

void
KeepaliveClient::Open()
{
    m_rx.clear();
    m_connected = false;
    m_socket = Socket::CreateSocket(GetNode(),
                                    m_tcp ? TcpSocketFactory::GetTypeId()
                                          : UdpSocketFactory::GetTypeId());
    m_socket->Bind();
    m_socket->SetRecvCallback(MakeCallback(&KeepaliveClient::OnReceive, this));
    if (m_tcp)
    {
        m_socket->SetConnectCallback(MakeCallback(&KeepaliveClient::OnConnected, this),
                                     MakeCallback(&KeepaliveClient::OnConnectFailed, this));
        m_socket->SetCloseCallbacks(
            MakeCallback(+[](KeepaliveClient* c, Ptr<Socket> s) { c->OnClosed(s, false); })
                .Bind(this),
            MakeCallback(+[](KeepaliveClient* c, Ptr<Socket> s) { c->OnClosed(s, true); })
                .Bind(this));
        m_socket->Connect(InetSocketAddress(m_server, m_port));
    }
    else
    {
        m_socket->Connect(InetSocketAddress(m_server, m_port));
        m_connected = true;
    }
}

void
KeepaliveClient::SendKeepalive()
{
    if (m_socket && m_connected)
    {
        std::ostringstream os;
        os << "KA " << m_id << " " << m_seq++ << "\n";
        std::string s = os.str();
        m_socket->Send(Create<Packet>(reinterpret_cast<const uint8_t*>(s.data()), s.size()));
    }
    m_next = Simulator::Schedule(m_interval, &KeepaliveClient::SendKeepalive, this);
}

void
KeepaliveClient::OnReceive(Ptr<Socket> socket)
{
    while (Ptr<Packet> p = socket->Recv())
    {
        std::string data(p->GetSize(), '\0');
        p->CopyData(reinterpret_cast<uint8_t*>(data.data()), data.size());
        m_rx += data;
        // UDP datagrams and TCP bytes alike: one message per line.
        size_t nl;
        while ((nl = m_rx.find('\n')) != std::string::npos)
        {
            HandleLine(m_rx.substr(0, nl));
            m_rx.erase(0, nl + 1);
        }
        if (!m_tcp)
        {
            m_rx.clear(); // a datagram never continues in the next one
        }
    }
}

void
KeepaliveClient::HandleLine(const std::string& line)
{
    std::istringstream is(line);
    std::string word;
    uint32_t round = 0;
    if (is >> word >> round && word == "PROBE")
    {
        m_probeTrace(m_id, round);
    }
}

void
KeepaliveClient::OnConnected(Ptr<Socket>)
{
    m_connected = true;
    m_connectionTrace(m_id, "connected");
    // Register at once: the server learns the connection from the first line.
    std::string s = "KA " + std::to_string(m_id) + " " + std::to_string(m_seq++) + "\n";
    m_socket->Send(Create<Packet>(reinterpret_cast<const uint8_t*>(s.data()), s.size()));
}

void
KeepaliveClient::OnConnectFailed(Ptr<Socket>)
{
    m_connectionTrace(m_id, "connect-failed");
    m_socket = nullptr;
    m_connected = false;
    m_reconnect = Simulator::Schedule(m_reconnectDelay, &KeepaliveClient::Open, this);
}

void
KeepaliveClient::OnClosed(Ptr<Socket>, bool error)
{
    m_connectionTrace(m_id, error ? "error" : "closed");
    m_socket = nullptr;
    m_connected = false;
    m_reconnect = Simulator::Schedule(m_reconnectDelay, &KeepaliveClient::Open, this);
}

} // namespace sipbed
