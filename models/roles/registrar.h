// The registrar and home proxy of a domain (RFC 3261 10.3 and 16; RFC 3327).
// REGISTER for its domain: checked (8.2), authenticated with digest (22),
// then applied to the location service: bindings with expiry, the Path
// they came through stored and returned, every current binding in the 200,
// 423 for an Expires below the minimum. Any other request for one of its
// AORs is proxied to the AOR's freshest binding through that binding's
// Path (the edge proxy the UA registered through). HandleRequest decides.
#ifndef SIPBED_REGISTRAR_H
#define SIPBED_REGISTRAR_H

#include "models/roles/location-service.h"
#include "models/roles/proxy-element.h"
#include "models/sip/digest-server.h"

#include <functional>
#include <memory>

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
        uint64_t registrations = 0; ///< REGISTER answered 200
        uint64_t challenges = 0;    ///< 401 sent
        uint64_t rejected = 0;      ///< other errors
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

  private:
    void HandleRegister(ServerTransactionHandle tx, const SipMessage& request, const TransportAddress& from);
    void HandleProxied(ServerTransactionHandle tx, const SipMessage& request);
    void Reject(ServerTransactionHandle tx,
                const SipMessage& request,
                int code,
                std::string_view reason,
                const std::vector<std::pair<std::string, std::string>>& headers = {});

    RegistrarConfig m_config;
    LocationService m_locations;
    std::unique_ptr<DigestServer> m_digest;
    RegistrarStats m_stats;
};

} // namespace sipbed

#endif
