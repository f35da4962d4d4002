// The lexical layer (RFC 3261 25.1): character classes, LWS and folds,
// quoted strings, escapes, bounded integers.

#include "models/sip/sip-text.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace sipbed
{
namespace
{

TEST(SipText, TokenAndWordCharacters)
{
    for (char c : std::string("abcXYZ019-.!%*_+`'~"))
    {
        EXPECT_TRUE(text::IsTokenChar(c)) << c;
        EXPECT_TRUE(text::IsWordChar(c)) << c;
    }
    for (char c : std::string("()<>:\\\"/[]?{}"))
    {
        EXPECT_FALSE(text::IsTokenChar(c)) << c;
        EXPECT_TRUE(text::IsWordChar(c)) << c; // Call-ID word characters
    }
    for (char c : std::string(" \t\r\n;,@=&$#^|\x7f\x80\xff"))
    {
        EXPECT_FALSE(text::IsTokenChar(c)) << static_cast<int>(static_cast<unsigned char>(c));
    }
    EXPECT_FALSE(text::IsTokenChar('\0'));
}

// ParseUint "fails on empty input, a non-digit or a value above max".
TEST(SipText, ParseUintHonoursItsBound)
{
    uint64_t v = 0;
    EXPECT_TRUE(text::ParseUint("0", 0, v));
    EXPECT_EQ(v, 0u);
    EXPECT_TRUE(text::ParseUint("255", 255, v));
    EXPECT_EQ(v, 255u);
    EXPECT_FALSE(text::ParseUint("256", 255, v));
    EXPECT_TRUE(text::ParseUint("0068", 255, v));
    EXPECT_EQ(v, 68u);
    EXPECT_TRUE(text::ParseUint("4294967295", 0xffffffffULL, v));
    EXPECT_FALSE(text::ParseUint("4294967296", 0xffffffffULL, v));
    EXPECT_TRUE(text::ParseUint("18446744073709551615", UINT64_MAX, v));
    EXPECT_EQ(v, UINT64_MAX);
    EXPECT_FALSE(text::ParseUint("18446744073709551616", UINT64_MAX, v));
    EXPECT_FALSE(text::ParseUint("", 10, v));
    EXPECT_FALSE(text::ParseUint("-1", 10, v));
    EXPECT_FALSE(text::ParseUint("+1", 10, v));
    EXPECT_FALSE(text::ParseUint("1 ", 10, v));
}

// A bound below 9 still holds for a single digit (the overflow check must not
// wrap around when the digit exceeds the bound).
TEST(SipText, ParseUintRejectsADigitAboveASmallBound)
{
    uint64_t v = 0;
    EXPECT_FALSE(text::ParseUint("7", 5, v)) << "accepted 7 with max 5, read " << v;
    EXPECT_FALSE(text::ParseUint("1", 0, v)) << "accepted 1 with max 0, read " << v;
    EXPECT_TRUE(text::ParseUint("5", 5, v));
}

TEST(SipText, TrimStripsWhiteSpaceAndLineBreaksAtTheEnds)
{
    EXPECT_EQ(text::Trim(" \t\r\n a b \r\n\t "), "a b");
    EXPECT_EQ(text::Trim(""), "");
    EXPECT_EQ(text::Trim(" \r\n"), "");
}

TEST(SipText, UnfoldTurnsEachFoldIntoOneSpace)
{
    EXPECT_EQ(text::Unfold("a\r\n b"), "a b");
    EXPECT_EQ(text::Unfold("a \r\n\t  b"), "a b");
    EXPECT_EQ(text::Unfold("a\n b"), "a b");     // bare LF line ends too
    EXPECT_EQ(text::Unfold("  a  b  "), "a  b"); // no fold: only the ends are trimmed
    EXPECT_TRUE(text::HasFold("a\r\n b"));
    EXPECT_FALSE(text::HasFold("a b"));
}

TEST(SipText, EscapesDecodeAndInvalidOnesAreDetected)
{
    EXPECT_EQ(text::Unescape("%61lice%40example.com"), "alice@example.com");
    EXPECT_EQ(text::Unescape("%00"), std::string(1, '\0'));
    EXPECT_EQ(text::Unescape("%4a%4A"), "JJ");
    EXPECT_EQ(text::Unescape("%Z%45"), "%ZE"); // a '%' that starts no escape stays
    EXPECT_EQ(text::Unescape("50%"), "50%");
    EXPECT_TRUE(text::EscapesValid("a%20b%FF"));
    EXPECT_TRUE(text::EscapesValid("plain"));
    EXPECT_FALSE(text::EscapesValid("%"));
    EXPECT_FALSE(text::EscapesValid("%4"));
    EXPECT_FALSE(text::EscapesValid("%4g"));
    EXPECT_FALSE(text::EscapesValid("ab%"));
}

TEST(SipText, UnquoteDecodesQuotedPairs)
{
    EXPECT_EQ(text::Unquote("\"J Rosenberg \\\\\\\"\""), "J Rosenberg \\\"");
    EXPECT_EQ(text::Unquote("\"\""), "");
    EXPECT_EQ(text::Unquote("\"a\\b\""), "ab");
}

TEST(SipText, QuotedStringsEndAtTheClosingQuoteAndMayFold)
{
    const char* error = nullptr;
    text::Scanner s("\"a \\\"b\\\" c\" rest");
    EXPECT_EQ(s.ReadQuotedString(error), "\"a \\\"b\\\" c\"");
    EXPECT_EQ(s.Rest(), " rest");

    text::Scanner folded("\"line one\r\n line two\"");
    EXPECT_EQ(folded.ReadQuotedString(error), "\"line one\r\n line two\"");

    for (std::string_view bad : {std::string_view("\"unterminated"),
                                 std::string_view("\"broken\r\nline\""),
                                 std::string_view("\"bad escape \\\r\n\""),
                                 std::string_view("\"nul \0 inside\"", 14),
                                 std::string_view("no quote")})
    {
        text::Scanner b(bad);
        error = nullptr;
        EXPECT_EQ(b.ReadQuotedString(error), "") << bad;
        EXPECT_NE(error, nullptr) << bad;
        EXPECT_EQ(b.Pos(), 0u) << "a failed read must not move the scanner";
    }
}

TEST(SipText, SwsSkipsFoldsButNotTheEndOfTheHeader)
{
    text::Scanner s("  \r\n\t x");
    EXPECT_TRUE(s.SkipSws());
    EXPECT_EQ(s.Peek(), 'x');

    text::Scanner end(" \r\nx"); // CRLF not followed by white space: not LWS
    end.SkipSws();
    EXPECT_EQ(end.Rest(), "\r\nx");

    text::Scanner sep("  ;  x");
    EXPECT_TRUE(sep.ConsumeSeparator(';'));
    EXPECT_EQ(sep.Peek(), 'x');
    text::Scanner noSep("  x");
    EXPECT_FALSE(noSep.ConsumeSeparator(';'));
    EXPECT_EQ(noSep.Pos(), 0u);
}

TEST(SipText, CaseInsensitiveAsciiComparison)
{
    EXPECT_TRUE(text::IEquals("Call-ID", "call-id"));
    EXPECT_FALSE(text::IEquals("Call-ID", "Call-IDx"));
    EXPECT_FALSE(text::IEquals("a", "b"));
    EXPECT_EQ(text::ToLower("MaX-fOrWaRdS"), "max-forwards");
}

} // namespace
} // namespace sipbed
