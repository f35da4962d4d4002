#include "sim/ns3-transport-io.h"

#include "ns3/inet-socket-address.h"
#include "ns3/packet.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/udp-socket-factory.h"

namespace sipbed
{

using namespace ns3;

namespace
{

TransportAddress
FromAddress(const Address& address, TransportKind kind, ConnectionId id)
{
    const InetSocketAddress inet = InetSocketAddress::ConvertFrom(address);
    return TransportAddress{kind, inet.GetIpv4().Get(), inet.GetPort(), id};
}

InetSocketAddress
ToAddress(const TransportAddress& to)
{
    return InetSocketAddress(Ipv4Address(to.ip), to.port);
}

std::string
Bytes(Ptr<Packet> p)
{
    std::string data(p->GetSize(), '\0');
    p->CopyData(reinterpret_cast<uint8_t*>(data.data()), data.size());
    return data;
}

Ptr<Packet>
MakePacket(std::string_view bytes)
{
    return Create<Packet>(reinterpret_cast<const uint8_t*>(bytes.data()),
                          static_cast<uint32_t>(bytes.size()));
}

} // namespace

Ns3TransportIo::Ns3TransportIo(Ptr<Node> node, Ports ports)
    : m_node(node),
      m_ports(ports)
{
}

Ns3TransportIo::~Ns3TransportIo()
{
    CloseAll();
}

Ptr<Socket>
Ns3TransportIo::Listen(uint16_t port, bool tls, std::string& error)
{
    Ptr<Socket> s = Socket::CreateSocket(m_node, TcpSocketFactory::GetTypeId());
    if (s->Bind(InetSocketAddress(Ipv4Address::GetAny(), port)) != 0 || s->Listen() != 0)
    {
        error = std::string(tls ? "TLS" : "TCP") + " port " + std::to_string(port) +
                " is already in use on node " + std::to_string(m_node->GetId());
        s->Close();
        return nullptr;
    }
    s->SetAcceptCallback(MakeCallback(&Ns3TransportIo::OnAcceptRequest, this),
                         tls ? MakeCallback(+[](Ns3TransportIo* io, Ptr<Socket> c, const Address& a) {
                                   io->OnAccept(c, a, true);
                               }).Bind(this)
                             : MakeCallback(+[](Ns3TransportIo* io, Ptr<Socket> c, const Address& a) {
                                   io->OnAccept(c, a, false);
                               }).Bind(this));
    return s;
}

bool
Ns3TransportIo::Open(std::string& error)
{
    m_udp = Socket::CreateSocket(m_node, UdpSocketFactory::GetTypeId());
    if (m_udp->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_ports.udp)) != 0)
    {
        error = "UDP port " + std::to_string(m_ports.udp) + " is already in use on node " +
                std::to_string(m_node->GetId());
        m_udp = nullptr;
        return false;
    }
    Address local;
    m_udp->GetSockName(local);
    m_udpPort = InetSocketAddress::ConvertFrom(local).GetPort();
    m_udp->SetRecvCallback(MakeCallback(&Ns3TransportIo::OnUdp, this));
    if (m_ports.tcp != 0 && !(m_tcpListener = Listen(m_ports.tcp, false, error)))
    {
        CloseAll();
        return false;
    }
    if (m_ports.tls != 0 && !(m_tlsListener = Listen(m_ports.tls, true, error)))
    {
        CloseAll();
        return false;
    }
    return true;
}

void
Ns3TransportIo::CloseAll()
{
    if (m_udp)
    {
        m_udp->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        m_udp->Close();
        m_udp = nullptr;
    }
    for (Ptr<Socket>* l : {&m_tcpListener, &m_tlsListener})
    {
        if (*l)
        {
            (*l)->Close();
            *l = nullptr;
        }
    }
    while (!m_streams.empty())
    {
        const ConnectionId id = m_streams.begin()->first;
        Ptr<Socket> s = m_streams.begin()->second.socket;
        Forget(id);
        s->Close();
    }
}

void
Ns3TransportIo::OnUdp(Ptr<Socket> socket)
{
    Address from;
    while (Ptr<Packet> p = socket->RecvFrom(from))
    {
        if (m_transport && InetSocketAddress::IsMatchingType(from))
        {
            m_transport->OnDatagram(Bytes(p), FromAddress(from, TransportKind::kUdp, 0));
        }
    }
}

void
Ns3TransportIo::SendDatagram(const TransportAddress& to, std::string_view bytes)
{
    if (m_udp)
    {
        m_udp->SendTo(MakePacket(bytes), 0, ToAddress(to));
    }
}

void
Ns3TransportIo::Track(ConnectionId id, Ptr<Socket> socket)
{
    m_streams[id].socket = socket;
    m_bySocket[PeekPointer(socket)] = id;
    socket->SetRecvCallback(MakeCallback(&Ns3TransportIo::OnStreamRecv, this));
    socket->SetSendCallback(MakeCallback(&Ns3TransportIo::OnSendSpace, this));
    socket->SetCloseCallbacks(
        MakeCallback(+[](Ns3TransportIo* io, Ptr<Socket> s) { io->OnStreamClose(s, false); })
            .Bind(this),
        MakeCallback(+[](Ns3TransportIo* io, Ptr<Socket> s) { io->OnStreamClose(s, true); })
            .Bind(this));
}

void
Ns3TransportIo::Forget(ConnectionId id)
{
    auto it = m_streams.find(id);
    if (it == m_streams.end())
    {
        return;
    }
    Ptr<Socket> s = it->second.socket;
    s->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
    s->SetSendCallback(MakeNullCallback<void, Ptr<Socket>, uint32_t>());
    s->SetCloseCallbacks(MakeNullCallback<void, Ptr<Socket>>(),
                         MakeNullCallback<void, Ptr<Socket>>());
    s->SetConnectCallback(MakeNullCallback<void, Ptr<Socket>>(),
                          MakeNullCallback<void, Ptr<Socket>>());
    m_bySocket.erase(PeekPointer(s));
    m_streams.erase(it);
}

ConnectionId
Ns3TransportIo::IdOf(Ptr<Socket> socket) const
{
    auto it = m_bySocket.find(PeekPointer(socket));
    return it == m_bySocket.end() ? 0 : it->second;
}

bool
Ns3TransportIo::OnAcceptRequest(Ptr<Socket>, const Address&)
{
    return true;
}

void
Ns3TransportIo::OnAccept(Ptr<Socket> socket, const Address& from, bool tls)
{
    const ConnectionId id = m_nextId++;
    Track(id, socket);
    if (m_transport)
    {
        m_transport->OnAccepted(id,
                                FromAddress(from, tls ? TransportKind::kTls : TransportKind::kTcp, id));
    }
}

ConnectionId
Ns3TransportIo::OpenConnection(const TransportAddress& to)
{
    const ConnectionId id = m_nextId++;
    Ptr<Socket> s = Socket::CreateSocket(m_node, TcpSocketFactory::GetTypeId());
    s->Bind();
    Track(id, s);
    s->SetConnectCallback(
        MakeCallback(+[](Ns3TransportIo* io, Ptr<Socket> c) { io->OnConnect(c, true); }).Bind(this),
        MakeCallback(+[](Ns3TransportIo* io, Ptr<Socket> c) { io->OnConnect(c, false); })
            .Bind(this));
    s->Connect(ToAddress(to));
    return id;
}

void
Ns3TransportIo::OnConnect(Ptr<Socket> socket, bool ok)
{
    const ConnectionId id = IdOf(socket);
    if (id == 0)
    {
        return;
    }
    if (!ok)
    {
        Forget(id);
        if (m_transport)
        {
            m_transport->OnConnectionClosed(id, true);
        }
        return;
    }
    Pump(m_streams.at(id));
    if (m_transport)
    {
        m_transport->OnConnected(id);
    }
}

void
Ns3TransportIo::SendOnConnection(ConnectionId id, std::string_view bytes)
{
    auto it = m_streams.find(id);
    if (it == m_streams.end())
    {
        return;
    }
    it->second.backlog.append(bytes);
    Pump(it->second);
}

void
Ns3TransportIo::Pump(Stream& s)
{
    // ns-3's TCP refuses a Send larger than its free send buffer: hand it
    // what fits and the rest when it calls back with more room.
    while (!s.backlog.empty())
    {
        const uint32_t room = s.socket->GetTxAvailable();
        if (room == 0)
        {
            return;
        }
        const size_t n = std::min<size_t>(room, s.backlog.size());
        if (s.socket->Send(MakePacket(std::string_view(s.backlog).substr(0, n))) < 0)
        {
            return; // not connected yet: OnConnect pumps again
        }
        s.backlog.erase(0, n);
    }
}

void
Ns3TransportIo::OnSendSpace(Ptr<Socket> socket, uint32_t)
{
    const ConnectionId id = IdOf(socket);
    if (id != 0)
    {
        Pump(m_streams.at(id));
    }
}

void
Ns3TransportIo::OnStreamRecv(Ptr<Socket> socket)
{
    while (Ptr<Packet> p = socket->Recv())
    {
        const ConnectionId id = IdOf(socket);
        if (id == 0 || !m_transport)
        {
            return;
        }
        m_transport->OnConnectionBytes(id, Bytes(p));
    }
}

void
Ns3TransportIo::OnStreamClose(Ptr<Socket> socket, bool error)
{
    const ConnectionId id = IdOf(socket);
    if (id == 0)
    {
        return;
    }
    Forget(id);
    if (!error)
    {
        // The peer closed its side (CLOSE_WAIT): close ours too, or ns-3
        // keeps the connection half open.
        socket->Close();
    }
    if (m_transport)
    {
        m_transport->OnConnectionClosed(id, error);
    }
}

void
Ns3TransportIo::CloseConnection(ConnectionId id)
{
    auto it = m_streams.find(id);
    if (it == m_streams.end())
    {
        return;
    }
    Ptr<Socket> s = it->second.socket;
    Forget(id);
    s->Close();
}

} // namespace sipbed
