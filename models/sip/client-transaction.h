// The client transaction state machines of RFC 3261 17.1.1 (INVITE:
// Calling, Proceeding, Completed, Terminated; timers A, B, D) and 17.1.2
// (non-INVITE: Trying, Proceeding, Completed, Terminated; timers E, F, K).
// Internal to TransactionLayer, which creates, matches and frees them; the
// TU sees ClientTransactionHandle.
#ifndef SIPBED_CLIENT_TRANSACTION_H
#define SIPBED_CLIENT_TRANSACTION_H

#include "models/sip/transaction-layer.h"

#include <optional>
#include <string>

namespace sipbed
{

class ClientTransaction
{
  public:
    /// `bytes`: the serialized request; `key`: its match key (17.1.3).
    ClientTransaction(TransactionLayer& layer,
                      uint32_t id,
                      bool invite,
                      std::string bytes,
                      std::string key,
                      const TransportAddress& to);

    /// The match key of a request or response: top Via branch and CSeq
    /// method (17.1.3). False when either is missing.
    static bool MakeKey(const SipMessage& message, std::string& key);

    /// Sends the request and starts the timers (17.1.1.2 / 17.1.2.2).
    void Start();
    void OnResponse(const SipMessage& response, const TransportAddress& from);
    /// A transport failure towards this transaction's destination (17.1.4).
    void OnTransportFailure();
    /// Stops the timers and enters Terminated (TransactionLayer::Destroy).
    void Shutdown();

    std::optional<SipMessage> MakeCancel() const;

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

    const TransportAddress& GetDestination() const
    {
        return m_to;
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

  private:
    bool IsReliable() const
    {
        return sipbed::IsReliable(m_to.kind);
    }

    /// Sends m_bytes; on failure ends the transaction and tells the TU
    /// (`deferred`: from a 0 s timer, when the TU is on the stack).
    bool SendBytes(TransactionTransport::Kind kind, bool deferred);
    void StopTimers();
    void StartRetransmitTimer(TimeNs delay);
    void StartLifetimeTimer(TimeNs delay);
    void OnRetransmitTimer();
    void OnLifetimeTimer();
    void Fail(TransactionError error);
    /// Enters Completed with the timer D or K value (0 ends the transaction).
    void Complete(TimeNs linger);

    TransactionLayer& m_layer;
    /// The request while it may be retransmitted or cancelled; the ACK
    /// once an INVITE transaction is Completed (17.1.1.3); empty otherwise.
    std::string m_bytes;
    std::string m_key; ///< branch + ' ' + method (17.1.3)
    TransportAddress m_to;
    uint32_t m_id;
    TimerId m_retransmitTimer = 0; ///< A or E
    TimerId m_lifetimeTimer = 0;   ///< B, F, D or K; 0 s for a deferred transport error
    TimeNs m_interval = 0;         ///< next retransmit interval
    TransactionState m_state;
    bool m_invite;
    bool m_indexed = false;
};

} // namespace sipbed

#endif
