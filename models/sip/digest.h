// HTTP Digest authentication as SIP uses it (RFC 2617, RFC 3261 22.4):
// the hashes (MD5 through OpenSSL), and the two header values it exchanges,
// a challenge (WWW-Authenticate, Proxy-Authenticate) and credentials
// (Authorization, Proxy-Authorization), read from and written to their wire
// form. The server and client sides are DigestServer and DigestClient.
//
// Supported: algorithm MD5 (absent = MD5), qop "auth", and no qop (RFC 2069
// compatibility, which RFC 3261 22.4 requires of servers). Not supported:
// MD5-sess and qop "auth-int" (no scenario needs them; see docs/digest-and-stun.md).
#ifndef SIPBED_DIGEST_H
#define SIPBED_DIGEST_H

#include "models/sip/header-values.h"
#include "models/sip/parse-error.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace sipbed
{

/// Uniform 32-bit draws: the simulator's random stream, or a test's sequence.
/// The models never seed or own a random generator themselves.
using DigestRandom = std::function<uint32_t()>;

/// Quality of protection (RFC 2617 3.2.1).
enum class DigestQop : uint8_t
{
    kNone, ///< RFC 2069 style: no cnonce, no nonce-count
    kAuth, ///< "auth": cnonce and nonce-count enter the response
};

/// MD5 of `data` as 32 lower-case hex digits (RFC 2617 3.1.3 H()).
std::string DigestMd5Hex(std::string_view data);

/// H(A1) for algorithm MD5: MD5(username ":" realm ":" password) (RFC 2617 3.2.2.2).
std::string DigestHa1(std::string_view username, std::string_view realm, std::string_view password);

/// request-digest (RFC 2617 3.2.2.1) from H(A1), with A2 = Method ":" digest-uri
/// (3.2.2.3; qop "auth" or none). `nc` is the 8-hex-digit nonce-count as sent;
/// `nc` and `cnonce` are ignored for DigestQop::kNone.
std::string DigestResponse(std::string_view ha1,
                           std::string_view method,
                           std::string_view digestUri,
                           std::string_view nonce,
                           DigestQop qop,
                           std::string_view nc,
                           std::string_view cnonce);

/// `s` as a quoted-string: '"' and '\' escaped (RFC 3261 25.1 quoted-pair).
std::string DigestQuote(std::string_view s);

/// nonce-count as 8 lower-case hex digits (RFC 2617 3.2.2 nc-value).
std::string DigestFormatNc(uint32_t nc);

/// A Digest challenge (RFC 2617 3.2.1, RFC 3261 20.44 / 20.27).
struct DigestChallenge
{
    std::string realm;
    std::string nonce;
    std::optional<std::string> opaque;
    bool stale = false;
    bool qopAuth = false;   ///< qop="auth" offered (false: no qop parameter, RFC 2069 style)
    bool algorithm = false; ///< an explicit algorithm=MD5 was present (or is to be written)

    /// Reads a challenge. Fails on another scheme than Digest, a missing
    /// realm or nonce, an algorithm other than MD5, and a qop list
    /// without "auth" (e.g. only "auth-int").
    static Result<DigestChallenge> Parse(std::string_view value);
    static Result<DigestChallenge> FromAuthValue(const AuthValue& value);

    /// `Digest realm="...", qop="auth", nonce="...", opaque="...", stale=true, algorithm=MD5`
    /// in that order (the order of RFC 3261's examples); absent parts omitted.
    std::string Render() const;
};

/// Digest credentials (RFC 2617 3.2.2, RFC 3261 20.7 / 20.28).
struct DigestCredentials
{
    std::string username;
    std::string realm;
    std::string nonce;
    std::string uri;      ///< digest-uri, as sent (quoted on the wire, RFC 3261 22.4 item 2)
    std::string response; ///< 32 hex digits
    std::string cnonce;
    std::optional<std::string> opaque;
    DigestQop qop = DigestQop::kNone;
    uint32_t nc = 0;        ///< nonce-count; 0 when qop is none
    std::string ncText;     ///< nonce-count as received (it enters the hash verbatim)
    bool algorithm = false; ///< algorithm=MD5 present (or to be written)

    /// Reads credentials and checks them against RFC 2617 3.2.2: scheme
    /// Digest; username, realm, nonce, uri and response present; response
    /// 32 hex digits; algorithm absent or MD5; qop absent or "auth"; with
    /// qop, cnonce and an 8-hex-digit non-zero nc; without qop, neither.
    static Result<DigestCredentials> Parse(std::string_view value);
    static Result<DigestCredentials> FromAuthValue(const AuthValue& value);

    /// `Digest username="...", realm="...", nonce="...", uri="...", qop=auth,
    /// nc=00000001, cnonce="...", response="...", opaque="...", algorithm=MD5`
    /// in that order (RFC 2617 3.5's order); absent parts omitted.
    std::string Render() const;
};

} // namespace sipbed

#endif
