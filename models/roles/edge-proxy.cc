#include "models/roles/edge-proxy.h"

#include "models/roles/flow-token.h"
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

} // namespace

EdgeProxy::EdgeProxy(const ElementEnvironment& env,
                     const ElementConfig& element,
                     const EdgeProxyConfig& config)
    : ProxyElement(env, element),
      m_config(config)
{
}

std::string
EdgeProxy::FlowUri(const TransportAddress& flow) const
{
    return "<" + LocalUri(EncodeFlowToken(flow)) + ";lr>";
}

std::optional<EdgeProxy::Decision>
EdgeProxy::Route(SipMessage& request, const TransportAddress& from)
{
    const std::optional<std::string> popped = PopOwnRoute(request);
    std::optional<TransportAddress> flow;
    if (popped)
    {
        Result<SipUri> uri = SipUri::Parse(*popped, SipUri::Context::kBracketed);
        if (uri)
        {
            flow = DecodeFlowToken(uri.GetValue().GetUser());
        }
    }
    if (flow && !flow->SameEndpoint(from))
    {
        // Towards the UA: down its flow. For a stream, its connection; a UA
        // whose connection is gone cannot be reached (the send fails: 503).
        return Decision{*flow, *flow};
    }
    // From a UA (a new request, or in a dialog through our Record-Route).
    // When the next Route is ours too (both UAs behind this proxy), pop it
    // as well rather than send the request to ourselves (16.4).
    if (popped)
    {
        if (std::optional<std::string> again = PopOwnRoute(request))
        {
            Result<SipUri> uri = SipUri::Parse(*again, SipUri::Context::kBracketed);
            std::optional<TransportAddress> other =
                uri ? DecodeFlowToken(uri.GetValue().GetUser()) : std::nullopt;
            if (!other)
            {
                return std::nullopt;
            }
            return Decision{*other, std::nullopt};
        }
    }
    // On along the rest of the route set, else to the home proxy.
    Decision d;
    d.recordRouteFlow = from;
    const std::vector<NameAddr> routes = request.GetNameAddrs(HeaderId::kRoute);
    if (!routes.empty())
    {
        std::optional<TransportAddress> next = Resolve(routes[0].GetUri());
        if (!next)
        {
            return std::nullopt;
        }
        d.target = *next;
        return d;
    }
    d.target = m_config.registrar;
    return d;
}

void
EdgeProxy::HandleRequest(ServerTransactionHandle tx, const SipMessage& request, const TransportAddress& from)
{
    if (std::optional<Rejection> r = CheckRequest(request, ProxyPolicy()))
    {
        Respond(tx, request, r->status, r->reason, r->headers);
        return;
    }
    SipMessage routed = request;
    std::optional<Decision> d = Route(routed, from);
    if (!d)
    {
        Respond(tx, request, 404, "Not Found");
        return;
    }
    Forwarding f;
    f.target = d->target;
    if (request.GetMethod() == "REGISTER")
    {
        // RFC 3327 4: Path names the flow the registration came on.
        f.path = FlowUri(from);
    }
    else if (CreatesDialog(request.GetMethod()) && d->recordRouteFlow)
    {
        f.recordRoute = FlowUri(*d->recordRouteFlow);
    }
    Forward(tx, routed, f);
}

std::optional<TransportAddress>
EdgeProxy::RouteAck(SipMessage& ack, const TransportAddress& from)
{
    std::optional<Decision> d = Route(ack, from);
    if (!d)
    {
        return std::nullopt;
    }
    return d->target;
}

void
EdgeProxy::OnKeepalive(size_t bytes, const TransportAddress& from)
{
    // RFC 5626 3.5.1: a CRLFCRLF ping on a stream is answered with a CRLF
    // pong. (The seed draft has no pong: the UA only needs its NAT state
    // refreshed; answering costs two bytes and lets either kind of UA work.)
    if (bytes == 4 && from.kind != TransportKind::kUdp)
    {
        GetTransport().SendBytes("\r\n", from);
    }
}

} // namespace sipbed
