// The shared half of TLS: an OpenSSL SSL_CTX built from a TlsConfig (own
// certificate and key, trust anchors, security level, protocol versions,
// verification time). One context serves any number of TlsEngines, client
// or server, e.g. every UA of a simulated node.
#ifndef SIPBED_TLS_CONTEXT_H
#define SIPBED_TLS_CONTEXT_H

#include "models/security/openssl-handles.h"
#include "models/security/tls-config.h"

#include <memory>
#include <string>

namespace sipbed
{

class TlsContext
{
  public:
    /// Builds a context; on failure returns nullptr and, if `error` is not
    /// null, says what is wrong ("private key does not match the
    /// certificate", "certificate: ee key too small" ...). Never aborts.
    static std::unique_ptr<TlsContext> Create(const TlsConfig& config, std::string* error);

    TlsContext(const TlsContext&) = delete;
    TlsContext& operator=(const TlsContext&) = delete;

    /// The OpenSSL context. An engine takes its own reference to it, so a
    /// TlsContext may be destroyed while engines made from it still run.
    SSL_CTX* NativeHandle() const
    {
        return m_ctx.get();
    }

    /// A certificate and key are loaded (a server cannot work without).
    bool HasCertificate() const
    {
        return m_hasCertificate;
    }

    bool VerifyServer() const
    {
        return m_verifyServer;
    }

    bool RequireClientCertificate() const
    {
        return m_requireClientCertificate;
    }

  private:
    TlsContext() = default;

    SslCtxPtr m_ctx;
    bool m_hasCertificate = false;
    bool m_verifyServer = true;
    bool m_requireClientCertificate = false;
};

} // namespace sipbed

#endif
