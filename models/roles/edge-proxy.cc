#include "models/roles/edge-proxy.h"

#include "models/sip/request-checks.h"

namespace sipbed
{

namespace
{

const RequestPolicy&
ProxyPolicy()
{
    static const RequestPolicy policy = [] {
        RequestPolicy p;
        p.element = RequestPolicy::Element::kProxy;
        return p;
    }();
    return policy;
}

/// Requests that create a dialog get a Record-Route (12.1.1, 16.6 item 4).
bool
CreatesDialog(std::string_view method)
{
    return method == "INVITE" || method == "SUBSCRIBE" || method == "REFER";
}

/// Whether a request came over `flow`: for a stream its connection, for
/// UDP its addresses (RFC 5626 5.3: "matches the source IP address and
/// port of the request").
bool
CameOver(const TransportAddress& flow, const TransportAddress& from)
{
    if (IsReliable(flow.kind))
    {
        return flow.kind == from.kind && flow.connection == from.connection;
    }
    return flow.SameEndpoint(from);
}

} // namespace

EdgeProxy::EdgeProxy(const ElementEnvironment& env,
                     const ElementConfig& element,
                     const EdgeProxyConfig& config)
    : ProxyElement(env, element)
    , m_config(config)
    ,
    // outbound 6.1 Algorithm 2: K chosen when the proxy boots.
    m_codec(config.tokenAlgorithm,
            config.tokenKey ? *config.tokenKey : FlowTokenCodec::DrawKey(Random()))
{
}

std::string
EdgeProxy::TokenFor(const TransportAddress& flow)
{
    const TransportAddress local{flow.kind, GetConfig().ip, GetConfig().port, 0};
    TimeNs created = 0;
    if (m_codec.GetAlgorithm() == FlowTokenAlgorithm::kDescriptor && IsReliable(flow.kind))
    {
        created = m_connectionSeen.emplace(flow.connection, Timers().Now()).first->second;
    }
    return m_codec.Encode(flow, local, created);
}

std::string
EdgeProxy::TokenUri(const std::string& token, bool ob) const
{
    return "<" + LocalUri(token) + ";lr" + (ob ? ";ob" : "") + ">";
}

bool
EdgeProxy::FlowExists(const FlowTokenResult& decoded)
{
    // The token's own end must be us: with a K shared by several edges, a
    // token of another edge's flow names nothing here.
    const ElementConfig& self = GetConfig();
    if ((decoded.local.ip != 0 && decoded.local.ip != self.ip) ||
        (decoded.local.port != 0 && decoded.local.port != self.port))
    {
        return false;
    }
    // outbound 6.2: "for connection-oriented transports, if the flow no
    // longer exists": a UDP flow is a socket and an address, never gone here.
    if (!IsReliable(decoded.flow.kind))
    {
        return true;
    }
    // Connection ids are not reused during a transport's life, so an id we
    // still hold is the connection the token was made for.
    if (!GetTransport().HasConnection(decoded.flow.connection))
    {
        return false;
    }
    if (m_codec.GetAlgorithm() == FlowTokenAlgorithm::kDescriptor)
    {
        // outbound 6.2 Algorithm 1 (OB-EP-7): the creation time must match too.
        auto it = m_connectionSeen.find(decoded.flow.connection);
        return it != m_connectionSeen.end() && it->second == decoded.created;
    }
    return true;
}

EdgeProxy::RouteToken
EdgeProxy::ReadRoute(const std::string& uri, const TransportAddress& from)
{
    RouteToken r;
    Result<SipUri> parsed = SipUri::Parse(uri, SipUri::Context::kBracketed);
    if (!parsed || parsed.GetValue().GetUser().empty())
    {
        return r;
    }
    r.token = std::string(parsed.GetValue().GetUser());
    const FlowTokenResult decoded = m_codec.Decode(r.token);
    if (!decoded.IsOk())
    {
        // outbound 6.2 / OB-EP-5, OB-SEC-4: a user part in a URI of ours that
        // is not a token we made (changed, forged, another K) is refused,
        // never routed on.
        r.kind = RouteToken::Kind::kForbidden;
        return r;
    }
    r.flow = decoded.flow;
    // The flow a request arrived on exists whatever the token says of it.
    const bool exists = CameOver(decoded.flow, from) || FlowExists(decoded);
    r.kind = exists ? RouteToken::Kind::kFlow : RouteToken::Kind::kGone;
    return r;
}

EdgeProxy::Decision
EdgeProxy::Refuse(const RouteToken& route)
{
    Decision d;
    if (route.kind == RouteToken::Kind::kForbidden)
    {
        // outbound 6.2 Algorithm 2: "If the HMAC is not correct, the proxy
        // SHOULD send a 403"; the same in RFC 5626 5.3.1.
        ++m_edgeStats.tokensForbidden;
        d.status = 403;
        d.reason = "Forbidden";
        return d;
    }
    if (route.kind == RouteToken::Kind::kGone)
    {
        // outbound 6.2: 410 when the flow no longer exists; RFC 5626 5.3.1: 430.
        ++m_edgeStats.flowsGone;
        d.status = FlowGoneStatus(m_config.profile);
        d.reason = std::string(FlowGoneReason(m_config.profile));
        return d;
    }
    d.status = 404;
    d.reason = "Not Found";
    return d;
}

EdgeProxy::Decision
EdgeProxy::Route(SipMessage& request, const TransportAddress& from)
{
    if (std::optional<std::string> popped = PopOwnRoute(request))
    {
        const RouteToken own = ReadRoute(*popped, from);
        if (own.kind == RouteToken::Kind::kForbidden || own.kind == RouteToken::Kind::kGone)
        {
            return Refuse(own);
        }
        if (own.kind == RouteToken::Kind::kFlow && !CameOver(own.flow, from))
        {
            // outbound 6.2 (OB-EP-4): towards the UA, over the flow the
            // REGISTER came on, never by resolving the Request-URI; OB-EP-8:
            // Record-Routed with that same token.
            Decision d;
            d.target = own.flow;
            d.recordRouteToken = own.token;
            return d;
        }
        // From a UA (a new request, or in a dialog through our
        // Record-Route). When the next Route is ours too (both UAs behind
        // this proxy), pop it as well rather than send the request to
        // ourselves (16.4).
        if (std::optional<std::string> again = PopOwnRoute(request))
        {
            const RouteToken other = ReadRoute(*again, from);
            if (other.kind != RouteToken::Kind::kFlow)
            {
                return Refuse(other);
            }
            Decision d;
            d.target = other.flow;
            return d;
        }
    }
    // On along the rest of the route set, else to the home proxy.
    Decision d;
    d.fromUa = true;
    const std::vector<NameAddr> routes = request.GetNameAddrs(HeaderId::kRoute);
    if (routes.empty())
    {
        d.target = m_config.registrar;
        return d;
    }
    std::optional<TransportAddress> next = Resolve(routes[0].GetUri());
    if (!next)
    {
        return Refuse(RouteToken{});
    }
    d.target = *next;
    return d;
}

void
EdgeProxy::HandleRequest(ServerTransactionHandle tx,
                         const SipMessage& request,
                         const TransportAddress& from)
{
    if (std::optional<Rejection> r = CheckRequest(request, ProxyPolicy()))
    {
        Respond(tx, request, r->status, r->reason, r->headers);
        return;
    }
    SipMessage routed = request;
    const Decision d = Route(routed, from);
    if (d.status != 0)
    {
        Respond(tx, request, d.status, d.reason);
        return;
    }
    Forwarding f;
    f.target = d.target;
    if (request.GetMethod() == "REGISTER")
    {
        // RFC 3327 4 / outbound 6.1 (OB-EP-1): Path names the flow the
        // registration came on. RFC 5626 5.1: the first hop (the UA's Via is
        // the only one) of an outbound registration (a Contact with reg-id)
        // adds ";ob"; a later hop must not.
        bool ob = false;
        if (m_config.profile == OutboundProfile::kRfc5626 &&
            request.CountValues(HeaderId::kVia) == 1)
        {
            for (const ContactValue& c : request.GetContacts())
            {
                ob = ob || c.GetParams().Has(FlowParameterName(m_config.profile));
            }
        }
        f.path = TokenUri(TokenFor(from), ob);
    }
    else if (CreatesDialog(request.GetMethod()) && (d.fromUa || !d.recordRouteToken.empty()))
    {
        // OB-EP-8: the same URI as in Path (RFC 5626 9: without ";ob").
        f.recordRoute = TokenUri(d.fromUa ? TokenFor(from) : d.recordRouteToken);
    }
    Forward(tx, routed, f);
}

std::optional<TransportAddress>
EdgeProxy::RouteAck(SipMessage& ack, const TransportAddress& from)
{
    const Decision d = Route(ack, from);
    if (d.status != 0)
    {
        return std::nullopt; // an ACK gets no answer: dropped
    }
    return d.target;
}

void
EdgeProxy::OnKeepalive(size_t bytes, const TransportAddress& from)
{
    // RFC 5626 4.4.1 / 5.4: a CRLFCRLF ping on a stream is answered at once
    // with a CRLF pong. The draft has no pong (OB-UA-10): its UA sends a lone
    // CRLF to keep NAT state and expects nothing back.
    if (HasCrlfPong(m_config.profile) && bytes == 4 && IsReliable(from.kind))
    {
        GetTransport().SendBytes("\r\n", from);
        ++m_edgeStats.pongs;
    }
}

void
EdgeProxy::OnConnectionClosed(const TransportAddress& peer, const std::string&)
{
    m_connectionSeen.erase(peer.connection);
}

} // namespace sipbed
