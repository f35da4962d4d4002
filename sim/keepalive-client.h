// A client behind a NAT that keeps its mapping alive: every Interval it
// sends "KA <id> <seq>\n" to the server, over UDP, or over one TCP
// connection that it re-opens ReconnectDelay after the connection fails.
// It reports the server's probes ("PROBE <round>\n") it receives, and, for
// TCP, when the connection errors out (the client's failure detection).
//
// Plain text on purpose: pcaps read well in Wireshark.
#ifndef SIPBED_KEEPALIVE_CLIENT_H
#define SIPBED_KEEPALIVE_CLIENT_H

#include "sim/restartable-application.h"

#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/random-variable-stream.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <string>

namespace sipbed
{

class KeepaliveClient : public RestartableApplication
{
  public:
    static ns3::TypeId GetTypeId();

    KeepaliveClient();

    /// ns-3 convention: fixed random stream for the start offset.
    int64_t AssignStreams(int64_t stream);

    uint32_t GetClientId() const
    {
        return m_id;
    }

    /// Trace signatures.
    typedef void (*ProbeTracedCallback)(uint32_t clientId, uint32_t round);
    typedef void (*ConnectionTracedCallback)(uint32_t clientId, const std::string& what);

  private:
    /// Crash: sockets and the sequence number are gone; Restart: a fresh
    /// start (new socket, new local port, first keepalive within Interval).
    void DoCrash() override;
    void DoRestart() override;
    void StartApplication() override;
    void StopApplication() override;
    void DoDispose() override;

    void Open();
    void SendKeepalive();
    void OnReceive(ns3::Ptr<ns3::Socket> socket);
    void OnConnected(ns3::Ptr<ns3::Socket> socket);
    void OnConnectFailed(ns3::Ptr<ns3::Socket> socket);
    void OnClosed(ns3::Ptr<ns3::Socket> socket, bool error);
    void HandleLine(const std::string& line);

    // Attributes
    ns3::Ipv4Address m_server;
    uint16_t m_port;
    bool m_tcp;
    ns3::Time m_interval;
    ns3::Time m_reconnectDelay;
    uint32_t m_id;

    ns3::Ptr<ns3::UniformRandomVariable> m_offset;
    ns3::Ptr<ns3::Socket> m_socket;
    bool m_connected = false;
    uint32_t m_seq = 0;
    std::string m_rx; ///< TCP bytes not yet ending in '\n'
    ns3::EventId m_next;
    ns3::EventId m_reconnect;

    ns3::TracedCallback<uint32_t, uint32_t> m_probeTrace;
    ns3::TracedCallback<uint32_t, const std::string&> m_connectionTrace;
};

} // namespace sipbed

#endif
