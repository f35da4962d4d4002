#include "models/security/tls-stream-filter.h"

namespace sipbed
{

TlsStreamFilter::TlsStreamFilter(const TlsContext& context, bool client, const std::string& expectedServerName)
    : m_engine(context, client ? TlsEngine::Role::kClient : TlsEngine::Role::kServer, expectedServerName)
{
}

void
TlsStreamFilter::Start()
{
    m_engine.Start();
}

void
TlsStreamFilter::FromNetwork(std::string_view bytes)
{
    m_engine.OnBytesFromNetwork(bytes);
}

void
TlsStreamFilter::Write(std::string_view plaintext)
{
    m_engine.Write(plaintext);
}

std::string
TlsStreamFilter::TakeToNetwork()
{
    return m_engine.TakeBytesToNetwork();
}

std::string
TlsStreamFilter::TakePlaintext()
{
    return m_engine.TakeApplicationBytes();
}

std::optional<std::string>
TlsStreamFilter::GetError() const
{
    if (!m_engine.HasFailed())
    {
        return std::nullopt;
    }
    return m_engine.GetError().reason;
}

StreamFilterFactory
MakeTlsFilterFactory(std::shared_ptr<TlsContext> context, std::string serverName)
{
    return [context, serverName](bool client, const TransportAddress&) -> std::unique_ptr<StreamFilter> {
        return std::make_unique<TlsStreamFilter>(*context, client, serverName);
    };
}

} // namespace sipbed
