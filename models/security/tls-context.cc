#include "models/security/tls-context.h"

#include "models/security/openssl-error.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <climits>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>
#include <vector>

namespace sipbed
{
namespace
{

// Hands OpenSSL the configured passphrase. Passing no callback would make
// OpenSSL prompt on the terminal for an encrypted key: a simulation must
// fail instead of waiting for a keyboard.
int
PassphraseCallback(char* buf, int size, int /* rwflag */, void* userdata)
{
    const auto* passphrase = static_cast<const std::string*>(userdata);
    if (passphrase == nullptr || passphrase->empty() || size <= 0 ||
        passphrase->size() > static_cast<size_t>(size))
    {
        return -1;
    }
    std::memcpy(buf, passphrase->data(), passphrase->size());
    return static_cast<int>(passphrase->size());
}

const std::string kNoPassphrase;

bool
ReadWholeFile(const std::string& path, std::string& out)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        return false;
    }
    std::ostringstream buf;
    buf << in.rdbuf();
    out = buf.str();
    return !in.bad();
}

// `pem` if `file` is empty, else the file's content.
bool
PemSource(const std::string& pem,
          const std::string& file,
          const char* what,
          std::string& out,
          std::string& error)
{
    if (file.empty())
    {
        out = pem;
        return true;
    }
    if (!ReadWholeFile(file, out))
    {
        error = std::string(what) + ": cannot read " + file;
        return false;
    }
    return true;
}

BioPtr
MemoryBio(const std::string& data)
{
    if (data.size() > static_cast<size_t>(INT_MAX))
    {
        return nullptr;
    }
    return BioPtr(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
}

// Every certificate in a PEM text, in order; other PEM blocks (a key kept in
// the same file) are skipped by OpenSSL.
bool
ReadCertificates(const std::string& pem,
                 const char* what,
                 std::vector<X509Ptr>& out,
                 std::string& error)
{
    BioPtr bio = MemoryBio(pem);
    if (!bio)
    {
        error = std::string(what) + ": cannot read PEM";
        return false;
    }
    ERR_clear_error();
    for (;;)
    {
        X509Ptr cert(PEM_read_bio_X509(
            bio.get(), nullptr, PassphraseCallback, const_cast<std::string*>(&kNoPassphrase)));
        if (!cert)
        {
            break;
        }
        out.push_back(std::move(cert));
    }
    // The loop always ends on an error; "no start line" just means "no
    // more certificates", anything else is a damaged block.
    unsigned long last = ERR_peek_last_error();
    if (last != 0 &&
        !(ERR_GET_LIB(last) == ERR_LIB_PEM && ERR_GET_REASON(last) == PEM_R_NO_START_LINE))
    {
        error = std::string(what) + ": " + TakeOpenSslError();
        return false;
    }
    ERR_clear_error();
    if (out.empty())
    {
        error = std::string(what) + ": no PEM certificate found";
        return false;
    }
    return true;
}

int
ProtocolVersion(TlsVersion v)
{
    switch (v)
    {
    case TlsVersion::kTls1_0:
        return TLS1_VERSION;
    case TlsVersion::kTls1_1:
        return TLS1_1_VERSION;
    case TlsVersion::kTls1_2:
        return TLS1_2_VERSION;
    case TlsVersion::kTls1_3:
        return TLS1_3_VERSION;
    }
    return TLS1_2_VERSION;
}

bool
LoadIdentity(SSL_CTX* ctx, const TlsConfig& config, bool& loaded, std::string& error)
{
    loaded = false;
    std::string certPem;
    std::string keyPem;
    if (!PemSource(config.certificatePem, config.certificateFile, "certificate", certPem, error) ||
        !PemSource(config.privateKeyPem, config.privateKeyFile, "private key", keyPem, error))
    {
        return false;
    }
    if (certPem.empty() && keyPem.empty())
    {
        return true; // a client without a certificate
    }
    if (certPem.empty() || keyPem.empty())
    {
        error = certPem.empty() ? "private key given without a certificate"
                                : "certificate given without a private key";
        return false;
    }

    std::vector<X509Ptr> chain;
    if (!ReadCertificates(certPem, "certificate", chain, error))
    {
        return false;
    }
    ERR_clear_error();
    // The security level is already set: this is where OpenSSL refuses a
    // key or digest that is too weak for it.
    if (SSL_CTX_use_certificate(ctx, chain[0].get()) != 1)
    {
        error = "certificate: " + TakeOpenSslError();
        return false;
    }
    for (size_t i = 1; i < chain.size(); ++i)
    {
        if (SSL_CTX_add1_chain_cert(ctx, chain[i].get()) != 1)
        {
            error = "certificate chain: " + TakeOpenSslError();
            return false;
        }
    }

    BioPtr bio = MemoryBio(keyPem);
    EvpPkeyPtr key;
    if (bio)
    {
        key.reset(PEM_read_bio_PrivateKey(bio.get(),
                                          nullptr,
                                          PassphraseCallback,
                                          const_cast<std::string*>(&config.privateKeyPassphrase)));
    }
    if (!key)
    {
        error = "private key: " + TakeOpenSslError("no PEM private key found");
        return false;
    }
    if (SSL_CTX_use_PrivateKey(ctx, key.get()) != 1 || SSL_CTX_check_private_key(ctx) != 1)
    {
        ERR_clear_error();
        error = "private key does not match the certificate";
        return false;
    }
    loaded = true;
    return true;
}

bool
LoadTrust(SSL_CTX* ctx, const TlsConfig& config, std::string& error)
{
    std::vector<std::string> pems;
    if (!config.trustedCaPem.empty())
    {
        pems.push_back(config.trustedCaPem);
    }
    for (const auto& file : config.trustedCaFiles)
    {
        std::string pem;
        if (!PemSource("", file, "trusted CA", pem, error))
        {
            return false;
        }
        pems.push_back(std::move(pem));
    }
    X509_STORE* store = SSL_CTX_get_cert_store(ctx);
    for (const auto& pem : pems)
    {
        std::vector<X509Ptr> certs;
        if (!ReadCertificates(pem, "trusted CA", certs, error))
        {
            return false;
        }
        for (const auto& cert : certs)
        {
            // The store takes its own reference.
            if (X509_STORE_add_cert(store, cert.get()) != 1)
            {
                error = "trusted CA: " + TakeOpenSslError();
                return false;
            }
        }
    }
    return true;
}

} // namespace

std::unique_ptr<TlsContext>
TlsContext::Create(const TlsConfig& config, std::string* error)
{
    std::string why;
    auto fail = [&](std::string reason) -> std::unique_ptr<TlsContext> {
        ERR_clear_error();
        if (error != nullptr)
        {
            *error = std::move(reason);
        }
        return nullptr;
    };

    if (config.securityLevel < 0 || config.securityLevel > 5)
    {
        return fail("security level " + std::to_string(config.securityLevel) + " is outside 0..5");
    }
    if (config.minVersion > config.maxVersion)
    {
        return fail("minimum TLS version is above the maximum");
    }

    ERR_clear_error();
    std::unique_ptr<TlsContext> context(new TlsContext());
    context->m_ctx.reset(SSL_CTX_new(TLS_method()));
    SSL_CTX* ctx = context->m_ctx.get();
    if (ctx == nullptr)
    {
        return fail("cannot create an SSL_CTX: " + TakeOpenSslError());
    }

    // Cipher strings first: an "@SECLEVEL=n" inside them would otherwise
    // override the explicit securityLevel, which is meant to win.
    if (!config.cipherList.empty() && SSL_CTX_set_cipher_list(ctx, config.cipherList.c_str()) != 1)
    {
        return fail("cipher list \"" + config.cipherList + "\": " + TakeOpenSslError());
    }
    if (!config.cipherSuites.empty() &&
        SSL_CTX_set_ciphersuites(ctx, config.cipherSuites.c_str()) != 1)
    {
        return fail("TLS 1.3 cipher suites \"" + config.cipherSuites + "\": " + TakeOpenSslError());
    }
    // sec-flows 3: RSA-1024 keys and SHA-1 signatures load and verify only
    // at level 0. Set before the certificate is loaded, which checks it.
    SSL_CTX_set_security_level(ctx, config.securityLevel);
    if (SSL_CTX_set_min_proto_version(ctx, ProtocolVersion(config.minVersion)) != 1 ||
        SSL_CTX_set_max_proto_version(ctx, ProtocolVersion(config.maxVersion)) != 1)
    {
        return fail("unsupported TLS version range: " + TakeOpenSslError());
    }

    // No session resumption is modelled: every connection makes a full
    // handshake (what the server capacity model charges for). Tickets and a
    // server-side session cache would only cost bytes on the simulated
    // wire and memory per connection.
    SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION);
    SSL_CTX_set_num_tickets(ctx, 0);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    // An idle connection gives its record buffers back: an established
    // engine then holds about 20 KB instead of 53 KB (bench/tls-bench.cc),
    // which is what lets 100,000 UAs keep TLS flows open.
    SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);

    if (!LoadIdentity(ctx, config, context->m_hasCertificate, why) || !LoadTrust(ctx, config, why))
    {
        return fail(why);
    }

    if (config.verificationTime)
    {
        X509_VERIFY_PARAM_set_time(SSL_CTX_get0_param(ctx),
                                   static_cast<time_t>(*config.verificationTime));
    }
    context->m_verifyServer = config.verifyServer;
    context->m_requireClientCertificate = config.requireClientCertificate;
    ERR_clear_error();
    return context;
}

} // namespace sipbed
