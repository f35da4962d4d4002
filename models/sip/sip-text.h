// Lexical layer of the SIP grammar (RFC 3261 section 25.1): character classes,
// linear white space, tokens, quoted strings, bounded integers.
//
// Written by hand because no maintained C++ library parses SIP; every function
// works on std::string_view and never allocates, so header values can stay
// views into the received buffer.
#ifndef SIPBED_SIP_TEXT_H
#define SIPBED_SIP_TEXT_H

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace sipbed
{
namespace text
{

inline bool
IsAlpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

inline bool
IsDigit(char c)
{
    return c >= '0' && c <= '9';
}

inline bool
IsAlphaNum(char c)
{
    return IsAlpha(c) || IsDigit(c);
}

inline bool
IsHex(char c)
{
    return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/// WSP: SP / HTAB.
inline bool
IsWsp(char c)
{
    return c == ' ' || c == '\t';
}

namespace detail
{
enum CharClass : uint16_t
{
    kToken = 1 << 0,           ///< alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~"
    kWord = 1 << 1,            ///< token plus ( ) < > : \ DQUOTE / [ ] ? { }  (Call-ID)
    kUnreserved = 1 << 2,      ///< alphanum / mark; mark = - _ . ! ~ * ' ( )
    kUserUnreserved = 1 << 3,  ///< & = + $ , ; ? /
    kPassword = 1 << 4,        ///< & = + $ ,  (besides unreserved and escaped)
    kParamUnreserved = 1 << 5, ///< [ ] / : & + $  (URI parameters)
    kHnvUnreserved = 1 << 6,   ///< [ ] / ? : + $  (URI headers)
    kReserved = 1 << 7,        ///< ; / ? : @ & = + $ ,
};

constexpr void
AddClass(std::array<uint16_t, 256>& t, const char* chars, uint16_t cls)
{
    for (const char* p = chars; *p; ++p)
    {
        t[static_cast<unsigned char>(*p)] |= cls;
    }
}

// One table for all classes of RFC 3261 25.1, computed at compile time.
constexpr std::array<uint16_t, 256>
MakeClassTable()
{
    std::array<uint16_t, 256> t{};
    for (int c = 0; c < 256; ++c)
    {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        {
            t[c] |= kToken | kWord | kUnreserved;
        }
    }
    AddClass(t, "-.!%*_+`'~", kToken | kWord);
    AddClass(t, "()<>:\\\"/[]?{}", kWord);
    AddClass(t, "-_.!~*'()", kUnreserved);
    AddClass(t, "&=+$,;?/", kUserUnreserved);
    AddClass(t, "&=+$,", kPassword);
    AddClass(t, "[]/:&+$", kParamUnreserved);
    AddClass(t, "[]/?:+$", kHnvUnreserved);
    AddClass(t, ";/?:@&=+$,", kReserved);
    return t;
}

inline constexpr std::array<uint16_t, 256> kClassTable = MakeClassTable();

inline bool
Has(char c, uint16_t cls)
{
    return (kClassTable[static_cast<unsigned char>(c)] & cls) != 0;
}
} // namespace detail

inline bool
IsTokenChar(char c)
{
    return detail::Has(c, detail::kToken);
}

inline bool
IsWordChar(char c)
{
    return detail::Has(c, detail::kWord);
}

inline bool
IsUnreserved(char c)
{
    return detail::Has(c, detail::kUnreserved);
}

inline bool
IsUserUnreserved(char c)
{
    return detail::Has(c, detail::kUserUnreserved);
}

inline bool
IsPasswordChar(char c)
{
    return detail::Has(c, detail::kPassword);
}

inline bool
IsParamUnreserved(char c)
{
    return detail::Has(c, detail::kParamUnreserved);
}

inline bool
IsHnvUnreserved(char c)
{
    return detail::Has(c, detail::kHnvUnreserved);
}

inline bool
IsReserved(char c)
{
    return detail::Has(c, detail::kReserved);
}

/// Length of the line break at s[i] ("\r\n" or a bare "\n"), 0 if none.
inline size_t
LineBreakAt(std::string_view s, size_t i)
{
    if (i < s.size() && s[i] == '\n')
    {
        return 1;
    }
    if (i + 1 < s.size() && s[i] == '\r' && s[i + 1] == '\n')
    {
        return 2;
    }
    return 0;
}

/// Case-insensitive ASCII comparison.
bool IEquals(std::string_view a, std::string_view b);

/// Lower-cased copy (ASCII).
std::string ToLower(std::string_view s);

/// Strips SP, HTAB, CR and LF at both ends.
std::string_view Trim(std::string_view s);

/// Parses 1*DIGIT into out; fails on empty input, a non-digit or a value above max.
bool ParseUint(std::string_view digits, uint64_t max, uint64_t& out);

/// Decodes %HH escapes; a '%' not followed by two hex digits stays literal.
std::string Unescape(std::string_view s);

/// True when every '%' in s starts a valid %HH escape.
bool EscapesValid(std::string_view s);

/// Replaces every line fold (CRLF or LF followed by SP/HTAB) with one SP and trims
/// the ends: the value as a single line (RFC 3261 7.3.1).
std::string Unfold(std::string_view s);

/// True when s contains a line fold.
bool HasFold(std::string_view s);

/// Contents of a quoted-string without the quotes, quoted-pairs decoded.
/// Input must be a valid quoted-string (as returned by Scanner::ReadQuotedString).
std::string Unquote(std::string_view quoted);

/// Cursor over a header value. SWS (optional linear white space, including
/// line folds) is skipped explicitly by the caller, as in the grammar.
class Scanner
{
  public:
    explicit Scanner(std::string_view s)
        : m_s(s)
    {
    }

    bool AtEnd() const
    {
        return m_pos >= m_s.size();
    }

    char Peek() const
    {
        return AtEnd() ? '\0' : m_s[m_pos];
    }

    size_t Pos() const
    {
        return m_pos;
    }

    void SetPos(size_t p)
    {
        m_pos = p;
    }

    std::string_view Input() const
    {
        return m_s;
    }

    std::string_view Rest() const
    {
        return m_s.substr(m_pos);
    }

    std::string_view Slice(size_t from, size_t to) const
    {
        return m_s.substr(from, to - from);
    }

    /// Skips SWS = [LWS]; LWS = [*WSP CRLF] 1*WSP. A CRLF not followed by WSP
    /// is not white space and stays. Returns true when anything was skipped.
    bool SkipSws()
    {
        if (m_pos >= m_s.size())
        {
            return false;
        }
        char c = m_s[m_pos];
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
        {
            return false; // the common case: nothing to skip
        }
        return SkipSwsSlow();
    }

    /// Consumes c if it is next.
    bool Consume(char c)
    {
        if (Peek() == c && !AtEnd())
        {
            ++m_pos;
            return true;
        }
        return false;
    }

    /// SWS c SWS, as the grammar's SEMI, COMMA, EQUAL, SLASH, COLON.
    bool ConsumeSeparator(char c);

    /// 1*token-char; empty when none.
    std::string_view ReadToken();

    /// 1*word-char; empty when none.
    std::string_view ReadWord();

    /// 1*DIGIT; empty when none.
    std::string_view ReadDigits();

    /// A quoted-string starting at the current position (which must be '"').
    /// Returns the raw text including both quotes; sets error and returns an
    /// empty view when it is unterminated or holds an invalid character.
    std::string_view ReadQuotedString(const char*& error);

  private:
    bool SkipSwsSlow();

    std::string_view m_s;
    size_t m_pos = 0;
};

} // namespace text
} // namespace sipbed

#endif
