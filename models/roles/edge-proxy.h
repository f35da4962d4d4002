// The edge proxy: the first hop of UAs behind NATs (RFC 3261 16, RFC 3327
// Path). It
// - forwards REGISTER to the registrar with a Path naming the flow the UA
//   came on (flow-token.h), so that the home proxy routes requests for the
//   UA back through it;
// - forwards a UA's other requests to the home proxy, Record-Routing
//   dialog-creating ones with the same kind of URI, so that in-dialog
//   requests also pass here and find the flow;
// - sends a request whose top Route is one of its flow URIs down that flow
//   (or, when it came from that flow, on along the rest of the route);
// - answers keepalives (CRLF on streams; STUN Binding on UDP comes with the
//   STUN issue work).
// HandleRequest is where it decides.
#ifndef SIPBED_EDGE_PROXY_H
#define SIPBED_EDGE_PROXY_H

#include "models/roles/proxy-element.h"

namespace sipbed
{

struct EdgeProxyConfig
{
    /// The registrar (which is also the home proxy).
    TransportAddress registrar;
};

class EdgeProxy : public ProxyElement
{
  public:
    EdgeProxy(const ElementEnvironment& env, const ElementConfig& element, const EdgeProxyConfig& config);

  protected:
    void HandleRequest(ServerTransactionHandle tx,
                       const SipMessage& request,
                       const TransportAddress& from) override;
    std::optional<TransportAddress> RouteAck(SipMessage& ack, const TransportAddress& from) override;
    void OnKeepalive(size_t bytes, const TransportAddress& from) override;

  private:
    /// "<sip:TOKEN@ip:port;lr>" for a flow.
    std::string FlowUri(const TransportAddress& flow) const;

    /// Where a request goes after its own Route was popped (nullopt: 404).
    struct Decision
    {
        TransportAddress target;
        std::optional<TransportAddress> recordRouteFlow; ///< the UA-side flow to Record-Route
    };
    std::optional<Decision> Route(SipMessage& request, const TransportAddress& from);

    EdgeProxyConfig m_config;
};

} // namespace sipbed

#endif
