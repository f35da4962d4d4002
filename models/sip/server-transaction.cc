#include "models/sip/server-transaction.h"

#include "models/sip/transaction-messages.h"

#include <algorithm>
#include <utility>

namespace sipbed
{

bool
ServerTransaction::MakeKey(
    const SipMessage& request, KeyUse use, std::string& key, size_t& baseLength, bool& rfc3261)
{
    auto via = request.GetTopVia();
    auto cseq = request.GetCSeq();
    if (!via || !cseq)
    {
        return false;
    }
    key.clear();
    rfc3261 = via->HasRfc3261Branch();
    if (rfc3261)
    {
        // 17.2.3: the branch (compared exactly), the sent-by (host
        // case-insensitive) and the method, ACK matching its INVITE.
        key += '3';
        key += *via->GetBranch();
        key += ' ';
        key += text::ToLower(via->GetHost());
        if (via->GetPort() >= 0)
        {
            key += ':';
            key += std::to_string(via->GetPort());
        }
        baseLength = key.size();
        key += ' ';
        key += use == KeyUse::kRequest ? request.GetMethod() : std::string_view("INVITE");
        return true;
    }
    // 17.2.3, RFC 2543 fallback: Request-URI, From tag, Call-ID, CSeq, top
    // Via and To tag of the request that created the transaction. An ACK
    // matches on the CSeq number (not method) and on the To tag of the
    // response the transaction sent; CANCEL matches on everything but the
    // method (9.2). Values compare as canonical text.
    key += '2';
    key += request.GetRequestUri().GetRaw();
    key += ' ';
    auto from = request.GetFrom();
    if (from && from->GetTag())
    {
        key += *from->GetTag();
    }
    key += ' ';
    if (auto callId = request.GetCallId())
    {
        key += *callId;
    }
    key += ' ';
    key += std::to_string(cseq->seq);
    key += ' ';
    via->Render(key);
    baseLength = key.size();
    key += ' ';
    switch (use)
    {
    case KeyUse::kRequest:
        key += request.GetMethod();
        break;
    case KeyUse::kAck:
        key += "ACK";
        break;
    case KeyUse::kCancelTarget:
        key += "INVITE";
        break;
    }
    key += ' ';
    auto to = request.GetTo();
    if (to && to->GetTag())
    {
        key += *to->GetTag();
    }
    return true;
}

ServerTransaction::ServerTransaction(TransactionLayer& layer,
                                     uint32_t id,
                                     bool invite,
                                     std::string key,
                                     size_t baseLength,
                                     bool rfc3261,
                                     const TransportAddress& from)
    : TransactionBase(layer,
                      id,
                      invite,
                      invite ? TransactionState::kProceeding : TransactionState::kTrying,
                      std::move(key),
                      from)
{
    if (invite && !rfc3261)
    {
        m_ackKey = m_key.substr(0, baseLength);
        m_ackKey += " ACK ";
    }
}

size_t
ServerTransaction::GetHeapBytes() const
{
    return TransactionBase::GetHeapBytes() + HeapBytes(m_ackKey);
}

void
ServerTransaction::Start(const SipMessage& request)
{
    if (!m_invite)
    {
        // 17.2.2: Trying; a non-INVITE server transaction sends no 100 of
        // its own (the TU answers; RFC 4320 discourages an early 100).
        return;
    }
    // 17.2.1: Proceeding, and 100 (Trying) unless the TU answers within
    // 200 ms. The 100 is built now, while the request is at hand, and kept
    // as the "last response" until the TU sends one.
    auto trying = MakeTryingFor(request);
    if (!trying)
    {
        return;
    }
    m_bytes = trying->Serialize();
    m_tryingPending = true;
    const TimeNs delay = m_layer.m_config.tryingDelay;
    if (delay == 0)
    {
        SendTrying(true);
        return;
    }
    StartLifetimeTimer(delay);
}

void
ServerTransaction::SendTrying(bool deferred)
{
    m_tryingPending = false;
    StopLifetimeTimer();
    if (SendBytes(TransactionTransport::Kind::kResponse, deferred))
    {
        ++m_layer.m_stats.tryingSent;
    }
}

void
ServerTransaction::ReportError(TransactionLayer& layer, uint32_t id, TransactionError error)
{
    layer.m_user.OnServerError(layer.ServerHandle(id), error);
}

void
ServerTransaction::OnTransportFailure()
{
    const bool tuWaits = m_state == TransactionState::kTrying ||
                         m_state == TransactionState::kProceeding ||
                         (m_invite && m_state == TransactionState::kCompleted);
    if (tuWaits)
    {
        // 17.2.4: inform the TU; Terminated.
        Fail(TransactionError::kTransportError);
    }
    else if (m_state != TransactionState::kTerminated)
    {
        m_layer.Destroy(*this);
    }
}

void
ServerTransaction::OnRetransmitTimer()
{
    if (m_state != TransactionState::kCompleted)
    {
        return;
    }
    if (!SendBytes(TransactionTransport::Kind::kResponseRetransmission, false))
    {
        return;
    }
    // 17.2.1: timer G doubles up to T2.
    m_interval = std::min(2 * m_interval, m_layer.m_config.t2);
    StartRetransmitTimer(m_interval);
}

void
ServerTransaction::OnLifetimeTimer()
{
    switch (m_state)
    {
    case TransactionState::kProceeding:
        if (m_tryingPending)
        {
            // 17.2.1: the TU did not answer within 200 ms.
            SendTrying(false);
        }
        break;
    case TransactionState::kCompleted:
        if (m_invite)
        {
            // 17.2.1: timer H, no ACK came; the TU is told of the failure.
            Fail(TransactionError::kTimeout);
        }
        else
        {
            m_layer.Destroy(*this); // 17.2.2: timer J
        }
        break;
    case TransactionState::kConfirmed: // 17.2.1: timer I
    case TransactionState::kAccepted:  // RFC 6026 7.1: timer L
        m_layer.Destroy(*this);
        break;
    default:
        break;
    }
}

void
ServerTransaction::OnRetransmission()
{
    TransactionStats& stats = m_layer.m_stats;
    ++stats.requestRetransmissionsReceived;
    switch (m_state)
    {
    case TransactionState::kProceeding:
        if (m_tryingPending)
        {
            // The client is retransmitting already: no reason to hold the
            // 100 (Trying) back any longer.
            SendTrying(false);
        }
        else if (!m_bytes.empty())
        {
            // 17.2.1 / 17.2.2: the most recent provisional response again.
            SendBytes(TransactionTransport::Kind::kResponseRetransmission, false);
        }
        break;
    case TransactionState::kCompleted:
        // 17.2.1 / 17.2.2: the final response again.
        SendBytes(TransactionTransport::Kind::kResponseRetransmission, false);
        break;
    default:
        // Trying (17.2.2: discarded), Confirmed (17.2.1: absorbed),
        // Accepted (RFC 6026 7.1: absorbed, not passed to the TU).
        break;
    }
}

void
ServerTransaction::OnAck(const SipMessage& ack, const TransportAddress& from)
{
    switch (m_state)
    {
    case TransactionState::kCompleted:
        // 17.2.1: the ACK for our non-2xx stops timers G and H; Confirmed
        // absorbs ACK retransmissions for timer I.
        StopTimers();
        Release(m_bytes);
        m_state = TransactionState::kConfirmed;
        Linger(m_layer.m_config.TimerI(IsReliable()));
        break;
    case TransactionState::kConfirmed:
        ++m_layer.m_stats.requestRetransmissionsReceived;
        break;
    case TransactionState::kAccepted:
        // RFC 6026 7.1: an ACK in Accepted goes to the TU (the ACK for 2xx
        // is the TU's, 13.3.1.4).
        ++m_layer.m_stats.strayAcks;
        m_layer.m_user.OnStrayAck(ack, from);
        break;
    default:
        break; // no final response yet: nothing to acknowledge
    }
}

bool
ServerTransaction::SendResponse(const SipMessage& response)
{
    if (!response.IsResponse() || m_state == TransactionState::kTerminated)
    {
        return false;
    }
    const int code = response.GetStatusCode();
    if (m_invite)
    {
        return SendInviteResponse(code, response.Serialize(), response);
    }
    return SendNonInviteResponse(code, response.Serialize());
}

bool
ServerTransaction::SendInviteResponse(int code, std::string bytes, const SipMessage& response)
{
    const TransactionConfig& c = m_layer.m_config;
    if (m_state == TransactionState::kAccepted)
    {
        // RFC 6026 7.1: further 2xx from the TU (its retransmissions,
        // 13.3.1.4, or a proxy's 2xx from another branch) go out.
        if (code < 200 || code >= 300)
        {
            return false;
        }
        const auto kind = bytes == m_bytes ? TransactionTransport::Kind::kResponseRetransmission
                                           : TransactionTransport::Kind::kResponse;
        m_bytes = std::move(bytes);
        SendBytes(kind, true);
        return true;
    }
    if (m_state != TransactionState::kProceeding)
    {
        return false; // 17.2.1: a final response was sent already
    }
    if (m_tryingPending)
    {
        // The TU answered in time: no 100 (Trying) of our own (17.2.1).
        m_tryingPending = false;
        StopLifetimeTimer();
    }
    m_bytes = std::move(bytes);
    if (code < 200)
    {
        SendBytes(TransactionTransport::Kind::kResponse, true);
        return true;
    }
    if (code < 300)
    {
        // RFC 6026 7.1 (replacing 17.2.1's Terminated): Accepted absorbs
        // INVITE retransmissions for timer L, 64*T1.
        m_state = TransactionState::kAccepted;
        if (SendBytes(TransactionTransport::Kind::kResponse, true))
        {
            StartLifetimeTimer(c.TimerL());
        }
        return true;
    }
    // 17.2.1: Completed; timer G (unreliable only) resends the response
    // until the ACK, timer H bounds the wait.
    m_state = TransactionState::kCompleted;
    if (!m_ackKey.empty())
    {
        // 17.2.3, RFC 2543: the ACK carries the To tag of this response.
        auto to = response.GetTo();
        if (to && to->GetTag())
        {
            m_ackKey += *to->GetTag();
        }
        m_layer.IndexAckKey(*this);
    }
    if (!SendBytes(TransactionTransport::Kind::kResponse, true))
    {
        return true;
    }
    if (!IsReliable())
    {
        m_interval = c.TimerG();
        StartRetransmitTimer(m_interval);
    }
    StartLifetimeTimer(c.TimerH());
    return true;
}

bool
ServerTransaction::SendNonInviteResponse(int code, std::string bytes)
{
    if (m_state != TransactionState::kTrying && m_state != TransactionState::kProceeding)
    {
        return false; // 17.2.2: responses after the final one are discarded
    }
    m_bytes = std::move(bytes);
    if (code < 200)
    {
        m_state = TransactionState::kProceeding;
        SendBytes(TransactionTransport::Kind::kResponse, true);
        return true;
    }
    // 17.2.2: Completed answers request retransmissions for timer J.
    m_state = TransactionState::kCompleted;
    if (SendBytes(TransactionTransport::Kind::kResponse, true))
    {
        Linger(m_layer.m_config.TimerJ(IsReliable()));
    }
    return true;
}

} // namespace sipbed
