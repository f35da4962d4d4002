#include "models/roles/registrar.h"

#include "models/sip/sip-text.h"

#include <algorithm>
#include <iterator>

namespace sipbed
{

namespace
{

RequestPolicy
MakePolicy(RequestPolicy::Element element, OutboundProfile profile)
{
    RequestPolicy p;
    p.element = element;
    p.optionTags = {"path"}; // RFC 3327
    if (element == RequestPolicy::Element::kRegistrar && profile == OutboundProfile::kRfc5626)
    {
        p.optionTags.emplace_back("outbound"); // RFC 5626 6 (the draft has no option tag)
    }
    return p;
}

bool
HasOptionTag(const SipMessage& m, HeaderId id, std::string_view tag)
{
    for (std::string_view t : m.GetOptionTags(id))
    {
        if (text::IEquals(t, tag))
        {
            return true;
        }
    }
    return false;
}

/// RFC 5626 6: the first hop supports outbound if it is this registrar (the
/// UA's own Via is the only one) or if its Path value, the bottom one (each
/// proxy adds its own on top, RFC 3327 4), carries the `ob` URI parameter.
bool
FirstHopSupportsOutbound(const SipMessage& request)
{
    if (request.CountValues(HeaderId::kVia) == 1)
    {
        return true;
    }
    const std::vector<NameAddr> path = request.GetNameAddrs(HeaderId::kPath);
    return !path.empty() && path.back().GetUri().GetParams().Has("ob");
}

/// Requests that create a dialog get a Record-Route (12.1.1, 16.6 item 4):
/// an INVITE, SUBSCRIBE or REFER outside a dialog (no To tag).
bool
StartsDialog(const SipMessage& request)
{
    const std::string_view m = request.GetMethod();
    const std::optional<NameAddr> to = request.GetTo();
    return (m == "INVITE" || m == "SUBSCRIBE" || m == "REFER") && to && !to->GetParams().Has("tag");
}

/// Bindings are the same registration when URI, flow number and flow agree.
bool
SameTarget(const Binding& a, const Binding& b)
{
    return a.contact == b.contact && a.instance == b.instance && a.flowId == b.flowId &&
           a.source.SameEndpoint(b.source) && a.source.connection == b.source.connection;
}

} // namespace

Registrar::Registrar(const ElementEnvironment& env,
                     const ElementConfig& element,
                     const RegistrarConfig& config)
    : ProxyElement(env, element),
      m_config(config),
      m_registerPolicy(MakePolicy(RequestPolicy::Element::kRegistrar, config.profile)),
      m_proxyPolicy(MakePolicy(RequestPolicy::Element::kProxy, config.profile)),
      m_locations(config.profile)
{
    if (m_config.authenticate)
    {
        DigestServerConfig dc;
        dc.realm = m_config.domain;
        m_digest = std::make_unique<DigestServer>(
            dc,
            m_config.nonceSecret,
            [this](std::string_view user, std::string_view) -> std::optional<DigestSecret> {
                if (!m_config.password)
                {
                    return std::nullopt;
                }
                if (auto pw = m_config.password(user))
                {
                    return DigestSecret::Password(*pw);
                }
                return std::nullopt;
            },
            [this]() { return static_cast<uint32_t>(Random().Below(uint64_t(1) << 32)); });
    }
}

void
Registrar::Reject(ServerTransactionHandle tx,
                  const SipMessage& request,
                  int code,
                  std::string_view reason,
                  const std::vector<std::pair<std::string, std::string>>& headers)
{
    ++m_stats.rejected;
    Respond(tx, request, code, reason, headers, NewTag());
}

void
Registrar::HandleRequest(ServerTransactionHandle tx, const SipMessage& request, const TransportAddress& from)
{
    if (request.GetMethod() == "REGISTER")
    {
        HandleRegister(tx, request, from);
    }
    else
    {
        HandleProxied(tx, request);
    }
}

void
Registrar::HandleRegister(ServerTransactionHandle tx, const SipMessage& request, const TransportAddress& from)
{
    // 10.3 steps 1-2: our domain, a request we can process.
    if (std::optional<Rejection> r = CheckRequest(request, m_registerPolicy))
    {
        Reject(tx, request, r->status, r->reason, r->headers);
        return;
    }
    if (!text::IEquals(request.GetRequestUri().GetHost(), m_config.domain))
    {
        Reject(tx, request, 404, "Not Found"); // not a domain we register for
        return;
    }
    // Step 3: authentication (22.2). Credentials of an unknown scheme count
    // as none: the answer is a Digest challenge (RFC 4475 3.3.7).
    std::string authUser;
    if (m_digest)
    {
        DigestCheck check = m_digest->CheckRequest(request, Timers().Now());
        if (check.outcome == DigestOutcome::kMalformed)
        {
            Reject(tx, request, 400, "Bad Request: " + check.reason);
            return;
        }
        if (!check.IsOk())
        {
            const bool stale = check.outcome == DigestOutcome::kStale ||
                               check.outcome == DigestOutcome::kReplayed;
            ++m_stats.challenges;
            Respond(tx,
                    request,
                    401,
                    "Unauthorized",
                    {{"WWW-Authenticate", m_digest->MakeChallenge(Timers().Now(), stale)}},
                    NewTag());
            return;
        }
        authUser = check.username;
    }
    // Step 5: the address-of-record.
    const std::optional<NameAddr> to = request.GetTo();
    if (!to || !to->GetUri().IsSipOrSips())
    {
        Reject(tx, request, 400, "Bad Request: To is not a SIP URI");
        return;
    }
    const std::string aor = LocationService::CanonicalAor(to->GetUri());
    // Step 4: only the AOR's owner registers it (here: same user name).
    if (m_digest && to->GetUri().GetUserUnescaped() != authUser)
    {
        Reject(tx, request, 403, "Forbidden");
        return;
    }
    const std::string callId(request.GetCallId().value_or(""));
    const uint32_t cseq = request.GetCSeq() ? request.GetCSeq()->seq : 0;
    // The Expires header, or -1 when absent.
    const std::optional<uint32_t> expiresField = request.GetUint(HeaderId::kExpires);
    const int64_t headerExpires = expiresField ? static_cast<int64_t>(*expiresField) : -1;
    const std::vector<ContactValue> contacts = request.GetContacts();
    const TimeNs now = Timers().Now();

    // Whether outbound processing applied to a contact (RFC 5626 6: Require).
    bool outbound = false;

    // Step 6: "Contact: *" removes everything, only with Expires 0 and alone.
    const bool star = !contacts.empty() && contacts[0].IsStar();
    if (star)
    {
        if (contacts.size() != 1 || headerExpires != 0)
        {
            Reject(tx, request, 400, "Bad Request: * needs Expires: 0 and no other Contact");
            return;
        }
        if (!m_locations.RemoveAll(aor, callId, cseq, now))
        {
            Reject(tx, request, 500, "Server Internal Error: out of order REGISTER");
            return;
        }
    }
    else if (!contacts.empty())
    {
        // Step 7: each contact with its expiry; Path as received (RFC 3327 5.3).
        std::vector<std::string> path;
        for (std::string_view p : request.GetValues(HeaderId::kPath))
        {
            path.emplace_back(p);
        }
        std::vector<LocationService::Update> updates;
        const OutboundProfile profile = m_config.profile;
        const std::string_view flowParam = FlowParameterName(profile);
        // RFC 5626 6: outbound processing only for a UA that says it
        // supports it; the draft has no option tag.
        const bool uaOutbound = profile == OutboundProfile::kDraft ||
                                HasOptionTag(request, HeaderId::kSupported, "outbound");
        size_t flowContacts = 0;
        for (const ContactValue& c : contacts)
        {
            if (c.IsStar())
            {
                Reject(tx, request, 400, "Bad Request: * with other contacts");
                return;
            }
            uint32_t expires = c.GetExpires().value_or(
                headerExpires >= 0 ? static_cast<uint32_t>(headerExpires) : m_config.defaultExpires);
            if (expires != 0 && expires < m_config.minExpires)
            {
                Reject(tx, request, 423, "Interval Too Brief",
                       {{"Min-Expires", std::to_string(m_config.minExpires)}});
                return;
            }
            expires = std::min(expires, m_config.maxExpires);
            LocationService::Update u;
            // outbound 5.2 OB-REG-7 (RFC 5626 10 the same for reg-id): 1 to 2^31-1.
            if (std::optional<std::string_view> v = c.GetParams().Get(flowParam))
            {
                uint64_t n = 0;
                if (!text::ParseUint(*v, (uint64_t(1) << 31) - 1, n) || n == 0)
                {
                    Reject(tx, request, 400, "Bad Request: invalid " + std::string(flowParam));
                    return;
                }
                u.binding.flowId = static_cast<uint32_t>(n);
            }
            u.binding.instance = c.GetInstance().value_or("");
            if (u.binding.flowId != 0 && (u.binding.instance.empty() || !uaOutbound))
            {
                u.binding.flowId = 0; // RFC 5626 6: a reg-id without instance-id is ignored
            }
            if (u.binding.flowId != 0 && profile == OutboundProfile::kRfc5626)
            {
                // RFC 5626 6: the registrar is not the first hop and that hop
                // did not say it supports outbound.
                if (!FirstHopSupportsOutbound(request))
                {
                    Reject(tx, request, 439, "First Hop Lacks Outbound Support");
                    return;
                }
                // RFC 5626 6: one flow per REGISTER.
                if (expires != 0 && ++flowContacts > 1)
                {
                    Reject(tx, request, 400, "Bad Request: more than one Contact with reg-id");
                    return;
                }
            }
            outbound = outbound || u.binding.flowId != 0;
            u.binding.contact = std::string(c.GetUri().GetRaw());
            u.binding.q = c.GetQ().value_or(1.0);
            c.GetParams().ForEach([&](const Param& p) {
                // The stored Contact keeps +sip.instance and the flow number
                // (OB-REG-4), unless the flow number was ignored.
                const bool ignoredFlow = u.binding.flowId == 0 && text::IEquals(p.name, flowParam);
                if (!text::IEquals(p.name, "expires") && !text::IEquals(p.name, "q") &&
                    !ignoredFlow)
                {
                    u.binding.contactParams += ";" + std::string(p.name);
                    if (p.hasValue)
                    {
                        u.binding.contactParams += "=" + std::string(p.value);
                    }
                }
                return true;
            });
            u.binding.callId = callId;
            u.binding.cseq = cseq;
            u.binding.path = path;
            u.binding.source = from;
            u.expires = expires;
            updates.push_back(std::move(u));
        }
        if (!m_locations.Apply(aor, updates, now))
        {
            Reject(tx, request, 500, "Server Internal Error: out of order REGISTER");
            return;
        }
    }
    // Step 8: 200 with every current binding and its remaining time.
    std::vector<std::pair<std::string, std::string>> headers;
    for (const Binding& b : m_locations.Lookup(aor, now))
    {
        const TimeNs left = b.expiresAt - now;
        headers.emplace_back("Contact",
                             "<" + b.contact + ">" + b.contactParams +
                                 ";expires=" + std::to_string((left + SecondsToNs(1) - 1) / SecondsToNs(1)));
    }
    for (std::string_view p : request.GetValues(HeaderId::kPath))
    {
        headers.emplace_back("Path", std::string(p)); // RFC 3327 5.3
    }
    if (outbound && m_config.profile == OutboundProfile::kRfc5626)
    {
        headers.emplace_back("Require", "outbound"); // RFC 5626 6
        if (m_config.flowTimer > 0)
        {
            headers.emplace_back("Flow-Timer", std::to_string(m_config.flowTimer)); // RFC 5626 4.4
        }
    }
    ++m_stats.registrations;
    Respond(tx, request, 200, "OK", headers, NewTag());
}

void
Registrar::HandleProxied(ServerTransactionHandle tx, const SipMessage& request)
{
    if (std::optional<Rejection> r = CheckRequest(request, m_proxyPolicy))
    {
        Reject(tx, request, r->status, r->reason, r->headers);
        return;
    }
    SipMessage routed = request;
    const bool recordRouted = PopOwnRoute(routed).has_value();
    const std::vector<NameAddr> routes = routed.GetNameAddrs(HeaderId::kRoute);
    const SipUri& ruri = routed.GetRequestUri();
    const bool ours = ruri.IsSipOrSips() && text::IEquals(ruri.GetHost(), m_config.domain);
    std::vector<Binding> targets;
    std::optional<TransportAddress> next;
    if (!routes.empty())
    {
        // Loose routing: someone else is next (16.4, 16.6 item 6).
        next = Resolve(routes[0].GetUri());
    }
    else if (ruri.IsSipOrSips() && (ours || recordRouted))
    {
        // 16.5: the targets of an AOR are its bindings; the freshest one
        // wins (no forking in these scenarios), reached through its Path.
        // Back through our Record-Route: a UA registered here (OB-PX-9),
        // else one reached at its Contact (12.2.1.1).
        targets = Targets(ruri);
        if (targets.empty() && ours)
        {
            Reject(tx, request, 480, "Temporarily Unavailable");
            return;
        }
        if (targets.empty())
        {
            next = Resolve(ruri);
        }
    }
    if (targets.empty())
    {
        if (!next)
        {
            Reject(tx, request, 404, "Not Found");
            return;
        }
        Forwarding f;
        f.target = *next;
        Forward(tx, routed, f);
        return;
    }
    // outbound 5.3 OB-PX-1: one flow of an instance at a time, the freshest
    // first (OB-PX-3); the others wait for a 410 / 430 (OB-PX-2).
    std::vector<Binding> flows{targets.front()};
    if (flows.front().IsOutbound())
    {
        std::copy_if(targets.begin() + 1,
                     targets.end(),
                     std::back_inserter(flows),
                     [&](const Binding& b) { return b.instance == flows.front().instance; });
    }
    if (!ForwardToBinding(tx, routed, flows, {}))
    {
        Reject(tx, request, 500, "Server Internal Error: bad Path");
    }
}

std::vector<Binding>
Registrar::Targets(const SipUri& ruri)
{
    if (text::IEquals(ruri.GetHost(), m_config.domain))
    {
        return m_locations.Lookup(LocationService::CanonicalAor(ruri), Timers().Now());
    }
    return m_locations.LookupContact(ruri, Timers().Now());
}

std::optional<ProxyElement::Forwarding>
Registrar::ForwardingFor(const Binding& b, const SipMessage& routed) const
{
    Forwarding f;
    // Retarget a request for an AOR; a mid-dialog Request-URI stays (12.2.1.1).
    if (text::IEquals(routed.GetRequestUri().GetHost(), m_config.domain))
    {
        f.requestUri = b.contact;
    }
    f.pushRoutes = b.path;
    if (!b.path.empty())
    {
        Result<NameAddr> first = NameAddr::Parse(b.path.front());
        std::optional<TransportAddress> next = first ? Resolve(first.GetValue().GetUri()) : std::nullopt;
        if (!next)
        {
            return std::nullopt;
        }
        f.target = *next;
    }
    else
    {
        // Registered directly: back where the REGISTER came from, on the
        // same connection (outbound 5.3 OB-PX-6).
        f.target = b.source;
    }
    if (b.IsOutbound() && StartsDialog(routed))
    {
        // outbound 5.3 OB-PX-5: mid-dialog requests come back through a
        // proxy that knows the flows.
        f.recordRoute = "<" + LocalUri() + ";lr>";
    }
    return f;
}

bool
Registrar::ForwardToBinding(ServerTransactionHandle tx,
                            const SipMessage& routed,
                            const std::vector<Binding>& candidates,
                            std::vector<Binding> tried)
{
    for (const Binding& b : candidates)
    {
        std::optional<Forwarding> f = ForwardingFor(b, routed);
        if (!f)
        {
            continue;
        }
        if (Forward(tx, routed, *f) && b.IsOutbound())
        {
            tried.push_back(b);
            // Transactions that ended without a final response (OnServerError)
            // leave their attempt behind: forget those here.
            for (auto it = m_attempts.begin(); it != m_attempts.end();)
            {
                it = it->second.tx.IsAlive() ? std::next(it) : m_attempts.erase(it);
            }
            m_attempts[tx.GetId()] = FlowAttempt{tx, routed, std::move(tried)};
        }
        return true; // sent, or Forward answered the error itself
    }
    return false;
}

bool
Registrar::TryNextFlow(FlowAttempt attempt)
{
    const std::string instance = attempt.tried.front().instance;
    std::vector<Binding> next = Targets(attempt.routed.GetRequestUri());
    // Only flows of the instance tried first (OB-PX-1), none of them twice.
    auto skip = [&attempt, &instance](const Binding& b) {
        if (b.instance != instance)
        {
            return true;
        }
        for (const Binding& t : attempt.tried)
        {
            if (SameTarget(t, b))
            {
                return true;
            }
        }
        return false;
    };
    next.erase(std::remove_if(next.begin(), next.end(), skip), next.end());
    if (!ForwardToBinding(attempt.tx, attempt.routed, next, std::move(attempt.tried)))
    {
        return false;
    }
    ++m_stats.flowFailovers;
    return true;
}

bool
Registrar::OnFinalResponse(ServerTransactionHandle tx,
                           const SipMessage&,
                           const SipMessage& response)
{
    auto it = m_attempts.find(tx.GetId());
    if (it == m_attempts.end())
    {
        return false;
    }
    FlowAttempt attempt = std::move(it->second);
    m_attempts.erase(it);
    // outbound 5.3 OB-PX-2: 410 means the edge proxy lost the flow; try
    // another flow of the instance. RFC 5626 7: 430, and 408 as well; after
    // any other final response no other flow of the instance is tried.
    const int code = response.GetStatusCode();
    const bool flowFailed = code == FlowGoneStatus(m_config.profile) ||
                            (m_config.profile == OutboundProfile::kRfc5626 && code == 408);
    return flowFailed && TryNextFlow(std::move(attempt));
}

bool
Registrar::OnForwardError(ServerTransactionHandle tx, const SipMessage&, TransactionError error)
{
    auto it = m_attempts.find(tx.GetId());
    if (it == m_attempts.end())
    {
        return false;
    }
    FlowAttempt attempt = std::move(it->second);
    m_attempts.erase(it);
    const Binding& failed = attempt.tried.back();
    if (error == TransactionError::kTransportError)
    {
        // outbound 5.3 OB-PX-7: sending over the flow failed; every binding
        // using it goes, whatever its AOR.
        m_stats.flowBindingsRemoved += m_locations.RemoveFlow(failed.source);
    }
    // Spec 9: the draft fails over on network errors; RFC 5626 7 also on a
    // timeout (408).
    const bool failover =
        error == TransactionError::kTransportError || m_config.profile == OutboundProfile::kRfc5626;
    return failover && TryNextFlow(std::move(attempt));
}

void
Registrar::OnConnectionClosed(const TransportAddress& peer, const std::string&)
{
    // outbound 5.3 OB-PX-8, RFC 5626 7: a closed connection is a dead flow.
    m_stats.flowBindingsRemoved += m_locations.RemoveFlow(peer);
}

std::optional<TransportAddress>
Registrar::RouteAck(SipMessage& ack, const TransportAddress&)
{
    const bool recordRouted = PopOwnRoute(ack).has_value();
    const std::vector<NameAddr> routes = ack.GetNameAddrs(HeaderId::kRoute);
    if (!routes.empty())
    {
        return Resolve(routes[0].GetUri());
    }
    if (!recordRouted)
    {
        return std::nullopt; // an ACK for a 2xx always carries the route set here
    }
    // outbound 5.3 OB-PX-9: we Record-Routed towards a UA registered here,
    // or one that is reached at its Contact.
    const std::vector<Binding> targets = Targets(ack.GetRequestUri());
    if (targets.empty())
    {
        return Resolve(ack.GetRequestUri());
    }
    std::optional<Forwarding> f = ForwardingFor(targets.front(), ack);
    if (!f)
    {
        return std::nullopt;
    }
    for (auto it = f->pushRoutes.rbegin(); it != f->pushRoutes.rend(); ++it)
    {
        ack.PrependHeader("Route", *it);
    }
    return f->target;
}

} // namespace sipbed
