// What a server element checks in a request before acting on it, and the
// error response when a check fails (RFC 3261 8.2 for a UAS and a
// registrar, 16.3 for a proxy). The roles call CheckRequest first; the
// `semantic` rows of RFC 4475 (../shared/torture/expected.tsv) are the test.
//
// Checks, in the RFC's order:
//   1. required headers present (8.1.1: To, From, CSeq, Call-ID, Via) and
//      single-valued headers not repeated (7.3.1; RFC 4475 3.3.8/3.3.9) -> 400;
//   2. proxy: Max-Forwards 0 -> 483 (16.3 item 3);
//   3. Request-URI scheme the element does not serve -> 416 (8.2.2.1, 16.3);
//   4. Require (UAS, registrar) or Proxy-Require (proxy) with an option tag
//      not supported -> 420 with Unsupported listing them (8.2.2.3, 16.3 item 5);
//   5. UAS: a body of a type it cannot read -> 415 with Accept (8.2.3);
//      an Accept that allows none of the types it answers with -> 406 (21.4.7).
// Authentication (401/407, e.g. an unknown Authorization scheme at a
// registrar) is the role's, with the digest module.
#ifndef SIPBED_REQUEST_CHECKS_H
#define SIPBED_REQUEST_CHECKS_H

#include "models/sip/sip-message.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sipbed
{

struct RequestPolicy
{
    enum class Element
    {
        kUas,       ///< a user agent server
        kRegistrar, ///< a registrar (a UAS for REGISTER)
        kProxy,     ///< a proxy: forwards what it does not answer itself
    };
    Element element = Element::kUas;
    /// URI schemes the element serves in the Request-URI.
    std::vector<std::string> schemes = {"sip", "sips"};
    /// Option tags the element supports (Require for a UAS, Proxy-Require for a proxy).
    std::vector<std::string> optionTags;
    /// Body types a UAS reads ("type/subtype").
    std::vector<std::string> bodyTypes = {"application/sdp"};
    /// Types a UAS answers INVITE with ("type/subtype"), checked against Accept.
    std::vector<std::string> answerTypes = {"application/sdp"};
};

/// An error response to send: status, reason, and headers it must carry.
struct Rejection
{
    int status = 400;
    std::string reason;
    std::vector<std::pair<std::string, std::string>> headers;
};

/// The first check the request fails, or nothing.
std::optional<Rejection> CheckRequest(const SipMessage& request, const RequestPolicy& policy);

} // namespace sipbed

#endif
