// The server side of the nat-keepalive scenario. It learns each client's
// address from its keepalives ("KA <id> <seq>\n", UDP and TCP) and every
// ProbeInterval sends "PROBE <round>\n" to every client it knows, over UDP
// to the address the last keepalive came from, or over the client's TCP
// connection: server-to-client reachability through the NATs.
//
// Crash() loses every piece of state (take the node's links down first,
// FaultHelper::NodeDown, so that nothing reaches the wire); Restart() starts
// afresh, knowing no client. ns-3 cannot abort a TCP connection silently:
// see CloseAll for what a client sees after the restart.
#ifndef SIPBED_KEEPALIVE_SERVER_H
#define SIPBED_KEEPALIVE_SERVER_H

#include "sim/restartable-application.h"

#include "ns3/event-id.h"
#include "ns3/nstime.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <map>
#include <string>

namespace sipbed
{

class KeepaliveServer : public RestartableApplication
{
  public:
    static ns3::TypeId GetTypeId();

    KeepaliveServer();

    /// Clients currently known.
    uint32_t GetClientCount() const
    {
        return static_cast<uint32_t>(m_clients.size());
    }

    typedef void (*ProbeTracedCallback)(uint32_t clientId, uint32_t round);

  private:
    struct Client
    {
        bool tcp = false;
        ns3::Address udpFrom;
        ns3::Ptr<ns3::Socket> tcpSocket;
    };

    void DoCrash() override;
    void DoRestart() override;
    void StartApplication() override;
    void StopApplication() override;
    void DoDispose() override;

    void Open();
    void CloseAll();
    void Probe();
    void OnUdp(ns3::Ptr<ns3::Socket> socket);
    void OnTcp(ns3::Ptr<ns3::Socket> socket);
    void OnAccept(ns3::Ptr<ns3::Socket> socket, const ns3::Address& from);
    void OnTcpClosed(ns3::Ptr<ns3::Socket> socket);
    void HandleLine(const std::string& line, const ns3::Address& from, ns3::Ptr<ns3::Socket> tcp);

    uint16_t m_port;
    ns3::Time m_probeInterval;

    ns3::Ptr<ns3::Socket> m_udp;
    ns3::Ptr<ns3::Socket> m_listener;
    std::map<ns3::Ptr<ns3::Socket>, std::string> m_tcpBuffers;
    std::map<uint32_t, Client> m_clients; ///< by client id: probes go in id order
    uint32_t m_round = 0;
    ns3::EventId m_probe;
    bool m_running = false;

    ns3::TracedCallback<uint32_t, uint32_t> m_probeTrace;
    ns3::TracedCallback<uint32_t> m_keepaliveTrace;
};

} // namespace sipbed

#endif
