// A layer between a stream connection's bytes and SIP's (TLS, RFC 3261
// 26.2.1 / 18). SipTransport runs one per TLS connection; the TLS engine of
// models/security implements it (an adapter), so that models/sip does not
// depend on OpenSSL and transport tests can use a trivial filter.
#ifndef SIPBED_STREAM_FILTER_H
#define SIPBED_STREAM_FILTER_H

#include "models/core/transport-address.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace sipbed
{

class StreamFilter
{
  public:
    virtual ~StreamFilter() = default;

    /// The connection is up: a client starts its handshake here.
    virtual void Start() = 0;
    /// Bytes that arrived from the network.
    virtual void FromNetwork(std::string_view bytes) = 0;
    /// Application bytes to protect (buffered until the handshake is done).
    virtual void Write(std::string_view plaintext) = 0;
    /// Protected bytes to put on the wire now (may be empty).
    virtual std::string TakeToNetwork() = 0;
    /// Application bytes recovered so far (may be empty).
    virtual std::string TakePlaintext() = 0;
    /// Set once the filter failed (handshake or record error): a readable
    /// reason; the connection must be closed.
    virtual std::optional<std::string> GetError() const = 0;
};

/// Makes the filter of a new connection: `client` for one we opened.
using StreamFilterFactory =
    std::function<std::unique_ptr<StreamFilter>(bool client, const TransportAddress& peer)>;

} // namespace sipbed

#endif
