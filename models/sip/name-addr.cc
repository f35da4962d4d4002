#include "models/sip/name-addr.h"

namespace sipbed
{
namespace
{

// A bare addr-spec ends where its header parameters or the next list value
// begin (RFC 3261 20: URIs with ',', ';' or '?' must be in < >).
bool
EndsAddrSpec(char c)
{
    return c == ';' || c == ',' || c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool
ValidQValue(std::string_view v)
{
    // qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
    if (v.empty() || (v[0] != '0' && v[0] != '1'))
    {
        return false;
    }
    if (v.size() == 1)
    {
        return true;
    }
    if (v[1] != '.' || v.size() > 5)
    {
        return false;
    }
    for (size_t i = 2; i < v.size(); ++i)
    {
        if (!text::IsDigit(v[i]) || (v[0] == '1' && v[i] != '0'))
        {
            return false;
        }
    }
    return true;
}

} // namespace

Result<NameAddr>
NameAddr::ParseOne(text::Scanner& s)
{
    NameAddr na;
    s.SkipSws();
    const char* error = nullptr;
    if (s.Peek() == '"')
    {
        na.m_display = s.ReadQuotedString(error);
        if (na.m_display.empty())
        {
            return MakeError(error);
        }
        s.SkipSws();
        if (s.Peek() != '<')
        {
            return MakeError("expected '<' after the quoted display name");
        }
    }
    else if (s.Peek() != '<')
    {
        // Either display-name = *(token LWS) before '<', or an addr-spec whose
        // scheme is the first token.
        size_t start = s.Pos();
        std::string_view first = s.ReadToken();
        if (first.empty())
        {
            if (s.AtEnd())
            {
                return MakeError("empty value where an address was expected");
            }
            return MakeError(std::string("unexpected character '") + s.Peek() +
                             "' where an address was expected");
        }
        if (s.Peek() == ':')
        {
            s.SetPos(start);
        }
        else
        {
            size_t end = s.Pos();
            for (;;)
            {
                s.SkipSws();
                if (s.ReadToken().empty())
                {
                    break;
                }
                end = s.Pos();
            }
            if (s.Peek() != '<')
            {
                if (s.AtEnd())
                {
                    return MakeError("display name without an address in < >");
                }
                return MakeError(std::string("invalid character '") + s.Peek() +
                                 "' in display name (a display name with such characters "
                                 "must be quoted)");
            }
            na.m_display = s.Slice(start, end);
        }
    }

    if (s.Consume('<'))
    {
        na.m_bracketed = true;
        size_t start = s.Pos();
        size_t close = s.Input().find('>', start);
        if (close == std::string_view::npos)
        {
            return MakeError("missing '>' after the URI");
        }
        std::string_view uriText = s.Slice(start, close);
        if (!uriText.empty() && (text::IsWsp(uriText.front()) || text::IsWsp(uriText.back()) ||
                                 uriText.front() == '\r' || uriText.back() == '\n'))
        {
            return MakeError("white space between < > and the URI");
        }
        auto uri = SipUri::Parse(uriText, SipUri::Context::kBracketed);
        if (!uri)
        {
            return uri.GetError();
        }
        na.m_uri = uri.GetValue();
        s.SetPos(close + 1);
    }
    else
    {
        size_t start = s.Pos();
        while (!s.AtEnd() && !EndsAddrSpec(s.Peek()))
        {
            s.SetPos(s.Pos() + 1);
        }
        auto uri = SipUri::Parse(s.Slice(start, s.Pos()), SipUri::Context::kAddrSpec);
        if (!uri)
        {
            return uri.GetError();
        }
        na.m_uri = uri.GetValue();
    }

    if (!ParamList::Parse(s, ParamList::Syntax::kHeader, na.m_params, error))
    {
        return MakeError(error);
    }
    return na;
}

namespace
{

template <class T>
Result<T>
ParseWhole(std::string_view value)
{
    text::Scanner s(value);
    auto r = T::ParseOne(s);
    if (!r)
    {
        return r;
    }
    s.SkipSws();
    if (!s.AtEnd())
    {
        return MakeError(std::string("unexpected character '") + s.Peek() + "' after the address");
    }
    return r;
}

} // namespace

Result<NameAddr>
NameAddr::Parse(std::string_view value)
{
    return ParseWhole<NameAddr>(value);
}

std::string
NameAddr::GetDisplayName() const
{
    if (!m_display.empty() && m_display.front() == '"')
    {
        return text::Unquote(m_display);
    }
    return text::Unfold(m_display);
}

void
NameAddr::Render(std::string& out) const
{
    if (!m_display.empty())
    {
        out.append(text::HasFold(m_display) || m_display.front() != '"'
                       ? text::Unfold(m_display)
                       : std::string(m_display));
        out.push_back(' ');
    }
    out.push_back('<');
    out.append(m_uri.GetRaw());
    out.push_back('>');
    m_params.Render(out);
}

Result<ContactValue>
ContactValue::ParseOne(text::Scanner& s)
{
    ContactValue c;
    s.SkipSws();
    if (s.Peek() == '*')
    {
        s.Consume('*');
        c.m_star = true;
        return c;
    }
    auto na = NameAddr::ParseOne(s);
    if (!na)
    {
        return na.GetError();
    }
    c.m_addr = na.GetValue();
    // contact-params: c-p-q / c-p-expires are typed; the rest are generic.
    const char* bad = nullptr;
    c.m_addr.GetParams().ForEach([&](const Param& p) {
        uint64_t v = 0;
        if (text::IEquals(p.name, "expires") && !text::ParseUint(p.value, 0xffffffffULL, v))
        {
            bad = "Contact expires parameter is not a delta-seconds value below 2^32";
        }
        else if (text::IEquals(p.name, "q") && !ValidQValue(p.value))
        {
            bad = "Contact q parameter is not a qvalue between 0 and 1";
        }
        return bad == nullptr;
    });
    if (bad)
    {
        return MakeError(bad);
    }
    return c;
}

std::optional<uint32_t>
ContactValue::GetExpires() const
{
    auto e = GetParams().Get("expires");
    uint64_t v = 0;
    if (!e || !text::ParseUint(*e, 0xffffffffULL, v))
    {
        return std::nullopt;
    }
    return static_cast<uint32_t>(v);
}

std::optional<double>
ContactValue::GetQ() const
{
    auto q = GetParams().Get("q");
    if (!q)
    {
        return std::nullopt;
    }
    // qvalue: "0"/"1" optionally followed by up to three decimals (checked at
    // parse time); read it digit by digit, independent of the C locale.
    double v = (*q)[0] == '1' ? 1.0 : 0.0;
    double scale = 0.1;
    for (size_t i = 2; i < q->size(); ++i, scale /= 10)
    {
        v += ((*q)[i] - '0') * scale;
    }
    return v;
}

std::optional<std::string>
ContactValue::GetInstance() const
{
    auto v = GetParams().GetDecoded("+sip.instance");
    if (!v)
    {
        return std::nullopt;
    }
    std::string s = *v;
    // GRUU draft: +sip.instance="<urn:uuid:...>"
    if (s.size() >= 2 && s.front() == '<' && s.back() == '>')
    {
        s = s.substr(1, s.size() - 2);
    }
    return s;
}

void
ContactValue::Render(std::string& out) const
{
    if (m_star)
    {
        out.push_back('*');
        return;
    }
    m_addr.Render(out);
}

} // namespace sipbed
