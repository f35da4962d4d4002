// The server transaction state machines of RFC 3261 17.2.1 (INVITE:
// Proceeding, Completed, Confirmed, Terminated; timers G, H, I; plus the
// Accepted state and timer L of RFC 6026 7.1) and 17.2.2 (non-INVITE:
// Trying, Proceeding, Completed, Terminated; timer J). Internal to
// TransactionLayer; the TU sees ServerTransactionHandle.
#ifndef SIPBED_SERVER_TRANSACTION_H
#define SIPBED_SERVER_TRANSACTION_H

#include "models/sip/transaction-layer.h"

#include <string>

namespace sipbed
{

class ServerTransaction
{
  public:
    /// What a match key is built for (17.2.3).
    enum class KeyUse : uint8_t
    {
        kRequest,      ///< the request's own transaction (new or retransmitted)
        kAck,          ///< the INVITE transaction an ACK belongs to
        kCancelTarget, ///< the INVITE transaction a CANCEL refers to (9.2)
    };

    /// A match key (17.2.3). With an RFC 3261 branch (magic cookie): branch,
    /// sent-by and method, ACK counting as INVITE. Otherwise (RFC 2543):
    /// Request-URI, From tag, Call-ID, CSeq number, top Via, method and To
    /// tag; an ACK's key carries "ACK" and its To tag, to meet the key the
    /// transaction adds once it has sent a final response with that tag.
    /// `baseLength` is the length of the part before the method. False
    /// when the message has no top Via or CSeq.
    static bool MakeKey(
        const SipMessage& request, KeyUse use, std::string& key, size_t& baseLength, bool& rfc3261);

    /// `key` and `baseLength` from MakeKey(kRequest); `from`: where
    /// responses go.
    ServerTransaction(TransactionLayer& layer,
                      uint32_t id,
                      bool invite,
                      std::string key,
                      size_t baseLength,
                      bool rfc3261,
                      const TransportAddress& from);

    /// Enters the first state; for INVITE, sends or schedules 100 (Trying).
    void Start(const SipMessage& request);
    /// A retransmission of the request (17.2.1 / 17.2.2).
    void OnRetransmission();
    /// An ACK that matched this INVITE transaction.
    void OnAck(const SipMessage& ack, const TransportAddress& from);
    bool SendResponse(const SipMessage& response);
    void OnTransportFailure();
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

    /// RFC 2543 INVITE only (else empty): the key an ACK for the final
    /// response matches; complete (and indexed) once that response was sent.
    const std::string& GetAckKey() const
    {
        return m_ackKey;
    }

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

    bool IsAckIndexed() const
    {
        return m_ackIndexed;
    }

    void SetAckIndexed(bool indexed)
    {
        m_ackIndexed = indexed;
    }

    size_t GetHeapBytes() const;

  private:
    bool IsReliable() const
    {
        return sipbed::IsReliable(m_peer.kind);
    }

    /// Sends m_bytes; on failure ends the transaction and tells the TU,
    /// from a 0 s timer when `deferred` (the TU is on the stack).
    bool SendBytes(TransactionTransport::Kind kind, bool deferred);
    void SendTrying(bool deferred);
    void StopTimers();
    void StartRetransmitTimer(TimeNs delay);
    void StartLifetimeTimer(TimeNs delay);
    void OnRetransmitTimer();
    void OnLifetimeTimer();
    void Fail(TransactionError error);
    /// Waits `linger` in the current state, or ends now when it is 0.
    void Linger(TimeNs linger);
    bool SendInviteResponse(int code, std::string bytes, const SipMessage& response);
    bool SendNonInviteResponse(int code, std::string bytes);

    TransactionLayer& m_layer;
    /// The last response sent (or the 100 (Trying) waiting for its timer):
    /// what a retransmitted request or timer G resends.
    std::string m_bytes;
    std::string m_key;
    /// RFC 2543 matching: the key base and " ACK " until the final response
    /// adds its To tag.
    std::string m_ackKey;
    TransportAddress m_peer;
    uint32_t m_id;
    TimerId m_retransmitTimer = 0; ///< G
    TimerId m_lifetimeTimer = 0;   ///< 100 (Trying) delay, H, I, J, L; 0 s for a deferred error
    TimeNs m_interval = 0;
    TransactionState m_state;
    bool m_invite;
    bool m_tryingPending = false; ///< m_bytes holds a 100 (Trying) not yet sent
    bool m_indexed = false;
    bool m_ackIndexed = false;
};

} // namespace sipbed

#endif
