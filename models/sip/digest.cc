#include "models/sip/digest.h"

#include "models/sip/sip-text.h"

#include <openssl/evp.h>

#include <array>
#include <cstdio>

namespace sipbed
{
namespace
{

const char kHexDigits[] = "0123456789abcdef";

std::string
ToHex(const unsigned char* data, size_t n)
{
    std::string out(2 * n, '0');
    for (size_t i = 0; i < n; ++i)
    {
        out[2 * i] = kHexDigits[data[i] >> 4];
        out[2 * i + 1] = kHexDigits[data[i] & 0x0f];
    }
    return out;
}

bool
IsHexString(std::string_view s, size_t length)
{
    if (s.size() != length)
    {
        return false;
    }
    for (char c : s)
    {
        if (!text::IsHex(c))
        {
            return false;
        }
    }
    return true;
}

/// RFC 2617 3.2.1 / 3.2.2: each directive appears at most once; a repeated
/// one would let two readers of the same header see different values.
std::optional<std::string>
FindDuplicate(const AuthValue& value)
{
    static const char* const kNames[] = {"username",
                                         "realm",
                                         "nonce",
                                         "uri",
                                         "response",
                                         "cnonce",
                                         "nc",
                                         "qop",
                                         "opaque",
                                         "algorithm",
                                         "stale",
                                         "domain"};
    std::array<int, sizeof(kNames) / sizeof(kNames[0])> seen{};
    std::optional<std::string> duplicate;
    value.ForEach([&](std::string_view name, std::string_view) {
        for (size_t i = 0; i < seen.size(); ++i)
        {
            if (text::IEquals(name, kNames[i]) && ++seen[i] > 1)
            {
                duplicate = kNames[i];
                return false;
            }
        }
        return true;
    });
    return duplicate;
}

/// algorithm absent or MD5 (RFC 2617 3.2.1: absent means MD5).
std::optional<ParseError>
CheckAlgorithm(const AuthValue& value, bool& present)
{
    auto algorithm = value.GetDecoded("algorithm");
    present = algorithm.has_value();
    if (algorithm && !text::IEquals(*algorithm, "MD5"))
    {
        return MakeError("unsupported digest algorithm '" + *algorithm + "' (only MD5)");
    }
    return std::nullopt;
}

} // namespace

std::string
DigestMd5Hex(std::string_view data)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(data.data(), data.size(), md, &length, EVP_md5(), nullptr) != 1)
    {
        // Only a broken OpenSSL installation gets here; an empty digest then
        // never matches a received one.
        return std::string();
    }
    return ToHex(md, length);
}

std::string
DigestHa1(std::string_view username, std::string_view realm, std::string_view password)
{
    std::string a1;
    a1.reserve(username.size() + realm.size() + password.size() + 2);
    a1.append(username).append(":").append(realm).append(":").append(password);
    return DigestMd5Hex(a1);
}

std::string
DigestResponse(std::string_view ha1,
               std::string_view method,
               std::string_view digestUri,
               std::string_view nonce,
               DigestQop qop,
               std::string_view nc,
               std::string_view cnonce)
{
    // RFC 2617 3.2.2.3: A2 = Method ":" digest-uri-value for qop auth or none.
    std::string a2;
    a2.append(method).append(":").append(digestUri);
    std::string ha2 = DigestMd5Hex(a2);
    // RFC 2617 3.2.2.1: KD(H(A1), nonce ":" nc ":" cnonce ":" qop ":" H(A2)),
    // or, without qop (RFC 2069 compatibility), KD(H(A1), nonce ":" H(A2)).
    std::string kd;
    kd.append(ha1).append(":").append(nonce).append(":");
    if (qop == DigestQop::kAuth)
    {
        kd.append(nc).append(":").append(cnonce).append(":auth:");
    }
    kd.append(ha2);
    return DigestMd5Hex(kd);
}

std::string
DigestQuote(std::string_view s)
{
    std::string out;
    out.reserve(s.size() + 2);
    out.push_back('"');
    for (char c : s)
    {
        if (c == '"' || c == '\\')
        {
            out.push_back('\\');
        }
        out.push_back(c);
    }
    out.push_back('"');
    return out;
}

std::string
DigestFormatNc(uint32_t nc)
{
    char buffer[9];
    std::snprintf(buffer, sizeof(buffer), "%08x", nc);
    return buffer;
}

Result<DigestChallenge>
DigestChallenge::Parse(std::string_view value)
{
    auto auth = AuthValue::Parse(value);
    if (!auth)
    {
        return auth.GetError();
    }
    return FromAuthValue(auth.GetValue());
}

Result<DigestChallenge>
DigestChallenge::FromAuthValue(const AuthValue& value)
{
    if (!value.IsDigest())
    {
        return MakeError("challenge scheme '" + std::string(value.GetScheme()) + "' is not Digest");
    }
    if (auto duplicate = FindDuplicate(value))
    {
        return MakeError("duplicate digest parameter '" + *duplicate + "'");
    }
    DigestChallenge c;
    auto realm = value.GetDecoded("realm");
    auto nonce = value.GetDecoded("nonce");
    if (!realm || !nonce)
    {
        return MakeError(!realm ? "challenge without realm" : "challenge without nonce");
    }
    c.realm = std::move(*realm);
    c.nonce = std::move(*nonce);
    c.opaque = value.GetDecoded("opaque");
    if (auto error = CheckAlgorithm(value, c.algorithm))
    {
        return *error;
    }
    if (auto stale = value.GetDecoded("stale"))
    {
        c.stale = text::IEquals(*stale, "true");
    }
    // RFC 2617 3.2.1: qop-options = "qop" "=" <"> 1#qop-value <">.
    if (auto qop = value.GetDecoded("qop"))
    {
        size_t pos = 0;
        while (pos <= qop->size())
        {
            size_t comma = qop->find(',', pos);
            if (comma == std::string::npos)
            {
                comma = qop->size();
            }
            if (text::IEquals(text::Trim(std::string_view(*qop).substr(pos, comma - pos)), "auth"))
            {
                c.qopAuth = true;
            }
            pos = comma + 1;
        }
        if (!c.qopAuth)
        {
            return MakeError("challenge offers no supported qop (\"" + *qop +
                             "\"; only auth is supported)");
        }
    }
    return c;
}

std::string
DigestChallenge::Render() const
{
    std::string out = "Digest realm=" + DigestQuote(realm);
    if (qopAuth)
    {
        out.append(", qop=\"auth\"");
    }
    out.append(", nonce=").append(DigestQuote(nonce));
    if (opaque)
    {
        out.append(", opaque=").append(DigestQuote(*opaque));
    }
    if (stale)
    {
        out.append(", stale=true");
    }
    if (algorithm)
    {
        out.append(", algorithm=MD5");
    }
    return out;
}

Result<DigestCredentials>
DigestCredentials::Parse(std::string_view value)
{
    auto auth = AuthValue::Parse(value);
    if (!auth)
    {
        return auth.GetError();
    }
    return FromAuthValue(auth.GetValue());
}

Result<DigestCredentials>
DigestCredentials::FromAuthValue(const AuthValue& value)
{
    // RFC 3261 22.4: SIP servers MUST NOT accept Basic authentication.
    if (!value.IsDigest())
    {
        return MakeError("credentials scheme '" + std::string(value.GetScheme()) +
                         "' is not Digest");
    }
    if (auto duplicate = FindDuplicate(value))
    {
        return MakeError("duplicate digest parameter '" + *duplicate + "'");
    }
    DigestCredentials c;
    struct Required
    {
        const char* name;
        std::string* out;
    };
    for (const Required& r : {Required{"username", &c.username},
                              Required{"realm", &c.realm},
                              Required{"nonce", &c.nonce},
                              Required{"uri", &c.uri},
                              Required{"response", &c.response}})
    {
        auto v = value.GetDecoded(r.name);
        if (!v)
        {
            return MakeError(std::string("credentials without ") + r.name);
        }
        *r.out = std::move(*v);
    }
    // RFC 2617 3.2.2: request-digest = <"> 32LHEX <">.
    if (!IsHexString(c.response, 32))
    {
        return MakeError("digest response is not 32 hex digits");
    }
    c.response = text::ToLower(c.response);
    c.opaque = value.GetDecoded("opaque");
    if (auto error = CheckAlgorithm(value, c.algorithm))
    {
        return *error;
    }
    auto qop = value.GetDecoded("qop");
    auto nc = value.GetDecoded("nc");
    auto cnonce = value.GetDecoded("cnonce");
    if (!qop)
    {
        // RFC 2617 3.2.2: cnonce and nc MUST NOT be sent without qop.
        if (nc || cnonce)
        {
            return MakeError("nc or cnonce without qop");
        }
        return c;
    }
    if (!text::IEquals(*qop, "auth"))
    {
        return MakeError("unsupported qop '" + *qop + "' (only auth)");
    }
    c.qop = DigestQop::kAuth;
    // RFC 2617 3.2.2: with qop, cnonce and nc MUST be present; nc-value = 8LHEX.
    if (!cnonce || cnonce->empty())
    {
        return MakeError("qop=auth without cnonce");
    }
    if (!nc || !IsHexString(*nc, 8))
    {
        return MakeError("qop=auth without an 8-hex-digit nc");
    }
    c.cnonce = std::move(*cnonce);
    c.ncText = std::move(*nc);
    c.nc = static_cast<uint32_t>(std::stoul(c.ncText, nullptr, 16));
    if (c.nc == 0)
    {
        // The first request under a nonce counts 00000001 (RFC 2617 3.2.2).
        return MakeError("nonce-count 00000000");
    }
    return c;
}

std::string
DigestCredentials::Render() const
{
    std::string out = "Digest username=" + DigestQuote(username);
    out.append(", realm=").append(DigestQuote(realm));
    out.append(", nonce=").append(DigestQuote(nonce));
    out.append(", uri=").append(DigestQuote(uri));
    if (qop == DigestQop::kAuth)
    {
        out.append(", qop=auth, nc=").append(ncText.empty() ? DigestFormatNc(nc) : ncText);
        out.append(", cnonce=").append(DigestQuote(cnonce));
    }
    out.append(", response=").append(DigestQuote(response));
    if (opaque)
    {
        out.append(", opaque=").append(DigestQuote(*opaque));
    }
    if (algorithm)
    {
        out.append(", algorithm=MD5");
    }
    return out;
}

} // namespace sipbed
