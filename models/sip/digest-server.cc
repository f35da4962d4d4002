#include "models/sip/digest-server.h"

#include "models/sip/sip-text.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>

namespace sipbed
{
namespace
{

/// Nonce layout: issue time (8 octets) | salt (8) | HMAC-SHA256 truncated
/// to 16 octets, written as 64 lower-case hex digits. 128 bits of MAC are
/// far beyond what an attacker could forge by trial within a nonce lifetime.
constexpr size_t kNonceFieldSize = 8;
constexpr size_t kNonceMacSize = 16;
constexpr size_t kNonceSize = 2 * kNonceFieldSize + kNonceMacSize;

/// Width of the nonce-count replay window (one bit per count below the highest).
constexpr uint32_t kNcWindow = 64;

void
PutUint64(uint64_t v, unsigned char* out)
{
    for (int i = 7; i >= 0; --i)
    {
        out[i] = static_cast<unsigned char>(v & 0xff);
        v >>= 8;
    }
}

uint64_t
GetUint64(const unsigned char* in)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i)
    {
        v = (v << 8) | in[i];
    }
    return v;
}

int
HexValue(char c)
{
    if (c >= '0' && c <= '9')
    {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f')
    {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F')
    {
        return c - 'A' + 10;
    }
    return -1;
}

/// HMAC-SHA256(key, issued | salt | realm), first kNonceMacSize octets.
/// False only when OpenSSL fails; no nonce is then accepted.
bool
NonceMac(const std::string& key,
         const unsigned char* fields,
         std::string_view realm,
         unsigned char* mac)
{
    std::string input(reinterpret_cast<const char*>(fields), 2 * kNonceFieldSize);
    input.append(realm);
    unsigned char full[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (!HMAC(EVP_sha256(),
              key.data(),
              static_cast<int>(key.size()),
              reinterpret_cast<const unsigned char*>(input.data()),
              input.size(),
              full,
              &length) ||
        length < kNonceMacSize)
    {
        return false;
    }
    std::copy(full, full + kNonceMacSize, mac);
    return true;
}

DigestCheck
Verdict(DigestOutcome outcome, std::string username, std::string reason)
{
    DigestCheck c;
    c.outcome = outcome;
    c.username = std::move(username);
    c.reason = std::move(reason);
    return c;
}

} // namespace

std::string_view
DigestOutcomeName(DigestOutcome outcome)
{
    switch (outcome)
    {
    case DigestOutcome::kOk:
        return "ok";
    case DigestOutcome::kNoCredentials:
        return "no-credentials";
    case DigestOutcome::kWrongCredentials:
        return "wrong-credentials";
    case DigestOutcome::kStale:
        return "stale";
    case DigestOutcome::kReplayed:
        return "replayed";
    case DigestOutcome::kMalformed:
        return "malformed";
    }
    return "unknown";
}

DigestServer::DigestServer(DigestServerConfig config,
                           std::string secret,
                           DigestSecretLookup lookup,
                           DigestRandom random)
    : m_config(std::move(config))
    , m_secret(std::move(secret))
    , m_lookup(std::move(lookup))
    , m_random(std::move(random))
{
}

std::string
DigestServer::MakeNonce(TimeNs issued, uint64_t salt) const
{
    std::array<unsigned char, kNonceSize> raw{};
    PutUint64(static_cast<uint64_t>(issued), raw.data());
    PutUint64(salt, raw.data() + kNonceFieldSize);
    // A failed MAC leaves zeros, which ReadNonce never accepts.
    NonceMac(m_secret, raw.data(), m_config.realm, raw.data() + 2 * kNonceFieldSize);
    static const char kHex[] = "0123456789abcdef";
    std::string out(2 * kNonceSize, '0');
    for (size_t i = 0; i < kNonceSize; ++i)
    {
        out[2 * i] = kHex[raw[i] >> 4];
        out[2 * i + 1] = kHex[raw[i] & 0x0f];
    }
    return out;
}

bool
DigestServer::ReadNonce(std::string_view nonce, NonceKey& key) const
{
    if (nonce.size() != 2 * kNonceSize)
    {
        return false;
    }
    std::array<unsigned char, kNonceSize> raw{};
    for (size_t i = 0; i < kNonceSize; ++i)
    {
        int hi = HexValue(nonce[2 * i]);
        int lo = HexValue(nonce[2 * i + 1]);
        if (hi < 0 || lo < 0)
        {
            return false;
        }
        raw[i] = static_cast<unsigned char>(hi << 4 | lo);
    }
    std::array<unsigned char, kNonceMacSize> expected{};
    if (!NonceMac(m_secret, raw.data(), m_config.realm, expected.data()) ||
        CRYPTO_memcmp(expected.data(), raw.data() + 2 * kNonceFieldSize, kNonceMacSize) != 0)
    {
        return false;
    }
    key.first = static_cast<TimeNs>(GetUint64(raw.data()));
    key.second = GetUint64(raw.data() + kNonceFieldSize);
    return true;
}

std::string
DigestServer::MakeChallenge(TimeNs now, bool stale)
{
    // RFC 2617 3.2.1: the nonce is uniquely generated each time a 401 is
    // made; the salt keeps two challenges issued at the same instant apart,
    // so their nonce-counts never collide.
    uint64_t salt = static_cast<uint64_t>(m_random()) << 32; // draws in a fixed order
    salt |= m_random();
    DigestChallenge c;
    c.realm = m_config.realm;
    c.nonce = MakeNonce(now, salt);
    c.opaque = m_config.opaque;
    c.stale = stale;
    c.qopAuth = m_config.offerQop; // RFC 3261 22.4 item 8
    c.algorithm = true;
    return c.Render();
}

DigestServer::NcVerdict
DigestServer::RecordNc(const NonceKey& key, uint32_t nc, TimeNs now)
{
    // Expired nonces are refused on their time alone: their history can go.
    while (!m_used.empty() && now - m_used.begin()->first.first > m_config.nonceLifetime)
    {
        m_used.erase(m_used.begin());
    }
    auto it = m_used.find(key);
    if (it == m_used.end())
    {
        if (m_evictedUpTo && key.first <= *m_evictedUpTo)
        {
            return NcVerdict::kForgotten;
        }
        it = m_used.emplace(key, NcWindow{}).first;
    }
    NcWindow& w = it->second;
    if (nc > w.highest)
    {
        // Slide the window up: the old highest becomes bit (shift - 1).
        uint32_t shift = nc - w.highest;
        uint64_t below = shift >= kNcWindow ? 0 : w.below << shift;
        if (w.highest != 0 && shift <= kNcWindow)
        {
            below |= uint64_t{1} << (shift - 1);
        }
        w.below = below;
        w.highest = nc;
    }
    else
    {
        if (nc == w.highest)
        {
            return NcVerdict::kReplayed;
        }
        uint32_t distance = w.highest - nc - 1;
        // Too far below the window to tell: refuse, as IPsec does.
        if (distance >= kNcWindow || (w.below >> distance & 1) != 0)
        {
            return NcVerdict::kReplayed;
        }
        w.below |= uint64_t{1} << distance;
    }
    // Bounded memory: drop the oldest-issued nonce's history, and remember
    // up to when histories were dropped.
    while (m_used.size() > m_config.maxTrackedNonces && !m_used.empty())
    {
        TimeNs issued = m_used.begin()->first.first;
        if (!m_evictedUpTo || issued > *m_evictedUpTo)
        {
            m_evictedUpTo = issued;
        }
        m_used.erase(m_used.begin());
    }
    return NcVerdict::kFresh;
}

DigestCheck
DigestServer::Check(std::string_view credentials,
                    std::string_view method,
                    std::string_view requestUri,
                    TimeNs now)
{
    auto auth = AuthValue::Parse(credentials);
    if (!auth)
    {
        return Verdict(DigestOutcome::kMalformed, "", auth.GetError().reason);
    }
    return Check(auth.GetValue(), method, requestUri, now);
}

DigestCheck
DigestServer::Check(const AuthValue& credentials,
                    std::string_view method,
                    std::string_view requestUri,
                    TimeNs now)
{
    auto parsed = DigestCredentials::FromAuthValue(credentials);
    if (!parsed)
    {
        return Verdict(DigestOutcome::kMalformed,
                       credentials.GetDecoded("username").value_or(""),
                       parsed.GetError().reason);
    }
    const DigestCredentials& c = parsed.GetValue();
    if (c.realm != m_config.realm)
    {
        return Verdict(DigestOutcome::kNoCredentials,
                       c.username,
                       "credentials for realm \"" + c.realm + "\", not \"" + m_config.realm + "\"");
    }
    if (c.qop == DigestQop::kNone && !m_config.acceptNoQop)
    {
        // RFC 3261 22.4 item 8: a client that got qop MUST send it back.
        return Verdict(DigestOutcome::kMalformed, c.username, "credentials without qop");
    }
    if (m_config.requireUriMatch && c.uri != requestUri)
    {
        // RFC 2617 3.2.2.5: a different URI is a 400 Bad Request.
        return Verdict(DigestOutcome::kMalformed,
                       c.username,
                       "digest uri \"" + c.uri + "\" is not the Request-URI");
    }
    std::optional<DigestSecret> secret;
    if (m_lookup)
    {
        secret = m_lookup(c.username, c.realm);
    }
    if (!secret)
    {
        // Same outcome as a wrong password: the response tells an attacker
        // nothing about which user names exist.
        return Verdict(DigestOutcome::kWrongCredentials, c.username, "unknown user");
    }
    std::string ha1 = secret->kind == DigestSecret::Kind::kHa1
                          ? text::ToLower(secret->value)
                          : DigestHa1(c.username, c.realm, secret->value);
    std::string expected = DigestResponse(ha1, method, c.uri, c.nonce, c.qop, c.ncText, c.cnonce);
    if (expected.size() != c.response.size() ||
        CRYPTO_memcmp(expected.data(), c.response.data(), expected.size()) != 0)
    {
        return Verdict(DigestOutcome::kWrongCredentials, c.username, "wrong digest response");
    }
    // The digest is right; from here on a failure is the nonce's fault, and
    // RFC 2617 3.2.1 says to re-challenge with stale=TRUE so the client
    // retries without asking its user again.
    NonceKey key;
    if (!ReadNonce(c.nonce, key))
    {
        return Verdict(DigestOutcome::kStale, c.username, "nonce not issued by this server");
    }
    if (key.first > now || now - key.first > m_config.nonceLifetime)
    {
        return Verdict(DigestOutcome::kStale, c.username, "nonce expired");
    }
    if (c.opaque != m_config.opaque)
    {
        return Verdict(DigestOutcome::kStale, c.username, "opaque does not match the challenge");
    }
    // RFC 2617 3.2.2: nc lets the server detect replays. Without qop there
    // is no count: the nonce serves a single request.
    uint32_t nc = c.qop == DigestQop::kAuth ? c.nc : 1;
    switch (RecordNc(key, nc, now))
    {
    case NcVerdict::kFresh:
        break;
    case NcVerdict::kReplayed:
        return Verdict(DigestOutcome::kReplayed,
                       c.username,
                       c.qop == DigestQop::kAuth ? "nonce-count " + c.ncText + " already used"
                                                 : "nonce already used (no qop)");
    case NcVerdict::kForgotten:
        return Verdict(
            DigestOutcome::kStale, c.username, "nonce history dropped (too many nonces in use)");
    }
    return Verdict(DigestOutcome::kOk, c.username, "");
}

DigestCheck
DigestServer::CheckRequest(const SipMessage& request, TimeNs now)
{
    for (const AuthValue& credentials : request.GetAuth(GetCredentialsHeaderId()))
    {
        if (credentials.IsDigest() && credentials.GetDecoded("realm") == m_config.realm)
        {
            return Check(credentials, request.GetMethod(), request.GetRequestUri().GetRaw(), now);
        }
    }
    return Verdict(DigestOutcome::kNoCredentials,
                   "",
                   "no Digest credentials for realm \"" + m_config.realm + "\"");
}

} // namespace sipbed
