// TLS contexts built from the sec-flows test vectors
// (../shared/vectors/sec-flows): the certificates every TLS run in sipbed
// uses, checked at a time inside their validity (they expired in 2008).
#ifndef SIPBED_SEC_FLOWS_TLS_H
#define SIPBED_SEC_FLOWS_TLS_H

#include "models/security/tls-context.h"

#include <memory>
#include <string>

namespace sipbed
{

/// A context trusting the sec-flows CA (`dir`/ca_cert.pem), verifying at
/// kSecFlowsVerificationTime. With `identity` ("examplecom", "examplenet")
/// it also presents `dir`/<identity>_cert.pem with its key (a server); with
/// an empty one it presents nothing (a client). Null, with `error` set, when
/// a file is missing or unusable.
std::shared_ptr<TlsContext> MakeSecFlowsTlsContext(const std::string& dir,
                                                   const std::string& identity,
                                                   std::string* error);

} // namespace sipbed

#endif
