#include "models/sip/multipart.h"

#include "models/sip/sip-parser.h"

namespace sipbed
{
namespace
{

// Position of the next delimiter "--boundary" that starts a line at or after
// `from`; `lineStart` tells whether `from` itself starts a line.
size_t
FindDelimiter(std::string_view body, std::string_view dash, size_t from)
{
    for (size_t p = body.find(dash, from); p != std::string_view::npos;
         p = body.find(dash, p + 1))
    {
        if (p == 0 || body[p - 1] == '\n')
        {
            return p;
        }
    }
    return std::string_view::npos;
}

} // namespace

const HeaderField*
BodyPart::FindHeader(HeaderId id) const
{
    return FindHeaderIn(headers, id);
}

std::optional<MediaType>
BodyPart::GetContentType() const
{
    return ParseFirst<MediaType>(headers, HeaderId::kContentType);
}

Result<std::vector<BodyPart>>
ParseMultipart(std::string_view body, std::string_view boundary)
{
    if (boundary.empty() || boundary.size() > 70)
    {
        return MakeError("multipart boundary must be 1 to 70 characters (RFC 2046 5.1.1)");
    }
    std::string dash = "--" + std::string(boundary);
    std::vector<BodyPart> parts;
    size_t p = FindDelimiter(body, dash, 0);
    if (p == std::string_view::npos)
    {
        return MakeError("multipart body has no boundary line --" + std::string(boundary));
    }
    for (;;)
    {
        size_t after = p + dash.size();
        if (body.substr(after, 2) == "--")
        {
            return parts; // close delimiter; the epilogue is ignored
        }
        // transport-padding, then the line break ending the delimiter line
        while (after < body.size() && text::IsWsp(body[after]))
        {
            ++after;
        }
        size_t br = LineBreakAt(body, after);
        if (br == 0)
        {
            return MakeError("text after a multipart boundary on the same line");
        }
        size_t start = after + br;
        size_t next = FindDelimiter(body, dash, start);
        if (next == std::string_view::npos)
        {
            return MakeError("multipart body ends without its close delimiter --" +
                             std::string(boundary) + "--");
        }
        // The line break before the delimiter belongs to the delimiter.
        size_t end = next;
        if (end > start && body[end - 1] == '\n')
        {
            --end;
            if (end > start && body[end - 1] == '\r')
            {
                --end;
            }
        }
        std::string_view content = body.substr(start, end - start);
        BodyPart part;
        // Part headers run to the first empty line; a part may have none.
        size_t hdrEnd = 0;
        size_t bodyStart = 0;
        if (LineBreakAt(content, 0) > 0)
        {
            bodyStart = LineBreakAt(content, 0);
        }
        else
        {
            size_t q = content.find("\n\r\n");
            size_t q2 = content.find("\n\n");
            if (q == std::string_view::npos && q2 == std::string_view::npos)
            {
                return MakeError("multipart body part without an empty line after its headers");
            }
            if (q2 != std::string_view::npos && (q == std::string_view::npos || q2 < q))
            {
                hdrEnd = q2 + 1;
                bodyStart = q2 + 2;
            }
            else
            {
                hdrEnd = q + 1;
                bodyStart = q + 3;
            }
            auto err = ForEachHeaderLine(
                content.substr(0, hdrEnd),
                1,
                [&](std::string_view name, std::string_view value, uint32_t line)
                    -> std::optional<ParseError> {
                    HeaderField h;
                    h.id = LookupHeader(name);
                    h.name = name;
                    h.value = value;
                    h.line = line;
                    if (h.id == HeaderId::kContentType || h.id == HeaderId::kContentLength)
                    {
                        if (auto bad = ValidateHeaderValue(h.id, value))
                        {
                            bad->line = static_cast<int>(line);
                            bad->header = std::string(name);
                            return bad;
                        }
                    }
                    part.headers.push_back(h);
                    return std::nullopt;
                });
            if (err)
            {
                err->reason = "body part " + std::to_string(parts.size() + 1) + ": " + err->reason;
                return *err;
            }
        }
        part.body = content.substr(bodyStart);
        parts.push_back(std::move(part));
        p = next;
    }
}

Result<std::vector<BodyPart>>
ParseMultipart(const SipMessage& m)
{
    auto ct = m.GetContentType();
    if (!ct || !text::IEquals(ct->type, "multipart"))
    {
        return MakeError("body is not multipart");
    }
    auto boundary = ct->params.GetDecoded("boundary");
    if (!boundary)
    {
        return MakeError("multipart Content-Type without a boundary parameter");
    }
    return ParseMultipart(m.GetBody(), *boundary);
}

} // namespace sipbed
