#include "models/sip/digest-client.h"

#include <cstdio>

namespace sipbed
{

DigestClient::DigestClient(std::string username, std::string password, DigestRandom random)
    : m_username(std::move(username))
    , m_password(std::move(password))
    , m_random(std::move(random))
{
}

Result<std::string>
DigestClient::Answer(std::string_view challenge, std::string_view method, std::string_view uri)
{
    auto parsed = DigestChallenge::Parse(challenge);
    if (!parsed)
    {
        return parsed.GetError();
    }
    return Answer(parsed.GetValue(), method, uri);
}

Result<std::string>
DigestClient::Answer(const DigestChallenge& challenge,
                     std::string_view method,
                     std::string_view uri)
{
    // A quoted-string cannot carry CR, LF or other controls (RFC 3261 25.1
    // qdtext); refuse rather than write a header the peer must reject.
    for (char c : m_username)
    {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
        {
            return MakeError("user name contains a control character");
        }
    }
    bool sameNonce = m_challenge && m_challenge->nonce == challenge.nonce &&
                     m_challenge->realm == challenge.realm;
    if (!m_challenge || m_challenge->realm != challenge.realm)
    {
        m_ha1 = DigestHa1(m_username, challenge.realm, m_password);
    }
    m_challenge = challenge;
    if (!sameNonce)
    {
        m_nc = 0;
    }
    return MakeCredentials(method, uri);
}

std::optional<std::string>
DigestClient::Authorize(std::string_view method, std::string_view uri)
{
    if (!m_challenge)
    {
        return std::nullopt;
    }
    return MakeCredentials(method, uri);
}

std::string
DigestClient::MakeCredentials(std::string_view method, std::string_view uri)
{
    const DigestChallenge& ch = *m_challenge;
    DigestCredentials c;
    c.username = m_username;
    c.realm = ch.realm;
    c.nonce = ch.nonce;
    c.uri = std::string(uri);
    c.opaque = ch.opaque; // RFC 2617 3.2.2: returned unchanged
    c.algorithm = ch.algorithm;
    // RFC 3261 22.4 item 8: qop offered -> qop sent back.
    c.qop = ch.qopAuth ? DigestQop::kAuth : DigestQop::kNone;
    if (c.qop == DigestQop::kAuth)
    {
        // RFC 2617 3.2.2: nc counts requests under this nonce, from 1; a new
        // cnonce for each request keeps the server from choosing the text
        // that is hashed (3.2.2, cnonce).
        ++m_nc;
        c.nc = m_nc;
        c.ncText = DigestFormatNc(m_nc);
        uint32_t high = m_random(); // two statements: a fixed draw order
        uint32_t low = m_random();
        char cnonce[17];
        std::snprintf(cnonce, sizeof(cnonce), "%08x%08x", high, low);
        c.cnonce = cnonce;
    }
    c.response = DigestResponse(m_ha1, method, c.uri, c.nonce, c.qop, c.ncText, c.cnonce);
    return c.Render();
}

} // namespace sipbed
