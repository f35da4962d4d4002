// Settings of a TlsContext (see tls-context.h): identity, trust anchors and
// the OpenSSL knobs that the sec-flows vectors need. Plain data; TlsContext
// checks it and reports what is wrong.
#ifndef SIPBED_TLS_CONFIG_H
#define SIPBED_TLS_CONFIG_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sipbed
{

enum class TlsVersion : uint8_t
{
    kTls1_0,
    kTls1_1,
    kTls1_2,
    kTls1_3,
};

/// 2006-02-18 00:00:00 UTC: inside the validity of every sec-flows
/// certificate (2005-02-03 to 2008-02-03) and of their CA (to 2013-07-15).
constexpr int64_t kSecFlowsVerificationTime = 1140220800;

struct TlsConfig
{
    /// Own certificate, then the rest of the chain to send (PEM blocks,
    /// concatenated). Needed by a server; by a client only for mutual TLS.
    std::string certificatePem;
    /// Read instead of certificatePem when not empty.
    std::string certificateFile;

    /// Private key of the certificate (PEM: PKCS#8, or the traditional
    /// "RSA PRIVATE KEY" form of the sec-flows vectors).
    std::string privateKeyPem;
    std::string privateKeyFile;
    /// For an encrypted key; never prompted for on a terminal.
    std::string privateKeyPassphrase;

    /// Certificates that anchor the peer's chain (PEM, any number).
    std::string trustedCaPem;
    std::vector<std::string> trustedCaFiles;

    /// OpenSSL security level (SSL_CTX_set_security_level). 0 by default:
    /// every sec-flows key is RSA-1024 and every signature SHA-1, which
    /// levels 1 and up refuse ("ee key too small", "ca md too weak").
    /// TLS 1.0 and 1.1 also need level 0 in OpenSSL 3.
    int securityLevel = 0;

    /// TLS 1.2 and 1.3 both work with the RSA-1024 vectors at level 0.
    /// TLS 1.0 (what the sec-flows trace shows, SF-1) can be chosen for
    /// interop experiments; it is not the default because no peer of today
    /// should need it.
    TlsVersion minVersion = TlsVersion::kTls1_2;
    TlsVersion maxVersion = TlsVersion::kTls1_3;

    /// Time certificates are checked at (unix seconds; X509_VERIFY_PARAM_set_time).
    /// Unset: the machine's clock, which makes every sec-flows certificate
    /// "expired". Simulations set it (e.g. kSecFlowsVerificationTime plus
    /// the simulated time) so results do not depend on the day they run.
    std::optional<int64_t> verificationTime;

    /// Client: verify the server's chain and name. Turning it off models a
    /// client that accepts any certificate (sec-flows 7: "many clients
    /// accepted them with no warning").
    bool verifyServer = true;
    /// Server: ask for a client certificate and fail without a valid one.
    bool requireClientCertificate = false;

    /// OpenSSL cipher string for TLS 1.0-1.2 ("AES128-SHA" is sec-flows' SF-1
    /// suite); empty: OpenSSL's default list.
    std::string cipherList;
    /// TLS 1.3 suites (SSL_CTX_set_ciphersuites syntax); empty: default.
    std::string cipherSuites;
};

} // namespace sipbed

#endif
