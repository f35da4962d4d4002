// The server side of SIP Digest authentication (RFC 3261 22.2, 22.3, 22.4;
// RFC 2617 3.2.1-3.3), for any role that challenges: a registrar or UAS
// (401, WWW-Authenticate / Authorization) or a proxy (407,
// Proxy-Authenticate / Proxy-Authorization).
//
// Nonces are stateless: a nonce carries its issue time, a random salt and an
// HMAC-SHA256 over both (and the realm) under a server secret, so any nonce
// the server issued can be checked without remembering it, and a nonce from
// another server or from before a restart with a new secret is recognised as
// not ours. The only state is the nonce-count history of the nonces in use,
// which stops replays and is bounded (see DigestServerConfig::maxTrackedNonces).
#ifndef SIPBED_DIGEST_SERVER_H
#define SIPBED_DIGEST_SERVER_H

#include "models/net/time-ns.h"
#include "models/sip/digest.h"
#include "models/sip/header-table.h"
#include "models/sip/sip-message.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace sipbed
{

/// What the server knows of a user's password: the password itself or
/// H(A1) = MD5(user ":" realm ":" password), which is what registrars
/// usually store (RFC 2617 3.2.2.2).
struct DigestSecret
{
    enum class Kind : uint8_t
    {
        kPassword,
        kHa1,
    };

    Kind kind = Kind::kPassword;
    std::string value;

    static DigestSecret Password(std::string password)
    {
        return DigestSecret{Kind::kPassword, std::move(password)};
    }

    /// 32 hex digits.
    static DigestSecret Ha1(std::string ha1)
    {
        return DigestSecret{Kind::kHa1, std::move(ha1)};
    }
};

/// Password lookup: (username, realm) -> secret, nullopt for an unknown user.
using DigestSecretLookup =
    std::function<std::optional<DigestSecret>(std::string_view username, std::string_view realm)>;

struct DigestServerConfig
{
    /// Protection domain, e.g. "example.com" (RFC 3261 22.1: globally unique).
    std::string realm;
    /// A proxy challenges with 407 and Proxy-Authenticate and reads
    /// Proxy-Authorization (RFC 3261 22.3); otherwise 401, WWW-Authenticate
    /// and Authorization (22.2).
    bool proxy = false;
    /// How long after issue a nonce is accepted; an older nonce with a
    /// correct digest is answered with a new challenge carrying stale=true
    /// (RFC 2617 3.2.1). 300 s is Kamailio's default nonce_expire.
    TimeNs nonceLifetime = SecondsToNs(300);
    /// Sent in every challenge when set; credentials must return it unchanged
    /// (RFC 2617 3.2.1). A mismatch is treated like an expired nonce.
    std::optional<std::string> opaque;
    /// Offer qop="auth". RFC 3261 22.4 item 8: servers MUST always send qop;
    /// false imitates an RFC 2069 server (for testing clients).
    bool offerQop = true;
    /// Accept credentials without qop (RFC 2069 clients). RFC 3261 22.4
    /// requires servers to stay compatible with RFC 2069. Such credentials
    /// carry no nonce-count, so each nonce is good for one request only.
    bool acceptNoQop = true;
    /// Require the digest-uri to equal the Request-URI byte for byte. RFC 2617
    /// 3.2.2.5 asks for the check; RFC 3261 22.4 item 6 makes it optional in
    /// SIP, because a proxy may have retargeted the request. Off by default.
    bool requireUriMatch = false;
    /// Most nonces whose nonce-count history is kept (about 80 bytes each).
    /// When full, the oldest-issued entry is dropped and every nonce issued
    /// up to then that is not tracked any more counts as stale.
    size_t maxTrackedNonces = 65536;
};

/// Outcome of checking credentials. The response code is the role's decision
/// (RFC 3261 22.2, 22.3): typically 401/407 with a new challenge for
/// kNoCredentials and kWrongCredentials (or 403 after repeated failures),
/// 401/407 with MakeChallenge(now, true) for kStale and kReplayed, and 400
/// for kMalformed.
enum class DigestOutcome : uint8_t
{
    kOk,               ///< the user proved knowledge of the password
    kNoCredentials,    ///< no Digest credentials for this realm
    kWrongCredentials, ///< unknown user or wrong password
    kStale,            ///< correct digest under a nonce that expired or is not ours
    kReplayed,         ///< correct digest under a nonce-count already used
    kMalformed,        ///< credentials that break RFC 2617's rules
};

/// "ok", "no-credentials", "wrong-credentials", "stale", "replayed", "malformed".
std::string_view DigestOutcomeName(DigestOutcome outcome);

struct DigestCheck
{
    DigestOutcome outcome = DigestOutcome::kNoCredentials;
    std::string username; ///< from the credentials, when they could be read
    std::string reason;   ///< why, in words (for events.csv and logs)

    bool IsOk() const
    {
        return outcome == DigestOutcome::kOk;
    }
};

class DigestServer
{
  public:
    /// `secret`: HMAC key for nonces (say 32 random octets drawn at boot; a
    /// restarted server with a new secret answers old nonces with stale=true).
    /// `random`: salt for each nonce.
    DigestServer(DigestServerConfig config,
                 std::string secret,
                 DigestSecretLookup lookup,
                 DigestRandom random);

    /// A challenge value with a fresh nonce issued at `now` (RFC 2617 3.2.1);
    /// `stale` = true after kStale or kReplayed.
    std::string MakeChallenge(TimeNs now, bool stale = false);

    /// Checks credentials sent with a request of `method` to `requestUri`.
    DigestCheck Check(const AuthValue& credentials,
                      std::string_view method,
                      std::string_view requestUri,
                      TimeNs now);
    DigestCheck Check(std::string_view credentials,
                      std::string_view method,
                      std::string_view requestUri,
                      TimeNs now);

    /// Checks a request: the first Digest credentials in the Authorization
    /// (Proxy-Authorization for a proxy) fields whose realm is ours
    /// (RFC 3261 22.3: a proxy MUST pick the credentials of its own realm).
    DigestCheck CheckRequest(const SipMessage& request, TimeNs now);

    /// 401 or 407.
    int GetChallengeStatus() const
    {
        return m_config.proxy ? 407 : 401;
    }

    /// "WWW-Authenticate" or "Proxy-Authenticate".
    std::string_view GetChallengeHeader() const
    {
        return m_config.proxy ? "Proxy-Authenticate" : "WWW-Authenticate";
    }

    /// "Authorization" or "Proxy-Authorization".
    std::string_view GetCredentialsHeader() const
    {
        return m_config.proxy ? "Proxy-Authorization" : "Authorization";
    }

    HeaderId GetCredentialsHeaderId() const
    {
        return m_config.proxy ? HeaderId::kProxyAuthorization : HeaderId::kAuthorization;
    }

    const DigestServerConfig& GetConfig() const
    {
        return m_config;
    }

    /// Nonces whose nonce-count history is currently kept.
    size_t GetTrackedNonceCount() const
    {
        return m_used.size();
    }

  private:
    /// (issue time, salt): names one issued nonce.
    using NonceKey = std::pair<TimeNs, uint64_t>;

    /// Nonce-counts seen under one nonce: the highest, and a bitmap of the
    /// 64 below it (bit i: highest - 1 - i seen), as IPsec's anti-replay
    /// window (RFC 4303 3.4.3), so requests reordered by UDP still pass.
    struct NcWindow
    {
        uint32_t highest = 0;
        uint64_t below = 0;
    };

    enum class NcVerdict : uint8_t
    {
        kFresh,     ///< first use of this nonce-count: recorded
        kReplayed,  ///< used before (or too far below the highest one seen)
        kForgotten, ///< the nonce's history was evicted for space
    };

    std::string MakeNonce(TimeNs issued, uint64_t salt) const;
    /// Reads and authenticates a nonce; false if it is not one of ours.
    bool ReadNonce(std::string_view nonce, NonceKey& key) const;
    /// Records nonce-count `nc` under `key`.
    NcVerdict RecordNc(const NonceKey& key, uint32_t nc, TimeNs now);

    DigestServerConfig m_config;
    std::string m_secret;
    DigestSecretLookup m_lookup;
    DigestRandom m_random;
    std::map<NonceKey, NcWindow> m_used;
    /// Nonces issued at or before this time and no longer in m_used were
    /// evicted for space: their history is lost, so they count as stale.
    std::optional<TimeNs> m_evictedUpTo;
};

} // namespace sipbed

#endif
