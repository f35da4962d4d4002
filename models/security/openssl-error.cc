#include "models/security/openssl-error.h"

#include <openssl/err.h>

namespace sipbed
{

std::string
OpenSslReason(unsigned long code)
{
    const char* reason = ERR_reason_error_string(code);
    if (reason != nullptr)
    {
        return reason;
    }
    // No text registered (a provider's private code): the packed form still
    // lets someone look it up with `openssl errstr`.
    char buf[256];
    ERR_error_string_n(code, buf, sizeof(buf));
    return buf;
}

std::string
TakeOpenSslError(const std::string& fallback)
{
    // The oldest entry is the root cause; later ones are callers adding
    // context ("SSL routines::..." on top of an X.509 or ASN.1 failure).
    unsigned long code = ERR_get_error();
    ERR_clear_error();
    return code != 0 ? OpenSslReason(code) : fallback;
}

} // namespace sipbed
