// The server transaction state machines of RFC 3261 17.2.1 (INVITE:
// Proceeding, Completed, Confirmed, Terminated; timers G, H, I; plus the
// Accepted state and timer L of RFC 6026 7.1) and 17.2.2 (non-INVITE:
// Trying, Proceeding, Completed, Terminated; timer J). Internal to
// TransactionLayer; the TU sees ServerTransactionHandle.
#ifndef SIPBED_SERVER_TRANSACTION_H
#define SIPBED_SERVER_TRANSACTION_H

#include "models/sip/transaction-base.h"
#include "models/sip/transaction-layer.h"

#include <string>

namespace sipbed
{

class ServerTransaction : public TransactionBase<ServerTransaction>
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
    /// A transport failure towards this transaction's peer (17.2.4).
    void OnTransportFailure();

    /// RFC 2543 INVITE only (else empty): the key an ACK for the final
    /// response matches; complete (and indexed) once that response was sent.
    const std::string& GetAckKey() const
    {
        return m_ackKey;
    }

    bool IsAckIndexed() const
    {
        return m_ackIndexed;
    }

    void SetAckIndexed(bool indexed)
    {
        m_ackIndexed = indexed;
    }

    /// TransactionBase::GetHeapBytes plus the RFC 2543 ACK key.
    size_t GetHeapBytes() const;

  private:
    friend class TransactionBase<ServerTransaction>;

    void SendTrying(bool deferred);
    /// Timer G.
    void OnRetransmitTimer();
    /// The 100 (Trying) delay, timer H, I, J or L.
    void OnLifetimeTimer();
    static void ReportError(TransactionLayer& layer, uint32_t id, TransactionError error);
    bool SendInviteResponse(int code, std::string bytes, const SipMessage& response);
    bool SendNonInviteResponse(int code, std::string bytes);

    /// RFC 2543 matching: the key base and " ACK " until the final response
    /// adds its To tag.
    std::string m_ackKey;
    /// m_bytes holds a 100 (Trying) not yet sent (read in Proceeding only).
    bool m_tryingPending = false;
    bool m_ackIndexed = false;
};

} // namespace sipbed

#endif
