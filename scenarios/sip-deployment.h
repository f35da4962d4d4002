// What the SIP scenarios share when they put roles on nodes: installing a
// SipNodeApplication with its own random stream, element configurations for
// servers and clients on one transport, and, for TLS, the sec-flows
// certificates (servers present example.com's, everybody trusts the
// sec-flows CA).
#ifndef SIPBED_SIP_DEPLOYMENT_H
#define SIPBED_SIP_DEPLOYMENT_H

#include "scenarios/run-context.h"
#include "sim/sip-node-application.h"
#include "sim/topology-builder.h"

#include "models/roles/outbound-backoff.h"
#include "models/roles/outbound-profile.h"
#include "models/roles/registrar.h"
#include "models/roles/user-agent.h"
#include "models/security/tls-context.h"

#include <memory>
#include <string>
#include <vector>

namespace sipbed
{

class SipDeployment
{
  public:
    /// `kind`: the transport of every hop. For TLS, call LoadTls before
    /// building elements.
    SipDeployment(RunContext& context, TransportKind kind);

    /// Reads the certificates from `dir`; throws ParameterError naming the
    /// parameter `cert_dir` when a file is missing or unusable.
    void LoadTls(const std::string& dir);

    /// A SipNodeApplication on `node`, started at 0 s, with a random stream
    /// assigned under "app-NAME".
    ns3::Ptr<SipNodeApplication> InstallApp(ns3::Ptr<ns3::Node> node, const std::string& name);

    /// Element configuration of a server (presents the certificate) or a
    /// client (checks the server's) at ip:port.
    ElementConfig Server(ns3::Ipv4Address ip, uint16_t port) const;
    ElementConfig Client(ns3::Ipv4Address ip, uint16_t port) const;

    /// The servers' SIP port: 5061 for TLS (RFC 3261 26.2.2), else 5060.
    uint16_t ServerPort() const;
    /// The sockets a server opens: UDP 5060 always (STUN, stray datagrams),
    /// the listening TCP or TLS port of the transport.
    Ns3TransportIo::Ports ServerPorts() const;

    TransportKind GetKind() const
    {
        return m_kind;
    }

    /// Every application installed, for counters summed over nodes.
    const std::vector<ns3::Ptr<SipNodeApplication>>& GetApps() const
    {
        return m_apps;
    }

    /// The registrar, also the home proxy of "example.com", on `server`.
    /// `live`, when given, always points at the running Registrar element
    /// (it is rebuilt at every restart of the node).
    ns3::Ptr<SipNodeApplication> AddRegistrar(const sipbed::Server& server,
                                              OutboundProfile profile,
                                              Registrar** live = nullptr);

    /// Edge proxies on `servers`, forwarding to `registrar`; returns where
    /// UAs reach them (the outbound proxy set, in order). Their applications
    /// are appended to `apps` when given.
    std::vector<TransportAddress> AddEdgeProxies(const std::vector<sipbed::Server>& servers,
                                                 const TransportAddress& registrar,
                                                 OutboundProfile profile,
                                                 std::vector<ns3::Ptr<SipNodeApplication>>* apps = nullptr);

    /// Where a server on `server` is reached on this deployment's transport.
    TransportAddress AddressOf(const sipbed::Server& server) const;

    /// The simulated users' domain; also the name the servers' certificate
    /// (sec-flows' example.com) carries.
    static constexpr const char* kDomain = "example.com";
    /// The address-of-record of user `ua`: "sip:uaN@example.com".
    static std::string AorOf(uint32_t ua);

    /// The simulated users: "uaN" with password "pw-uaN" in "example.com",
    /// and, for outbound, a UUID URN that is the same across reboots.
    static UaConfig UserConfig(const UaConfig& base, uint32_t ua);
    /// The registrar's password lookup for those users.
    static std::optional<std::string> PasswordOf(std::string_view user);

    /// Declares the columns of backoff rows (once) and writes one: the
    /// decision and its inputs (outbound 4.3).
    static void DeclareBackoffColumns(EventTable& events);
    static void RecordBackoff(EventTable& events, uint32_t ua, uint32_t flow, const BackoffDecision& d);

  private:
    RunContext& m_context;
    TransportKind m_kind;
    std::shared_ptr<TlsContext> m_serverTls;
    std::shared_ptr<TlsContext> m_clientTls;
    std::vector<ns3::Ptr<SipNodeApplication>> m_apps;
};

} // namespace sipbed

#endif
