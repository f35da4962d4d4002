#include "models/roles/user-agent.h"

#include "models/sip/request-checks.h"
#include "models/sip/sdp.h"
#include "models/sip/sip-text.h"
#include "models/sip/sip-parser.h"
#include "models/sip/transaction-messages.h"

#include <algorithm>

namespace sipbed
{

namespace
{

/// Status a failed transaction counts as (8.1.3.1).
int
StatusOf(TransactionError error)
{
    return error == TransactionError::kTimeout ? 408 : 503;
}

std::string
Bracket(const std::string& uri)
{
    return "<" + uri + ">";
}

/// What a UA accepts (8.2): SDP and, in MESSAGE, text/plain (RFC 3428); no
/// extensions.
const RequestPolicy&
UasPolicy()
{
    static const RequestPolicy policy = [] {
        RequestPolicy p;
        p.bodyTypes = {"application/sdp", "text/plain"};
        return p;
    }();
    return policy;
}

std::optional<std::string>
TagOf(const std::optional<NameAddr>& a)
{
    if (!a)
    {
        return std::nullopt;
    }
    if (auto t = a->GetTag())
    {
        return std::string(*t);
    }
    return std::nullopt;
}

} // namespace

UserAgent::UserAgent(const ElementEnvironment& env,
                     const ElementConfig& element,
                     const UaConfig& config,
                     UaListener* listener)
    : SipElement(env, element),
      m_config(config),
      m_listener(listener),
      m_aor("sip:" + config.user + "@" + config.domain),
      m_contact(LocalUri(config.user)),
      m_digest(config.user, config.password, [this]() {
          return static_cast<uint32_t>(Random().Below(uint64_t(1) << 32));
      })
{
    // OB-UA-1: one flow per outbound proxy (1-4); without outbound, one
    // registration through the edge proxy. OB-UA-5: a Call-ID per flow.
    std::vector<TransportAddress> proxies = m_config.outboundProxies;
    if (proxies.empty() || !m_config.outbound)
    {
        proxies = {m_config.edgeProxy};
    }
    m_regTag = NewTag();
    const std::string callId = NewCallId();
    for (size_t i = 0; i < proxies.size(); ++i)
    {
        Flow f;
        f.id = static_cast<uint32_t>(i + 1);
        f.proxy = proxies[i];
        if (m_config.outbound && i < m_config.outboundProxyHosts.size())
        {
            f.hosts = m_config.outboundProxyHosts[i];
        }
        f.callId = i == 0 ? callId : callId + "-" + std::to_string(i + 1);
        m_flows.push_back(std::move(f));
    }
    if (m_config.outbound && m_config.profile == OutboundProfile::kRfc5626)
    {
        // RFC 5626 5.1: ;ob in the Contact of dialog-forming requests, so
        // that mid-dialog requests come back on the same flow.
        m_dialogContact = "<" + m_contact + ";ob>";
    }
    else
    {
        m_dialogContact = "<" + m_contact + ">";
    }
}

UserAgent::~UserAgent()
{
    Stop();
}

void
UserAgent::Stop()
{
    m_wantRegistered = false;
    Timers().CancelTimer(m_keepaliveTimer);
    m_keepaliveTimer = 0;
    for (Flow& f : m_flows)
    {
        StopFlowTimers(f);
    }
    for (auto& [id, d] : m_dialogs)
    {
        Timers().CancelTimer(d.timer);
        d.timer = 0;
    }
}

size_t
UserAgent::EstimateMemoryBytes() const
{
    size_t n = SipElement::EstimateMemoryBytes() - sizeof(SipElement) + sizeof(*this);
    n += m_aor.capacity() + m_contact.capacity() + m_dialogContact.capacity() + m_regTag.capacity();
    for (const Flow& f : m_flows)
    {
        n += sizeof(f) + f.callId.capacity() + (f.stunClient ? sizeof(StunClient) + 64 : 0);
    }
    for (const auto& [id, d] : m_dialogs)
    {
        n += 64 + sizeof(d) + id.capacity() + d.callId.capacity() + d.remoteTarget.capacity() +
             d.remoteUri.capacity() + d.okBytes.capacity() + d.ackBytes.capacity();
        for (const std::string& r : d.routeSet)
        {
            n += sizeof(r) + r.capacity();
        }
    }
    return n;
}

void
UserAgent::AddRoute(SipMessage& request, const std::vector<std::string>& routeSet) const
{
    if (routeSet.empty())
    {
        return;
    }
    std::string value;
    for (const std::string& r : routeSet)
    {
        value += (value.empty() ? "" : ", ") + r;
    }
    request.AddHeader("Route", value);
}

// ---------------------------------------------------------------- calls

std::optional<SipMessage>
UserAgent::NewRequest(std::string_view method,
                      const std::string& targetAor,
                      const std::string& callId,
                      const std::string& localTag)
{
    // 8.1.1: the header fields every request out of a dialog carries; the
    // edge proxy as a preloaded Route (8.1.2).
    Result<SipMessage> made = SipMessage::MakeRequest(method, targetAor);
    if (!made)
    {
        return std::nullopt;
    }
    SipMessage m = made.GetValue();
    m.AddHeader("Via", MakeVia(NewBranch()));
    m.AddHeader("Max-Forwards", "70");
    m.AddHeader("Route", RouteTo(OutboundProxy()));
    m.AddHeader("To", Bracket(targetAor));
    m.AddHeader("From", Bracket(m_aor) + ";tag=" + localTag);
    m.AddHeader("Call-ID", callId);
    m.AddHeader("CSeq", "1 " + std::string(method));
    return m;
}

bool
UserAgent::Call(const std::string& targetAor, TimeNs holdTime)
{
    Dialog d;
    d.caller = true;
    d.callId = NewCallId();
    d.localTag = NewTag();
    d.remoteUri = targetAor;
    d.holdTime = holdTime;
    d.inviteSentAt = Timers().Now();

    std::optional<SipMessage> made = NewRequest("INVITE", targetAor, d.callId, d.localTag);
    if (!made)
    {
        return false;
    }
    SipMessage& m = *made;
    m.AddHeader("Contact", m_dialogContact);
    const std::string sdp =
        MakeAudioOffer(FormatIpv4(GetConfig().ip), m_config.rtpPort, Random().Below(1u << 30))
            .Render();
    m.AddHeader("Content-Type", "application/sdp");
    m.AddHeader("Content-Length", std::to_string(sdp.size()));
    m.SetBody(sdp);
    d.invite = GetTransactions().SendRequest(m, OutboundProxy());
    if (!d.invite.IsValid())
    {
        return false;
    }
    m_byClientTx[d.invite.GetId()] = d.callId;
    const std::string id = d.callId;
    m_dialogs.emplace(id, std::move(d));
    return true;
}

bool
UserAgent::SendRequest(std::string_view method, const std::string& targetAor, const std::string& text)
{
    if (method != "OPTIONS" && method != "MESSAGE")
    {
        return false;
    }
    std::optional<SipMessage> made = NewRequest(method, targetAor, NewCallId(), NewTag());
    if (!made)
    {
        return false;
    }
    SipMessage& m = *made;
    if (method == "MESSAGE")
    {
        m.AddHeader("Content-Type", "text/plain"); // RFC 3428 4
        m.AddHeader("Content-Length", std::to_string(text.size()));
        m.SetBody(text);
    }
    else
    {
        m.AddHeader("Accept", "application/sdp"); // 11.1
        m.AddHeader("Content-Length", "0");
    }
    ClientTransactionHandle tx = GetTransactions().SendRequest(m, OutboundProxy());
    if (!tx.IsValid())
    {
        return false;
    }
    m_requests[tx.GetId()] = PendingRequest{std::string(method), targetAor, Timers().Now()};
    return true;
}

UserAgent::Dialog*
UserAgent::FindDialog(const SipMessage& m)
{
    const std::optional<std::string_view> callId = m.GetCallId();
    if (!callId)
    {
        return nullptr;
    }
    auto it = m_dialogs.find(std::string(*callId));
    return it == m_dialogs.end() ? nullptr : &it->second;
}

SipMessage
UserAgent::MakeInDialogRequest(Dialog& d, std::string_view method)
{
    // 12.2.1.1: Request-URI the remote target, Route the route set (loose
    // routing: every proxy on it is an lr proxy here), tags from the dialog.
    SipMessage m = SipMessage::MakeRequest(method, d.remoteTarget).GetValue();
    m.AddHeader("Via", MakeVia(NewBranch()));
    m.AddHeader("Max-Forwards", "70");
    AddRoute(m, d.routeSet);
    m.AddHeader("To", Bracket(d.remoteUri) + ";tag=" + d.remoteTag);
    m.AddHeader("From", Bracket(m_aor) + ";tag=" + d.localTag);
    m.AddHeader("Call-ID", d.callId);
    if (method != "ACK")
    {
        m.AddHeader("CSeq", std::to_string(++d.localCseq) + " " + std::string(method));
    }
    m.AddHeader("Content-Length", "0");
    return m;
}

void
UserAgent::SendAck(Dialog& d, const SipMessage& ok)
{
    // 13.2.2.4: the ACK for a 2xx is its own transaction, sent by the core
    // with the INVITE's CSeq number, hop by hop along the route set.
    SipMessage ack = MakeInDialogRequest(d, "ACK");
    const std::optional<CSeqValue> cseq = ok.GetCSeq();
    ack.AddHeader("CSeq", std::to_string(cseq ? cseq->seq : 1) + " ACK");
    d.ackBytes = ack.Serialize();
    GetTransactions().SendStateless(ack, OutboundProxy());
}

void
UserAgent::OnInviteResponse(Dialog& d, const SipMessage& response)
{
    const int code = response.GetStatusCode();
    if (code < 200)
    {
        return;
    }
    if (code >= 300)
    {
        const std::string id = d.callId;
        if (m_listener)
        {
            m_listener->OnCallFailed(code);
        }
        m_dialogs.erase(id);
        return;
    }
    if (d.confirmed)
    {
        SendAck(d, response); // a second 2xx (another fork): ACK it too
        return;
    }
    // 12.1.2: the dialog as the UAC sees it.
    d.confirmed = true;
    d.remoteTag = TagOf(response.GetTo()).value_or("");
    const std::vector<ContactValue> contacts = response.GetContacts();
    d.remoteTarget = contacts.empty() ? d.remoteUri : std::string(contacts[0].GetUri().GetRaw());
    std::vector<std::string_view> rr = response.GetValues(HeaderId::kRecordRoute);
    d.routeSet.assign(rr.rbegin(), rr.rend());
    if (m_listener)
    {
        m_listener->OnCallEstablished(Timers().Now() - d.inviteSentAt);
    }
    SendAck(d, response);
    const std::string id = d.callId;
    d.timer = Timers().StartTimer(d.holdTime, [this, id]() { SendBye(id); });
}

void
UserAgent::SendBye(const std::string& callId)
{
    auto it = m_dialogs.find(callId);
    if (it == m_dialogs.end())
    {
        return;
    }
    Dialog& d = it->second;
    d.timer = 0;
    ClientTransactionHandle tx =
        GetTransactions().SendRequest(MakeInDialogRequest(d, "BYE"), OutboundProxy());
    if (tx.IsValid())
    {
        m_byClientTx[tx.GetId()] = callId;
    }
    else
    {
        EndDialog(callId);
    }
}

void
UserAgent::EndDialog(const std::string& callId)
{
    auto it = m_dialogs.find(callId);
    if (it == m_dialogs.end())
    {
        return;
    }
    Timers().CancelTimer(it->second.timer);
    m_dialogs.erase(it);
}

void
UserAgent::OnResponse(ClientTransactionHandle tx, const SipMessage& response, const TransportAddress&)
{
    if (Flow* f = FlowOfTransaction(tx))
    {
        OnRegisterResponse(*f, response);
        return;
    }
    if (auto r = m_requests.find(tx.GetId()); r != m_requests.end())
    {
        if (response.GetStatusCode() >= 200)
        {
            const PendingRequest p = std::move(r->second);
            m_requests.erase(r);
            if (m_listener)
            {
                m_listener->OnRequestAnswered(p.method, p.target, response.GetStatusCode(), Timers().Now() - p.sentAt);
            }
        }
        return;
    }
    auto owner = m_byClientTx.find(tx.GetId());
    if (owner == m_byClientTx.end())
    {
        return;
    }
    const std::string callId = owner->second;
    const bool final = response.GetStatusCode() >= 200;
    if (final)
    {
        m_byClientTx.erase(owner);
    }
    auto it = m_dialogs.find(callId);
    if (it == m_dialogs.end())
    {
        return;
    }
    const std::optional<CSeqValue> cseq = response.GetCSeq();
    if (cseq && cseq->method == "BYE")
    {
        if (final)
        {
            EndDialog(callId);
            if (m_listener)
            {
                m_listener->OnCallEnded(true);
            }
        }
        return;
    }
    OnInviteResponse(it->second, response);
}

void
UserAgent::OnClientError(ClientTransactionHandle tx, TransactionError error)
{
    if (Flow* f = FlowOfTransaction(tx))
    {
        f->tx = ClientTransactionHandle();
        const std::string cause = error == TransactionError::kTimeout ? "REGISTER timed out"
                                                                     : "REGISTER transport error";
        // OB-UA-14: a request on a registered flow that gets no response
        // means the flow failed (replace it at once); a failed attempt to
        // form one counts towards the backoff.
        if (m_config.outbound && f->registered)
        {
            FlowFailed(*f, cause);
        }
        else
        {
            RegistrationFailed(*f, StatusOf(error), cause);
        }
        return;
    }
    if (auto r = m_requests.find(tx.GetId()); r != m_requests.end())
    {
        const PendingRequest p = std::move(r->second);
        m_requests.erase(r);
        if (m_listener)
        {
            m_listener->OnRequestAnswered(p.method, p.target, StatusOf(error), Timers().Now() - p.sentAt);
        }
        return;
    }
    auto owner = m_byClientTx.find(tx.GetId());
    if (owner == m_byClientTx.end())
    {
        return;
    }
    const std::string callId = owner->second;
    m_byClientTx.erase(owner);
    auto it = m_dialogs.find(callId);
    if (it == m_dialogs.end())
    {
        return;
    }
    if (it->second.caller && !it->second.confirmed && it->second.invite == tx)
    {
        if (m_listener)
        {
            m_listener->OnCallFailed(StatusOf(error));
        }
    }
    else if (m_listener)
    {
        m_listener->OnCallEnded(true); // the BYE got no answer: the dialog is over anyway (15.1.1)
    }
    EndDialog(callId);
}

void
UserAgent::OnServerError(ServerTransactionHandle tx, TransactionError)
{
    for (auto& [id, d] : m_dialogs)
    {
        if (d.incoming == tx && !d.confirmed)
        {
            EndDialog(id);
            return;
        }
    }
}

void
UserAgent::OnStrayResponse(const SipMessage& response, const TransportAddress&)
{
    // 13.2.2.4: a retransmitted 2xx means our ACK was lost: send it again.
    const std::optional<CSeqValue> cseq = response.GetCSeq();
    Dialog* d = FindDialog(response);
    if (d && cseq && cseq->method == "INVITE" && response.GetStatusCode() / 100 == 2 &&
        !d->ackBytes.empty())
    {
        Result<SipMessage> ack = ParseDatagram(std::string_view(d->ackBytes));
        if (ack)
        {
            GetTransactions().SendStateless(ack.GetValue(), OutboundProxy());
        }
    }
}

void
UserAgent::OnStrayAck(const SipMessage& ack, const TransportAddress&)
{
    Dialog* d = FindDialog(ack);
    if (d && !d->caller && !d->confirmed)
    {
        d->confirmed = true; // 13.3.1.4: stop retransmitting the 2xx
        Timers().CancelTimer(d->timer);
        d->timer = 0;
        d->okBytes.clear();
        d->okBytes.shrink_to_fit();
    }
}

// ---------------------------------------------------------------- UAS side

void
UserAgent::OnNewRequest(ServerTransactionHandle tx, const SipMessage& request, const TransportAddress&)
{
    if (std::optional<Rejection> r = CheckRequest(request, UasPolicy()))
    {
        Respond(tx, request, r->status, r->reason, r->headers, NewTag());
        return;
    }
    const std::string_view method = request.GetMethod();
    const bool inDialog = TagOf(request.GetTo()).has_value();
    if (method == "INVITE" && !inDialog)
    {
        Result<SdpSession> offer = SdpSession::Parse(request.GetBody());
        std::optional<SdpSession> answer;
        if (offer)
        {
            answer = MakeAnswer(offer.GetValue(),
                                FormatIpv4(GetConfig().ip),
                                m_config.rtpPort,
                                Random().Below(1u << 30),
                                {"0", "8", "101"});
        }
        if (!answer)
        {
            Respond(tx, request, 488, "Not Acceptable Here", {}, NewTag());
            return;
        }
        Dialog d;
        d.caller = false;
        d.callId = std::string(request.GetCallId().value_or(""));
        d.localTag = NewTag();
        d.remoteTag = TagOf(request.GetFrom()).value_or("");
        d.remoteUri = request.GetFrom() ? std::string(request.GetFrom()->GetUri().GetRaw()) : "";
        const std::vector<ContactValue> contacts = request.GetContacts();
        d.remoteTarget = contacts.empty() ? d.remoteUri : std::string(contacts[0].GetUri().GetRaw());
        std::vector<std::string_view> rr = request.GetValues(HeaderId::kRecordRoute);
        d.routeSet.assign(rr.begin(), rr.end()); // 12.1.1: in order
        d.incoming = tx;
        // The answer, built now and sent after answerDelay.
        std::optional<SipMessage> ok = MakeResponseFor(request, 200, "OK", d.localTag);
        std::optional<SipMessage> ringing = MakeResponseFor(request, 180, "Ringing", d.localTag);
        if (!ok || !ringing)
        {
            return;
        }
        for (SipMessage* r : {&*ok, &*ringing})
        {
            for (std::string_view v : rr)
            {
                r->AddHeader("Record-Route", v); // 12.1.1: copied into the response
            }
            r->AddHeader("Contact", m_dialogContact);
        }
        ringing->AddHeader("Content-Length", "0");
        const std::string body = answer->Render();
        ok->AddHeader("Content-Type", "application/sdp");
        ok->AddHeader("Content-Length", std::to_string(body.size()));
        ok->SetBody(body);
        d.okBytes = ok->Serialize();
        const std::string id = d.callId;
        m_dialogs[id] = std::move(d);
        tx.SendResponse(*ringing);
        if (m_config.answerDelay <= 0)
        {
            Answer(id);
        }
        else
        {
            m_dialogs[id].timer = Timers().StartTimer(m_config.answerDelay, [this, id]() { Answer(id); });
        }
        return;
    }
    if (method == "INVITE")
    {
        // A re-INVITE: sessions are never modified in these scenarios.
        Respond(tx, request, 488, "Not Acceptable Here");
        return;
    }
    if (method == "BYE")
    {
        Dialog* d = FindDialog(request);
        if (!d)
        {
            Respond(tx, request, 481, "Call/Transaction Does Not Exist"); // 15.1.2
            return;
        }
        Respond(tx, request, 200, "OK");
        const std::string id = d->callId;
        EndDialog(id);
        if (m_listener)
        {
            m_listener->OnCallEnded(false);
        }
        return;
    }
    if (method == "CANCEL")
    {
        // 9.2: 200 to the CANCEL, 487 to the INVITE if not yet answered.
        ServerTransactionHandle invite = GetTransactions().FindInviteTransaction(request);
        Respond(tx, request, 200, "OK");
        for (auto& [id, d] : m_dialogs)
        {
            if (d.incoming == invite && invite.IsValid() && !d.caller && d.okBytes.size() > 0 &&
                d.timer != 0)
            {
                Timers().CancelTimer(d.timer);
                Respond(invite, request, 487, "Request Terminated", {}, d.localTag);
                EndDialog(id);
                break;
            }
        }
        return;
    }
    if (method == "OPTIONS" || method == "MESSAGE")
    {
        Respond(tx,
                request,
                200,
                "OK",
                {{"Allow", "INVITE, ACK, BYE, CANCEL, OPTIONS, MESSAGE"}, {"Accept", "application/sdp"}},
                inDialog ? "" : NewTag());
        return;
    }
    Respond(tx, request, 405, "Method Not Allowed", {{"Allow", "INVITE, ACK, BYE, CANCEL, OPTIONS, MESSAGE"}},
            inDialog ? "" : NewTag());
}

void
UserAgent::Answer(const std::string& callId)
{
    auto it = m_dialogs.find(callId);
    if (it == m_dialogs.end())
    {
        return;
    }
    Dialog& d = it->second;
    d.timer = 0;
    Result<SipMessage> ok = ParseDatagram(std::string_view(d.okBytes));
    if (!ok || !d.incoming.SendResponse(ok.GetValue()))
    {
        EndDialog(callId);
        return;
    }
    if (m_listener)
    {
        m_listener->OnCallAnswered();
    }
    d.inviteSentAt = Timers().Now(); // the callee's clock for the 64*T1 limit
    // 13.3.1.4: the core retransmits the 2xx, T1 doubling up to T2, until
    // the ACK comes (over every transport: the 2xx is end to end).
    d.okInterval = GetTransactions().GetConfig().t1;
    const std::string id = callId;
    d.timer = Timers().StartTimer(d.okInterval, [this, id]() { RetransmitOk(id); });
}

void
UserAgent::RetransmitOk(const std::string& callId)
{
    auto it = m_dialogs.find(callId);
    if (it == m_dialogs.end() || it->second.confirmed)
    {
        return;
    }
    Dialog& d = it->second;
    d.timer = 0;
    const TransactionConfig& tc = GetTransactions().GetConfig();
    if (Timers().Now() - d.inviteSentAt >= 64 * tc.t1 && d.okInterval >= tc.t2)
    {
        // 13.3.1.4: no ACK within 64*T1: the dialog is given up (BYE).
        SendBye(callId);
        return;
    }
    Result<SipMessage> ok = ParseDatagram(std::string_view(d.okBytes));
    if (ok)
    {
        d.incoming.SendResponse(ok.GetValue());
    }
    d.okInterval = std::min(2 * d.okInterval, tc.t2);
    d.timer = Timers().StartTimer(d.okInterval, [this, callId]() { RetransmitOk(callId); });
}

} // namespace sipbed
