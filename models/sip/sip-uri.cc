#include "models/sip/sip-uri.h"

namespace sipbed
{
namespace
{

bool
IsSchemeChar(char c)
{
    return text::IsAlphaNum(c) || c == '+' || c == '-' || c == '.';
}

bool
IsUserChar(char c)
{
    return text::IsUnreserved(c) || text::IsUserUnreserved(c) || c == '%';
}

bool
IsPasswordChar(char c)
{
    return text::IsUnreserved(c) || text::IsPasswordChar(c) || c == '%';
}

bool
IsHostChar(char c)
{
    // hostname = *( domainlabel "." ) toplabel; IPv4address. '_' is not in
    // the grammar but appears in deployed host names; accepting it costs nothing.
    return text::IsAlphaNum(c) || c == '-' || c == '.' || c == '_';
}

bool
IsHeaderChar(char c)
{
    return text::IsUnreserved(c) || text::IsHnvUnreserved(c) || c == '%';
}

bool
IsUricChar(char c)
{
    return text::IsReserved(c) || text::IsUnreserved(c) || c == '%';
}

bool
IsTelChar(char c)
{
    // RFC 3966: digits, visual separators, '+', and local-number hex digits, * and #.
    return text::IsHex(c) || c == '+' || c == '-' || c == '.' || c == '(' || c == ')' ||
           c == '*' || c == '#';
}

ParseError
UriError(std::string reason)
{
    return MakeError("invalid URI: " + reason);
}

} // namespace

Result<SipUri>
SipUri::Parse(std::string_view text, Context context)
{
    SipUri u;
    u.m_raw = text;
    if (text.empty())
    {
        return UriError("empty");
    }
    if (text.front() == '<')
    {
        return MakeError(context == Context::kRequestUri
                             ? "Request-URI must not be enclosed in < >"
                             : "unexpected '<' in URI");
    }
    size_t colon = 0;
    while (colon < text.size() && IsSchemeChar(text[colon]))
    {
        ++colon;
    }
    if (colon == 0 || colon >= text.size() || text[colon] != ':' || !text::IsAlpha(text[0]))
    {
        return UriError("missing or malformed scheme in '" + std::string(text.substr(0, 64)) + "'");
    }
    u.m_schemeText = text.substr(0, colon);
    std::string_view rest = text.substr(colon + 1);
    if (text::IEquals(u.m_schemeText, "sip") || text::IEquals(u.m_schemeText, "sips"))
    {
        u.m_scheme = text::IEquals(u.m_schemeText, "sip") ? Scheme::kSip : Scheme::kSips;
        return u.ParseSip(rest, context);
    }
    if (text::IEquals(u.m_schemeText, "tel"))
    {
        u.m_scheme = Scheme::kTel;
        if (context == Context::kAddrSpec && rest.find(';') != std::string_view::npos)
        {
            // Not reachable from the header parser (it stops a bare URI at ';').
            return UriError("tel URI parameters need < >");
        }
        return u.ParseTel(rest);
    }
    u.m_scheme = Scheme::kOther;
    if (rest.empty())
    {
        return UriError("nothing after the scheme");
    }
    for (char c : rest)
    {
        if (!IsUricChar(c))
        {
            return UriError(std::string("invalid character '") + c + "'");
        }
    }
    if (!text::EscapesValid(rest))
    {
        return UriError("invalid % escape");
    }
    u.m_opaque = rest;
    return u;
}

Result<SipUri>
SipUri::ParseSip(std::string_view rest, Context context)
{
    // userinfo ends at the first '@': no '@' may appear unescaped in the
    // user, password, parameters or headers (19.1.1 grammar).
    size_t at = rest.find('@');
    std::string_view hostpart = rest;
    if (at != std::string_view::npos)
    {
        std::string_view userinfo = rest.substr(0, at);
        size_t pc = userinfo.find(':');
        m_user = userinfo.substr(0, pc);
        if (pc != std::string_view::npos)
        {
            m_hasPassword = true;
            m_password = userinfo.substr(pc + 1);
        }
        if (m_user.empty())
        {
            return UriError("empty user part before '@'");
        }
        for (char c : m_user)
        {
            if (!IsUserChar(c))
            {
                return UriError(std::string("invalid character '") + c + "' in user part");
            }
        }
        for (char c : m_password)
        {
            if (!IsPasswordChar(c))
            {
                return UriError(std::string("invalid character '") + c + "' in password");
            }
        }
        if (!text::EscapesValid(m_user) || !text::EscapesValid(m_password))
        {
            return UriError("invalid % escape in user part");
        }
        hostpart = rest.substr(at + 1);
    }

    text::Scanner s(hostpart);
    if (s.Peek() == '[')
    {
        size_t close = hostpart.find(']');
        if (close == std::string_view::npos)
        {
            return UriError("unterminated IPv6 reference");
        }
        for (size_t i = 1; i < close; ++i)
        {
            char c = hostpart[i];
            if (!text::IsHex(c) && c != ':' && c != '.')
            {
                return UriError("invalid IPv6 reference");
            }
        }
        if (close < 3)
        {
            return UriError("invalid IPv6 reference");
        }
        s.SetPos(close + 1);
    }
    else
    {
        while (!s.AtEnd() && IsHostChar(s.Peek()))
        {
            s.SetPos(s.Pos() + 1);
        }
    }
    m_host = s.Slice(0, s.Pos());
    if (m_host.empty())
    {
        return UriError("missing host");
    }
    if (s.Consume(':'))
    {
        std::string_view digits = s.ReadDigits();
        uint64_t port = 0;
        if (!text::ParseUint(digits, 65535, port))
        {
            return UriError("invalid port");
        }
        m_port = static_cast<int>(port);
    }
    const char* error = nullptr;
    if (!ParamList::Parse(s, ParamList::Syntax::kUri, m_params, error))
    {
        return UriError(error);
    }
    if (context == Context::kAddrSpec && !m_params.Empty())
    {
        return UriError("URI parameters in a bare addr-spec (use < >)");
    }
    if (s.Consume('?'))
    {
        if (context == Context::kRequestUri)
        {
            // RFC 3261 19.1.1 table: headers are not allowed in a Request-URI.
            return MakeError("header part ('?') not allowed in a SIP Request-URI");
        }
        if (context == Context::kAddrSpec)
        {
            return UriError("URI headers ('?') in a bare addr-spec (use < >)");
        }
        m_headers = s.Rest();
        if (m_headers.empty())
        {
            return UriError("empty header part after '?'");
        }
        for (char c : m_headers)
        {
            if (!IsHeaderChar(c) && c != '=' && c != '&')
            {
                return UriError(std::string("invalid character '") + c + "' in URI headers");
            }
        }
        if (!text::EscapesValid(m_headers))
        {
            return UriError("invalid % escape in URI headers");
        }
        s.SetPos(hostpart.size());
    }
    if (!s.AtEnd())
    {
        char c = s.Peek();
        if (text::IsWsp(c) || c == '\r' || c == '\n')
        {
            return UriError("white space inside the URI");
        }
        return UriError(std::string("unexpected character '") + c + "' after host");
    }
    return *this;
}

Result<SipUri>
SipUri::ParseTel(std::string_view rest)
{
    text::Scanner s(rest);
    while (!s.AtEnd() && IsTelChar(s.Peek()))
    {
        s.SetPos(s.Pos() + 1);
    }
    m_user = s.Slice(0, s.Pos());
    if (m_user.empty())
    {
        return UriError("tel URI without a number");
    }
    const char* error = nullptr;
    if (!ParamList::Parse(s, ParamList::Syntax::kUri, m_params, error))
    {
        return UriError(error);
    }
    if (!s.AtEnd())
    {
        return UriError(std::string("unexpected character '") + s.Peek() + "' in tel URI");
    }
    return *this;
}

} // namespace sipbed
