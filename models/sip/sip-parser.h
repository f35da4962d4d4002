// Reading SIP messages from bytes (RFC 3261 section 7 and 18.3).
#ifndef SIPBED_SIP_PARSER_H
#define SIPBED_SIP_PARSER_H

#include "models/sip/sip-message.h"

#include <optional>
#include <string>
#include <string_view>

namespace sipbed
{

/// One datagram holds one message (RFC 3261 18.3): octets beyond
/// Content-Length are ignored; a Content-Length larger than what follows the
/// headers is an error; without Content-Length the body runs to the end.
Result<SipMessage> ParseDatagram(std::string_view bytes);
/// The same, taking the buffer over instead of copying it.
Result<SipMessage> ParseDatagram(std::string&& bytes);

/// Scans one header field starting at pos: up to the line break that is not
/// followed by white space (a fold continues the field, RFC 3261 7.3.1).
/// Returns the end of the field; brLen is the length of its final line break
/// (0 when the text ends first); folds counts the continuation lines.
size_t HeaderFieldEnd(std::string_view buf, size_t pos, size_t& brLen, uint32_t& folds);

/// Checks a header name (a token); returns the error for a bad one.
std::optional<ParseError> CheckHeaderName(std::string_view name, uint32_t line);

/// Splits a header section (lines up to, not including, the empty line) into
/// fields, honouring line folds. Calls f(name, value, line) -> optional<ParseError>
/// for each field, with `firstLine` the line number of the first one; returns
/// an error for a line without ':' or with an invalid name, or f's error.
/// Used for SIP headers and for the headers of MIME body parts.
template <class F>
std::optional<ParseError>
ForEachHeaderLine(std::string_view block, uint32_t firstLine, F&& f)
{
    size_t pos = 0;
    uint32_t line = firstLine;
    while (pos < block.size())
    {
        if (text::IsWsp(block[pos]))
        {
            ParseError e = MakeError("line starts with white space but continues no header");
            e.line = static_cast<int>(line);
            return e;
        }
        size_t brLen = 0;
        uint32_t folds = 0;
        size_t end = HeaderFieldEnd(block, pos, brLen, folds);
        std::string_view field = block.substr(pos, end - pos);
        size_t colon = field.find(':');
        if (colon == std::string_view::npos)
        {
            ParseError e = MakeError("header line without ':'");
            e.line = static_cast<int>(line);
            return e;
        }
        // HCOLON = *( SP / HTAB ) ":" SWS
        std::string_view name = field.substr(0, colon);
        while (!name.empty() && text::IsWsp(name.back()))
        {
            name.remove_suffix(1);
        }
        if (auto bad = CheckHeaderName(name, line))
        {
            return bad;
        }
        if (auto err = f(name, text::Trim(field.substr(colon + 1)), line))
        {
            return err;
        }
        line += 1 + folds;
        pos = end + brLen;
    }
    return std::nullopt;
}

/// Builds messages; used by ParseDatagram and StreamFramer.
class SipParser
{
  public:
    enum class Framing
    {
        kDatagram, ///< body per Content-Length if present, else to the end
        kStream,   ///< the bytes are exactly one message; Content-Length required
    };

    static Result<SipMessage> Parse(std::string&& bytes, Framing framing);

  private:
    static std::optional<ParseError> ParseStartLine(std::string_view line, SipMessage& m);
};

using text::LineBreakAt;

} // namespace sipbed

#endif
