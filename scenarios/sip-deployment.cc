#include "scenarios/sip-deployment.h"

#include "scenarios/scenario-errors.h"

#include "models/roles/edge-proxy.h"
#include "models/security/sec-flows-tls.h"

#include <cstdio>
#include "models/security/tls-stream-filter.h"

namespace sipbed
{

SipDeployment::SipDeployment(RunContext& context, TransportKind kind)
    : m_context(context),
      m_kind(kind)
{
}

void
SipDeployment::LoadTls(const std::string& dir)
{
    std::string error;
    m_serverTls = MakeSecFlowsTlsContext(dir, "examplecom", &error);
    m_clientTls = m_serverTls ? MakeSecFlowsTlsContext(dir, "", &error) : nullptr;
    if (!m_clientTls)
    {
        throw ParameterError("cert_dir", "parameter 'cert_dir': " + error);
    }
}

ns3::Ptr<SipNodeApplication>
SipDeployment::InstallApp(ns3::Ptr<ns3::Node> node, const std::string& name)
{
    ns3::Ptr<SipNodeApplication> app = ns3::CreateObject<SipNodeApplication>();
    node->AddApplication(app);
    app->SetStartTime(ns3::Seconds(0));
    m_context.GetStreams().Assign("app-" + name, [app](int64_t s) { return app->AssignStreams(s); });
    m_apps.push_back(app);
    return app;
}

ElementConfig
SipDeployment::Client(ns3::Ipv4Address ip, uint16_t port) const
{
    ElementConfig e;
    e.ip = ip.Get();
    e.port = port;
    e.transport = m_kind;
    if (m_kind == TransportKind::kTls && m_clientTls)
    {
        e.tls = MakeTlsFilterFactory(m_clientTls, kDomain);
    }
    return e;
}

ElementConfig
SipDeployment::Server(ns3::Ipv4Address ip, uint16_t port) const
{
    ElementConfig e = Client(ip, port);
    if (m_kind == TransportKind::kTls && m_serverTls)
    {
        // A server also connects out (edge proxy to registrar): the same
        // context presents the certificate and checks the peer's.
        e.tls = MakeTlsFilterFactory(m_serverTls, kDomain);
    }
    return e;
}

uint16_t
SipDeployment::ServerPort() const
{
    return m_kind == TransportKind::kTls ? 5061 : 5060;
}

Ns3TransportIo::Ports
SipDeployment::ServerPorts() const
{
    return Ns3TransportIo::Ports{5060,
                                 uint16_t(m_kind == TransportKind::kTcp ? 5060 : 0),
                                 uint16_t(m_kind == TransportKind::kTls ? 5061 : 0)};
}

TransportAddress
SipDeployment::AddressOf(const sipbed::Server& server) const
{
    return TransportAddress{m_kind, server.address.Get(), ServerPort(), 0};
}

ns3::Ptr<SipNodeApplication>
SipDeployment::AddRegistrar(const sipbed::Server& server, OutboundProfile profile, Registrar** live)
{
    ns3::Ptr<SipNodeApplication> app = InstallApp(server.node, "registrar");
    const ns3::Ipv4Address ip = server.address;
    app->AddElement(ServerPorts(), [this, ip, profile, live](const ElementEnvironment& env, uint16_t) {
        RegistrarConfig rc;
        rc.domain = kDomain;
        rc.profile = profile;
        rc.password = &SipDeployment::PasswordOf;
        auto r = std::make_unique<Registrar>(env, Server(ip, ServerPort()), rc);
        if (live)
        {
            *live = r.get();
        }
        return r;
    });
    return app;
}

std::vector<TransportAddress>
SipDeployment::AddEdgeProxies(const std::vector<sipbed::Server>& servers,
                              const TransportAddress& registrar,
                              OutboundProfile profile,
                              std::vector<ns3::Ptr<SipNodeApplication>>* apps)
{
    std::vector<TransportAddress> edges;
    for (size_t e = 0; e < servers.size(); ++e)
    {
        const ns3::Ipv4Address ip = servers[e].address;
        edges.push_back(AddressOf(servers[e]));
        ns3::Ptr<SipNodeApplication> app = InstallApp(servers[e].node, "edge-" + std::to_string(e));
        if (apps)
        {
            apps->push_back(app);
        }
        app->AddElement(ServerPorts(), [this, ip, registrar, profile](const ElementEnvironment& env, uint16_t) {
                EdgeProxyConfig ec;
                ec.registrar = registrar;
                ec.profile = profile;
                return std::make_unique<EdgeProxy>(env, Server(ip, ServerPort()), ec);
            });
    }
    return edges;
}

std::string
SipDeployment::AorOf(uint32_t ua)
{
    return "sip:ua" + std::to_string(ua) + "@" + kDomain;
}

UaConfig
SipDeployment::UserConfig(const UaConfig& base, uint32_t ua)
{
    UaConfig uc = base;
    uc.user = "ua" + std::to_string(ua);
    uc.password = *PasswordOf(uc.user);
    char uuid[64];
    std::snprintf(uuid, sizeof(uuid), "urn:uuid:00000000-0000-0000-0000-%012x", ua);
    uc.instanceId = uuid; // OB-UA-8: a fixed URN per device
    return uc;
}

std::optional<std::string>
SipDeployment::PasswordOf(std::string_view user)
{
    if (user.substr(0, 2) != "ua")
    {
        return std::nullopt;
    }
    return "pw-" + std::string(user);
}

void
SipDeployment::DeclareBackoffColumns(EventTable& events)
{
    for (const char* c : {"ua", "flow", "consecutive_failures"})
    {
        if (!events.HasColumn(c))
        {
            events.DeclareColumn(c, EventTable::ColumnType::INTEGER);
        }
    }
    for (const char* c : {"base_time_s", "wait_time_s", "delay_s"})
    {
        if (!events.HasColumn(c))
        {
            events.DeclareColumn(c, EventTable::ColumnType::REAL);
        }
    }
}

void
SipDeployment::RecordBackoff(EventTable& events, uint32_t ua, uint32_t flow, const BackoffDecision& d)
{
    events.Record("ua-" + std::to_string(ua),
                  "backoff",
                  {{"ua", int64_t(ua)},
                   {"flow", int64_t(flow)},
                   {"consecutive_failures", int64_t(d.consecutiveFailures)},
                   {"base_time_s", d.baseTimeS},
                   {"wait_time_s", d.waitTimeS},
                   {"delay_s", d.delayS}});
}

} // namespace sipbed
