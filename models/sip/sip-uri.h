// SIP, SIPS and tel URIs (RFC 3261 19.1, RFC 3966) and any other absolute
// URI (RFC 2396 absoluteURI, kept opaque). A SipUri is a set of views into
// the text it was parsed from.
#ifndef SIPBED_SIP_URI_H
#define SIPBED_SIP_URI_H

#include "models/sip/param-list.h"
#include "models/sip/parse-error.h"

#include <string>
#include <string_view>

namespace sipbed
{

class SipUri
{
  public:
    enum class Scheme
    {
        kSip,
        kSips,
        kTel,
        kOther, ///< any other absolute URI: only the scheme is interpreted
    };

    /// Where the URI stands decides what it may contain.
    enum class Context
    {
        kRequestUri, ///< Request-Line: a SIP/SIPS URI must not carry headers (19.1.1)
        kBracketed,  ///< between < and > in a name-addr: parameters and headers allowed
        kAddrSpec,   ///< bare addr-spec in a header: no ';' parameters, no '?' headers
    };

    SipUri() = default;

    /// Parses exactly `text` (no surrounding white space).
    static Result<SipUri> Parse(std::string_view text, Context context);

    Scheme GetScheme() const
    {
        return m_scheme;
    }

    bool IsSipOrSips() const
    {
        return m_scheme == Scheme::kSip || m_scheme == Scheme::kSips;
    }

    /// Scheme as written ("sip", "SIPS", "tel", "isbn").
    std::string_view GetSchemeText() const
    {
        return m_schemeText;
    }

    /// user part as written (escapes kept); for tel, the subscriber number.
    std::string_view GetUser() const
    {
        return m_user;
    }

    std::string GetUserUnescaped() const
    {
        return text::Unescape(m_user);
    }

    bool HasPassword() const
    {
        return m_hasPassword;
    }

    std::string_view GetPassword() const
    {
        return m_password;
    }

    /// Host as written; an IPv6 reference keeps its brackets.
    std::string_view GetHost() const
    {
        return m_host;
    }

    /// Port, or -1 when absent.
    int GetPort() const
    {
        return m_port;
    }

    const ParamList& GetParams() const
    {
        return m_params;
    }

    /// Header part after '?', escapes kept; empty when absent.
    std::string_view GetHeaders() const
    {
        return m_headers;
    }

    /// Everything after "scheme:" for Scheme::kOther.
    std::string_view GetOpaque() const
    {
        return m_opaque;
    }

    /// The whole URI as written. URIs contain no white space, so this is
    /// also their canonical form.
    std::string_view GetRaw() const
    {
        return m_raw;
    }

  private:
    Result<SipUri> ParseSip(std::string_view rest, Context context);
    Result<SipUri> ParseTel(std::string_view rest);

    std::string_view m_raw;
    Scheme m_scheme = Scheme::kOther;
    std::string_view m_schemeText;
    std::string_view m_user;
    std::string_view m_password;
    bool m_hasPassword = false;
    std::string_view m_host;
    int m_port = -1;
    ParamList m_params;
    std::string_view m_headers;
    std::string_view m_opaque;
};

} // namespace sipbed

#endif
