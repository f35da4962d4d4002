// The SIP transport layer's TransportIo (models/sip/transport-io.h) on ns-3
// sockets, for one SIP endpoint on a node: a UDP socket on the SIP port,
// optional listening TCP and TLS ports, and the TCP connections it opens
// or accepts. Bytes and connection events go to the endpoint's SipTransport.
//
// Many endpoints may share a node (many UAs on one host node): each has its
// own ports. Real SIP bytes travel in the ns-3 packets, so pcaps decode.
#ifndef SIPBED_NS3_TRANSPORT_IO_H
#define SIPBED_NS3_TRANSPORT_IO_H

#include "models/sip/sip-transport.h"
#include "models/sip/transport-io.h"

#include "ns3/node.h"
#include "ns3/socket.h"

#include <map>
#include <string>

namespace sipbed
{

class Ns3TransportIo : public TransportIo
{
  public:
    struct Ports
    {
        uint16_t udp = 5060; ///< 0: an ephemeral port (a UA)
        uint16_t tcp = 0;    ///< listening TCP port; 0: none (a UA)
        uint16_t tls = 0;    ///< listening TLS port; 0: none
    };

    Ns3TransportIo(ns3::Ptr<ns3::Node> node, Ports ports);
    ~Ns3TransportIo() override;
    Ns3TransportIo(const Ns3TransportIo&) = delete;
    Ns3TransportIo& operator=(const Ns3TransportIo&) = delete;

    /// Where received bytes and connection events go; set before Open.
    void SetTransport(SipTransport* transport)
    {
        m_transport = transport;
    }

    /// Creates the sockets. Returns false with `error` set if a port is taken.
    bool Open(std::string& error);
    /// Closes every socket without telling the transport (a crash or a stop;
    /// take the node's links down first for a silent crash).
    void CloseAll();

    /// The UDP port actually bound (the ephemeral one for a UA).
    uint16_t GetUdpPort() const
    {
        return m_udpPort;
    }

    // TransportIo
    void SendDatagram(const TransportAddress& to, std::string_view bytes) override;
    ConnectionId OpenConnection(const TransportAddress& to) override;
    void SendOnConnection(ConnectionId id, std::string_view bytes) override;
    void CloseConnection(ConnectionId id) override;

  private:
    struct Stream
    {
        ns3::Ptr<ns3::Socket> socket;
        std::string backlog; ///< bytes the socket's send buffer had no room for
    };

    ns3::Ptr<ns3::Socket> Listen(uint16_t port, bool tls, std::string& error);
    void OnUdp(ns3::Ptr<ns3::Socket> socket);
    bool OnAcceptRequest(ns3::Ptr<ns3::Socket>, const ns3::Address&);
    void OnAccept(ns3::Ptr<ns3::Socket> socket, const ns3::Address& from, bool tls);
    void OnConnect(ns3::Ptr<ns3::Socket> socket, bool ok);
    void OnStreamRecv(ns3::Ptr<ns3::Socket> socket);
    void OnStreamClose(ns3::Ptr<ns3::Socket> socket, bool error);
    void OnSendSpace(ns3::Ptr<ns3::Socket> socket, uint32_t available);
    void Track(ConnectionId id, ns3::Ptr<ns3::Socket> socket);
    void Forget(ConnectionId id);
    void Pump(Stream& s);
    ConnectionId IdOf(ns3::Ptr<ns3::Socket> socket) const;

    ns3::Ptr<ns3::Node> m_node;
    Ports m_ports;
    SipTransport* m_transport = nullptr;
    ns3::Ptr<ns3::Socket> m_udp;
    ns3::Ptr<ns3::Socket> m_tcpListener;
    ns3::Ptr<ns3::Socket> m_tlsListener;
    uint16_t m_udpPort = 0;
    ConnectionId m_nextId = 1;
    std::map<ConnectionId, Stream> m_streams;
    std::map<ns3::Socket*, ConnectionId> m_bySocket;
};

} // namespace sipbed

#endif
