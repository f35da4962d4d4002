#include "models/sip/sip-parser.h"

namespace sipbed
{
namespace
{

bool
ParseVersion(std::string_view v, bool& is20)
{
    // SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT (compared case-insensitively)
    if (v.size() < 7 || !text::IEquals(v.substr(0, 4), "SIP/"))
    {
        return false;
    }
    std::string_view nums = v.substr(4);
    size_t dot = nums.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 == nums.size())
    {
        return false;
    }
    for (size_t i = 0; i < nums.size(); ++i)
    {
        if (i != dot && !text::IsDigit(nums[i]))
        {
            return false;
        }
    }
    is20 = nums == "2.0";
    return true;
}

} // namespace

size_t
HeaderFieldEnd(std::string_view buf, size_t pos, size_t& brLen, uint32_t& folds)
{
    folds = 0;
    for (;;)
    {
        size_t nl = buf.find('\n', pos);
        if (nl == std::string_view::npos)
        {
            brLen = 0;
            return buf.size();
        }
        size_t end = (nl > 0 && buf[nl - 1] == '\r') ? nl - 1 : nl;
        if (nl + 1 < buf.size() && text::IsWsp(buf[nl + 1]))
        {
            ++folds;
            pos = nl + 1;
            continue;
        }
        brLen = nl + 1 - end;
        return end;
    }
}

std::optional<ParseError>
CheckHeaderName(std::string_view name, uint32_t line)
{
    if (name.empty())
    {
        ParseError e = MakeError("empty header name");
        e.line = static_cast<int>(line);
        return e;
    }
    for (char c : name)
    {
        if (!text::IsTokenChar(c))
        {
            ParseError e = MakeError(std::string("invalid character '") + c + "' in header name");
            e.line = static_cast<int>(line);
            e.header = std::string(name);
            return e;
        }
    }
    return std::nullopt;
}

std::optional<ParseError>
SipParser::ParseStartLine(std::string_view line, SipMessage& m)
{
    line = text::Trim(line);
    if (line.size() >= 4 && text::IEquals(line.substr(0, 4), "SIP/"))
    {
        // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase
        m.m_isRequest = false;
        size_t sp = line.find(' ');
        std::string_view version = line.substr(0, sp);
        bool is20 = false;
        if (!ParseVersion(version, is20))
        {
            return MakeError("malformed SIP version in status line", 0);
        }
        if (!is20)
        {
            return MakeError("unsupported SIP version " + std::string(version), 0);
        }
        if (sp == std::string_view::npos)
        {
            return MakeError("status line without a status code", 0);
        }
        std::string_view rest = line.substr(sp + 1);
        size_t n = 0;
        while (n < rest.size() && text::IsDigit(rest[n]))
        {
            ++n;
        }
        uint64_t code = 0;
        if (n != 3 || !text::ParseUint(rest.substr(0, 3), 999, code) || code < 100 || code > 699)
        {
            return MakeError("status code must be three digits from 100 to 699", 0);
        }
        m.m_status = static_cast<int>(code);
        if (n < rest.size() && rest[n] != ' ')
        {
            return MakeError("expected SP after the status code", 0);
        }
        std::string_view reason = n < rest.size() ? rest.substr(n + 1) : std::string_view();
        for (char c : reason)
        {
            unsigned char u = static_cast<unsigned char>(c);
            if (u < 0x20 && c != '\t')
            {
                return MakeError("control character in reason phrase", 0);
            }
        }
        m.m_reason = reason;
        return std::nullopt;
    }

    // Request-Line = Method SP Request-URI SP SIP-Version. Runs of SP or
    // HTAB between the elements are tolerated (RFC 4475 3.1.2.9, 3.1.2.10).
    m.m_isRequest = true;
    size_t ms = 0;
    while (ms < line.size() && !text::IsWsp(line[ms]))
    {
        ++ms;
    }
    m.m_method = line.substr(0, ms);
    for (char c : m.m_method)
    {
        if (!text::IsTokenChar(c))
        {
            return MakeError(std::string("invalid character '") + c + "' in method");
        }
    }
    size_t vs = line.size();
    while (vs > 0 && !text::IsWsp(line[vs - 1]))
    {
        --vs;
    }
    if (m.m_method.empty() || vs <= ms)
    {
        return MakeError("request line must be: method SP Request-URI SP SIP/2.0");
    }
    std::string_view version = line.substr(vs);
    std::string_view uri = text::Trim(line.substr(ms, vs - ms));
    bool is20 = false;
    if (!ParseVersion(version, is20))
    {
        return MakeError("malformed SIP version '" + std::string(version.substr(0, 32)) + "'");
    }
    if (!is20)
    {
        // RFC 3261 8.2.1 / RFC 4475 3.1.2.16
        return MakeError("SIP version " + std::string(version.substr(0, 32)) + " not supported",
                         505);
    }
    if (uri.empty())
    {
        return MakeError("missing Request-URI");
    }
    for (char c : uri)
    {
        if (text::IsWsp(c))
        {
            return MakeError("white space inside the Request-URI");
        }
    }
    auto u = SipUri::Parse(uri, SipUri::Context::kRequestUri);
    if (!u)
    {
        ParseError e = u.GetError();
        e.reason = "Request-URI: " + e.reason;
        return e;
    }
    m.m_requestUri = u.GetValue();
    return std::nullopt;
}

Result<SipMessage>
SipParser::Parse(std::string&& bytes, Framing framing)
{
    SipMessage m;
    m.m_storage->received = std::move(bytes);
    const std::string_view buf = m.m_storage->received;
    bool response = false;
    auto fail = [&](ParseError e, uint32_t line, std::string_view header) {
        if (e.line == 0)
        {
            e.line = static_cast<int>(line);
        }
        if (e.header.empty() && !header.empty())
        {
            e.header = std::string(header);
        }
        if (response)
        {
            e.status = 0; // a bad response is discarded, never answered
        }
        return Result<SipMessage>(std::move(e));
    };

    // RFC 3261 7.5: CRLFs before the start-line are ignored.
    size_t pos = 0;
    uint32_t line = 1;
    while (pos < buf.size() && (buf[pos] == '\r' || buf[pos] == '\n'))
    {
        line += buf[pos] == '\n';
        ++pos;
    }
    if (pos == buf.size())
    {
        return fail(MakeError("empty message"), 0, {});
    }
    size_t nl = buf.find('\n', pos);
    if (nl == std::string_view::npos)
    {
        return fail(MakeError("start line is not terminated by CRLF"), line, {});
    }
    std::string_view startLine = buf.substr(pos, nl - pos);
    response = startLine.size() >= 4 && text::IEquals(startLine.substr(0, 4), "SIP/");
    if (auto err = ParseStartLine(startLine, m))
    {
        return fail(*err, line, {});
    }
    pos = nl + 1;
    ++line;

    // Header section: up to the first empty line.
    size_t headerStart = pos;
    size_t headerEnd = std::string_view::npos;
    size_t bodyStart = 0;
    for (size_t p = pos; p < buf.size();)
    {
        size_t br = LineBreakAt(buf, p);
        if (br > 0)
        {
            headerEnd = p;
            bodyStart = p + br;
            break;
        }
        size_t next = buf.find('\n', p);
        if (next == std::string_view::npos)
        {
            break;
        }
        p = next + 1;
    }
    if (headerEnd == std::string_view::npos && framing == Framing::kDatagram &&
        buf.back() == '\n')
    {
        // A datagram arrives whole, so one that stops right after a complete
        // header line has simply left out the empty line: no body.
        headerEnd = buf.size();
        bodyStart = buf.size();
    }
    if (headerEnd == std::string_view::npos)
    {
        return fail(MakeError("message ends before the empty line that ends the headers"),
                    line,
                    {});
    }

    m.m_headers.reserve(16);
    const uint32_t firstHeaderLine = line;
    auto err = ForEachHeaderLine(
        buf.substr(headerStart, headerEnd - headerStart),
        firstHeaderLine,
        [&](std::string_view name, std::string_view value, uint32_t at)
            -> std::optional<ParseError> {
            HeaderField h;
            h.id = LookupHeader(name);
            h.name = name;
            h.value = value;
            h.line = at;
            if (auto bad = ValidateHeaderValue(h.id, value))
            {
                bad->line = static_cast<int>(at);
                bad->header = std::string(name);
                return bad;
            }
            m.m_headers.push_back(h);
            return std::nullopt;
        });
    if (err)
    {
        return fail(*err, 0, {});
    }

    if (m.m_isRequest)
    {
        // RFC 3261 8.2.1 / RFC 4475 3.1.2.17-18: the CSeq method must match.
        for (const HeaderField& h : m.m_headers)
        {
            if (h.id != HeaderId::kCSeq)
            {
                continue;
            }
            auto cseq = CSeqValue::Parse(h.value);
            if (cseq && cseq.GetValue().method != m.m_method)
            {
                return fail(MakeError("CSeq method " + std::string(cseq.GetValue().method) +
                                      " does not match the request method " +
                                      std::string(m.m_method)),
                            h.line,
                            h.name);
            }
        }
    }

    // Body length (RFC 3261 18.3, 20.14).
    std::string_view rest = buf.substr(bodyStart);
    const HeaderField* cl = m.FindHeader(HeaderId::kContentLength);
    if (!cl)
    {
        if (framing == Framing::kStream)
        {
            return fail(MakeError("Content-Length is required on stream transports"), 0, {});
        }
        m.m_body = rest;
        return m;
    }
    uint64_t length = 0;
    text::ParseUint(text::Trim(cl->value), 0xffffffffULL, length); // checked by the validator
    if (length > rest.size())
    {
        return fail(MakeError("Content-Length " + std::to_string(length) +
                              " is larger than the " + std::to_string(rest.size()) +
                              " octets that follow the headers"),
                    cl->line,
                    cl->name);
    }
    // A datagram's octets past Content-Length are ignored (RFC 3261 18.3).
    m.m_body = rest.substr(0, static_cast<size_t>(length));
    return m;
}

Result<SipMessage>
ParseDatagram(std::string_view bytes)
{
    return SipParser::Parse(std::string(bytes), SipParser::Framing::kDatagram);
}

Result<SipMessage>
ParseDatagram(std::string&& bytes)
{
    return SipParser::Parse(std::move(bytes), SipParser::Framing::kDatagram);
}

} // namespace sipbed
