#include "models/sip/via.h"

namespace sipbed
{
namespace
{

bool
IsHostChar(char c)
{
    return text::IsAlphaNum(c) || c == '-' || c == '.' || c == '_';
}

bool
ValidIpAddress(std::string_view v)
{
    // received = IPv4address / IPv6address (RFC 3261 20.42); an IPv6 reference in
    // brackets is tolerated, as several stacks write one.
    if (v.empty())
    {
        return false;
    }
    bool colon = v.find(':') != std::string_view::npos;
    for (char c : v)
    {
        bool ok = colon ? (text::IsHex(c) || c == ':' || c == '.' || c == '[' || c == ']')
                        : (text::IsDigit(c) || c == '.');
        if (!ok)
        {
            return false;
        }
    }
    if (!colon)
    {
        int dots = 0;
        size_t start = 0;
        for (size_t i = 0; i <= v.size(); ++i)
        {
            if (i == v.size() || v[i] == '.')
            {
                uint64_t octet = 0;
                if (!text::ParseUint(v.substr(start, i - start), 255, octet))
                {
                    return false;
                }
                if (i < v.size())
                {
                    ++dots;
                }
                start = i + 1;
            }
        }
        return dots == 3;
    }
    return true;
}

} // namespace

Result<Via>
Via::ParseOne(text::Scanner& s)
{
    Via v;
    s.SkipSws();
    v.m_protocolName = s.ReadToken();
    if (v.m_protocolName.empty())
    {
        return MakeError("Via must start with a protocol name (SIP/2.0/transport)");
    }
    if (!s.ConsumeSeparator('/'))
    {
        return MakeError("expected '/' after the Via protocol name");
    }
    v.m_protocolVersion = s.ReadToken();
    if (v.m_protocolVersion.empty() || !s.ConsumeSeparator('/'))
    {
        return MakeError("malformed Via protocol version");
    }
    v.m_transport = s.ReadToken();
    if (v.m_transport.empty())
    {
        return MakeError("missing Via transport");
    }
    if (!s.SkipSws())
    {
        return MakeError("expected white space between the Via transport and sent-by");
    }
    size_t hs = s.Pos();
    if (s.Peek() == '[')
    {
        size_t close = s.Input().find(']', hs);
        if (close == std::string_view::npos)
        {
            return MakeError("unterminated IPv6 reference in Via sent-by");
        }
        for (size_t i = hs + 1; i < close; ++i)
        {
            char c = s.Input()[i];
            if (!text::IsHex(c) && c != ':' && c != '.')
            {
                return MakeError("invalid IPv6 reference in Via sent-by");
            }
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
    v.m_host = s.Slice(hs, s.Pos());
    if (v.m_host.empty())
    {
        return MakeError("missing Via sent-by host");
    }
    if (s.ConsumeSeparator(':'))
    {
        uint64_t port = 0;
        if (!text::ParseUint(s.ReadDigits(), 65535, port))
        {
            return MakeError("invalid Via sent-by port");
        }
        v.m_port = static_cast<int>(port);
    }
    const char* error = nullptr;
    if (!ParamList::Parse(s, ParamList::Syntax::kHeader, v.m_params, error))
    {
        return MakeError(std::string("Via parameter: ") + error);
    }
    // via-params with a defined syntax (RFC 3261 20.42, RFC 3581).
    std::optional<ParseError> bad;
    v.m_params.ForEach([&](const Param& p) {
        uint64_t n = 0;
        if (text::IEquals(p.name, "ttl") && !text::ParseUint(p.value, 255, n))
        {
            bad = MakeError("Via ttl is not a number from 0 to 255");
        }
        else if (text::IEquals(p.name, "received") && !ValidIpAddress(p.value))
        {
            bad = MakeError("Via received is not an IP address");
        }
        else if (text::IEquals(p.name, "rport") && p.hasValue &&
                 !text::ParseUint(p.value, 65535, n))
        {
            bad = MakeError("Via rport is not a port number");
        }
        else if (text::IEquals(p.name, "branch") && (!p.hasValue || p.value.front() == '"'))
        {
            bad = MakeError("Via branch must be a token");
        }
        return !bad;
    });
    if (bad)
    {
        return *bad;
    }
    return v;
}

bool
Via::HasRfc3261Branch() const
{
    auto b = GetBranch();
    return b && b->size() > kBranchMagicCookie.size() &&
           b->substr(0, kBranchMagicCookie.size()) == kBranchMagicCookie;
}

std::optional<int>
Via::GetRport() const
{
    auto r = m_params.Get("rport");
    uint64_t n = 0;
    if (!r || !text::ParseUint(*r, 65535, n))
    {
        return std::nullopt;
    }
    return static_cast<int>(n);
}

void
Via::Render(std::string& out) const
{
    out.append(m_protocolName);
    out.push_back('/');
    out.append(m_protocolVersion);
    out.push_back('/');
    out.append(m_transport);
    out.push_back(' ');
    out.append(m_host);
    if (m_port >= 0)
    {
        out.push_back(':');
        out.append(std::to_string(m_port));
    }
    m_params.Render(out);
}

} // namespace sipbed
