// UserAgent: registration flows, keepalives, flow failure detection and
// recovery (RFC 3261 10.2; outbound draft 4, RFC 5626 4). The call and UAS
// side of the UA is in user-agent.cc.
#include "models/roles/outbound-keepalive.h"
#include "models/roles/user-agent.h"
#include "models/sip/sip-text.h"

#include <algorithm>

namespace sipbed
{

std::string
UserAgent::RouteTo(const TransportAddress& proxy)
{
    // 8.1.2 / OB-UA-2: the proxy as a preloaded loose route.
    std::string uri = "<sip:" + FormatIpv4(proxy.ip) + ":" + std::to_string(proxy.port) + ";lr";
    if (proxy.kind != TransportKind::kUdp)
    {
        uri += ";transport=" + text::ToLower(TransportName(proxy.kind));
    }
    return uri + ">";
}

bool
UserAgent::IsRegistered() const
{
    return GetRegisteredFlowCount() > 0;
}

uint32_t
UserAgent::GetRegisteredFlowCount() const
{
    uint32_t n = 0;
    for (const Flow& f : m_flows)
    {
        n += f.registered;
    }
    return n;
}

const TransportAddress&
UserAgent::OutboundProxy() const
{
    for (const Flow& f : m_flows)
    {
        if (f.registered)
        {
            return f.proxy;
        }
    }
    return m_flows.front().proxy;
}

bool
UserAgent::AllFlowsFailed() const
{
    for (const Flow& f : m_flows)
    {
        if (!f.failed)
        {
            return false;
        }
    }
    return true;
}

UserAgent::Flow*
UserAgent::FlowOfTransaction(ClientTransactionHandle tx)
{
    for (Flow& f : m_flows)
    {
        if (f.tx.IsValid() && f.tx == tx)
        {
            return &f;
        }
    }
    return nullptr;
}

UserAgent::Flow*
UserAgent::FlowOfPeer(const TransportAddress& peer)
{
    for (Flow& f : m_flows)
    {
        if (f.connection != 0 ? f.connection == peer.connection : f.proxy.SameEndpoint(peer))
        {
            return &f;
        }
    }
    return nullptr;
}

SipMessage
UserAgent::MakeRegister(Flow& flow, uint32_t expires)
{
    // 10.2: Request-URI the domain, To and From the AOR; one Call-ID per
    // flow for all its refreshes (10.2.4, OB-UA-5), CSeq one higher each time.
    SipMessage m = SipMessage::MakeRequest("REGISTER", "sip:" + m_config.domain).GetValue();
    m.AddHeader("Via", MakeVia(NewBranch()));
    m.AddHeader("Max-Forwards", "70");
    m.AddHeader("Route", RouteTo(flow.proxy)); // OB-UA-2: a loose route to this flow's proxy
    m.AddHeader("To", "<" + m_aor + ">");
    m.AddHeader("From", "<" + m_aor + ">;tag=" + m_regTag);
    m.AddHeader("Call-ID", flow.callId);
    m.AddHeader("CSeq", std::to_string(++flow.cseq) + " REGISTER");
    std::string contact = "<" + m_contact + ">";
    if (m_config.outbound)
    {
        // OB-UA-3/4: the instance and the flow number on every REGISTER.
        contact += ";+sip.instance=\"<" + m_config.instanceId + ">\";" +
                   std::string(FlowParameterName(m_config.profile)) + "=" + std::to_string(flow.id);
    }
    m.AddHeader("Contact", contact);
    // RFC 3327 5.1 (path); RFC 5626 4.2.1: "Supported: outbound, path".
    m.AddHeader("Supported",
                m_config.outbound && m_config.profile == OutboundProfile::kRfc5626 ? "outbound, path" : "path");
    m.AddHeader("Expires", std::to_string(expires));
    m.AddHeader("Content-Length", "0");
    return m;
}

void
UserAgent::Register()
{
    m_wantRegistered = true;
    for (Flow& f : m_flows)
    {
        if (!f.registered && !f.tx.IsAlive())
        {
            SendRegister(f, m_config.registerExpires, false);
        }
    }
    ArmPlainKeepalive();
}

void
UserAgent::ArmPlainKeepalive()
{
    // Without outbound: CRLFCRLF to the edge proxy every keepaliveInterval,
    // only to keep the NAT mapping (no answer expected or checked).
    if (m_config.outbound || m_config.keepaliveInterval <= 0 || m_keepaliveTimer != 0)
    {
        return;
    }
    m_keepaliveTimer = Timers().StartTimer(m_config.keepaliveInterval, [this]() {
        m_keepaliveTimer = 0;
        if (m_wantRegistered)
        {
            GetTransport().SendBytes("\r\n\r\n", m_flows.front().proxy);
            ArmPlainKeepalive();
        }
    });
}

void
UserAgent::Unregister()
{
    m_wantRegistered = false;
    Timers().CancelTimer(m_keepaliveTimer);
    m_keepaliveTimer = 0;
    for (Flow& f : m_flows)
    {
        StopFlowTimers(f);
        if (f.registered)
        {
            SendRegister(f, 0, true);
        }
        f.registered = false;
    }
}

void
UserAgent::StopFlowTimers(Flow& f)
{
    for (TimerId* t : {&f.refreshTimer, &f.retryTimer, &f.keepaliveTimer, &f.responseTimer})
    {
        Timers().CancelTimer(*t);
        *t = 0;
    }
    if (f.stunClient)
    {
        f.stunClient->Cancel();
    }
}

void
UserAgent::SendRegister(Flow& f, uint32_t expires, bool refresh)
{
    if (f.tx.IsAlive())
    {
        return; // 10.2: one REGISTER at a time per Call-ID
    }
    if (!refresh && !f.registered && f.hosts.size() > 1)
    {
        // OB-UA-6: each new attempt resolves the URI again (RFC 3263): with
        // several hosts of equal priority, any of them may be picked.
        f.proxy = f.hosts[Random().Below(f.hosts.size())];
        f.connection = 0;
    }
    f.startedAt = Timers().Now();
    f.refresh = refresh;
    f.expires = expires;
    f.challenges = 0;
    SipMessage m = MakeRegister(f, expires);
    // Credentials under the last challenge save the round trip of a new 401.
    if (auto credentials = m_digest.Authorize("REGISTER", "sip:" + m_config.domain))
    {
        m.AddHeader("Authorization", *credentials);
    }
    TransportAddress to = f.proxy;
    to.connection = f.connection;
    f.tx = GetTransactions().SendRequest(m, to);
    if (!f.tx.IsValid())
    {
        RegistrationFailed(f, 503, "REGISTER could not be sent");
        return;
    }
    // A stream flow is the connection its REGISTER went on (opened now if
    // there was none).
    if (f.proxy.kind != TransportKind::kUdp)
    {
        f.connection = GetTransport().FindConnection(f.proxy);
    }
}

void
UserAgent::ScheduleRetry(Flow& f, TimeNs delay)
{
    Timers().CancelTimer(f.retryTimer);
    const uint32_t id = f.id;
    f.retryTimer = Timers().StartTimer(delay, [this, id]() {
        Flow& flow = m_flows[id - 1];
        flow.retryTimer = 0;
        if (m_wantRegistered)
        {
            SendRegister(flow, m_config.registerExpires, flow.registered);
        }
    });
}

void
UserAgent::FlowFailed(Flow& f, const std::string& cause)
{
    // outbound 4.2 -> 4.3: the flow is gone; a replacement is formed at once
    // (OB-UA-16) with the same flow-id (OB-UA-15), on a new connection.
    const bool wasUp = f.registered;
    StopFlowTimers(f);
    f.registered = false;
    f.failed = true;
    f.keepaliveAnswered = false;
    if (f.connection != 0)
    {
        GetTransport().Close(f.connection);
        f.connection = 0;
    }
    if (f.tx.IsAlive())
    {
        f.tx.Terminate();
    }
    f.tx = ClientTransactionHandle();
    if (m_listener)
    {
        m_listener->OnFlowEvent(f.id, "flow_failed", cause);
        if (wasUp)
        {
            m_listener->OnRegistrationFailed(0);
        }
    }
    if (m_wantRegistered)
    {
        SendRegister(f, m_config.registerExpires, false);
    }
}

void
UserAgent::RegistrationFailed(Flow& f, int status, const std::string& cause)
{
    const bool wasUp = f.registered;
    f.registered = false;
    if (m_listener)
    {
        m_listener->OnRegistrationFailed(status);
    }
    if (!m_wantRegistered)
    {
        return;
    }
    if (!m_config.outbound)
    {
        ScheduleRetry(f, m_config.registerRetry);
        return;
    }
    // outbound 4.3 (OB-UA-17, OB-UA-20): one more consecutive failure to
    // this URI; wait a random part of the backoff before the next attempt.
    StopFlowTimers(f);
    f.failed = true;
    if (wasUp && m_listener)
    {
        m_listener->OnFlowEvent(f.id, "flow_failed", cause);
    }
    ++f.consecutiveFailures;
    BackoffDecision d;
    switch (m_config.retryPolicy)
    {
    case UaConfig::RetryPolicy::kBackoff:
        d = DecideBackoff(m_config.backoff, f.consecutiveFailures, AllFlowsFailed(), Random());
        break;
    case UaConfig::RetryPolicy::kImmediate:
        d.consecutiveFailures = f.consecutiveFailures; // wait 0
        break;
    case UaConfig::RetryPolicy::kFixed: {
        const double fixed = m_config.retryFixed / 1e9;
        const double jitter = m_config.retryJitter / 1e9;
        d.consecutiveFailures = f.consecutiveFailures;
        d.waitTimeS = fixed;
        d.delayS = std::max(0.0, Random().Uniform(fixed - jitter, fixed + jitter));
        break;
    }
    }
    if (m_listener)
    {
        m_listener->OnBackoff(f.id, d);
    }
    ScheduleRetry(f, SecondsToNs(d.delayS));
}

void
UserAgent::OnRegisterResponse(Flow& f, const SipMessage& response)
{
    const int code = response.GetStatusCode();
    if (code < 200)
    {
        return;
    }
    f.tx = ClientTransactionHandle();
    if ((code == 401 || code == 407) && f.challenges < 2)
    {
        // 22.2: answer the challenge and send again with a higher CSeq. A
        // second challenge is answered only once more (stale nonce, 22.4).
        const HeaderField* challenge =
            response.FindHeader(code == 401 ? HeaderId::kWwwAuthenticate : HeaderId::kProxyAuthenticate);
        if (challenge)
        {
            Result<std::string> credentials = m_digest.Answer(challenge->value, "REGISTER", "sip:" + m_config.domain);
            if (credentials)
            {
                const int challenges = f.challenges + 1;
                SipMessage m = MakeRegister(f, f.expires);
                m.AddHeader(code == 401 ? "Authorization" : "Proxy-Authorization", credentials.GetValue());
                TransportAddress to = f.proxy;
                to.connection = f.connection;
                f.tx = GetTransactions().SendRequest(m, to);
                f.challenges = challenges;
                if (f.tx.IsValid())
                {
                    return;
                }
            }
        }
    }
    if (code == 423)
    {
        // 10.2.8: retry at once with at least Min-Expires.
        if (auto min = response.GetUint(HeaderId::kMinExpires); min && *min > f.expires)
        {
            m_config.registerExpires = *min;
            SendRegister(f, *min, f.refresh);
            return;
        }
    }
    if (code == 503)
    {
        // OB-UA-6: 503 with Retry-After is not a failure; retry when told
        // (0: now). Without Retry-After it is one (OB-UA-7).
        if (auto after = response.GetRetryAfter())
        {
            ScheduleRetry(f, SecondsToNs(after->seconds));
            return;
        }
    }
    if (code >= 300)
    {
        m_digest.Reset();
        RegistrationFailed(f, code, "REGISTER answered " + std::to_string(code));
        return;
    }
    if (f.expires == 0)
    {
        f.registered = false;
        return;
    }
    // 10.2.4: the granted lifetime is the expires of our Contact in the 200
    // (the registrar may shorten it), else the Expires header.
    uint32_t granted = f.expires;
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
    const bool recovered = f.failed;
    const bool newlyUp = !f.registered;
    f.registered = true;
    f.failed = false;
    // Draft: a 2xx resets the count (OB-UA-20). RFC 5626 4.5: only once a
    // keepalive is also answered (StartKeepalive's first answer resets it).
    if (!(m_config.outbound && m_config.profile == OutboundProfile::kRfc5626))
    {
        f.consecutiveFailures = 0;
    }
    if (m_config.outbound)
    {
        f.flowTimer = 0;
        if (auto ft = response.GetUint(HeaderId::kFlowTimer))
        {
            f.flowTimer = static_cast<uint32_t>(*ft);
        }
        // RFC 5626 8: STUN only when the first hop said it speaks it (ob in
        // the Path of the 2xx); the draft uses the proxy URI's stun parameter.
        bool ob = false;
        for (std::string_view p : response.GetValues(HeaderId::kPath))
        {
            ob = ob || p.find(";ob") != std::string_view::npos;
        }
        f.stun = f.proxy.kind == TransportKind::kUdp &&
                 (m_config.profile == OutboundProfile::kRfc5626 ? ob : m_config.stunParameter);
    }
    if (m_listener)
    {
        m_listener->OnRegistered(Timers().Now() - f.startedAt, f.refresh);
        if (m_config.outbound && newlyUp)
        {
            // Only when the flow comes up, not on its refreshes.
            m_listener->OnFlowEvent(f.id, "flow_registered", recovered ? "recovered" : "");
        }
    }
    if (m_wantRegistered && granted > 0)
    {
        Timers().CancelTimer(f.refreshTimer);
        const uint32_t id = f.id;
        f.refreshTimer = Timers().StartTimer(static_cast<TimeNs>(SecondsToNs(granted) * m_config.refreshFraction),
                                             [this, id]() {
                                                 Flow& flow = m_flows[id - 1];
                                                 flow.refreshTimer = 0;
                                                 SendRegister(flow, m_config.registerExpires, true);
                                             });
    }
    if (m_config.outbound && f.keepaliveTimer == 0 && f.responseTimer == 0)
    {
        StartKeepalive(f);
    }
}

// ---------------------------------------------------------------- keepalives

void
UserAgent::StartKeepalive(Flow& f)
{
    KeepaliveRange range;
    if (f.proxy.kind == TransportKind::kUdp)
    {
        if (!f.stun)
        {
            return; // OB-UA-11: no STUN without the stun parameter
        }
        range = f.flowTimer > 0 ? FlowTimerRange(f.flowTimer) : StunKeepaliveRange(m_config.profile);
    }
    else
    {
        range = f.flowTimer > 0 && m_config.profile == OutboundProfile::kRfc5626
                    ? FlowTimerRange(f.flowTimer)
                    : CrlfKeepaliveRange(m_config.profile);
    }
    const uint32_t id = f.id;
    f.trafficMark = GetTransport().GetConnectionTraffic(f.connection);
    const TimeNs delay = static_cast<TimeNs>(Random().Uniform(double(range.min), double(range.max)));
    Timers().CancelTimer(f.keepaliveTimer);
    f.keepaliveTimer = Timers().StartTimer(delay, [this, id]() {
        Flow& flow = m_flows[id - 1];
        flow.keepaliveTimer = 0;
        SendFlowKeepalive(flow);
    });
}

void
UserAgent::SendFlowKeepalive(Flow& f)
{
    if (!f.registered)
    {
        return;
    }
    TransportAddress to = f.proxy;
    to.connection = f.connection;
    const uint32_t id = f.id;
    if (f.proxy.kind == TransportKind::kUdp)
    {
        // OB-UA-11: a Binding request on the flow's own socket and server.
        if (!f.stunClient)
        {
            f.stunClient = std::make_unique<StunClient>(
                m_config.profile == OutboundProfile::kRfc5626 ? StunDialect::kRfc5389 : StunDialect::kRfc3489,
                [this]() { return static_cast<uint32_t>(Random().Below(uint64_t(1) << 32)); });
        }
        GetTransport().SendBytes(f.stunClient->StartRequest(), to);
        f.stunAttempt = 0;
        const std::vector<TimeNs> schedule = StunTransmitSchedule(m_config.profile);
        f.responseTimer = Timers().StartTimer(schedule[1], [this, id]() { OnStunTimer(m_flows[id - 1]); });
        return;
    }
    // Draft OB-UA-9: a single CRLF once the flow has been idle for the
    // interval (a new interval is drawn after any traffic); a transport error
    // is the only failure signal. RFC 5626 4.4.1: a CRLFCRLF ping every
    // interval, failed without a pong in 10 s.
    const bool pong = HasCrlfPong(m_config.profile);
    if (!pong && GetTransport().GetConnectionTraffic(f.connection) != f.trafficMark)
    {
        StartKeepalive(f); // not idle: wait a new interval
        return;
    }
    const SipTransport::SendResult r = GetTransport().SendBytes(pong ? "\r\n\r\n" : "\r\n", to);
    if (!r.ok)
    {
        FlowFailed(f, "keepalive could not be sent: " + r.error);
        return;
    }
    if (pong)
    {
        f.responseTimer = Timers().StartTimer(kPongTimeout, [this, id]() {
            Flow& flow = m_flows[id - 1];
            flow.responseTimer = 0;
            FlowFailed(flow, "no CRLF pong within 10 s");
        });
    }
    else
    {
        StartKeepalive(f);
    }
}

void
UserAgent::OnStunTimer(Flow& f)
{
    f.responseTimer = 0;
    const std::vector<TimeNs> schedule = StunTransmitSchedule(m_config.profile);
    ++f.stunAttempt;
    if (f.stunAttempt + 1 >= schedule.size())
    {
        FlowFailed(f, "no STUN response"); // OB-UA-13
        return;
    }
    TransportAddress to = f.proxy;
    GetTransport().SendBytes(f.stunClient->GetPendingRequest(), to);
    const uint32_t id = f.id;
    f.responseTimer = Timers().StartTimer(schedule[f.stunAttempt + 1] - schedule[f.stunAttempt],
                                          [this, id]() { OnStunTimer(m_flows[id - 1]); });
}

void
UserAgent::OnStun(std::string_view bytes, const TransportAddress& from)
{
    Flow* f = FlowOfPeer(from);
    if (!f || !f->stunClient)
    {
        return;
    }
    const StunClientResult r = f->stunClient->OnResponse(bytes);
    if (!r.EndsTransaction())
    {
        return;
    }
    Timers().CancelTimer(f->responseTimer);
    f->responseTimer = 0;
    if (r.status == StunClientStatus::kChanged)
    {
        FlowFailed(*f, "STUN mapped address changed"); // OB-UA-12
        return;
    }
    if (r.status != StunClientStatus::kMapped && r.status != StunClientStatus::kUnchanged)
    {
        FlowFailed(*f, "STUN error: " + r.reason);
        return;
    }
    if (!f->keepaliveAnswered)
    {
        f->keepaliveAnswered = true;
        f->consecutiveFailures = 0; // RFC 5626 4.5: registered and a keepalive answered
    }
    StartKeepalive(*f);
}

void
UserAgent::OnKeepalive(size_t bytes, const TransportAddress& from)
{
    // RFC 5626 4.4.1: the pong (a single CRLF) to our ping.
    Flow* f = FlowOfPeer(from);
    if (!f || bytes != 2 || f->responseTimer == 0 || !HasCrlfPong(m_config.profile))
    {
        return;
    }
    Timers().CancelTimer(f->responseTimer);
    f->responseTimer = 0;
    if (!f->keepaliveAnswered)
    {
        f->keepaliveAnswered = true;
        f->consecutiveFailures = 0;
    }
    StartKeepalive(*f);
}

void
UserAgent::OnConnectionClosed(const TransportAddress& peer, const std::string& reason)
{
    // OB-UA-10: the transport reports an error on the flow's connection.
    for (Flow& f : m_flows)
    {
        if (f.connection != 0 && f.connection == peer.connection)
        {
            f.connection = 0;
            if (m_config.outbound && f.registered)
            {
                FlowFailed(f, "connection closed: " + reason);
            }
        }
    }
}

} // namespace sipbed
