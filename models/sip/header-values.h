// Typed views of the smaller header values sipbed reads: CSeq, Content-Type,
// Retry-After, authentication challenges and credentials, token-with-params
// values (Event, Subscription-State, Refer-Sub, Target-Dialog), Identity-Info,
// option-tag lists, Call-ID, Date and Identity. Each Parse checks the value
// against its grammar; the result holds views into the value text.
#ifndef SIPBED_HEADER_VALUES_H
#define SIPBED_HEADER_VALUES_H

#include "models/sip/param-list.h"
#include "models/sip/parse-error.h"
#include "models/sip/sip-uri.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sipbed
{

/// CSeq = 1*DIGIT LWS Method (RFC 3261 20.16); the number fits 32 bits.
struct CSeqValue
{
    uint32_t seq = 0;
    std::string_view method;

    static Result<CSeqValue> Parse(std::string_view value);
    void Render(std::string& out) const;
};

/// media-type = m-type SLASH m-subtype *(SEMI m-parameter) (RFC 3261 20.15).
struct MediaType
{
    std::string_view type;
    std::string_view subtype;
    ParamList params;

    /// Parses one media type at the scanner (stops before ',' or the end).
    static Result<MediaType> ParseOne(text::Scanner& s);
    static Result<MediaType> Parse(std::string_view value);
    /// Case-insensitive comparison of type and subtype.
    bool Is(std::string_view t, std::string_view st) const;
    void Render(std::string& out) const;
};

/// Retry-After = delta-seconds [ comment ] *( SEMI retry-param ) (RFC 3261 20.33).
struct RetryAfterValue
{
    uint32_t seconds = 0;
    std::string_view comment; ///< as received, with its parentheses; empty if none
    ParamList params;

    static Result<RetryAfterValue> Parse(std::string_view value);
    /// The comment as one line: each fold read as one SP (RFC 3261 7.3.1).
    std::string GetComment() const
    {
        return text::Unfold(comment);
    }
    std::optional<uint32_t> GetDuration() const;
    void Render(std::string& out) const;
};

/// A challenge (WWW-/Proxy-Authenticate) or credentials (Authorization,
/// Proxy-Authorization): auth-scheme LWS auth-param *(COMMA auth-param)
/// (RFC 3261 25.1, RFC 2617). Any scheme parses; Digest is the one used.
class AuthValue
{
  public:
    static Result<AuthValue> Parse(std::string_view value);

    std::string_view GetScheme() const
    {
        return m_scheme;
    }

    bool IsDigest() const
    {
        return text::IEquals(m_scheme, "Digest");
    }

    /// Raw value of the auth-param `name` (quotes kept), case-insensitive name.
    std::optional<std::string_view> Get(std::string_view name) const;

    /// Value with quotes removed and escapes decoded.
    std::optional<std::string> GetDecoded(std::string_view name) const;

    /// Calls f(name, rawValue) for each auth-param until f returns false.
    template <class F>
    void ForEach(F f) const
    {
        text::Scanner s(m_params);
        std::string_view name;
        std::string_view value;
        bool first = true;
        while (Next(s, first, name, value))
        {
            first = false;
            if (!f(name, value))
            {
                return;
            }
        }
    }

    void Render(std::string& out) const;

  private:
    static bool Next(text::Scanner& s, bool first, std::string_view& name, std::string_view& value);

    std::string_view m_scheme;
    std::string_view m_params;
};

/// token *(SEMI generic-param): Event (event-type may contain '.'),
/// Subscription-State, Refer-Sub ("true"/"false"), SIP-ETag / SIP-If-Match
/// (entity-tag without params), Target-Dialog (a Call-ID, then local-tag
/// and remote-tag).
struct TokenParamsValue
{
    std::string_view value;
    ParamList params;

    /// `word` = true reads a Call-ID (word ["@" word]) instead of a token.
    static Result<TokenParamsValue> Parse(std::string_view value, bool word = false);
    void Render(std::string& out) const;
};

/// Identity-Info = LAQUOT absoluteURI RAQUOT *( SEMI ident-info-params ),
/// with alg=rsa-sha1 (SIP Identity, RFC 4474 9.2 / certs draft).
struct IdentityInfoValue
{
    SipUri uri;
    ParamList params;

    static Result<IdentityInfoValue> Parse(std::string_view value);
    std::optional<std::string_view> GetAlg() const
    {
        return params.Get("alg");
    }
    void Render(std::string& out) const;
};

/// Call-ID = word [ "@" word ] (RFC 3261 20.8).
bool IsValidCallId(std::string_view value);

/// One option-tag (token) of Require, Supported, Unsupported, Proxy-Require.
bool IsValidOptionTag(std::string_view value);

/// rfc1123-date = wkday "," SP date1 SP time SP "GMT" (RFC 3261 20.17).
/// Seconds since 1970-01-01T00:00:00Z, or nullopt when the value does not
/// follow the grammar (a proxy forwards such a Date unchanged; RFC 4475 3.1.2.12).
std::optional<int64_t> ParseSipDate(std::string_view value);

/// Formats seconds since the epoch as an rfc1123-date.
std::string FormatSipDate(int64_t epochSeconds);

/// The signature in an Identity header: quotes, folds and white space
/// removed (the drafts print it quoted, some peers unquoted).
std::string GetIdentitySignature(std::string_view value);

} // namespace sipbed

#endif
