// Does a TLS server's certificate name the host the client meant to reach?
// The rule is the one of sec-flows-01 section 8 (003:1447-1457), which SIP
// peers were tested against:
//
// - the host name (the one fed into RFC 3263 resolution) must be an exact,
//   case-insensitive match of a dNSName subjectAltName if the certificate has
//   ANY dNSName; wildcards are NOT allowed there;
// - only if there is no dNSName at all (URI-only or no subjectAltName) is the
//   most specific Subject CN used, exact or with a '*' wildcard (RFC 2818 3.1).
//
// Written by hand because OpenSSL's X509_check_host() applies the RFC 6125
// rules instead: it accepts wildcards in dNSName and, by default, falls back
// to the CN only when there is no subjectAltName of any kind.
#ifndef SIPBED_CERTIFICATE_NAME_CHECK_H
#define SIPBED_CERTIFICATE_NAME_CHECK_H

#include <openssl/types.h>

#include <string>
#include <string_view>
#include <vector>

namespace sipbed
{

struct CertificateNameCheckResult
{
    bool matched = false;
    /// True when the certificate had no dNSName and its CN was checked.
    bool usedCommonName = false;
    /// The names checked against: every dNSName, or the most specific CN.
    /// Bytes outside printable ASCII are shown as '?'.
    std::vector<std::string> presentedNames;
    /// Empty when matched, else e.g. "name mismatch: expected
    /// good.example.com, certificate has example.net".
    std::string reason;
};

/// Checks `certificate` against `expectedHost` (a DNS name; one trailing dot
/// is ignored). A malformed subjectAltName, an embedded NUL or a wildcard in
/// the expected host never match.
CertificateNameCheckResult CheckCertificateName(const X509* certificate,
                                                std::string_view expectedHost);

/// The CN rule alone: `pattern` (a CN) names `host`, exactly or through one
/// '*' in its leftmost label that stands for one or more characters of one
/// label ("*.example.com" and "f*.example.com" name "foo.example.com", not
/// "a.foo.example.com" or "example.com"). Case-insensitive ASCII. A
/// wildcard needs two labels after it ("*.com" names nothing): RFC 2818 is
/// silent on this, but a certificate for a whole top-level domain is never
/// the intent.
bool CommonNameMatchesHost(std::string_view pattern, std::string_view host);

} // namespace sipbed

#endif
