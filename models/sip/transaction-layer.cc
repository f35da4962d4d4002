#include "models/sip/transaction-layer.h"

#include "models/sip/client-transaction.h"
#include "models/sip/server-transaction.h"

#include <utility>

namespace sipbed
{

std::string_view
TransactionStateName(TransactionState state)
{
    switch (state)
    {
    case TransactionState::kCalling:
        return "Calling";
    case TransactionState::kTrying:
        return "Trying";
    case TransactionState::kProceeding:
        return "Proceeding";
    case TransactionState::kCompleted:
        return "Completed";
    case TransactionState::kConfirmed:
        return "Confirmed";
    case TransactionState::kAccepted:
        return "Accepted";
    case TransactionState::kTerminated:
        return "Terminated";
    }
    return "?";
}

std::string_view
TransactionErrorName(TransactionError error)
{
    switch (error)
    {
    case TransactionError::kTimeout:
        return "timeout";
    case TransactionError::kTransportError:
        return "transport-error";
    }
    return "?";
}

// ---- handles ----------------------------------------------------------------

bool
ClientTransactionHandle::IsAlive() const
{
    return GetState() != TransactionState::kTerminated;
}

TransactionState
ClientTransactionHandle::GetState() const
{
    ClientTransaction* tx = m_layer ? m_layer->FindClient(m_id) : nullptr;
    return tx ? tx->GetState() : TransactionState::kTerminated;
}

std::optional<SipMessage>
ClientTransactionHandle::MakeCancel() const
{
    ClientTransaction* tx = m_layer ? m_layer->FindClient(m_id) : nullptr;
    return tx ? tx->MakeCancel() : std::nullopt;
}

void
ClientTransactionHandle::Terminate() const
{
    ClientTransaction* tx = m_layer ? m_layer->FindClient(m_id) : nullptr;
    if (tx)
    {
        TransactionLayer::EntryGuard guard(*m_layer);
        m_layer->Destroy(*tx);
    }
}

bool
ServerTransactionHandle::IsAlive() const
{
    return GetState() != TransactionState::kTerminated;
}

TransactionState
ServerTransactionHandle::GetState() const
{
    ServerTransaction* tx = m_layer ? m_layer->FindServer(m_id) : nullptr;
    return tx ? tx->GetState() : TransactionState::kTerminated;
}

bool
ServerTransactionHandle::SendResponse(const SipMessage& response) const
{
    ServerTransaction* tx = m_layer ? m_layer->FindServer(m_id) : nullptr;
    if (!tx)
    {
        return false;
    }
    TransactionLayer::EntryGuard guard(*m_layer);
    return tx->SendResponse(response);
}

void
ServerTransactionHandle::Terminate() const
{
    ServerTransaction* tx = m_layer ? m_layer->FindServer(m_id) : nullptr;
    if (tx)
    {
        TransactionLayer::EntryGuard guard(*m_layer);
        m_layer->Destroy(*tx);
    }
}

// ---- layer ------------------------------------------------------------------

TransactionLayer::EntryGuard::EntryGuard(TransactionLayer& layer)
    : m_layer(layer)
{
    ++m_layer.m_depth;
}

TransactionLayer::EntryGuard::~EntryGuard()
{
    if (--m_layer.m_depth == 0)
    {
        m_layer.m_deadClients.clear();
        m_layer.m_deadServers.clear();
    }
}

TransactionLayer::TransactionLayer(TimerService& timers,
                                   TransactionTransport& transport,
                                   TransactionUser& user,
                                   const TransactionConfig& config)
    : m_timers(timers)
    , m_transport(transport)
    , m_user(user)
    , m_config(config)
{
}

TransactionLayer::~TransactionLayer()
{
    // The timer service outlives the layer: no timer may call into freed
    // transactions.
    for (auto& entry : m_clients)
    {
        entry.second->Shutdown();
    }
    for (auto& entry : m_servers)
    {
        entry.second->Shutdown();
    }
}

ClientTransaction*
TransactionLayer::FindClient(uint32_t id) const
{
    auto it = m_clients.find(id);
    return it == m_clients.end() ? nullptr : it->second.get();
}

ServerTransaction*
TransactionLayer::FindServer(uint32_t id) const
{
    auto it = m_servers.find(id);
    return it == m_servers.end() ? nullptr : it->second.get();
}

uint32_t
TransactionLayer::NextId()
{
    if (m_nextId == 0)
    {
        m_nextId = 1; // 0 names no transaction
    }
    return m_nextId++;
}

TransactionTransport::Result
TransactionLayer::Transmit(std::string_view bytes,
                           TransportAddress& to,
                           TransactionTransport::Kind kind)
{
    TransactionTransport::Result r = m_transport.SendMessage(bytes, to, kind);
    if (!r.ok)
    {
        return r;
    }
    if (r.connection != 0)
    {
        // Later sends of the transaction use the same connection (18.1.1).
        to.connection = r.connection;
    }
    switch (kind)
    {
    case TransactionTransport::Kind::kRequest:
        ++m_stats.requestsSent;
        break;
    case TransactionTransport::Kind::kRequestRetransmission:
        ++m_stats.requestRetransmissions;
        break;
    case TransactionTransport::Kind::kAck:
        ++m_stats.acksSent;
        break;
    case TransactionTransport::Kind::kAckRetransmission:
        ++m_stats.ackRetransmissions;
        break;
    case TransactionTransport::Kind::kResponse:
        ++m_stats.responsesSent;
        break;
    case TransactionTransport::Kind::kResponseRetransmission:
        ++m_stats.responseRetransmissions;
        break;
    case TransactionTransport::Kind::kStateless:
        ++m_stats.statelessSent;
        break;
    }
    return r;
}

void
TransactionLayer::Unindex(ClientTransaction& tx)
{
    if (tx.IsIndexed())
    {
        m_clientIndex.erase(std::string_view(tx.GetKey()));
        tx.SetIndexed(false);
    }
}

void
TransactionLayer::Unindex(ServerTransaction& tx)
{
    if (tx.IsIndexed())
    {
        m_serverIndex.erase(std::string_view(tx.GetKey()));
        tx.SetIndexed(false);
    }
    if (tx.IsAckIndexed())
    {
        m_serverIndex.erase(std::string_view(tx.GetAckKey()));
        tx.SetAckIndexed(false);
    }
}

void
TransactionLayer::IndexAckKey(ServerTransaction& tx)
{
    if (!tx.IsAckIndexed() && m_serverIndex.emplace(tx.GetAckKey(), &tx).second)
    {
        tx.SetAckIndexed(true);
    }
}

void
TransactionLayer::Destroy(ClientTransaction& tx)
{
    tx.Shutdown();
    Unindex(tx);
    auto it = m_clients.find(tx.GetId());
    if (it != m_clients.end())
    {
        m_deadClients.push_back(std::move(it->second));
        m_clients.erase(it);
    }
}

void
TransactionLayer::Destroy(ServerTransaction& tx)
{
    tx.Shutdown();
    Unindex(tx);
    auto it = m_servers.find(tx.GetId());
    if (it != m_servers.end())
    {
        m_deadServers.push_back(std::move(it->second));
        m_servers.erase(it);
    }
}

ClientTransactionHandle
TransactionLayer::SendRequest(const SipMessage& request, const TransportAddress& to)
{
    EntryGuard guard(*this);
    // 17.1.1.1: the ACK for a 2xx is no transaction of its own here (it is
    // sent by the TU with SendStateless); the ACK for non-2xx is built by
    // the INVITE client transaction.
    if (!request.IsRequest() || request.GetMethod() == "ACK")
    {
        return ClientTransactionHandle();
    }
    auto cseq = request.GetCSeq();
    if (!cseq || cseq->method != request.GetMethod())
    {
        return ClientTransactionHandle();
    }
    std::string key;
    if (!ClientTransaction::MakeKey(request, key) || m_clientIndex.count(key) != 0)
    {
        return ClientTransactionHandle();
    }
    const uint32_t id = NextId();
    const bool invite = request.GetMethod() == "INVITE";
    auto owned = std::make_unique<ClientTransaction>(
        *this, id, invite, request.Serialize(), std::move(key), to);
    ClientTransaction* tx = owned.get();
    m_clients.emplace(id, std::move(owned));
    m_clientIndex.emplace(std::string_view(tx->GetKey()), tx);
    tx->SetIndexed(true);
    ++m_stats.clientTransactions;
    tx->Start();
    return ClientHandle(id);
}

bool
TransactionLayer::SendStateless(const SipMessage& message, const TransportAddress& to)
{
    TransportAddress dest = to;
    return Transmit(message.Serialize(), dest, TransactionTransport::Kind::kStateless).ok;
}

void
TransactionLayer::OnReceive(const SipMessage& message, const TransportAddress& from)
{
    EntryGuard guard(*this);
    if (!message.GetTopVia() || !message.GetCSeq())
    {
        // Neither matchable (17.1.3, 17.2.3) nor answerable (8.2.6.2: a
        // response goes where the top Via says).
        ++m_stats.malformedDropped;
        return;
    }
    if (message.IsRequest())
    {
        ReceiveRequest(message, from);
    }
    else
    {
        ReceiveResponse(message, from);
    }
}

void
TransactionLayer::ReceiveResponse(const SipMessage& response, const TransportAddress& from)
{
    std::string key;
    if (ClientTransaction::MakeKey(response, key))
    {
        auto it = m_clientIndex.find(std::string_view(key));
        if (it != m_clientIndex.end())
        {
            it->second->OnResponse(response, from);
            return;
        }
    }
    // 17.1.3 / 18.1.2: a response that matches no client transaction goes
    // to the core (a proxy forwards it statelessly, 16.7).
    ++m_stats.strayResponses;
    m_user.OnStrayResponse(response, from);
}

void
TransactionLayer::ReceiveRequest(const SipMessage& request, const TransportAddress& from)
{
    std::string key;
    size_t baseLength = 0;
    bool rfc3261 = true;
    if (request.GetMethod() == "ACK")
    {
        // 17.2.3: an ACK matches the INVITE transaction it acknowledges; an
        // ACK for a 2xx has a branch of its own and goes to the TU.
        ServerTransaction::MakeKey(
            request, ServerTransaction::KeyUse::kAck, key, baseLength, rfc3261);
        auto it = m_serverIndex.find(std::string_view(key));
        if (it != m_serverIndex.end())
        {
            it->second->OnAck(request, from);
            return;
        }
        ++m_stats.strayAcks;
        m_user.OnStrayAck(request, from);
        return;
    }
    ServerTransaction::MakeKey(
        request, ServerTransaction::KeyUse::kRequest, key, baseLength, rfc3261);
    auto it = m_serverIndex.find(std::string_view(key));
    if (it != m_serverIndex.end())
    {
        it->second->OnRetransmission();
        return;
    }
    const uint32_t id = NextId();
    const bool invite = request.GetMethod() == "INVITE";
    auto owned = std::make_unique<ServerTransaction>(
        *this, id, invite, std::move(key), baseLength, rfc3261, from);
    ServerTransaction* tx = owned.get();
    m_servers.emplace(id, std::move(owned));
    m_serverIndex.emplace(std::string_view(tx->GetKey()), tx);
    tx->SetIndexed(true);
    ++m_stats.serverTransactions;
    tx->Start(request);
    m_user.OnNewRequest(ServerHandle(id), request, from);
}

ServerTransactionHandle
TransactionLayer::FindInviteTransaction(const SipMessage& cancel)
{
    std::string key;
    size_t baseLength = 0;
    bool rfc3261 = true;
    if (!ServerTransaction::MakeKey(
            cancel, ServerTransaction::KeyUse::kCancelTarget, key, baseLength, rfc3261))
    {
        return ServerTransactionHandle();
    }
    auto it = m_serverIndex.find(std::string_view(key));
    if (it == m_serverIndex.end())
    {
        return ServerTransactionHandle();
    }
    return ServerHandle(it->second->GetId());
}

void
TransactionLayer::OnTransportFailure(const TransportAddress& peer)
{
    EntryGuard guard(*this);
    auto towards = [&peer](const TransportAddress& a) {
        return a.SameEndpoint(peer) &&
               (peer.connection == 0 || a.connection == 0 || a.connection == peer.connection);
    };
    // Collected first: failing a transaction calls the TU, which may start
    // or end others.
    std::vector<uint32_t> clients;
    for (const auto& entry : m_clients)
    {
        if (towards(entry.second->GetDestination()))
        {
            clients.push_back(entry.first);
        }
    }
    std::vector<uint32_t> servers;
    for (const auto& entry : m_servers)
    {
        if (towards(entry.second->GetPeer()))
        {
            servers.push_back(entry.first);
        }
    }
    for (uint32_t id : clients)
    {
        if (ClientTransaction* tx = FindClient(id))
        {
            tx->OnTransportFailure();
        }
    }
    for (uint32_t id : servers)
    {
        if (ServerTransaction* tx = FindServer(id))
        {
            tx->OnTransportFailure();
        }
    }
}

size_t
TransactionLayer::EstimateMemoryBytes() const
{
    // libstdc++ node sizes: next pointer, the value, and the cached hash
    // for string_view keys.
    constexpr size_t kIdNode = sizeof(void*) + sizeof(uint32_t) + sizeof(void*) + 4;
    constexpr size_t kIndexNode = sizeof(void*) + sizeof(std::string_view) + sizeof(void*) + 8;
    auto buckets = [](size_t count) {
        return count > 1 ? count * sizeof(void*) : 0;
    };
    size_t n = sizeof(*this);
    n += buckets(m_clients.bucket_count()) + buckets(m_servers.bucket_count()) +
         buckets(m_clientIndex.bucket_count()) + buckets(m_serverIndex.bucket_count());
    n += m_clientIndex.size() * kIndexNode + m_serverIndex.size() * kIndexNode;
    for (const auto& entry : m_clients)
    {
        n += kIdNode + sizeof(ClientTransaction) + entry.second->GetHeapBytes();
    }
    for (const auto& entry : m_servers)
    {
        n += kIdNode + sizeof(ServerTransaction) + entry.second->GetHeapBytes();
    }
    return n;
}

} // namespace sipbed
