#include "models/roles/registrar.h"

#include "models/sip/request-checks.h"
#include "models/sip/sip-text.h"

namespace sipbed
{

namespace
{

RequestPolicy
MakePolicy(RequestPolicy::Element element)
{
    RequestPolicy p;
    p.element = element;
    p.optionTags = {"path"}; // RFC 3327
    return p;
}

} // namespace

Registrar::Registrar(const ElementEnvironment& env,
                     const ElementConfig& element,
                     const RegistrarConfig& config)
    : ProxyElement(env, element),
      m_config(config)
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
    static const RequestPolicy policy = MakePolicy(RequestPolicy::Element::kRegistrar);
    if (std::optional<Rejection> r = CheckRequest(request, policy))
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
            u.binding.contact = std::string(c.GetUri().GetRaw());
            u.binding.q = c.GetQ().value_or(1.0);
            c.GetParams().ForEach([&](const Param& p) {
                if (!text::IEquals(p.name, "expires") && !text::IEquals(p.name, "q"))
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
    ++m_stats.registrations;
    Respond(tx, request, 200, "OK", headers, NewTag());
}

void
Registrar::HandleProxied(ServerTransactionHandle tx, const SipMessage& request)
{
    static const RequestPolicy policy = MakePolicy(RequestPolicy::Element::kProxy);
    if (std::optional<Rejection> r = CheckRequest(request, policy))
    {
        Reject(tx, request, r->status, r->reason, r->headers);
        return;
    }
    SipMessage routed = request;
    PopOwnRoute(routed);
    const std::vector<NameAddr> routes = routed.GetNameAddrs(HeaderId::kRoute);
    Forwarding f;
    if (!routes.empty())
    {
        // Loose routing: someone else is next (16.4, 16.6 item 6).
        std::optional<TransportAddress> next = Resolve(routes[0].GetUri());
        if (!next)
        {
            Reject(tx, request, 404, "Not Found");
            return;
        }
        f.target = *next;
        Forward(tx, routed, f);
        return;
    }
    const SipUri& ruri = routed.GetRequestUri();
    if (!ruri.IsSipOrSips() || !text::IEquals(ruri.GetHost(), m_config.domain))
    {
        Reject(tx, request, 404, "Not Found");
        return;
    }
    // 16.5: the targets of an AOR are its bindings; the freshest one wins
    // (no forking in these scenarios), reached through its Path.
    const std::vector<Binding> bindings = m_locations.Lookup(LocationService::CanonicalAor(ruri), Timers().Now());
    if (bindings.empty())
    {
        Reject(tx, request, 480, "Temporarily Unavailable");
        return;
    }
    const Binding& b = bindings.front();
    f.requestUri = b.contact;
    f.pushRoutes = b.path;
    if (!b.path.empty())
    {
        Result<NameAddr> first = NameAddr::Parse(b.path.front());
        std::optional<TransportAddress> next = first ? Resolve(first.GetValue().GetUri()) : std::nullopt;
        if (!next)
        {
            Reject(tx, request, 500, "Server Internal Error: bad Path");
            return;
        }
        f.target = *next;
    }
    else
    {
        f.target = b.source; // registered directly: back where the REGISTER came from
    }
    Forward(tx, routed, f);
}

std::optional<TransportAddress>
Registrar::RouteAck(SipMessage& ack, const TransportAddress&)
{
    PopOwnRoute(ack);
    const std::vector<NameAddr> routes = ack.GetNameAddrs(HeaderId::kRoute);
    if (!routes.empty())
    {
        return Resolve(routes[0].GetUri());
    }
    return std::nullopt; // an ACK for a 2xx always carries the route set here
}

} // namespace sipbed
