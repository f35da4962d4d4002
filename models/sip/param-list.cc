#include "models/sip/param-list.h"

namespace sipbed
{
namespace
{

bool
IsUriParamChar(char c)
{
    // paramchar = param-unreserved / unreserved / escaped ('%' checked apart)
    return text::IsUnreserved(c) || text::IsParamUnreserved(c) || c == '%';
}

// gen-value = token / host / quoted-string. host adds ':' '[' ']' for IPv6
// addresses, which appear unbracketed in Via received (RFC 3261 20.42).
bool
IsGenValueChar(char c)
{
    return text::IsTokenChar(c) || c == ':' || c == '[' || c == ']';
}

// Reads one "name[=value]" after the ';' has been consumed.
bool
ReadOne(text::Scanner& s, ParamList::Syntax syntax, Param& p, const char*& error)
{
    p = Param();
    if (syntax == ParamList::Syntax::kUri)
    {
        size_t start = s.Pos();
        while (!s.AtEnd() && IsUriParamChar(s.Peek()))
        {
            s.SetPos(s.Pos() + 1);
        }
        p.name = s.Slice(start, s.Pos());
        if (p.name.empty())
        {
            error = "empty URI parameter";
            return false;
        }
        if (s.Consume('='))
        {
            size_t vs = s.Pos();
            while (!s.AtEnd() && IsUriParamChar(s.Peek()))
            {
                s.SetPos(s.Pos() + 1);
            }
            p.value = s.Slice(vs, s.Pos());
            p.hasValue = true;
            if (p.value.empty())
            {
                error = "empty URI parameter value";
                return false;
            }
        }
        if (!text::EscapesValid(p.name) || !text::EscapesValid(p.value))
        {
            error = "invalid % escape in URI parameter";
            return false;
        }
        return true;
    }

    p.name = s.ReadToken();
    if (p.name.empty())
    {
        error = "empty or invalid parameter name";
        return false;
    }
    if (s.ConsumeSeparator('='))
    {
        p.hasValue = true;
        if (s.Peek() == '"')
        {
            p.value = s.ReadQuotedString(error);
            if (p.value.empty())
            {
                return false;
            }
        }
        else
        {
            size_t vs = s.Pos();
            while (!s.AtEnd() && IsGenValueChar(s.Peek()))
            {
                s.SetPos(s.Pos() + 1);
            }
            p.value = s.Slice(vs, s.Pos());
            if (p.value.empty())
            {
                error = "missing parameter value after '='";
                return false;
            }
        }
    }
    return true;
}

} // namespace

bool
ParamList::Parse(text::Scanner& s, Syntax syntax, ParamList& out, const char*& error)
{
    out = ParamList();
    out.m_syntax = syntax;
    size_t start = s.Pos();
    size_t end = start;
    for (;;)
    {
        size_t save = s.Pos();
        bool semi = syntax == Syntax::kUri ? s.Consume(';') : s.ConsumeSeparator(';');
        if (!semi)
        {
            s.SetPos(save);
            break;
        }
        Param p;
        if (!ReadOne(s, syntax, p, error))
        {
            return false;
        }
        end = s.Pos();
    }
    // Start the view at the first ';' so that leading SWS is not part of it.
    text::Scanner probe(s.Slice(start, end));
    probe.SkipSws();
    out.m_raw = s.Slice(start + probe.Pos(), end);
    s.SetPos(end);
    return true;
}

bool
ParamList::Next(text::Scanner& s, Param& p) const
{
    bool semi = m_syntax == Syntax::kUri ? s.Consume(';') : s.ConsumeSeparator(';');
    if (!semi)
    {
        return false;
    }
    const char* error = nullptr;
    return ReadOne(s, m_syntax, p, error);
}

std::optional<std::string_view>
ParamList::Get(std::string_view name) const
{
    std::optional<std::string_view> found;
    ForEach([&](const Param& p) {
        // In a URI, %HH of an unreserved character equals the character
        // itself (RFC 3261 19.1.4): ";%6C%72" is ";lr".
        bool match = text::IEquals(p.name, name) ||
                     (m_syntax == Syntax::kUri && p.name.find('%') != std::string_view::npos &&
                      text::IEquals(text::Unescape(p.name), name));
        if (match)
        {
            found = p.value;
            return false;
        }
        return true;
    });
    return found;
}

std::optional<std::string>
ParamList::GetDecoded(std::string_view name) const
{
    auto v = Get(name);
    if (!v)
    {
        return std::nullopt;
    }
    if (m_syntax == Syntax::kUri)
    {
        return text::Unescape(*v);
    }
    if (!v->empty() && v->front() == '"')
    {
        return text::Unquote(*v);
    }
    return std::string(*v);
}

std::vector<Param>
ParamList::ToVector() const
{
    std::vector<Param> out;
    ForEach([&](const Param& p) {
        out.push_back(p);
        return true;
    });
    return out;
}

size_t
ParamList::Size() const
{
    size_t n = 0;
    ForEach([&](const Param&) {
        ++n;
        return true;
    });
    return n;
}

void
ParamList::Render(std::string& out) const
{
    ForEach([&](const Param& p) {
        out.push_back(';');
        out.append(p.name);
        if (p.hasValue)
        {
            out.push_back('=');
            // A quoted value may contain a fold; the canonical form has none.
            if (text::HasFold(p.value))
            {
                out.append(text::Unfold(p.value));
            }
            else
            {
                out.append(p.value);
            }
        }
        return true;
    });
}

} // namespace sipbed
