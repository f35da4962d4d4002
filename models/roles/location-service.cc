#include "models/roles/location-service.h"

#include "models/sip/sip-text.h"

#include <algorithm>

namespace sipbed
{

std::string
LocationService::CanonicalAor(const SipUri& uri)
{
    std::string aor = "sip:";
    if (!uri.GetUser().empty())
    {
        aor += uri.GetUserUnescaped();
        aor += '@';
    }
    aor += text::ToLower(uri.GetHost());
    return aor;
}

namespace
{

/// A binding that blocks a change: same Call-ID, CSeq not lower (10.3 step 7).
bool
IsNewerOrSame(const Binding& existing, const std::string& callId, uint32_t cseq)
{
    return existing.callId == callId && existing.cseq >= cseq;
}

/// The same network flow: transport, address, port and, for streams, the
/// connection (outbound 5.2 OB-REG-3: the file descriptor for TCP/TLS).
bool
SameFlow(const TransportAddress& a, const TransportAddress& b)
{
    return a.SameEndpoint(b) && a.connection == b.connection;
}

/// user@host:port of a SIP URI (host lower-cased, 5060 when absent): what a
/// Contact and a Request-URI must share to name the same UA (OB-PX-9).
std::string
ContactKey(const SipUri& uri)
{
    const int port = uri.GetPort();
    return LocationService::CanonicalAor(uri) + ":" + std::to_string(port < 0 ? 5060 : port);
}

} // namespace

bool
LocationService::SameBinding(const Binding& existing, const Binding& update) const
{
    if (existing.instance != update.instance || existing.flowId != update.flowId)
    {
        return false; // outbound 5.2 OB-REG-1, OB-REG-2
    }
    // RFC 5626 6: the binding is (AOR, instance-id, reg-id): a new Contact
    // URI over the same reg-id replaces it. The draft keys on the URI too,
    // so a rebooted UA's new URI is a second binding (OB-REG-6).
    return (m_profile == OutboundProfile::kRfc5626 && update.IsOutbound()) ||
           existing.contact == update.contact;
}

bool
LocationService::Apply(const std::string& aor, const std::vector<Update>& updates, TimeNs now)
{
    std::vector<Binding>& bindings = m_aors[aor];
    // All or nothing: check every contact before changing any.
    for (const Update& u : updates)
    {
        for (const Binding& b : bindings)
        {
            if (SameBinding(b, u.binding) && b.expiresAt > now &&
                IsNewerOrSame(b, u.binding.callId, u.binding.cseq))
            {
                if (bindings.empty())
                {
                    m_aors.erase(aor);
                }
                return false;
            }
        }
    }
    for (const Update& u : updates)
    {
        auto it = std::find_if(bindings.begin(), bindings.end(), [&](const Binding& b) {
            return SameBinding(b, u.binding);
        });
        if (u.expires == 0)
        {
            if (it != bindings.end())
            {
                bindings.erase(it);
            }
            continue;
        }
        Binding b = u.binding;
        b.expiresAt = now + SecondsToNs(u.expires);
        b.updatedAt = now; // outbound 5.2 OB-REG-4, OB-REG-5
        if (it != bindings.end())
        {
            *it = std::move(b);
        }
        else
        {
            bindings.push_back(std::move(b));
        }
    }
    if (bindings.empty())
    {
        m_aors.erase(aor);
    }
    return true;
}

bool
LocationService::RemoveAll(const std::string& aor, const std::string& callId, uint32_t cseq, TimeNs now)
{
    auto it = m_aors.find(aor);
    if (it == m_aors.end())
    {
        return true;
    }
    for (const Binding& b : it->second)
    {
        if (b.expiresAt > now && IsNewerOrSame(b, callId, cseq))
        {
            return false;
        }
    }
    m_aors.erase(it);
    return true;
}

namespace
{

/// Highest q first; among equals the most recently updated (OB-PX-3).
void
SortByPreference(std::vector<Binding>& bindings)
{
    std::stable_sort(bindings.begin(), bindings.end(), [](const Binding& a, const Binding& b) {
        return a.q != b.q ? a.q > b.q : a.updatedAt > b.updatedAt;
    });
}

} // namespace

std::vector<Binding>
LocationService::Lookup(const std::string& aor, TimeNs now) const
{
    std::vector<Binding> out;
    auto it = m_aors.find(aor);
    if (it == m_aors.end())
    {
        return out;
    }
    for (const Binding& b : it->second)
    {
        if (b.expiresAt > now)
        {
            out.push_back(b);
        }
    }
    SortByPreference(out);
    return out;
}

std::vector<Binding>
LocationService::LookupContact(const SipUri& uri, TimeNs now) const
{
    std::vector<Binding> out;
    if (!uri.IsSipOrSips())
    {
        return out;
    }
    const std::string key = ContactKey(uri);
    for (const auto& [aor, bindings] : m_aors)
    {
        for (const Binding& b : bindings)
        {
            if (b.expiresAt <= now)
            {
                continue;
            }
            Result<SipUri> contact = SipUri::Parse(b.contact, SipUri::Context::kBracketed);
            if (contact && contact.GetValue().IsSipOrSips() &&
                ContactKey(contact.GetValue()) == key)
            {
                out.push_back(b);
            }
        }
    }
    SortByPreference(out);
    return out;
}

template <class Pred>
size_t
LocationService::RemoveWhere(Pred pred)
{
    size_t n = 0;
    for (auto it = m_aors.begin(); it != m_aors.end();)
    {
        auto& v = it->second;
        const size_t before = v.size();
        v.erase(std::remove_if(v.begin(), v.end(), pred), v.end());
        n += before - v.size();
        it = v.empty() ? m_aors.erase(it) : std::next(it);
    }
    return n;
}

size_t
LocationService::RemoveFlow(const TransportAddress& flow)
{
    return RemoveWhere([&flow](const Binding& b) {
        return b.IsOutbound() && b.path.empty() && SameFlow(b.source, flow);
    });
}

bool
LocationService::HasBinding(const std::string& aor, TimeNs now) const
{
    auto it = m_aors.find(aor);
    if (it == m_aors.end())
    {
        return false;
    }
    for (const Binding& b : it->second)
    {
        if (b.expiresAt > now)
        {
            return true;
        }
    }
    return false;
}

size_t
LocationService::Purge(TimeNs now)
{
    return RemoveWhere([now](const Binding& b) { return b.expiresAt <= now; });
}

size_t
LocationService::GetBindingCount() const
{
    size_t n = 0;
    for (const auto& [aor, v] : m_aors)
    {
        n += v.size();
    }
    return n;
}

} // namespace sipbed
