#include "models/roles/sip-element.h"

#include "models/sip/transaction-messages.h"
#include "models/sip/via.h"

namespace sipbed
{

SipElement::SipElement(const ElementEnvironment& env, const ElementConfig& config)
    : m_env(env),
      m_config(config)
{
    SipTransport::Handler h;
    h.onMessage = [this](SipMessage&& m, const TransportAddress& from, size_t bytes) {
        if (m_env.counters)
        {
            std::string key = m.IsRequest() ? std::string(m.GetMethod())
                                            : std::to_string(m.GetStatusCode());
            if (!m.IsRequest() && m.GetCSeq())
            {
                key += " " + std::string(m.GetCSeq()->method);
            }
            m_env.counters->CountReceived(key, bytes);
        }
        if (m_gate)
        {
            m_gate->Admit(*this, std::move(m), from, bytes);
            return;
        }
        ProcessInbound(std::move(m), from);
    };
    h.onStun = [this](std::string_view bytes, const TransportAddress& from) { OnStun(bytes, from); };
    h.onKeepalive = [this](size_t n, const TransportAddress& from) { OnKeepalive(n, from); };
    h.onClosed = [this](const TransportAddress& peer, const std::string& reason) {
        // 17.1.4 / 17.2.4: transactions waiting on this connection fail.
        m_layer->OnTransportFailure(peer);
        OnConnectionClosed(peer, reason);
        if (m_gate)
        {
            m_gate->ConnectionClosed(*this, peer);
        }
    };
    SipTransport::Config tc;
    tc.localIp = config.ip;
    tc.tls = config.tls;
    tc.sendCounter = env.counters ? &env.counters->transportSends : nullptr;
    m_transport = std::make_unique<SipTransport>(env.io, tc, std::move(h));
    m_layer = std::make_unique<TransactionLayer>(env.timers, m_outlet, *this, config.transactions);
}

SipElement::~SipElement() = default;

namespace
{

/// RFC 3261 8.2.7: a stateless UAS generates the To tag of its responses
/// deterministically, the same for the same request (retransmissions
/// included): here an FNV-1a hash of the top Via branch (17.2.3 matching
/// key) and the Call-ID, as 8 hex digits.
std::string
StatelessTag(const SipMessage& request)
{
    uint32_t h = 2166136261u;
    auto mix = [&h](std::string_view text) {
        for (char c : text)
        {
            h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
        }
    };
    if (const std::optional<Via> via = request.GetTopVia())
    {
        mix(via->GetBranch().value_or(""));
    }
    mix(request.GetCallId().value_or(""));
    static const char kHex[] = "0123456789abcdef";
    std::string tag(8, '0');
    for (size_t i = 0; i < tag.size(); ++i)
    {
        tag[i] = kHex[(h >> (28 - 4 * i)) & 0xf];
    }
    return tag;
}

} // namespace

void
SipElement::ProcessInbound(SipMessage&& message, const TransportAddress& from)
{
    m_layer->OnReceive(message, from);
}

bool
SipElement::RejectOverloaded(const SipMessage& request,
                             const TransportAddress& from,
                             uint32_t retryAfterSeconds)
{
    // 17.1.1.3 / 17.2.1: an ACK is never answered; nor is a response.
    if (!request.IsRequest() || request.GetMethod() == "ACK")
    {
        return false;
    }
    std::optional<SipMessage> r =
        MakeResponseFor(request, 503, "Service Unavailable", StatelessTag(request));
    if (!r)
    {
        return false;
    }
    if (retryAfterSeconds != 0)
    {
        r->AddHeader("Retry-After", std::to_string(retryAfterSeconds));
    }
    if (r->CountHeaders(HeaderId::kContentLength) == 0)
    {
        r->AddHeader("Content-Length", "0");
    }
    // `from` carries the source address and port (RFC 3581 symmetric
    // response) and, for a stream, the connection (18.2.2).
    return m_layer->SendStateless(*r, from);
}

size_t
SipElement::EstimateMemoryBytes() const
{
    return sizeof(*this) + sizeof(SipTransport) + m_layer->EstimateMemoryBytes();
}

TransactionTransport::Result
SipElement::Outlet::SendMessage(std::string_view bytes, const TransportAddress& to, Kind kind)
{
    const SipTransport::SendResult r = m_element.m_transport->SendBytes(bytes, to);
    if (r.ok && m_element.m_env.counters)
    {
        m_element.m_env.counters->CountSent(bytes, IsRetransmission(kind));
    }
    TransactionTransport::Result result;
    result.ok = r.ok;
    result.connection = r.connection;
    return result;
}

std::string
SipElement::NewBranch()
{
    return MakeTransactionBranch(
        [this]() { return static_cast<uint32_t>(m_env.random.Below(uint64_t(1) << 32)); });
}

std::string
SipElement::NewTag()
{
    return m_env.random.Token(10);
}

std::string
SipElement::NewCallId()
{
    return m_env.random.Token(16) + "@" + FormatIpv4(m_config.ip);
}

std::string
SipElement::MakeVia(const std::string& branch) const
{
    return "SIP/2.0/" + std::string(TransportName(m_config.transport)) + " " +
           FormatIpv4(m_config.ip) + ":" + std::to_string(m_config.port) + ";branch=" + branch +
           ";rport";
}

std::string
SipElement::LocalUri(const std::string& user) const
{
    std::string uri = "sip:";
    if (!user.empty())
    {
        uri += user + "@";
    }
    uri += FormatIpv4(m_config.ip) + ":" + std::to_string(m_config.port);
    if (m_config.transport == TransportKind::kTcp)
    {
        uri += ";transport=tcp";
    }
    else if (m_config.transport == TransportKind::kTls)
    {
        uri += ";transport=tls";
    }
    return uri;
}

std::optional<TransportAddress>
SipElement::Resolve(const SipUri& uri) const
{
    uint32_t ip = 0;
    if (!uri.IsSipOrSips() || !ParseIpv4(uri.GetHost(), ip))
    {
        return std::nullopt;
    }
    TransportAddress to;
    to.ip = ip;
    to.kind = m_config.transport;
    if (auto t = uri.GetParams().Get("transport"))
    {
        if (!ParseTransportName(*t, to.kind))
        {
            return std::nullopt;
        }
    }
    if (uri.GetScheme() == SipUri::Scheme::kSips)
    {
        to.kind = TransportKind::kTls;
    }
    const int port = uri.GetPort();
    to.port = static_cast<uint16_t>(port > 0 ? port : (to.kind == TransportKind::kTls ? 5061 : 5060));
    return to;
}

bool
SipElement::Respond(ServerTransactionHandle tx,
                    const SipMessage& request,
                    int code,
                    std::string_view reason,
                    const std::vector<std::pair<std::string, std::string>>& headers,
                    std::string_view toTag)
{
    std::optional<SipMessage> r = MakeResponseFor(request, code, reason, toTag);
    if (!r)
    {
        return false;
    }
    for (const auto& [name, value] : headers)
    {
        r->AddHeader(name, value);
    }
    if (r->CountHeaders(HeaderId::kContentLength) == 0)
    {
        r->AddHeader("Content-Length", "0");
    }
    return tx.SendResponse(*r);
}

void
SipElement::OnStun(std::string_view, const TransportAddress&)
{
}

void
SipElement::OnKeepalive(size_t, const TransportAddress&)
{
}

void
SipElement::OnConnectionClosed(const TransportAddress&, const std::string&)
{
}

} // namespace sipbed
