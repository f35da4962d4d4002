// Structured view of a message for `sipbed parse --json`, Python and tests:
// start line, every header field with its typed interpretation, the body,
// and the parts of a multipart body.
#ifndef SIPBED_SIP_JSON_H
#define SIPBED_SIP_JSON_H

#include "models/sip/sip-message.h"

#include <nlohmann/json.hpp>

namespace sipbed
{

nlohmann::json ToJson(const SipMessage& m);
nlohmann::json ToJson(const SipUri& u);
/// The typed view of one header field's value (a list for list fields).
nlohmann::json HeaderValueToJson(const HeaderField& h);

} // namespace sipbed

#endif
