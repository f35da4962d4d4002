// The SIP transport's StreamFilter (models/sip/stream-filter.h) over a
// TlsEngine: how SIP over TLS (RFC 3261 26.2.1) runs a real OpenSSL
// handshake and record layer inside whatever carries the TCP bytes (ns-3
// segments in the simulator).
#ifndef SIPBED_TLS_STREAM_FILTER_H
#define SIPBED_TLS_STREAM_FILTER_H

#include "models/security/tls-context.h"
#include "models/security/tls-engine.h"
#include "models/sip/stream-filter.h"

#include <memory>

namespace sipbed
{

class TlsStreamFilter : public StreamFilter
{
  public:
    /// `expectedServerName`: what a client checks the server certificate
    /// against (and sends as SNI); ignored by a server.
    TlsStreamFilter(const TlsContext& context, bool client, const std::string& expectedServerName);

    void Start() override;
    void FromNetwork(std::string_view bytes) override;
    void Write(std::string_view plaintext) override;
    std::string TakeToNetwork() override;
    std::string TakePlaintext() override;
    std::optional<std::string> GetError() const override;

    const TlsEngine& GetEngine() const
    {
        return m_engine;
    }

  private:
    TlsEngine m_engine;
};

/// A StreamFilterFactory for SipTransport::Config::tls: clients expect
/// `serverName`; both ends share `context` (which must outlive the filters'
/// factory users; the engines keep their own reference to it).
StreamFilterFactory MakeTlsFilterFactory(std::shared_ptr<TlsContext> context, std::string serverName);

} // namespace sipbed

#endif
