#include "models/sip/client-transaction.h"

#include "models/sip/sip-parser.h"
#include "models/sip/transaction-messages.h"

#include <algorithm>
#include <utility>

namespace sipbed
{

ClientTransaction::ClientTransaction(TransactionLayer& layer,
                                     uint32_t id,
                                     bool invite,
                                     std::string bytes,
                                     std::string key,
                                     const TransportAddress& to)
    : TransactionBase(layer,
                      id,
                      invite,
                      invite ? TransactionState::kCalling : TransactionState::kTrying,
                      std::move(key),
                      to)
{
    m_bytes = std::move(bytes);
}

void
ClientTransaction::ReportError(TransactionLayer& layer, uint32_t id, TransactionError error)
{
    layer.m_user.OnClientError(layer.ClientHandle(id), error);
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

void
ClientTransaction::Start()
{
    if (!SendBytes(TransactionTransport::Kind::kRequest, true))
    {
        return;
    }
    const TransactionConfig& c = m_layer.m_config;
    // 17.1.1.2: timer A (retransmissions) only over unreliable transports;
    // timer B (timeout) always. 17.1.2.2: the same for timers E and F.
    if (!IsReliable())
    {
        m_interval = m_invite ? c.TimerA() : c.TimerE();
        StartRetransmitTimer(m_interval);
    }
    StartLifetimeTimer(m_invite ? c.TimerB() : c.TimerF());
}

void
ClientTransaction::OnRetransmitTimer()
{
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
    default:
        break;
    }
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
            !m_layer.Transmit(m_bytes, m_peer, TransactionTransport::Kind::kAckRetransmission).ok)
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
        m_state = TransactionState::kCompleted;
        Linger(c.TimerK(IsReliable()));
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
        ok = m_layer.Transmit(m_bytes, m_peer, TransactionTransport::Kind::kAck).ok;
    }
    if (ok)
    {
        // 17.1.1.2: Completed absorbs final response retransmissions for
        // timer D.
        m_state = TransactionState::kCompleted;
        Linger(c.TimerD(IsReliable()));
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
