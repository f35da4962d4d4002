// What the client and server transactions of RFC 3261 17 share: the bytes a
// transaction may resend, its match key and peer, the two timers every state
// machine of 17.1 and 17.2 runs, and the ways a transaction ends (lingering
// for response or request retransmissions, failing with a report to the TU,
// a transport failure reported from a 0 s timer). Internal to
// TransactionLayer.
#ifndef SIPBED_TRANSACTION_BASE_H
#define SIPBED_TRANSACTION_BASE_H

#include "models/sip/transaction-layer.h"

#include <string>

namespace sipbed
{

/// The common part of ClientTransaction and ServerTransaction. `Derived`
/// is the transaction type itself (CRTP: no virtual functions, so no vtable
/// pointer in every transaction). It provides OnRetransmitTimer(),
/// OnLifetimeTimer(), OnTransportFailure() and a static ReportError(layer,
/// id, error) that tells the TU; TransactionLayer has Destroy and Unindex
/// overloads for it. The member functions are defined in
/// transaction-base.cc, instantiated for the two transaction types.
template <typename Derived>
class TransactionBase
{
  public:
    /// Stops the timers and enters Terminated (TransactionLayer::Destroy).
    void Shutdown();

    uint32_t GetId() const
    {
        return m_id;
    }

    TransactionState GetState() const
    {
        return m_state;
    }

    const std::string& GetKey() const
    {
        return m_key;
    }

    /// Where the transaction sends: the request's destination (client), or
    /// where the request came from and responses go (server).
    const TransportAddress& GetPeer() const
    {
        return m_peer;
    }

    bool IsIndexed() const
    {
        return m_indexed;
    }

    void SetIndexed(bool indexed)
    {
        m_indexed = indexed;
    }

    /// Bytes held on the heap (for TransactionLayer::EstimateMemoryBytes).
    size_t GetHeapBytes() const;

  protected:
    TransactionBase(TransactionLayer& layer,
                    uint32_t id,
                    bool invite,
                    TransactionState initial,
                    std::string key,
                    const TransportAddress& peer);

    /// What a string holds on the heap.
    static size_t HeapBytes(const std::string& s);
    /// Empties a string and frees its heap buffer.
    static void Release(std::string& s);

    bool IsReliable() const
    {
        return sipbed::IsReliable(m_peer.kind);
    }

    /// Sends m_bytes to m_peer. When that fails, `deferred` (the TU is on
    /// the stack, inside SendRequest or SendResponse) ends the transaction
    /// now and tells the TU from a 0 s timer; otherwise the failure goes to
    /// Derived::OnTransportFailure at once.
    bool SendBytes(TransactionTransport::Kind kind, bool deferred);
    /// Timer A, E (client) or G (server): calls Derived::OnRetransmitTimer.
    void StartRetransmitTimer(TimeNs delay);
    /// Any other timer: calls Derived::OnLifetimeTimer, or in Terminated
    /// reports the failure SendBytes deferred.
    void StartLifetimeTimer(TimeNs delay);
    void StopLifetimeTimer();
    void StopTimers();
    /// Counts the failure, ends the transaction and tells the TU.
    void Fail(TransactionError error);
    /// Waits `linger` in the current state (timer D, K, I or J), or ends the
    /// transaction now when it is 0.
    void Linger(TimeNs linger);

    TransactionLayer& m_layer;
    /// What the transaction resends. Client: the request while it may be
    /// retransmitted or cancelled; the ACK once an INVITE transaction is
    /// Completed (17.1.1.3); empty otherwise. Server: the last response sent
    /// (or the 100 (Trying) waiting for its timer), what a retransmitted
    /// request or timer G resends.
    std::string m_bytes;
    /// The match key: branch + ' ' + method for a client (17.1.3);
    /// ServerTransaction::MakeKey for a server (17.2.3).
    std::string m_key;
    TransportAddress m_peer;
    uint32_t m_id;
    TransactionState m_state;
    bool m_invite;
    bool m_indexed = false;
    TimerId m_retransmitTimer = 0; ///< A, E or G
    /// B, F, D or K (client); 100 (Trying) delay, H, I, J or L (server); 0 s
    /// for a deferred transport error.
    TimerId m_lifetimeTimer = 0;
    TimeNs m_interval = 0; ///< next retransmit interval

  private:
    Derived& Self()
    {
        return static_cast<Derived&>(*this);
    }
};

} // namespace sipbed

#endif
