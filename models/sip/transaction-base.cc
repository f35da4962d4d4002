#include "models/sip/transaction-base.h"

#include "models/sip/client-transaction.h"
#include "models/sip/server-transaction.h"

#include <utility>

namespace sipbed
{

template <typename Derived>
TransactionBase<Derived>::TransactionBase(TransactionLayer& layer,
                                          uint32_t id,
                                          bool invite,
                                          TransactionState initial,
                                          std::string key,
                                          const TransportAddress& peer)
    : m_layer(layer)
    , m_key(std::move(key))
    , m_peer(peer)
    , m_id(id)
    , m_state(initial)
    , m_invite(invite)
{
}

template <typename Derived>
size_t
TransactionBase<Derived>::HeapBytes(const std::string& s)
{
    // libstdc++ keeps up to 15 characters inside the object.
    return s.capacity() > 15 ? s.capacity() + 1 : 0;
}

template <typename Derived>
void
TransactionBase<Derived>::Release(std::string& s)
{
    std::string().swap(s);
}

template <typename Derived>
size_t
TransactionBase<Derived>::GetHeapBytes() const
{
    return HeapBytes(m_bytes) + HeapBytes(m_key);
}

template <typename Derived>
bool
TransactionBase<Derived>::SendBytes(TransactionTransport::Kind kind, bool deferred)
{
    if (m_layer.Transmit(m_bytes, m_peer, kind).ok)
    {
        return true;
    }
    if (!deferred)
    {
        Self().OnTransportFailure();
        return false;
    }
    // 17.1.4 / 17.2.4: the TU hears of the failure, but not from inside its
    // own call (a SendRequest caller has no handle yet). The transaction
    // stops matching now and reports from a 0 s timer (OnLifetimeTimer in
    // Terminated).
    StopTimers();
    m_state = TransactionState::kTerminated;
    m_layer.Unindex(Self());
    StartLifetimeTimer(0);
    return false;
}

template <typename Derived>
void
TransactionBase<Derived>::StartRetransmitTimer(TimeNs delay)
{
    m_retransmitTimer = m_layer.m_timers.StartTimer(delay, [this] {
        TransactionLayer::EntryGuard guard(m_layer);
        m_retransmitTimer = 0;
        Self().OnRetransmitTimer();
    });
}

template <typename Derived>
void
TransactionBase<Derived>::StartLifetimeTimer(TimeNs delay)
{
    m_lifetimeTimer = m_layer.m_timers.StartTimer(delay, [this] {
        TransactionLayer::EntryGuard guard(m_layer);
        m_lifetimeTimer = 0;
        if (m_state == TransactionState::kTerminated)
        {
            // The deferred report of a failed send (see SendBytes).
            Fail(TransactionError::kTransportError);
            return;
        }
        Self().OnLifetimeTimer();
    });
}

template <typename Derived>
void
TransactionBase<Derived>::StopLifetimeTimer()
{
    m_layer.m_timers.CancelTimer(m_lifetimeTimer);
    m_lifetimeTimer = 0;
}

template <typename Derived>
void
TransactionBase<Derived>::StopTimers()
{
    m_layer.m_timers.CancelTimer(m_retransmitTimer);
    m_retransmitTimer = 0;
    StopLifetimeTimer();
}

template <typename Derived>
void
TransactionBase<Derived>::Shutdown()
{
    StopTimers();
    m_state = TransactionState::kTerminated;
}

template <typename Derived>
void
TransactionBase<Derived>::Fail(TransactionError error)
{
    if (error == TransactionError::kTimeout)
    {
        ++m_layer.m_stats.timeouts;
    }
    else
    {
        ++m_layer.m_stats.transportErrors;
    }
    const uint32_t id = m_id;
    TransactionLayer& layer = m_layer;
    layer.Destroy(Self());
    Derived::ReportError(layer, id, error);
}

template <typename Derived>
void
TransactionBase<Derived>::Linger(TimeNs linger)
{
    if (linger == 0)
    {
        // Reliable transport: timers D and K (17.1.1.2, 17.1.2.2), I and J
        // (17.2.1, 17.2.2) are 0; the state ends at once.
        m_layer.Destroy(Self());
        return;
    }
    StartLifetimeTimer(linger);
}

template class TransactionBase<ClientTransaction>;
template class TransactionBase<ServerTransaction>;

} // namespace sipbed
