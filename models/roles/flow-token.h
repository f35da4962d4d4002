// Names the flow a UA reached an edge proxy on (the transport, the UA's
// public address and port as the proxy sees them, and the connection for a
// stream), as the user part of a URI the edge proxy puts in Path and
// Record-Route. Requests that come back with that URI in Route go out on
// the same flow: the only way through the UA's NAT.
//
// This is the plain form: "f" + transport letter + address and port in hex
// + "." + connection. The outbound draft's flow tokens add an HMAC so a
// forged token is rejected (issue for outbound); they will replace Encode
// and Decode here.
#ifndef SIPBED_FLOW_TOKEN_H
#define SIPBED_FLOW_TOKEN_H

#include "models/core/transport-address.h"

#include <optional>
#include <string>
#include <string_view>

namespace sipbed
{

std::string EncodeFlowToken(const TransportAddress& flow);

/// nullopt for anything Encode did not produce.
std::optional<TransportAddress> DecodeFlowToken(std::string_view token);

} // namespace sipbed

#endif
