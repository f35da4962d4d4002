#include "models/sip/header-values.h"

#include <cstdio>

namespace sipbed
{
namespace
{

ParseError
Unexpected(text::Scanner& s, const char* where)
{
    if (s.AtEnd())
    {
        return MakeError(std::string("unexpected end of value ") + where);
    }
    return MakeError(std::string("unexpected character '") + s.Peek() + "' " + where);
}

bool
AtValueEnd(text::Scanner& s)
{
    s.SkipSws();
    return s.AtEnd();
}

} // namespace

Result<CSeqValue>
CSeqValue::Parse(std::string_view value)
{
    text::Scanner s(value);
    s.SkipSws();
    CSeqValue c;
    uint64_t n = 0;
    std::string_view digits = s.ReadDigits();
    if (digits.empty())
    {
        return MakeError("CSeq must start with a sequence number");
    }
    // RFC 3261 8.1.1.5: the sequence number MUST be expressible as a 32-bit unsigned integer.
    if (!text::ParseUint(digits, 0xffffffffULL, n))
    {
        return MakeError("CSeq sequence number does not fit in 32 bits");
    }
    c.seq = static_cast<uint32_t>(n);
    if (!s.SkipSws())
    {
        return MakeError("expected white space between the CSeq number and method");
    }
    c.method = s.ReadToken();
    if (c.method.empty())
    {
        return MakeError("missing CSeq method");
    }
    if (!AtValueEnd(s))
    {
        return Unexpected(s, "after the CSeq method");
    }
    return c;
}

void
CSeqValue::Render(std::string& out) const
{
    out.append(std::to_string(seq));
    out.push_back(' ');
    out.append(method);
}

Result<MediaType>
MediaType::ParseOne(text::Scanner& s)
{
    MediaType m;
    s.SkipSws();
    m.type = s.ReadToken();
    if (m.type.empty() || !s.ConsumeSeparator('/'))
    {
        return MakeError("media type must be type/subtype");
    }
    m.subtype = s.ReadToken();
    if (m.subtype.empty())
    {
        return MakeError("missing media subtype");
    }
    const char* error = nullptr;
    if (!ParamList::Parse(s, ParamList::Syntax::kHeader, m.params, error))
    {
        return MakeError(std::string("media type parameter: ") + error);
    }
    return m;
}

Result<MediaType>
MediaType::Parse(std::string_view value)
{
    text::Scanner s(value);
    auto r = ParseOne(s);
    if (r && !AtValueEnd(s))
    {
        return Unexpected(s, "after the media type");
    }
    return r;
}

bool
MediaType::Is(std::string_view t, std::string_view st) const
{
    return text::IEquals(type, t) && text::IEquals(subtype, st);
}

void
MediaType::Render(std::string& out) const
{
    out.append(type);
    out.push_back('/');
    out.append(subtype);
    params.Render(out);
}

Result<RetryAfterValue>
RetryAfterValue::Parse(std::string_view value)
{
    text::Scanner s(value);
    s.SkipSws();
    RetryAfterValue r;
    uint64_t n = 0;
    if (!text::ParseUint(s.ReadDigits(), 0xffffffffULL, n))
    {
        return MakeError("Retry-After is not a delta-seconds value below 2^32");
    }
    r.seconds = static_cast<uint32_t>(n);
    size_t save = s.Pos();
    s.SkipSws();
    if (s.Peek() == '(')
    {
        // comment = LPAREN *(ctext / quoted-pair / comment) RPAREN
        size_t start = s.Pos();
        int depth = 0;
        while (!s.AtEnd())
        {
            char c = s.Peek();
            s.SetPos(s.Pos() + 1);
            if (c == '\\' && !s.AtEnd())
            {
                s.SetPos(s.Pos() + 1);
            }
            else if (c == '(')
            {
                ++depth;
            }
            else if (c == ')' && --depth == 0)
            {
                break;
            }
        }
        if (depth != 0)
        {
            return MakeError("unterminated comment in Retry-After");
        }
        r.comment = s.Slice(start, s.Pos());
    }
    else
    {
        s.SetPos(save);
    }
    const char* error = nullptr;
    if (!ParamList::Parse(s, ParamList::Syntax::kHeader, r.params, error))
    {
        return MakeError(std::string("Retry-After parameter: ") + error);
    }
    if (auto d = r.params.Get("duration"))
    {
        if (!text::ParseUint(*d, 0xffffffffULL, n))
        {
            return MakeError("Retry-After duration is not a delta-seconds value below 2^32");
        }
    }
    if (!AtValueEnd(s))
    {
        return Unexpected(s, "in Retry-After");
    }
    return r;
}

std::optional<uint32_t>
RetryAfterValue::GetDuration() const
{
    uint64_t n = 0;
    auto d = params.Get("duration");
    if (!d || !text::ParseUint(*d, 0xffffffffULL, n))
    {
        return std::nullopt;
    }
    return static_cast<uint32_t>(n);
}

void
RetryAfterValue::Render(std::string& out) const
{
    out.append(std::to_string(seconds));
    if (!comment.empty())
    {
        out.push_back(' ');
        out.append(text::Unfold(comment));
    }
    params.Render(out);
}

bool
AuthValue::Next(text::Scanner& s, bool first, std::string_view& name, std::string_view& value)
{
    if (!first && !s.ConsumeSeparator(','))
    {
        return false;
    }
    s.SkipSws();
    name = s.ReadToken();
    if (name.empty() || !s.ConsumeSeparator('='))
    {
        return false;
    }
    if (s.Peek() == '"')
    {
        const char* error = nullptr;
        value = s.ReadQuotedString(error);
        return !value.empty();
    }
    value = s.ReadToken();
    return !value.empty();
}

Result<AuthValue>
AuthValue::Parse(std::string_view value)
{
    text::Scanner s(value);
    s.SkipSws();
    AuthValue a;
    a.m_scheme = s.ReadToken();
    if (a.m_scheme.empty())
    {
        return MakeError("missing authentication scheme");
    }
    if (!s.SkipSws())
    {
        if (s.AtEnd())
        {
            return MakeError("authentication scheme without parameters");
        }
        return Unexpected(s, "after the authentication scheme");
    }
    size_t start = s.Pos();
    std::string_view name;
    std::string_view v;
    bool first = true;
    for (;;)
    {
        size_t before = s.Pos();
        if (!Next(s, first, name, v))
        {
            s.SetPos(before);
            if (first)
            {
                return MakeError("malformed authentication parameter (expected name=value)");
            }
            break;
        }
        first = false;
    }
    a.m_params = s.Slice(start, s.Pos());
    if (!AtValueEnd(s))
    {
        return Unexpected(s, "in authentication parameters");
    }
    return a;
}

std::optional<std::string_view>
AuthValue::Get(std::string_view name) const
{
    std::optional<std::string_view> found;
    ForEach([&](std::string_view n, std::string_view v) {
        if (text::IEquals(n, name))
        {
            found = v;
            return false;
        }
        return true;
    });
    return found;
}

std::optional<std::string>
AuthValue::GetDecoded(std::string_view name) const
{
    auto v = Get(name);
    if (!v)
    {
        return std::nullopt;
    }
    if (!v->empty() && v->front() == '"')
    {
        return text::Unquote(*v);
    }
    return std::string(*v);
}

void
AuthValue::Render(std::string& out) const
{
    out.append(m_scheme);
    bool first = true;
    ForEach([&](std::string_view n, std::string_view v) {
        out.append(first ? " " : ", ");
        first = false;
        out.append(n);
        out.push_back('=');
        out.append(text::HasFold(v) ? text::Unfold(v) : std::string(v));
        return true;
    });
}

Result<TokenParamsValue>
TokenParamsValue::Parse(std::string_view value, bool word)
{
    text::Scanner s(value);
    s.SkipSws();
    TokenParamsValue t;
    if (word)
    {
        // Call-ID = word [ "@" word ]; '@' is not a word character.
        size_t start = s.Pos();
        if (s.ReadWord().empty())
        {
            return MakeError("expected a Call-ID");
        }
        if (s.Consume('@') && s.ReadWord().empty())
        {
            return MakeError("empty host part after '@' in Call-ID");
        }
        t.value = s.Slice(start, s.Pos());
    }
    else
    {
        t.value = s.ReadToken();
        if (t.value.empty())
        {
            return s.AtEnd() ? MakeError("empty value") : Unexpected(s, "where a token was expected");
        }
    }
    const char* error = nullptr;
    if (!ParamList::Parse(s, ParamList::Syntax::kHeader, t.params, error))
    {
        return MakeError(std::string("parameter: ") + error);
    }
    if (!AtValueEnd(s))
    {
        return Unexpected(s, "after the value");
    }
    return t;
}

void
TokenParamsValue::Render(std::string& out) const
{
    out.append(value);
    params.Render(out);
}

Result<IdentityInfoValue>
IdentityInfoValue::Parse(std::string_view value)
{
    text::Scanner s(value);
    s.SkipSws();
    IdentityInfoValue v;
    if (!s.Consume('<'))
    {
        return MakeError("Identity-Info must be an absolute URI in < >");
    }
    size_t close = value.find('>', s.Pos());
    if (close == std::string_view::npos)
    {
        return MakeError("missing '>' in Identity-Info");
    }
    auto uri = SipUri::Parse(s.Slice(s.Pos(), close), SipUri::Context::kBracketed);
    if (!uri)
    {
        return uri.GetError();
    }
    v.uri = uri.GetValue();
    s.SetPos(close + 1);
    const char* error = nullptr;
    if (!ParamList::Parse(s, ParamList::Syntax::kHeader, v.params, error))
    {
        return MakeError(std::string("Identity-Info parameter: ") + error);
    }
    if (!AtValueEnd(s))
    {
        return Unexpected(s, "in Identity-Info");
    }
    return v;
}

void
IdentityInfoValue::Render(std::string& out) const
{
    out.push_back('<');
    out.append(uri.GetRaw());
    out.push_back('>');
    params.Render(out);
}

bool
IsValidCallId(std::string_view value)
{
    auto r = TokenParamsValue::Parse(value, true);
    return r && r.GetValue().params.Empty();
}

bool
IsValidOptionTag(std::string_view value)
{
    if (value.empty())
    {
        return false;
    }
    for (char c : value)
    {
        if (!text::IsTokenChar(c))
        {
            return false;
        }
    }
    return true;
}

namespace
{

constexpr const char* kWeekdays[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// Days since 1970-01-01 of a proleptic Gregorian date (civil calendar arithmetic).
int64_t
DaysFromCivil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void
CivilFromDays(int64_t z, int64_t& y, unsigned& m, unsigned& d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = static_cast<int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
}

bool
Fixed(std::string_view v, size_t pos, size_t n, uint64_t max, uint64_t& out)
{
    return pos + n <= v.size() && text::ParseUint(v.substr(pos, n), max, out);
}

} // namespace

std::optional<int64_t>
ParseSipDate(std::string_view value)
{
    std::string unfolded;
    std::string_view v = text::Trim(value);
    if (text::HasFold(v))
    {
        unfolded = text::Unfold(v);
        v = unfolded;
    }
    // "Sat, 13 Nov 2010 23:29:00 GMT": fixed layout of 29 characters.
    if (v.size() != 29 || v[3] != ',' || v[4] != ' ' || v[7] != ' ' || v[11] != ' ' ||
        v[16] != ' ' || v[19] != ':' || v[22] != ':' || v[25] != ' ' || v.substr(26) != "GMT")
    {
        return std::nullopt;
    }
    unsigned month = 0;
    for (unsigned i = 0; i < 12; ++i)
    {
        if (v.substr(8, 3) == kMonths[i])
        {
            month = i + 1;
        }
    }
    uint64_t day = 0;
    uint64_t year = 0;
    uint64_t hh = 0;
    uint64_t mm = 0;
    uint64_t ss = 0;
    if (month == 0 || !Fixed(v, 5, 2, 31, day) || day == 0 ||
        !Fixed(v, 12, 4, 9999, year) || !Fixed(v, 17, 2, 23, hh) || !Fixed(v, 20, 2, 59, mm) ||
        !Fixed(v, 23, 2, 60, ss))
    {
        return std::nullopt;
    }
    static constexpr unsigned kDaysIn[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (day > kDaysIn[month - 1] || (month == 2 && day == 29 && !leap))
    {
        return std::nullopt;
    }
    int64_t days = DaysFromCivil(static_cast<int64_t>(year), month, static_cast<unsigned>(day));
    if (v.substr(0, 3) != kWeekdays[((days % 7) + 7) % 7])
    {
        return std::nullopt; // the weekday contradicts the date
    }
    return days * 86400 + static_cast<int64_t>(hh * 3600 + mm * 60 + ss);
}

std::string
FormatSipDate(int64_t epochSeconds)
{
    int64_t days = epochSeconds >= 0 ? epochSeconds / 86400 : (epochSeconds - 86399) / 86400;
    int64_t secs = epochSeconds - days * 86400;
    int64_t y = 0;
    unsigned m = 0;
    unsigned d = 0;
    CivilFromDays(days, y, m, d);
    int64_t wd = ((days % 7) + 7) % 7; // 1970-01-01 was a Thursday
    char buf[64];
    std::snprintf(buf,
                  sizeof(buf),
                  "%s, %02u %s %04lld %02lld:%02lld:%02lld GMT",
                  kWeekdays[wd],
                  d,
                  kMonths[m - 1],
                  static_cast<long long>(y),
                  static_cast<long long>(secs / 3600),
                  static_cast<long long>((secs / 60) % 60),
                  static_cast<long long>(secs % 60));
    return buf;
}

std::string
GetIdentitySignature(std::string_view value)
{
    std::string out;
    out.reserve(value.size());
    for (char c : value)
    {
        if (c != '"' && c != ' ' && c != '\t' && c != '\r' && c != '\n')
        {
            out.push_back(c);
        }
    }
    return out;
}

} // namespace sipbed
