// multipart MIME bodies (RFC 2046 5.1) with per-part headers, as used by
// S/MIME in SIP (multipart/signed, multipart/mixed; RFC 3261 7.4, 23).
#ifndef SIPBED_MULTIPART_H
#define SIPBED_MULTIPART_H

#include "models/sip/sip-message.h"

#include <string_view>
#include <vector>

namespace sipbed
{

struct BodyPart
{
    std::vector<HeaderField> headers; ///< views into the body text
    std::string_view body;            ///< the part's content, views into the body text

    const HeaderField* FindHeader(HeaderId id) const;
    std::optional<MediaType> GetContentType() const;
};

/// Splits `body` at `boundary` (the Content-Type boundary parameter,
/// unquoted). The preamble and epilogue are ignored; the close delimiter
/// is required.
Result<std::vector<BodyPart>> ParseMultipart(std::string_view body, std::string_view boundary);

/// The parts of a message whose Content-Type is multipart/<anything>.
Result<std::vector<BodyPart>> ParseMultipart(const SipMessage& m);

} // namespace sipbed

#endif
