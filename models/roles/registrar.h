// The registrar and home proxy of a domain (RFC 3261 10.3 and 16; RFC 3327).
// REGISTER for its domain: checked (8.2), authenticated with digest (22),
// then applied to the location service: bindings with expiry, the Path
// they came through stored and returned, every current binding in the 200,
// 423 for an Expires below the minimum. Any other request for one of its
// AORs is proxied to the AOR's freshest binding through that binding's
// Path (the edge proxy the UA registered through). HandleRequest decides.
//
// Outbound (../shared/spec/outbound.md 5.2, 5.3, 10): contacts with an
// instance-id and a flow-id (draft) or reg-id (RFC 5626) are bound per flow;
// the home proxy tries one flow of an instance at a time, the freshest
// first, and moves to the next one on 410 (draft) or 430 (RFC 5626); a flow
// that fails or closes takes its bindings with it.
#ifndef SIPBED_REGISTRAR_H
#define SIPBED_REGISTRAR_H

#include "models/roles/location-service.h"
#include "models/roles/proxy-element.h"
#include "models/sip/digest-server.h"
#include "models/sip/request-checks.h"

#include <functional>
#include <memory>
#include <unordered_map>

namespace sipbed
{

struct RegistrarConfig
{
    std::string domain = "example.com";
    /// Expires when a REGISTER gives none (10.3 step 7).
    uint32_t defaultExpires = 3600;
    /// Shorter requests get 423 (10.3 step 7).
    uint32_t minExpires = 60;
    /// Longer ones are shortened to this.
    uint32_t maxExpires = 7200;
    /// Digest: challenge REGISTER (22.2). Off: accept every REGISTER.
    bool authenticate = true;
    /// Password of a user of the domain; nullopt: unknown user.
    std::function<std::optional<std::string>(std::string_view user)> password;
    /// HMAC secret for stateless nonces (see DigestServer).
    std::string nonceSecret = "sipbed-registrar";
    /// Outbound wire format: flow-id and 410 (draft) or reg-id, 430, 439 and
    /// the `outbound` option tag (RFC 5626).
    OutboundProfile profile = OutboundProfile::kDraft;
    /// RFC 5626 4.4 / 6: Flow-Timer (seconds) in the 2xx to an outbound
    /// REGISTER: how often the UA must send keepalives on that flow (it jitters
    /// them to 80-100 %). 0: none. Only in the rfc5626 profile.
    uint32_t flowTimer = 0;
};

class Registrar : public ProxyElement
{
  public:
    Registrar(const ElementEnvironment& env, const ElementConfig& element, const RegistrarConfig& config);

    LocationService& GetLocations()
    {
        return m_locations;
    }

    struct RegistrarStats
    {
        uint64_t registrations = 0;       ///< REGISTER answered 200
        uint64_t challenges = 0;          ///< 401 sent
        uint64_t rejected = 0;            ///< other errors
        uint64_t flowFailovers = 0;       ///< requests moved to another flow of the same instance
        uint64_t flowBindingsRemoved = 0; ///< outbound bindings dropped with their failed flow
    };

    const RegistrarStats& GetRegistrarStats() const
    {
        return m_stats;
    }

  protected:
    void HandleRequest(ServerTransactionHandle tx,
                       const SipMessage& request,
                       const TransportAddress& from) override;
    std::optional<TransportAddress> RouteAck(SipMessage& ack, const TransportAddress& from) override;
    bool OnFinalResponse(ServerTransactionHandle tx,
                         const SipMessage& request,
                         const SipMessage& response) override;
    bool OnForwardError(ServerTransactionHandle tx,
                        const SipMessage& request,
                        TransactionError error) override;
    void OnConnectionClosed(const TransportAddress& peer, const std::string& reason) override;

  private:
    void HandleRegister(ServerTransactionHandle tx, const SipMessage& request, const TransportAddress& from);
    void HandleProxied(ServerTransactionHandle tx, const SipMessage& request);

    /// The request forwarded to an outbound binding, kept until its final
    /// response: which flows of the instance were tried (outbound 5.3).
    struct FlowAttempt
    {
        ServerTransactionHandle tx;
        SipMessage routed;          ///< the request after our Route was popped
        std::vector<Binding> tried; ///< the bindings tried, the current one last
    };

    /// The bindings a request for `ruri` may go to, best first: those of
    /// the AOR when `ruri` is in our domain, else those registered with
    /// that Contact URI (a mid-dialog request, outbound 5.3 OB-PX-9).
    std::vector<Binding> Targets(const SipUri& ruri);

    /// Forwards `routed` to the first of `candidates` that can be reached
    /// and, for an outbound binding, remembers the attempt. False (nothing
    /// sent) when none can be reached.
    bool ForwardToBinding(ServerTransactionHandle tx,
                          const SipMessage& routed,
                          const std::vector<Binding>& candidates,
                          std::vector<Binding> tried);

    /// outbound 5.3 OB-PX-2: forwards to the freshest flow of the same
    /// instance not tried yet; false if there is none.
    bool TryNextFlow(FlowAttempt attempt);

    /// How a request reaches a binding: through its Path, else over the
    /// flow its REGISTER came on (OB-PX-6); nullopt for an unusable Path.
    std::optional<Forwarding> ForwardingFor(const Binding& b, const SipMessage& routed) const;

    void Reject(ServerTransactionHandle tx,
                const SipMessage& request,
                int code,
                std::string_view reason,
                const std::vector<std::pair<std::string, std::string>>& headers = {});

    RegistrarConfig m_config;
    RequestPolicy m_registerPolicy;
    RequestPolicy m_proxyPolicy;
    LocationService m_locations;
    std::unique_ptr<DigestServer> m_digest;
    RegistrarStats m_stats;
    /// server transaction id -> the request in progress towards an outbound binding
    std::unordered_map<uint32_t, FlowAttempt> m_attempts;
};

} // namespace sipbed

#endif
