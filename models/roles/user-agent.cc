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

/// 8.1.2: the outbound proxy as a preloaded loose route.
std::string
RouteTo(const TransportAddress& proxy)
{
    std::string uri = "<sip:" + FormatIpv4(proxy.ip) + ":" + std::to_string(proxy.port) + ";lr";
    if (proxy.kind != TransportKind::kUdp)
    {
        uri += ";transport=" + text::ToLower(TransportName(proxy.kind));
    }
    return uri + ">";
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
}

UserAgent::~UserAgent()
{
    Stop();
}

void
UserAgent::Stop()
{
    m_wantRegistered = false;
    Timers().CancelTimer(m_regTimer);
    m_regTimer = 0;
    Timers().CancelTimer(m_keepaliveTimer);
    m_keepaliveTimer = 0;
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
    n += m_aor.capacity() + m_contact.capacity() + m_regCallId.capacity() + m_regTag.capacity();
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

// ---------------------------------------------------------------- registration

SipMessage
UserAgent::MakeRegister(uint32_t expires)
{
    // 10.2: Request-URI is the domain; To and From the AOR; one Call-ID for
    // every REGISTER of this UA (10.2.4), CSeq one higher each time.
    SipMessage m = SipMessage::MakeRequest("REGISTER", "sip:" + m_config.domain).GetValue();
    m.AddHeader("Via", MakeVia(NewBranch()));
    m.AddHeader("Max-Forwards", "70");
    m.AddHeader("Route", RouteTo(m_config.edgeProxy));
    m.AddHeader("To", Bracket(m_aor));
    m.AddHeader("From", Bracket(m_aor) + ";tag=" + m_regTag);
    m.AddHeader("Call-ID", m_regCallId);
    m.AddHeader("CSeq", std::to_string(++m_regCseq) + " REGISTER");
    m.AddHeader("Contact", Bracket(m_contact));
    m.AddHeader("Supported", "path"); // RFC 3327 5.1: the edge proxy may add Path
    m.AddHeader("Expires", std::to_string(expires));
    m.AddHeader("Content-Length", "0");
    return m;
}

void
UserAgent::Register()
{
    m_wantRegistered = true;
    if (m_regCallId.empty())
    {
        m_regCallId = NewCallId();
        m_regTag = NewTag();
    }
    SendRegister(m_config.registerExpires, m_registered);
    if (m_config.keepaliveInterval > 0 && m_keepaliveTimer == 0)
    {
        m_keepaliveTimer = Timers().StartTimer(m_config.keepaliveInterval, [this]() { SendKeepalive(); });
    }
}

void
UserAgent::SendKeepalive()
{
    m_keepaliveTimer = 0;
    if (!m_wantRegistered)
    {
        return;
    }
    GetTransport().SendBytes("\r\n\r\n", m_config.edgeProxy);
    m_keepaliveTimer = Timers().StartTimer(m_config.keepaliveInterval, [this]() { SendKeepalive(); });
}

void
UserAgent::Unregister()
{
    m_wantRegistered = false;
    Timers().CancelTimer(m_regTimer);
    m_regTimer = 0;
    if (!m_regCallId.empty())
    {
        SendRegister(0, true);
    }
}

void
UserAgent::SendRegister(uint32_t expires, bool refresh)
{
    if (m_regTx.IsAlive())
    {
        return; // 10.2: one REGISTER at a time per AOR and Call-ID
    }
    m_regStartedAt = Timers().Now();
    m_regRefresh = refresh;
    m_regExpires = expires;
    m_regChallenges = 0;
    SipMessage m = MakeRegister(expires);
    // Credentials under the last challenge save the round trip of a new 401.
    if (auto credentials = m_digest.Authorize("REGISTER", "sip:" + m_config.domain))
    {
        m.AddHeader("Authorization", *credentials);
    }
    m_regTx = GetTransactions().SendRequest(m, m_config.edgeProxy);
    if (!m_regTx.IsValid())
    {
        RegistrationFailed(503);
    }
}

void
UserAgent::ScheduleRegister(TimeNs delay)
{
    Timers().CancelTimer(m_regTimer);
    m_regTimer = Timers().StartTimer(delay, [this]() {
        m_regTimer = 0;
        if (m_wantRegistered)
        {
            SendRegister(m_config.registerExpires, m_registered);
        }
    });
}

void
UserAgent::RegistrationFailed(int status)
{
    m_registered = false;
    if (m_listener)
    {
        m_listener->OnRegistrationFailed(status);
    }
    if (m_wantRegistered)
    {
        ScheduleRegister(m_config.registerRetry);
    }
}

void
UserAgent::OnRegisterResponse(const SipMessage& response)
{
    const int code = response.GetStatusCode();
    if (code < 200)
    {
        return;
    }
    if ((code == 401 || code == 407) && m_regChallenges < 2)
    {
        // 22.2: answer the challenge and send again with a higher CSeq. A
        // second challenge is answered only once more (stale nonce, 22.4).
        const HeaderId challengeId = code == 401 ? HeaderId::kWwwAuthenticate
                                                 : HeaderId::kProxyAuthenticate;
        const HeaderField* challenge = response.FindHeader(challengeId);
        if (challenge)
        {
            Result<std::string> credentials =
                m_digest.Answer(challenge->value, "REGISTER", "sip:" + m_config.domain);
            if (credentials)
            {
                ++m_regChallenges;
                SipMessage m = MakeRegister(m_regExpires);
                m.AddHeader(code == 401 ? "Authorization" : "Proxy-Authorization",
                            credentials.GetValue());
                m_regTx = GetTransactions().SendRequest(m, m_config.edgeProxy);
                if (m_regTx.IsValid())
                {
                    return;
                }
            }
        }
    }
    if (code == 423)
    {
        // 10.2.8: retry at once with at least Min-Expires.
        if (auto min = response.GetUint(HeaderId::kMinExpires); min && *min > m_regExpires)
        {
            m_config.registerExpires = *min;
            m_regTx = ClientTransactionHandle();
            SendRegister(*min, m_regRefresh);
            return;
        }
    }
    if (code >= 300)
    {
        m_digest.Reset();
        RegistrationFailed(code);
        return;
    }
    if (m_regExpires == 0)
    {
        m_registered = false;
        return;
    }
    // 10.2.4: the granted lifetime is the expires of our Contact in the
    // 200 (the registrar may shorten it), else the Expires header.
    uint32_t granted = m_regExpires;
    if (auto e = response.GetUint(HeaderId::kExpires))
    {
        granted = static_cast<uint32_t>(*e);
    }
    for (const ContactValue& c : response.GetContacts())
    {
        if (!c.IsStar() && c.GetUri().GetRaw() == m_contact)
        {
            if (auto e = c.GetExpires())
            {
                granted = *e;
            }
        }
    }
    m_registered = true;
    if (m_listener)
    {
        m_listener->OnRegistered(Timers().Now() - m_regStartedAt, m_regRefresh);
    }
    if (m_wantRegistered && granted > 0)
    {
        ScheduleRegister(static_cast<TimeNs>(SecondsToNs(granted) * m_config.refreshFraction));
    }
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
    m.AddHeader("Route", RouteTo(m_config.edgeProxy));
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
    m.AddHeader("Contact", Bracket(m_contact));
    const std::string sdp =
        MakeAudioOffer(FormatIpv4(GetConfig().ip), m_config.rtpPort, Random().Below(1u << 30))
            .Render();
    m.AddHeader("Content-Type", "application/sdp");
    m.AddHeader("Content-Length", std::to_string(sdp.size()));
    m.SetBody(sdp);
    d.invite = GetTransactions().SendRequest(m, m_config.edgeProxy);
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
    ClientTransactionHandle tx = GetTransactions().SendRequest(m, m_config.edgeProxy);
    if (!tx.IsValid())
    {
        return false;
    }
    m_requests[tx.GetId()] = {std::string(method), Timers().Now()};
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
    GetTransactions().SendStateless(ack, m_config.edgeProxy);
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
        GetTransactions().SendRequest(MakeInDialogRequest(d, "BYE"), m_config.edgeProxy);
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
    if (tx == m_regTx)
    {
        if (response.GetStatusCode() >= 200)
        {
            m_regTx = ClientTransactionHandle();
        }
        OnRegisterResponse(response);
        return;
    }
    if (auto r = m_requests.find(tx.GetId()); r != m_requests.end())
    {
        if (response.GetStatusCode() >= 200)
        {
            const auto [method, sentAt] = r->second;
            m_requests.erase(r);
            if (m_listener)
            {
                m_listener->OnRequestAnswered(method, response.GetStatusCode(), Timers().Now() - sentAt);
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
    if (tx == m_regTx)
    {
        m_regTx = ClientTransactionHandle();
        RegistrationFailed(StatusOf(error));
        return;
    }
    if (auto r = m_requests.find(tx.GetId()); r != m_requests.end())
    {
        const auto [method, sentAt] = r->second;
        m_requests.erase(r);
        if (m_listener)
        {
            m_listener->OnRequestAnswered(method, StatusOf(error), Timers().Now() - sentAt);
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
            GetTransactions().SendStateless(ack.GetValue(), m_config.edgeProxy);
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
            r->AddHeader("Contact", Bracket(m_contact));
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
