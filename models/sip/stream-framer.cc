#include "models/sip/stream-framer.h"

#include "models/sip/sip-parser.h"

#include <algorithm>

namespace sipbed
{

StreamFramer::StreamFramer()
    : StreamFramer(Limits())
{
}

StreamFramer::StreamFramer(Limits limits)
    : m_limits(limits)
{
}

void
StreamFramer::Feed(std::string_view data)
{
    if (m_failed)
    {
        return;
    }
    // Compact once the consumed prefix dominates, so the buffer stays small
    // on a long-lived connection.
    if (m_start > 0 && m_start >= m_buf.size() / 2)
    {
        m_buf.erase(0, m_start);
        m_scan -= m_start;
        if (m_bodyAt)
        {
            *m_bodyAt -= m_start;
        }
        m_start = 0;
    }
    m_buf.append(data);
}

void
StreamFramer::Reset()
{
    m_buf.clear();
    m_start = 0;
    m_scan = 0;
    m_bodyAt.reset();
    m_length = 0;
    m_failed.reset();
}

void
StreamFramer::Consume(size_t n)
{
    m_start += n;
    m_scan = m_start;
    m_bodyAt.reset();
    m_length = 0;
    if (m_start == m_buf.size())
    {
        m_buf.clear();
        m_start = 0;
        m_scan = 0;
    }
}

StreamFramer::Event
StreamFramer::Fail(ParseError e)
{
    m_failed = e;
    Event ev;
    ev.kind = EventKind::kError;
    ev.error = std::move(e);
    ev.fatal = true;
    return ev;
}

StreamFramer::Event
StreamFramer::Next()
{
    if (m_failed)
    {
        Event ev;
        ev.kind = EventKind::kError;
        ev.error = *m_failed;
        ev.fatal = true;
        return ev;
    }
    Event ev;
    // A stray LF between messages carries no meaning (RFC 3261 7.5 lets line
    // breaks precede a start line); drop any run of them without recursion.
    while (!m_bodyAt && m_start < m_buf.size() && m_buf[m_start] == '\n')
    {
        Consume(1);
    }
    std::string_view avail = std::string_view(m_buf).substr(m_start);

    if (!m_bodyAt)
    {
        // Between messages: keepalives.
        if (!avail.empty() && avail[0] == '\r')
        {
            if (avail.size() < 2)
            {
                return ev; // a lone CR: wait for its LF
            }
            if (avail[1] != '\n')
            {
                return Fail(MakeError("CR without LF between messages"));
            }
            if (avail.size() >= 4 && avail.substr(0, 4) == "\r\n\r\n")
            {
                ev.kind = EventKind::kKeepalive;
                ev.keepaliveBytes = 4;
                Consume(4);
                return ev;
            }
            if (avail.size() == 3 && avail[2] == '\r')
            {
                return ev; // maybe the start of CRLFCRLF
            }
            // A CRLF alone, or followed by the next message. A CRLFCRLF whose
            // halves arrive in different segments reads as two CRLFs.
            ev.kind = EventKind::kKeepalive;
            ev.keepaliveBytes = 2;
            Consume(2);
            return ev;
        }
        if (avail.empty())
        {
            return ev;
        }

        // Find the empty line that ends the headers.
        size_t from = m_scan > m_start ? m_scan : m_start;
        size_t end = std::string::npos;
        size_t brLen = 0;
        for (size_t p = m_buf.find('\n', from); p != std::string::npos;
             p = m_buf.find('\n', p + 1))
        {
            if (p + 1 < m_buf.size() && m_buf[p + 1] == '\n')
            {
                end = p + 1;
                brLen = 1;
                break;
            }
            if (p + 2 < m_buf.size() && m_buf[p + 1] == '\r' && m_buf[p + 2] == '\n')
            {
                end = p + 1;
                brLen = 2;
                break;
            }
        }
        if (end == std::string::npos)
        {
            // Resume next time a little before the end: the terminator may be split.
            m_scan = m_buf.size() >= 3 ? std::max(m_start, m_buf.size() - 3) : m_start;
            if (Buffered() > m_limits.maxHeaderBytes)
            {
                return Fail(MakeError("header section larger than " +
                                          std::to_string(m_limits.maxHeaderBytes) + " octets",
                                      413));
            }
            return ev;
        }
        if (end - m_start > m_limits.maxHeaderBytes)
        {
            return Fail(MakeError("header section larger than " +
                                      std::to_string(m_limits.maxHeaderBytes) + " octets",
                                  413));
        }

        // Content-Length from a light scan of the header lines; the full
        // parse happens once the body is here.
        std::string_view block(m_buf.data() + m_start, end - m_start);
        size_t firstNl = block.find('\n');
        std::string_view headers = block.substr(firstNl + 1);
        std::optional<uint64_t> length;
        auto err = ForEachHeaderLine(
            headers,
            2,
            [&](std::string_view name, std::string_view value, uint32_t)
                -> std::optional<ParseError> {
                if (LookupHeader(name) != HeaderId::kContentLength)
                {
                    return std::nullopt;
                }
                uint64_t n = 0;
                if (!text::ParseUint(text::Trim(value), 0xffffffffULL, n))
                {
                    return MakeError("Content-Length is not a number");
                }
                if (length && *length != n)
                {
                    return MakeError("conflicting Content-Length values");
                }
                length = n;
                return std::nullopt;
            });
        if (err)
        {
            return Fail(*err);
        }
        if (!length)
        {
            // RFC 3261 18.3: mandatory on streams; without it there is no way to find the end.
            return Fail(MakeError("Content-Length is required on stream transports"));
        }
        if (*length > m_limits.maxBodyBytes)
        {
            return Fail(MakeError("Content-Length " + std::to_string(*length) +
                                      " exceeds the limit of " +
                                      std::to_string(m_limits.maxBodyBytes) + " octets",
                                  413));
        }
        m_bodyAt = end + brLen;
        m_length = static_cast<size_t>(*length);
    }

    if (m_buf.size() - *m_bodyAt < m_length)
    {
        return ev; // body incomplete
    }
    size_t total = *m_bodyAt + m_length - m_start;
    std::string bytes = m_buf.substr(m_start, total);
    Consume(total);
    auto r = SipParser::Parse(std::move(bytes), SipParser::Framing::kStream);
    if (!r)
    {
        ev.kind = EventKind::kError;
        ev.error = r.GetError();
        ev.fatal = false;
        return ev;
    }
    ev.kind = EventKind::kMessage;
    ev.message = std::move(r.GetValue());
    return ev;
}

} // namespace sipbed
