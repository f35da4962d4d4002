#include "models/sip/sdp.h"

#include "models/sip/sip-text.h"

#include <algorithm>
#include <sstream>

namespace sipbed
{

namespace
{

std::vector<std::string_view>
Words(std::string_view line)
{
    std::vector<std::string_view> words;
    size_t pos = 0;
    while (pos < line.size())
    {
        const size_t end = std::min(line.find(' ', pos), line.size());
        if (end > pos)
        {
            words.push_back(line.substr(pos, end - pos));
        }
        pos = end + 1;
    }
    return words;
}

ParseError
SdpError(int line, const std::string& what)
{
    return ParseError{"SDP line " + std::to_string(line) + ": " + what, 0, "", 488};
}

} // namespace

Result<SdpSession>
SdpSession::Parse(std::string_view body)
{
    SdpSession s;
    int lineNo = 0;
    bool sawVersion = false;
    size_t pos = 0;
    while (pos < body.size())
    {
        size_t end = body.find('\n', pos);
        if (end == std::string_view::npos)
        {
            end = body.size();
        }
        std::string_view line = body.substr(pos, end - pos);
        pos = end + 1;
        if (!line.empty() && line.back() == '\r')
        {
            line.remove_suffix(1);
        }
        ++lineNo;
        if (line.empty())
        {
            continue;
        }
        if (line.size() < 2 || line[1] != '=')
        {
            return SdpError(lineNo, "expected <type>=<value>");
        }
        const char type = line[0];
        const std::string_view value = line.substr(2);
        const std::vector<std::string_view> w = Words(value);
        switch (type)
        {
        case 'v':
            if (value != "0")
            {
                return SdpError(lineNo, "unsupported version " + std::string(value));
            }
            sawVersion = true;
            break;
        case 'o': {
            uint64_t id = 0;
            uint64_t version = 0;
            if (w.size() != 6 || !text::ParseUint(w[1], UINT64_MAX, id) ||
                !text::ParseUint(w[2], UINT64_MAX, version))
            {
                return SdpError(lineNo, "bad origin");
            }
            s.user = std::string(w[0]);
            s.sessionId = id;
            s.version = version;
            s.address = std::string(w[5]);
            break;
        }
        case 's':
            s.name = std::string(value);
            break;
        case 'c':
            if (w.size() != 3)
            {
                return SdpError(lineNo, "bad connection data");
            }
            s.address = std::string(w[2]);
            break;
        case 'm': {
            uint64_t port = 0;
            // "<media> <port>[/<count>] <proto> <fmt> ..."
            if (w.size() < 4 || !text::ParseUint(w[1].substr(0, w[1].find('/')), 65535, port))
            {
                return SdpError(lineNo, "bad media description");
            }
            SdpMedia m;
            m.media = std::string(w[0]);
            m.port = static_cast<uint16_t>(port);
            m.proto = std::string(w[2]);
            for (size_t i = 3; i < w.size(); ++i)
            {
                m.formats.emplace_back(w[i]);
            }
            s.media.push_back(std::move(m));
            break;
        }
        case 'a':
            if (!s.media.empty())
            {
                s.media.back().attributes.emplace_back(value);
            }
            break;
        default:
            break; // t=, b=, k=, ...: not needed here; RFC 4566 5: ignore unknown
        }
    }
    if (!sawVersion)
    {
        return SdpError(0, "no v= line");
    }
    return s;
}

std::string
SdpSession::Render() const
{
    std::ostringstream o;
    o << "v=0\r\n"
      << "o=" << user << ' ' << sessionId << ' ' << version << " IN IP4 " << address << "\r\n"
      << "s=" << name << "\r\n"
      << "c=IN IP4 " << address << "\r\n"
      << "t=0 0\r\n";
    for (const SdpMedia& m : media)
    {
        o << "m=" << m.media << ' ' << m.port << ' ' << m.proto;
        for (const std::string& f : m.formats)
        {
            o << ' ' << f;
        }
        o << "\r\n";
        for (const std::string& a : m.attributes)
        {
            o << "a=" << a << "\r\n";
        }
    }
    return o.str();
}

namespace
{

/// The rtpmap attribute of a static or dynamic payload type we know.
std::optional<std::string>
RtpMap(const std::string& format)
{
    if (format == "0")
    {
        return "rtpmap:0 PCMU/8000";
    }
    if (format == "8")
    {
        return "rtpmap:8 PCMA/8000";
    }
    if (format == "101")
    {
        return "rtpmap:101 telephone-event/8000";
    }
    return std::nullopt;
}

} // namespace

SdpSession
MakeAudioOffer(const std::string& address,
               uint16_t port,
               uint64_t sessionId,
               const std::vector<std::string>& formats)
{
    SdpSession s;
    s.sessionId = sessionId;
    s.version = sessionId;
    s.address = address;
    SdpMedia m;
    m.port = port;
    m.formats = formats;
    for (const std::string& f : formats)
    {
        if (auto a = RtpMap(f))
        {
            m.attributes.push_back(*a);
        }
    }
    m.attributes.emplace_back("sendrecv");
    s.media.push_back(std::move(m));
    return s;
}

std::optional<SdpSession>
MakeAnswer(const SdpSession& offer,
           const std::string& address,
           uint16_t port,
           uint64_t sessionId,
           const std::vector<std::string>& supportedFormats)
{
    SdpSession answer;
    answer.sessionId = sessionId;
    answer.version = sessionId;
    answer.address = address;
    bool accepted = false;
    for (const SdpMedia& offered : offer.media)
    {
        SdpMedia m;
        m.media = offered.media;
        m.proto = offered.proto;
        for (const std::string& f : offered.formats)
        {
            if (std::find(supportedFormats.begin(), supportedFormats.end(), f) !=
                supportedFormats.end())
            {
                m.formats.push_back(f);
            }
        }
        if (offered.media == "audio" && offered.port != 0 && !m.formats.empty() && !accepted)
        {
            m.port = port;
            for (const std::string& f : m.formats)
            {
                if (auto a = RtpMap(f))
                {
                    m.attributes.push_back(*a);
                }
            }
            accepted = true;
        }
        else
        {
            // RFC 3264 6: a rejected stream keeps its place with port 0 and
            // at least one format.
            m.port = 0;
            m.formats = offered.formats.empty() ? std::vector<std::string>{"0"}
                                                : std::vector<std::string>{offered.formats[0]};
        }
        answer.media.push_back(std::move(m));
    }
    if (!accepted)
    {
        return std::nullopt;
    }
    return answer;
}

} // namespace sipbed
