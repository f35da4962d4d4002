// The transaction-stateful proxy core shared by the edge proxy and the home
// proxy (RFC 3261 16): a server transaction per request received, a client
// transaction per request forwarded, responses relayed back (16.7), CANCEL
// passed on (16.10), ACKs for 2xx and stray responses forwarded statelessly
// (16.11, 16.7). Where a request goes is the subclass's decision
// (HandleRequest, RouteAck): the one place a proxy role decides what to do
// with a message.
#ifndef SIPBED_PROXY_ELEMENT_H
#define SIPBED_PROXY_ELEMENT_H

#include "models/roles/sip-element.h"
#include "models/sip/stun-server.h"

#include <optional>
#include <string>
#include <unordered_map>

namespace sipbed
{

class ProxyElement : public SipElement
{
  public:
    using SipElement::SipElement;

    /// Counters a scenario reports.
    struct ProxyStats
    {
        uint64_t forwarded = 0;       ///< requests forwarded statefully
        uint64_t forwardedAcks = 0;   ///< ACKs and stray responses forwarded statelessly
        uint64_t rejected = 0;        ///< requests answered with an error by the proxy itself
        uint64_t timeouts = 0;        ///< 408 sent for a forwarded request that got no answer
        uint64_t stunAnswered = 0;    ///< STUN Binding requests answered
    };

    const ProxyStats& GetProxyStats() const
    {
        return m_proxyStats;
    }

    // TransactionUser
    void OnNewRequest(ServerTransactionHandle tx,
                      const SipMessage& request,
                      const TransportAddress& from) final;
    void OnResponse(ClientTransactionHandle tx,
                    const SipMessage& response,
                    const TransportAddress& from) final;
    void OnClientError(ClientTransactionHandle tx, TransactionError error) final;
    void OnServerError(ServerTransactionHandle tx, TransactionError error) final;
    void OnStrayResponse(const SipMessage& response, const TransportAddress& from) final;
    void OnStrayAck(const SipMessage& ack, const TransportAddress& from) final;

  protected:
    /// outbound draft: every server that receives SIP over UDP from UAs
    /// answers STUN Binding requests on the same port (first octet 0 or 1,
    /// told apart by SipTransport).
    void OnStun(std::string_view bytes, const TransportAddress& from) override;

    /// Decides on a new request (not ACK, not CANCEL): answer it (Respond)
    /// or Forward it.
    virtual void HandleRequest(ServerTransactionHandle tx,
                               const SipMessage& request,
                               const TransportAddress& from) = 0;

    /// Where an ACK for a 2xx (or another request forwarded statelessly)
    /// goes, after PopOwnRoute; nullopt drops it.
    virtual std::optional<TransportAddress> RouteAck(SipMessage& ack, const TransportAddress& from) = 0;

    /// A final response to the request forwarded from `tx` (the request as
    /// received), before it is relayed: a proxy may send the request to
    /// another target first (16.7 item 4; outbound 5.3 OB-PX-2). Return true
    /// when the subclass took over (forwarded again or answered `tx`
    /// itself): the response is then not relayed. Default: false.
    virtual bool OnFinalResponse(ServerTransactionHandle tx,
                                 const SipMessage& request,
                                 const SipMessage& response);

    /// The same for a forwarded request that timed out or could not be sent
    /// (16.8, 8.1.3.1); false (the default) answers 408 or 503 upstream.
    virtual bool OnForwardError(ServerTransactionHandle tx,
                                const SipMessage& request,
                                TransactionError error);

    /// What to change in a forwarded copy.
    struct Forwarding
    {
        TransportAddress target;
        std::optional<std::string> requestUri;     ///< retarget (16.5)
        std::vector<std::string> pushRoutes;       ///< prepended Route values (16.6 item 7)
        std::optional<std::string> recordRoute;    ///< Record-Route value to add (16.6 item 4)
        std::optional<std::string> path;           ///< Path value to add (RFC 3327 4)
    };

    /// 16.6: copies the request, applies `f`, decrements Max-Forwards, adds
    /// our Via and sends it in a new client transaction; responses come back
    /// to `tx`. Returns false (after answering 500) if it could not be sent.
    bool Forward(ServerTransactionHandle tx, const SipMessage& request, const Forwarding& f);

    /// 16.4: removes the top Route if it names this proxy; returns its URI.
    std::optional<std::string> PopOwnRoute(SipMessage& request) const;

    /// Whether a SIP URI names this proxy (its address and port).
    bool IsOwnUri(const SipUri& uri) const;

  private:
    /// Adds our Via, decrements Max-Forwards; false if Max-Forwards is 0.
    bool PrepareHop(SipMessage& m, const std::string& branch);

    struct Pending
    {
        ServerTransactionHandle server;
        ClientTransactionHandle client;
        TransportAddress target;
        SipMessage request; ///< as received: to answer 408/503 ourselves
    };

    std::unordered_map<uint32_t, Pending> m_byClient; ///< client tx id ->
    std::unordered_map<uint32_t, uint32_t> m_byServer; ///< server tx id -> client tx id
    ProxyStats m_proxyStats;
    StunServer m_stun;
};

} // namespace sipbed

#endif
