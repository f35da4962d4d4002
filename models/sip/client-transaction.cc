#include "models/sip/client-transaction.h"

#include "models/sip/sip-parser.h"
#include "models/sip/transaction-messages.h"

#include <algorithm>
#include <utility>

namespace sipbed
{

namespace
{

size_t
HeapBytes(const std::string& s)
{
    // libstdc++ keeps up to 15 characters inside the object.
    return s.capacity() > 15 ? s.capacity() + 1 : 0;
}

void
Release(std::string& s)
{
    std::string().swap(s);
}

} // namespace

ClientTransaction::ClientTransaction(TransactionLayer& layer,
                                     uint32_t id,
                                     bool invite,
                                     std::string bytes,
                                     std::string key,
                                     const TransportAddress& to)
    : m_layer(layer)
    , m_bytes(std::move(bytes))
    , m_key(std::move(key))
    , m_to(to)
    , m_id(id)
    , m_state(invite ? TransactionState::kCalling : TransactionState::kTrying)
    , m_invite(invite)
{
}

bool
ClientTransaction::MakeKey(const SipMessage& message, std::string& key)
{
    // 17.1.3: the branch of the top Via and the CSeq method identify the
    // transaction (the method because CANCEL shares the INVITE's branch).
    auto via = message.GetTopVia();
    auto cseq = message.GetCSeq();
    if (!via || !cseq)
    {
        return false;
    }
    auto branch = via->GetBranch();
    if (!branch || branch->empty())
    {
        return false;
    }
    key.assign(*branch);
    key += ' ';
    key += cseq->method;
    return true;
}

size_t
ClientTransaction::GetHeapBytes() const
{
    return HeapBytes(m_bytes) + HeapBytes(m_key);
}

void
ClientTransaction::Start()
{
    if (!SendBytes(TransactionTransport::Kind::kRequest, true))
    {
        return;
    }
    const TransactionConfig& c = m_layer.m_config;
    if (m_invite)
    {
        // 17.1.1.2: timer A (retransmissions) only over unreliable
        // transports; timer B (timeout) always.
        if (!IsReliable())
        {
            m_interval = c.TimerA();
            StartRetransmitTimer(m_interval);
        }
        StartLifetimeTimer(c.TimerB());
    }
    else
    {
        // 17.1.2.2: timer E only over unreliable transports; timer F always.
        if (!IsReliable())
        {
            m_interval = c.TimerE();
            StartRetransmitTimer(m_interval);
        }
        StartLifetimeTimer(c.TimerF());
    }
}

bool
ClientTransaction::SendBytes(TransactionTransport::Kind kind, bool deferred)
{
    if (m_layer.Transmit(m_bytes, m_to, kind).ok)
    {
        return true;
    }
    if (!deferred)
    {
        Fail(TransactionError::kTransportError);
        return false;
    }
    // 17.1.4: the TU hears of the failure, but not from inside its own
    // SendRequest call: it has no handle yet. The transaction stops matching
    // now and reports from a 0 s timer.
    StopTimers();
    m_state = TransactionState::kTerminated;
    m_layer.Unindex(*this);
    StartLifetimeTimer(0);
    return false;
}

void
ClientTransaction::StartRetransmitTimer(TimeNs delay)
{
    m_retransmitTimer = m_layer.m_timers.StartTimer(delay, [this] { OnRetransmitTimer(); });
}

void
ClientTransaction::StartLifetimeTimer(TimeNs delay)
{
    m_lifetimeTimer = m_layer.m_timers.StartTimer(delay, [this] { OnLifetimeTimer(); });
}

void
ClientTransaction::StopTimers()
{
    m_layer.m_timers.CancelTimer(m_retransmitTimer);
    m_layer.m_timers.CancelTimer(m_lifetimeTimer);
    m_retransmitTimer = 0;
    m_lifetimeTimer = 0;
}

void
ClientTransaction::Shutdown()
{
    StopTimers();
    m_state = TransactionState::kTerminated;
}

void
ClientTransaction::OnRetransmitTimer()
{
    TransactionLayer::EntryGuard guard(m_layer);
    m_retransmitTimer = 0;
    const TransactionConfig& c = m_layer.m_config;
    if (m_invite)
    {
        if (m_state != TransactionState::kCalling)
        {
            return;
        }
        if (!SendBytes(TransactionTransport::Kind::kRequestRetransmission, false))
        {
            return;
        }
        // 17.1.1.2: timer A doubles each time, with no cap (2*T1, 4*T1, ...).
        m_interval *= 2;
        StartRetransmitTimer(m_interval);
        return;
    }
    if (m_state != TransactionState::kTrying && m_state != TransactionState::kProceeding)
    {
        return;
    }
    if (!SendBytes(TransactionTransport::Kind::kRequestRetransmission, false))
    {
        return;
    }
    // 17.1.2.2: timer E doubles up to T2 in Trying; in Proceeding it is T2.
    m_interval = m_state == TransactionState::kProceeding ? c.t2 : std::min(2 * m_interval, c.t2);
    StartRetransmitTimer(m_interval);
}

void
ClientTransaction::OnLifetimeTimer()
{
    TransactionLayer::EntryGuard guard(m_layer);
    m_lifetimeTimer = 0;
    switch (m_state)
    {
    case TransactionState::kCalling:
    case TransactionState::kTrying:
    case TransactionState::kProceeding:
        // 17.1.1.2 timer B / 17.1.2.2 timer F: the TU is told of the timeout.
        Fail(TransactionError::kTimeout);
        break;
    case TransactionState::kCompleted:
        // Timer D / K: the wait for response retransmissions is over.
        m_layer.Destroy(*this);
        break;
    case TransactionState::kTerminated:
        // The deferred report of a failed first send (see SendBytes).
        Fail(TransactionError::kTransportError);
        break;
    default:
        break;
    }
}

void
ClientTransaction::Fail(TransactionError error)
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
    m_layer.Destroy(*this);
    m_layer.m_user.OnClientError(m_layer.ClientHandle(id), error);
}

void
ClientTransaction::Complete(TimeNs linger)
{
    m_state = TransactionState::kCompleted;
    if (linger == 0)
    {
        // Reliable transport: timer D / K is 0, Completed ends at once.
        m_layer.Destroy(*this);
        return;
    }
    StartLifetimeTimer(linger);
}

void
ClientTransaction::OnTransportFailure()
{
    switch (m_state)
    {
    case TransactionState::kCompleted:
        // The TU has its final response; only retransmission absorption is lost.
        m_layer.Destroy(*this);
        break;
    case TransactionState::kTerminated:
        break;
    default:
        // 17.1.4: inform the TU, go to Terminated.
        Fail(TransactionError::kTransportError);
        break;
    }
}

void
ClientTransaction::OnResponse(const SipMessage& response, const TransportAddress& from)
{
    const int code = response.GetStatusCode();
    const ClientTransactionHandle handle = m_layer.ClientHandle(m_id);
    TransactionUser& tu = m_layer.m_user;
    TransactionStats& stats = m_layer.m_stats;
    const TransactionConfig& c = m_layer.m_config;

    if (m_state == TransactionState::kCompleted)
    {
        if (code < 200)
        {
            return; // a late provisional: nothing to do
        }
        if (m_invite && code < 300)
        {
            // A 2xx after a non-2xx cannot come from one server transaction;
            // the core decides (and would ACK and BYE it, 13.2.2.4).
            ++stats.strayResponses;
            tu.OnStrayResponse(response, from);
            return;
        }
        ++stats.responseRetransmissionsReceived;
        // 17.1.1.2: a retransmitted final response makes the INVITE
        // transaction resend its ACK, and is not passed up; 17.1.2.2: the
        // non-INVITE transaction absorbs it.
        if (m_invite && !m_bytes.empty() &&
            !m_layer.Transmit(m_bytes, m_to, TransactionTransport::Kind::kAckRetransmission).ok)
        {
            m_layer.Destroy(*this);
        }
        return;
    }
    if (m_state == TransactionState::kTerminated)
    {
        return;
    }

    if (code < 200)
    {
        if (m_invite && m_state == TransactionState::kCalling)
        {
            // 17.1.1.2: Proceeding stops retransmissions; timer B only
            // matters in Calling.
            StopTimers();
        }
        // 17.1.2.2: timer E keeps running in Proceeding, at T2.
        m_state = TransactionState::kProceeding;
        tu.OnResponse(handle, response, from);
        return;
    }

    StopTimers();
    if (!m_invite)
    {
        // 17.1.2.2: Completed absorbs retransmissions for timer K.
        Release(m_bytes);
        Complete(c.TimerK(IsReliable()));
        tu.OnResponse(handle, response, from);
        return;
    }
    if (code < 300)
    {
        // 17.1.1.2: a 2xx ends the INVITE client transaction; the TU (the
        // dialog) sends the ACK, and the UAS core retransmits the 2xx.
        m_layer.Destroy(*this);
        tu.OnResponse(handle, response, from);
        return;
    }
    // 17.1.1.3: 300-699 is acknowledged by the transaction itself, to the
    // same destination (and connection) as the INVITE.
    std::optional<SipMessage> ack;
    if (auto invite = ParseDatagram(std::string_view(m_bytes)))
    {
        ack = MakeAckForNon2xx(invite.GetValue(), response);
    }
    m_bytes = ack ? ack->Serialize() : std::string();
    bool ok = true;
    if (!m_bytes.empty())
    {
        ok = m_layer.Transmit(m_bytes, m_to, TransactionTransport::Kind::kAck).ok;
    }
    if (ok)
    {
        Complete(c.TimerD(IsReliable()));
    }
    else
    {
        m_layer.Destroy(*this);
    }
    tu.OnResponse(handle, response, from);
    if (!ok)
    {
        ++stats.transportErrors;
        tu.OnClientError(handle, TransactionError::kTransportError);
    }
}

std::optional<SipMessage>
ClientTransaction::MakeCancel() const
{
    if (!m_invite ||
        (m_state != TransactionState::kCalling && m_state != TransactionState::kProceeding))
    {
        return std::nullopt;
    }
    auto invite = ParseDatagram(std::string_view(m_bytes));
    if (!invite)
    {
        return std::nullopt;
    }
    return MakeCancelFor(invite.GetValue());
}

} // namespace sipbed
