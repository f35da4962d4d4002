#include "models/security/sec-flows-tls.h"

namespace sipbed
{

std::shared_ptr<TlsContext>
MakeSecFlowsTlsContext(const std::string& dir, const std::string& identity, std::string* error)
{
    TlsConfig c;
    if (!identity.empty())
    {
        c.certificateFile = dir + "/" + identity + "_cert.pem";
        c.privateKeyFile = dir + "/" + identity + "_key.pem";
    }
    c.trustedCaFiles = {dir + "/ca_cert.pem"};
    c.verificationTime = kSecFlowsVerificationTime;
    return TlsContext::Create(c, error);
}

} // namespace sipbed
