// The client side of SIP Digest authentication (RFC 3261 22.2, 22.3, 22.4;
// RFC 2617 3.2.2): answers a 401/407 challenge for one user and keeps the
// challenge, so later requests (REGISTER refreshes) can carry credentials
// under the same nonce with the next nonce-count until the server asks
// again. One DigestClient per (user, realm); a UA that authenticates to an
// edge proxy and a registrar in different realms holds one for each.
#ifndef SIPBED_DIGEST_CLIENT_H
#define SIPBED_DIGEST_CLIENT_H

#include "models/sip/digest.h"
#include "models/sip/parse-error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sipbed
{

class DigestClient
{
  public:
    /// `random`: draws for each cnonce (64 bits, two draws).
    DigestClient(std::string username, std::string password, DigestRandom random);

    /// Reads a challenge (the value of WWW-Authenticate or
    /// Proxy-Authenticate) and returns credentials for a request of `method`
    /// to `uri` (the Request-URI, RFC 3261 22.4 item 3), to be sent in
    /// Authorization or Proxy-Authorization. A new nonce restarts the
    /// nonce-count at 00000001; the same nonce again continues it. Fails on
    /// a challenge sipbed cannot answer (another scheme, MD5-sess, only
    /// auth-int) or a user name with control characters.
    Result<std::string> Answer(std::string_view challenge,
                               std::string_view method,
                               std::string_view uri);
    Result<std::string> Answer(const DigestChallenge& challenge,
                               std::string_view method,
                               std::string_view uri);

    /// Credentials for one more request under the last challenge, with the
    /// next nonce-count (RFC 2617 3.2.2: nc counts the requests sent with
    /// the nonce); nullopt before any challenge. Without qop a nonce cannot
    /// be counted, and this returns the same response each time.
    std::optional<std::string> Authorize(std::string_view method, std::string_view uri);

    /// True after a challenge was answered.
    bool HasChallenge() const
    {
        return m_challenge.has_value();
    }

    /// Realm of the current challenge; empty before any.
    std::string_view GetRealm() const
    {
        return m_challenge ? std::string_view(m_challenge->realm) : std::string_view();
    }

    /// Last nonce-count used (0 before any request under the current nonce).
    uint32_t GetNonceCount() const
    {
        return m_nc;
    }

    /// Forgets the challenge (e.g. after a 403, or when the flow is replaced).
    void Reset()
    {
        m_challenge.reset();
        m_nc = 0;
    }

  private:
    std::string MakeCredentials(std::string_view method, std::string_view uri);

    std::string m_username;
    std::string m_password;
    DigestRandom m_random;
    std::optional<DigestChallenge> m_challenge;
    std::string m_ha1; ///< H(A1) for the current challenge's realm
    uint32_t m_nc = 0;
};

} // namespace sipbed

#endif
