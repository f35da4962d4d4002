// The edge proxy: the first hop of UAs behind NATs (RFC 3261 16, RFC 3327
// Path, outbound 6 / spec 5.4, RFC 5626 5). It
// - forwards REGISTER to the registrar with a Path naming the flow the UA
//   came on by a flow token (flow-token.h), so that the home proxy routes
//   requests for the UA back through it (OB-EP-1; RFC 5626 5.1 adds ";ob"
//   when it is the first hop);
// - forwards a UA's other requests to the home proxy, Record-Routing
//   dialog-creating ones with the same token URI, so that in-dialog
//   requests also pass here and find the flow (OB-EP-8);
// - sends a request whose top Route is one of its token URIs down that flow
//   (OB-EP-4), or, when it came from that flow, on along the rest of the
//   route; a token that does not verify gets 403 (OB-EP-5), a flow that is
//   gone 410 or, RFC 5626, 430 (OB-EP-6); neither is forwarded;
// - answers keepalives: STUN Binding on UDP (ProxyElement, OB-SRV-1) and,
//   RFC 5626 only, a CRLF pong to a CRLFCRLF ping on streams.
// HandleRequest is where it decides.
#ifndef SIPBED_EDGE_PROXY_H
#define SIPBED_EDGE_PROXY_H

#include "models/roles/flow-token.h"
#include "models/roles/outbound-profile.h"
#include "models/roles/proxy-element.h"

#include <map>

namespace sipbed
{

struct EdgeProxyConfig
{
    /// The registrar (which is also the home proxy).
    TransportAddress registrar;
    /// Which outbound behaviour (flow-gone status, pong, ";ob").
    OutboundProfile profile = OutboundProfile::kDraft;
    /// How flow tokens are made (outbound 6.1; Algorithm 2 by default).
    FlowTokenAlgorithm tokenAlgorithm = FlowTokenAlgorithm::kHmac;
    /// Algorithm 2's K. Unset: 20 octets drawn from the element's random
    /// source at construction, so a restarted edge proxy rejects the tokens
    /// of its previous life (OB-EP-9). Set it to keep tokens valid across
    /// restarts (as Kamailio's flow_token_secret does).
    std::optional<FlowTokenCodec::Key> tokenKey = std::nullopt;
};

class EdgeProxy : public ProxyElement
{
  public:
    EdgeProxy(const ElementEnvironment& env,
              const ElementConfig& element,
              const EdgeProxyConfig& config);

    /// Flow-token outcomes a scenario reports (the `sipbed claims` evidence
    /// for "a tampered flow token is rejected with 403").
    struct EdgeStats
    {
        uint64_t tokensForbidden = 0; ///< 403: token tampered, forged or malformed
        uint64_t flowsGone = 0;       ///< 410 / 430: a valid token whose flow is closed
        uint64_t pongs = 0;           ///< CRLF pongs sent (RFC 5626 profile)
    };

    const EdgeStats& GetEdgeStats() const
    {
        return m_edgeStats;
    }

  protected:
    void HandleRequest(ServerTransactionHandle tx,
                       const SipMessage& request,
                       const TransportAddress& from) override;
    std::optional<TransportAddress> RouteAck(SipMessage& ack,
                                             const TransportAddress& from) override;
    void OnKeepalive(size_t bytes, const TransportAddress& from) override;
    void OnConnectionClosed(const TransportAddress& peer, const std::string& reason) override;

  private:
    /// The token for a flow that reached us (`from` of a request).
    std::string TokenFor(const TransportAddress& flow);

    /// "<sip:TOKEN@ip:port;lr>" (plus ";ob" when asked).
    std::string TokenUri(const std::string& token, bool ob = false) const;

    /// What a Route URI of ours says.
    struct RouteToken
    {
        enum class Kind : uint8_t
        {
            kNone,      ///< no user part: a plain loose route to us
            kFlow,      ///< a valid token whose flow exists
            kForbidden, ///< outbound 6.2: the token does not verify (403)
            kGone,      ///< outbound 6.2: the flow no longer exists (410/430)
        };
        Kind kind = Kind::kNone;
        TransportAddress flow;
        std::string token;
    };
    RouteToken ReadRoute(const std::string& uri, const TransportAddress& from);

    /// Whether a decoded token's flow still exists here.
    bool FlowExists(const FlowTokenResult& decoded);

    /// Where a request goes after its own Route was popped, or how it is
    /// refused (status != 0, nothing forwarded).
    struct Decision
    {
        int status = 0;
        std::string reason;
        TransportAddress target;
        std::string recordRouteToken; ///< towards a UA: the token of its flow, to Record-Route
        bool fromUa = false;          ///< from the sender's flow, which is Record-Routed
    };
    Decision Route(SipMessage& request, const TransportAddress& from);
    Decision Refuse(const RouteToken& route);

    EdgeProxyConfig m_config;
    FlowTokenCodec m_codec;
    /// Algorithm 1 only: when each UA connection was first seen (our stand-in
    /// for the descriptor's creation time), until it closes.
    std::map<ConnectionId, TimeNs> m_connectionSeen;
    EdgeStats m_edgeStats;
};

} // namespace sipbed

#endif
