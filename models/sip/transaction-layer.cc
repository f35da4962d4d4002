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

namespace
{

template <typename Tx>
using LiveMap = std::unordered_map<uint32_t, std::unique_ptr<Tx>>;

template <typename Tx>
Tx*
FindIn(const LiveMap<Tx>& live, uint32_t id)
{
    auto it = live.find(id);
    return it == live.end() ? nullptr : it->second.get();
}

/// Takes a new transaction into `live` and indexes it under its match key.
template <typename Tx>
Tx*
Adopt(std::unique_ptr<Tx> owned,
      LiveMap<Tx>& live,
      std::unordered_map<std::string_view, Tx*>& index)
{
    Tx* tx = owned.get();
    live.emplace(tx->GetId(), std::move(owned));
    index.emplace(std::string_view(tx->GetKey()), tx);
    tx->SetIndexed(true);
    return tx;
}

/// Moves an ended transaction from `live` to `dead`, where it stays until
/// the outermost call into the layer returns (EntryGuard).
template <typename Tx>
void
Retire(const Tx& tx, LiveMap<Tx>& live, std::vector<std::unique_ptr<Tx>>& dead)
{
    auto it = live.find(tx.GetId());
    if (it != live.end())
    {
        dead.push_back(std::move(it->second));
        live.erase(it);
    }
}

} // namespace

// ---- handles ----------------------------------------------------------------

template <>
ClientTransaction*
TransactionHandle<ClientTransaction>::Find() const
{
    return m_layer ? FindIn(m_layer->m_clients, m_id) : nullptr;
}

template <>
ServerTransaction*
TransactionHandle<ServerTransaction>::Find() const
{
    return m_layer ? FindIn(m_layer->m_servers, m_id) : nullptr;
}

template <typename Tx>
bool
TransactionHandle<Tx>::IsAlive() const
{
    return GetState() != TransactionState::kTerminated;
}

template <typename Tx>
TransactionState
TransactionHandle<Tx>::GetState() const
{
    Tx* tx = Find();
    return tx ? tx->GetState() : TransactionState::kTerminated;
}

template <typename Tx>
void
TransactionHandle<Tx>::Terminate() const
{
    if (Tx* tx = Find())
    {
        TransactionLayer::EntryGuard guard(*m_layer);
        m_layer->Destroy(*tx);
    }
}

template class TransactionHandle<ClientTransaction>;
template class TransactionHandle<ServerTransaction>;

std::optional<SipMessage>
ClientTransactionHandle::MakeCancel() const
{
    ClientTransaction* tx = Find();
    return tx ? tx->MakeCancel() : std::nullopt;
}

bool
ServerTransactionHandle::SendResponse(const SipMessage& response) const
{
    ServerTransaction* tx = Find();
    if (!tx)
    {
        return false;
    }
    TransactionLayer::EntryGuard guard(*m_layer);
    return tx->SendResponse(response);
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
    Retire(tx, m_clients, m_deadClients);
}

void
TransactionLayer::Destroy(ServerTransaction& tx)
{
    tx.Shutdown();
    Unindex(tx);
    Retire(tx, m_servers, m_deadServers);
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
    ClientTransaction* tx = Adopt(std::make_unique<ClientTransaction>(
                                      *this, id, invite, request.Serialize(), std::move(key), to),
                                  m_clients,
                                  m_clientIndex);
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
    ServerTransaction* tx = Adopt(std::make_unique<ServerTransaction>(
                                      *this, id, invite, std::move(key), baseLength, rfc3261, from),
                                  m_servers,
                                  m_serverIndex);
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
    auto collect = [&towards](const auto& live) {
        std::vector<uint32_t> ids;
        for (const auto& entry : live)
        {
            if (towards(entry.second->GetPeer()))
            {
                ids.push_back(entry.first);
            }
        }
        return ids;
    };
    auto fail = [](const auto& live, const std::vector<uint32_t>& ids) {
        for (uint32_t id : ids)
        {
            if (auto* tx = FindIn(live, id))
            {
                tx->OnTransportFailure();
            }
        }
    };
    const std::vector<uint32_t> clients = collect(m_clients);
    const std::vector<uint32_t> servers = collect(m_servers);
    fail(m_clients, clients);
    fail(m_servers, servers);
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
