#include "models/sip/sip-text.h"


namespace sipbed
{
namespace text
{
namespace
{

int
HexValue(char c)
{
    if (IsDigit(c))
    {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f')
    {
        return c - 'a' + 10;
    }
    return c - 'A' + 10;
}

} // namespace

bool
IEquals(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
    {
        return false;
    }
    if (a == b)
    {
        return true; // same case: one memcmp
    }
    for (size_t i = 0; i < a.size(); ++i)
    {
        char x = a[i];
        char y = b[i];
        if (x >= 'A' && x <= 'Z')
        {
            x = static_cast<char>(x - 'A' + 'a');
        }
        if (y >= 'A' && y <= 'Z')
        {
            y = static_cast<char>(y - 'A' + 'a');
        }
        if (x != y)
        {
            return false;
        }
    }
    return true;
}

std::string
ToLower(std::string_view s)
{
    std::string out(s);
    for (char& c : out)
    {
        if (c >= 'A' && c <= 'Z')
        {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return out;
}

std::string_view
Trim(std::string_view s)
{
    auto isSpace = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    size_t b = 0;
    size_t e = s.size();
    while (b < e && isSpace(s[b]))
    {
        ++b;
    }
    while (e > b && isSpace(s[e - 1]))
    {
        --e;
    }
    return s.substr(b, e - b);
}

bool
ParseUint(std::string_view digits, uint64_t max, uint64_t& out)
{
    if (digits.empty())
    {
        return false;
    }
    uint64_t v = 0;
    for (char c : digits)
    {
        if (!IsDigit(c))
        {
            return false;
        }
        uint64_t d = static_cast<uint64_t>(c - '0');
        if (d > max || v > (max - d) / 10)
        {
            return false; // would exceed max
        }
        v = v * 10 + d;
    }
    out = v;
    return true;
}

std::string
Unescape(std::string_view s)
{
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i)
    {
        if (s[i] == '%' && i + 2 < s.size() && IsHex(s[i + 1]) && IsHex(s[i + 2]))
        {
            out.push_back(static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2])));
            i += 2;
        }
        else
        {
            out.push_back(s[i]);
        }
    }
    return out;
}

bool
EscapesValid(std::string_view s)
{
    for (size_t i = 0; i < s.size(); ++i)
    {
        if (s[i] == '%')
        {
            if (i + 2 >= s.size() || !IsHex(s[i + 1]) || !IsHex(s[i + 2]))
            {
                return false;
            }
            i += 2;
        }
    }
    return true;
}

bool
HasFold(std::string_view s)
{
    return s.find('\n') != std::string_view::npos;
}

std::string
Unfold(std::string_view s)
{
    s = Trim(s);
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size();)
    {
        size_t br = LineBreakAt(s, i);
        if (br > 0)
        {
            // RFC 3261 7.3.1: a fold is equivalent to one SP. Any white space
            // already emitted before the break and after it collapses into it.
            while (!out.empty() && IsWsp(out.back()))
            {
                out.pop_back();
            }
            i += br;
            while (i < s.size() && IsWsp(s[i]))
            {
                ++i;
            }
            out.push_back(' ');
            continue;
        }
        out.push_back(s[i]);
        ++i;
    }
    return out;
}

std::string
Unquote(std::string_view quoted)
{
    std::string out;
    if (quoted.size() < 2)
    {
        return out;
    }
    std::string_view inner = quoted.substr(1, quoted.size() - 2);
    out.reserve(inner.size());
    for (size_t i = 0; i < inner.size(); ++i)
    {
        if (inner[i] == '\\' && i + 1 < inner.size())
        {
            out.push_back(inner[++i]);
            continue;
        }
        size_t br = LineBreakAt(inner, i);
        if (br > 0)
        {
            // A fold inside a quoted string reads as one SP (RFC 3261 7.3.1).
            while (!out.empty() && IsWsp(out.back()))
            {
                out.pop_back();
            }
            i += br;
            while (i < inner.size() && IsWsp(inner[i]))
            {
                ++i;
            }
            out.push_back(' ');
            --i;
            continue;
        }
        out.push_back(inner[i]);
    }
    return out;
}

bool
Scanner::SkipSwsSlow()
{
    size_t start = m_pos;
    for (;;)
    {
        while (m_pos < m_s.size() && IsWsp(m_s[m_pos]))
        {
            ++m_pos;
        }
        size_t br = LineBreakAt(m_s, m_pos);
        if (br > 0 && m_pos + br < m_s.size() && IsWsp(m_s[m_pos + br]))
        {
            m_pos += br;
            continue;
        }
        break;
    }
    return m_pos != start;
}

bool
Scanner::ConsumeSeparator(char c)
{
    size_t save = m_pos;
    SkipSws();
    if (Consume(c))
    {
        SkipSws();
        return true;
    }
    m_pos = save;
    return false;
}

std::string_view
Scanner::ReadToken()
{
    size_t start = m_pos;
    while (m_pos < m_s.size() && IsTokenChar(m_s[m_pos]))
    {
        ++m_pos;
    }
    return m_s.substr(start, m_pos - start);
}

std::string_view
Scanner::ReadWord()
{
    size_t start = m_pos;
    while (m_pos < m_s.size() && IsWordChar(m_s[m_pos]))
    {
        ++m_pos;
    }
    return m_s.substr(start, m_pos - start);
}

std::string_view
Scanner::ReadDigits()
{
    size_t start = m_pos;
    while (m_pos < m_s.size() && IsDigit(m_s[m_pos]))
    {
        ++m_pos;
    }
    return m_s.substr(start, m_pos - start);
}

std::string_view
Scanner::ReadQuotedString(const char*& error)
{
    size_t start = m_pos;
    if (!Consume('"'))
    {
        error = "expected a quoted string";
        return {};
    }
    while (m_pos < m_s.size())
    {
        unsigned char c = static_cast<unsigned char>(m_s[m_pos]);
        if (c == '"')
        {
            ++m_pos;
            return m_s.substr(start, m_pos - start);
        }
        if (c == '\\')
        {
            // quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)
            if (m_pos + 1 >= m_s.size())
            {
                break;
            }
            unsigned char n = static_cast<unsigned char>(m_s[m_pos + 1]);
            if (n == '\r' || n == '\n' || n > 0x7f)
            {
                error = "invalid escape in quoted string";
                m_pos = start;
                return {};
            }
            m_pos += 2;
            continue;
        }
        if (c == '\r' || c == '\n')
        {
            // Only a fold (line break + WSP) is allowed inside qdtext.
            size_t br = LineBreakAt(m_s, m_pos);
            if (br > 0 && m_pos + br < m_s.size() && IsWsp(m_s[m_pos + br]))
            {
                m_pos += br;
                continue;
            }
            break;
        }
        if (c < 0x20 && c != '\t')
        {
            error = "control character in quoted string";
            m_pos = start;
            return {};
        }
        ++m_pos;
    }
    error = "unterminated quoted string";
    m_pos = start;
    return {};
}

} // namespace text
} // namespace sipbed
