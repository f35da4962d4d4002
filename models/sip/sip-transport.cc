#include "models/sip/sip-transport.h"

#include "models/sip/sip-parser.h"
#include "models/sip/via.h"

namespace sipbed
{

SipTransport::SipTransport(TransportIo& io, Config config, Handler handler)
    : m_io(io),
      m_config(std::move(config)),
      m_handler(std::move(handler))
{
}

SipTransport::~SipTransport() = default;

bool
SipTransport::StampTopVia(SipMessage& request, const TransportAddress& from)
{
    const std::optional<Via> via = request.GetTopVia();
    if (!via)
    {
        return false;
    }
    const std::string source = FormatIpv4(from.ip);
    const bool rport = via->HasRport();
    // 18.2.1: received when sent-by is not the packet's source address;
    // RFC 3581 4: always with rport, which gets the source port.
    const bool received = via->GetHost() != source || rport;
    if (!received && !rport)
    {
        return true;
    }
    std::string value = "SIP/2.0/";
    value += via->GetTransport();
    value += ' ';
    value += via->GetHost();
    if (via->GetPort() >= 0)
    {
        value += ':' + std::to_string(via->GetPort());
    }
    via->GetParams().ForEach([&](const Param& p) {
        if (text::IEquals(p.name, "received") || text::IEquals(p.name, "rport"))
        {
            return true; // rewritten below
        }
        value += ';';
        value += p.name;
        if (p.hasValue)
        {
            value += '=';
            value += p.value;
        }
        return true;
    });
    if (received)
    {
        value += ";received=" + source;
    }
    if (rport)
    {
        value += ";rport=" + std::to_string(from.port);
    }
    request.RemoveFirstValue(HeaderId::kVia);
    return request.PrependHeader("Via", value).IsOk();
}

void
SipTransport::Deliver(SipMessage&& message, const TransportAddress& from, size_t bytes)
{
    if (message.IsRequest() && !StampTopVia(message, from))
    {
        // The parser guarantees a Via in a request it accepts; stay safe.
        ++m_counters.badMessages;
        if (m_handler.onBadMessage)
        {
            m_handler.onBadMessage(ParseError{"request without a usable Via", 0, "Via", 400},
                                   from);
        }
        return;
    }
    ++m_counters.messagesIn;
    if (m_handler.onMessage)
    {
        m_handler.onMessage(std::move(message), from, bytes);
    }
}

void
SipTransport::OnDatagram(std::string_view bytes, const TransportAddress& from)
{
    if (bytes.empty())
    {
        return;
    }
    m_counters.bytesIn += bytes.size();
    const auto first = static_cast<unsigned char>(bytes.front());
    // outbound draft / RFC 5389 5: the top two bits of a STUN message are
    // zero, a SIP message starts with a letter.
    if (first <= 1)
    {
        ++m_counters.stunIn;
        if (m_handler.onStun)
        {
            m_handler.onStun(bytes, from);
        }
        return;
    }
    if (bytes.find_first_not_of("\r\n") == std::string_view::npos)
    {
        ++m_counters.keepalivesIn;
        if (m_handler.onKeepalive)
        {
            m_handler.onKeepalive(bytes.size(), from);
        }
        return;
    }
    Result<SipMessage> parsed = ParseDatagram(bytes);
    if (!parsed)
    {
        ++m_counters.badMessages;
        if (m_handler.onBadMessage)
        {
            m_handler.onBadMessage(parsed.GetError(), from);
        }
        return;
    }
    Deliver(std::move(parsed.GetValue()), from, bytes.size());
}

ConnectionId
SipTransport::FindConnection(const TransportAddress& to) const
{
    for (const auto& [id, c] : m_connections)
    {
        if (c.peer.SameEndpoint(to))
        {
            return id;
        }
    }
    return 0;
}

uint64_t
SipTransport::GetConnectionTraffic(ConnectionId id) const
{
    auto it = m_connections.find(id);
    return it == m_connections.end() ? 0 : it->second.traffic;
}

bool
SipTransport::HasConnection(ConnectionId id) const
{
    return m_connections.count(id) != 0;
}

SipTransport::SendResult
SipTransport::Send(const SipMessage& message, const TransportAddress& to)
{
    std::string bytes;
    message.SerializeTo(bytes);
    SendResult r = SendBytes(bytes, to);
    if (r.ok)
    {
        ++m_counters.messagesOut;
    }
    return r;
}

SipTransport::SendResult
SipTransport::SendBytes(std::string_view bytes, const TransportAddress& to)
{
    SendResult r;
    if (m_config.sendCounter)
    {
        ++*m_config.sendCounter;
    }
    if (to.kind == TransportKind::kUdp)
    {
        m_io.SendDatagram(to, bytes);
        m_counters.bytesOut += bytes.size();
        r.ok = true;
        return r;
    }
    ConnectionId id = to.connection;
    if (id != 0)
    {
        if (!HasConnection(id))
        {
            r.error = "connection " + std::to_string(id) + " is closed";
            return r;
        }
    }
    else
    {
        id = FindConnection(to);
    }
    if (id == 0)
    {
        if (to.kind == TransportKind::kTls && !m_config.tls)
        {
            r.error = "no TLS configured";
            return r;
        }
        id = m_io.OpenConnection(to);
        Connection& c = m_connections[id];
        c.peer = to;
        c.peer.connection = id;
        c.outbound = true;
        c.framer = StreamFramer(m_config.limits);
        if (to.kind == TransportKind::kTls)
        {
            c.filter = m_config.tls(true, c.peer);
        }
        ++m_counters.connectionsOpened;
    }
    Connection& c = m_connections.at(id);
    m_counters.bytesOut += bytes.size();
    c.traffic += bytes.size();
    WriteOn(id, c, bytes);
    r.ok = true;
    r.connection = id;
    return r;
}

void
SipTransport::WriteOn(ConnectionId id, Connection& c, std::string_view sipBytes)
{
    if (c.filter)
    {
        // TLS buffers application data itself until its handshake is done.
        c.filter->Write(sipBytes);
        if (c.open)
        {
            FlushFilter(id, c);
        }
        return;
    }
    if (!c.open)
    {
        c.pending.append(sipBytes);
        return;
    }
    m_io.SendOnConnection(id, sipBytes);
}

void
SipTransport::FlushFilter(ConnectionId id, Connection& c)
{
    const std::string out = c.filter->TakeToNetwork();
    if (!out.empty())
    {
        m_io.SendOnConnection(id, out);
    }
}

void
SipTransport::Close(ConnectionId id)
{
    if (m_connections.erase(id) != 0)
    {
        m_io.CloseConnection(id);
    }
}

void
SipTransport::OnAccepted(ConnectionId id, const TransportAddress& peer)
{
    Connection& c = m_connections[id];
    c.peer = peer;
    c.peer.connection = id;
    c.outbound = false;
    c.open = true;
    c.framer = StreamFramer(m_config.limits);
    ++m_counters.connectionsAccepted;
    if (peer.kind == TransportKind::kTls)
    {
        if (!m_config.tls)
        {
            Fail(id, "TLS connection accepted but no TLS configured");
            return;
        }
        c.filter = m_config.tls(false, c.peer);
        c.filter->Start();
        FlushFilter(id, c);
    }
}

void
SipTransport::OnConnected(ConnectionId id)
{
    auto it = m_connections.find(id);
    if (it == m_connections.end())
    {
        return;
    }
    Connection& c = it->second;
    c.open = true;
    if (c.filter)
    {
        c.filter->Start(); // ClientHello, then whatever Write buffered
        FlushFilter(id, c);
    }
    else if (!c.pending.empty())
    {
        std::string pending;
        pending.swap(c.pending);
        m_io.SendOnConnection(id, pending);
    }
    if (m_handler.onConnected)
    {
        const TransportAddress peer = c.peer;
        m_handler.onConnected(peer);
    }
}

void
SipTransport::OnConnectionBytes(ConnectionId id, std::string_view bytes)
{
    auto it = m_connections.find(id);
    if (it == m_connections.end())
    {
        return;
    }
    Connection& c = it->second;
    if (!c.filter)
    {
        Drain(id, bytes);
        return;
    }
    c.filter->FromNetwork(bytes);
    FlushFilter(id, c); // handshake replies
    if (auto error = c.filter->GetError())
    {
        Fail(id, "TLS: " + *error);
        return;
    }
    const std::string plain = c.filter->TakePlaintext();
    if (!plain.empty())
    {
        Drain(id, plain);
    }
}

void
SipTransport::Drain(ConnectionId id, std::string_view sipBytes)
{
    auto it = m_connections.find(id);
    if (it == m_connections.end())
    {
        return;
    }
    m_counters.bytesIn += sipBytes.size();
    it->second.traffic += sipBytes.size();
    it->second.framer.Feed(sipBytes);
    while (true)
    {
        // The handler may close this connection: look it up each time.
        it = m_connections.find(id);
        if (it == m_connections.end())
        {
            return;
        }
        const TransportAddress from = it->second.peer;
        const size_t before = it->second.framer.Buffered();
        StreamFramer::Event e = it->second.framer.Next();
        const size_t consumed = before - it->second.framer.Buffered();
        switch (e.kind)
        {
        case StreamFramer::EventKind::kNeedMore:
            return;
        case StreamFramer::EventKind::kKeepalive:
            ++m_counters.keepalivesIn;
            if (m_handler.onKeepalive)
            {
                m_handler.onKeepalive(e.keepaliveBytes, from);
            }
            break;
        case StreamFramer::EventKind::kMessage:
            Deliver(std::move(*e.message), from, consumed);
            break;
        case StreamFramer::EventKind::kError:
            ++m_counters.badMessages;
            if (m_handler.onBadMessage)
            {
                m_handler.onBadMessage(e.error, from);
            }
            if (e.fatal)
            {
                // 18.3: a stream that cannot be framed any more is closed.
                Fail(id, "unframeable stream: " + e.error.ToString());
                return;
            }
            break;
        }
    }
}

void
SipTransport::Fail(ConnectionId id, const std::string& reason)
{
    auto it = m_connections.find(id);
    if (it == m_connections.end())
    {
        return;
    }
    const TransportAddress peer = it->second.peer;
    m_connections.erase(it);
    m_io.CloseConnection(id);
    ++m_counters.connectionsFailed;
    if (m_handler.onClosed)
    {
        m_handler.onClosed(peer, reason);
    }
}

void
SipTransport::OnConnectionClosed(ConnectionId id, bool error)
{
    auto it = m_connections.find(id);
    if (it == m_connections.end())
    {
        return;
    }
    const TransportAddress peer = it->second.peer;
    const bool wasOpen = it->second.open;
    m_connections.erase(it);
    if (error)
    {
        ++m_counters.connectionsFailed;
    }
    if (m_handler.onClosed)
    {
        m_handler.onClosed(peer,
                           !wasOpen ? "connection failed"
                           : error  ? "connection reset"
                                    : "closed by peer");
    }
}

} // namespace sipbed
