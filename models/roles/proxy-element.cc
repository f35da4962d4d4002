#include "models/roles/proxy-element.h"

#include "models/sip/sip-text.h"
#include "models/sip/transaction-messages.h"

namespace sipbed
{

bool
ProxyElement::IsOwnUri(const SipUri& uri) const
{
    uint32_t ip = 0;
    if (!uri.IsSipOrSips() || !ParseIpv4(uri.GetHost(), ip) || ip != GetConfig().ip)
    {
        return false;
    }
    const int port = uri.GetPort();
    return (port < 0 ? 5060 : port) == GetConfig().port;
}

std::optional<std::string>
ProxyElement::PopOwnRoute(SipMessage& request) const
{
    const std::vector<NameAddr> routes = request.GetNameAddrs(HeaderId::kRoute);
    if (routes.empty() || !IsOwnUri(routes[0].GetUri()))
    {
        return std::nullopt;
    }
    std::string uri(routes[0].GetUri().GetRaw());
    request.RemoveFirstValue(HeaderId::kRoute);
    return uri;
}

bool
ProxyElement::PrepareHop(SipMessage& m, const std::string& branch)
{
    // 16.6 item 3: Max-Forwards one less (70 when absent).
    uint32_t mf = 70;
    if (auto v = m.GetUint(HeaderId::kMaxForwards))
    {
        if (*v == 0)
        {
            return false;
        }
        mf = static_cast<uint32_t>(*v) - 1;
    }
    m.SetHeader("Max-Forwards", std::to_string(mf));
    // 16.6 item 8: our Via on top.
    m.PrependHeader("Via", MakeVia(branch));
    return true;
}

bool
ProxyElement::Forward(ServerTransactionHandle tx, const SipMessage& request, const Forwarding& f)
{
    SipMessage copy = request; // 16.6 item 1
    if (f.requestUri)
    {
        copy.SetRequestUri(*f.requestUri);
    }
    for (auto it = f.pushRoutes.rbegin(); it != f.pushRoutes.rend(); ++it)
    {
        copy.PrependHeader("Route", *it);
    }
    if (f.recordRoute)
    {
        copy.PrependHeader("Record-Route", *f.recordRoute);
    }
    if (f.path)
    {
        copy.PrependHeader("Path", *f.path);
    }
    if (!PrepareHop(copy, NewBranch()))
    {
        Respond(tx, request, 483, "Too Many Hops");
        ++m_proxyStats.rejected;
        return false;
    }
    ClientTransactionHandle client = GetTransactions().SendRequest(copy, f.target);
    if (!client.IsValid())
    {
        Respond(tx, request, 500, "Server Internal Error");
        ++m_proxyStats.rejected;
        return false;
    }
    m_byClient[client.GetId()] = Pending{tx, client, f.target, request};
    m_byServer[tx.GetId()] = client.GetId();
    ++m_proxyStats.forwarded;
    return true;
}

void
ProxyElement::OnStun(std::string_view bytes, const TransportAddress& from)
{
    const TransportAddress local{from.kind, GetConfig().ip, GetConfig().port, 0};
    StunServerReply reply = m_stun.Respond(bytes, from, local);
    if (reply.response)
    {
        GetTransport().SendBytes(*reply.response, from);
        ++m_proxyStats.stunAnswered;
    }
}

void
ProxyElement::OnNewRequest(ServerTransactionHandle tx,
                           const SipMessage& request,
                           const TransportAddress& from)
{
    if (request.GetMethod() == "CANCEL")
    {
        // 16.10: answer the CANCEL, then cancel what we forwarded.
        Respond(tx, request, 200, "OK");
        ServerTransactionHandle invite = GetTransactions().FindInviteTransaction(request);
        auto s = m_byServer.find(invite.GetId());
        if (!invite.IsValid() || s == m_byServer.end())
        {
            return;
        }
        auto p = m_byClient.find(s->second);
        if (p == m_byClient.end())
        {
            return;
        }
        if (std::optional<SipMessage> cancel = p->second.client.MakeCancel())
        {
            GetTransactions().SendRequest(*cancel, p->second.target);
        }
        return;
    }
    HandleRequest(tx, request, from);
}

void
ProxyElement::OnResponse(ClientTransactionHandle tx, const SipMessage& response, const TransportAddress&)
{
    auto it = m_byClient.find(tx.GetId());
    if (it == m_byClient.end())
    {
        return;
    }
    const int code = response.GetStatusCode();
    if (code == 100)
    {
        return; // 16.7 item 3: 100 (Trying) is not forwarded
    }
    ServerTransactionHandle server = it->second.server;
    if (code >= 200)
    {
        const SipMessage request = std::move(it->second.request);
        m_byServer.erase(server.GetId());
        m_byClient.erase(it);
        if (OnFinalResponse(server, request, response))
        {
            return;
        }
    }
    // 16.7 item 3: our Via off the top, then the response goes upstream.
    SipMessage up = response;
    up.RemoveFirstValue(HeaderId::kVia);
    server.SendResponse(up);
}

void
ProxyElement::OnClientError(ClientTransactionHandle tx, TransactionError error)
{
    auto it = m_byClient.find(tx.GetId());
    if (it == m_byClient.end())
    {
        return;
    }
    ServerTransactionHandle server = it->second.server;
    const SipMessage request = std::move(it->second.request);
    m_byServer.erase(server.GetId());
    m_byClient.erase(it);
    if (server.IsAlive() && OnForwardError(server, request, error))
    {
        return;
    }
    // 16.7 item 6 / 16.8: a timeout is a 408, a transport error a 503, as
    // if the next hop had answered so (8.1.3.1).
    const bool timeout = error == TransactionError::kTimeout;
    if (timeout)
    {
        ++m_proxyStats.timeouts;
    }
    if (server.IsAlive())
    {
        Respond(server, request, timeout ? 408 : 503, timeout ? "Request Timeout" : "Service Unavailable");
    }
}

bool
ProxyElement::OnFinalResponse(ServerTransactionHandle, const SipMessage&, const SipMessage&)
{
    return false;
}

bool
ProxyElement::OnForwardError(ServerTransactionHandle, const SipMessage&, TransactionError)
{
    return false;
}

void
ProxyElement::OnServerError(ServerTransactionHandle tx, TransactionError)
{
    auto s = m_byServer.find(tx.GetId());
    if (s != m_byServer.end())
    {
        m_byClient.erase(s->second);
        m_byServer.erase(s);
    }
}

void
ProxyElement::OnStrayResponse(const SipMessage& response, const TransportAddress&)
{
    // 16.7 / 16.11: a response no transaction waits for (2xx
    // retransmissions after the INVITE transaction ended) goes on
    // statelessly, to the Via below ours.
    const std::optional<Via> top = response.GetTopVia();
    uint32_t ip = 0;
    if (!top || !ParseIpv4(top->GetHost(), ip) || ip != GetConfig().ip)
    {
        return; // not ours: drop (16.7 item 1 would, after matching)
    }
    SipMessage up = response;
    up.RemoveFirstValue(HeaderId::kVia);
    const std::optional<Via> next = up.GetTopVia();
    if (!next)
    {
        return;
    }
    TransportAddress to;
    ParseTransportName(next->GetTransport(), to.kind);
    // 18.2.2 / RFC 3581 4: received and rport first, then sent-by.
    const std::string host(next->GetReceived().value_or(next->GetHost()));
    if (!ParseIpv4(host, to.ip))
    {
        return;
    }
    const int port = next->GetRport().value_or(next->GetPort());
    to.port = static_cast<uint16_t>(port > 0 ? port : 5060);
    if (GetTransactions().SendStateless(up, to))
    {
        ++m_proxyStats.forwardedAcks;
    }
}

void
ProxyElement::OnStrayAck(const SipMessage& ack, const TransportAddress& from)
{
    // 16.11: the ACK for a 2xx is forwarded like any request, statelessly.
    SipMessage copy = ack;
    std::optional<TransportAddress> to = RouteAck(copy, from);
    if (!to)
    {
        return;
    }
    // A stateless proxy's branch must be the same for retransmissions of
    // the same request (16.11): derive it from the incoming one.
    const std::optional<Via> via = ack.GetTopVia();
    const std::string branch = std::string(kBranchMagicCookie) + "ack" +
                               std::string(via && via->GetBranch() ? *via->GetBranch() : "");
    if (PrepareHop(copy, branch) && GetTransactions().SendStateless(copy, *to))
    {
        ++m_proxyStats.forwardedAcks;
    }
}

} // namespace sipbed
