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

} // namespace

bool
LocationService::Apply(const std::string& aor, const std::vector<Update>& updates, TimeNs now)
{
    std::vector<Binding>& bindings = m_aors[aor];
    // All or nothing: check every contact before changing any.
    for (const Update& u : updates)
    {
        for (const Binding& b : bindings)
        {
            if (b.contact == u.binding.contact && b.expiresAt > now &&
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
            return b.contact == u.binding.contact;
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
    // Highest q first; among equals the one that expires last (registered last).
    std::stable_sort(out.begin(), out.end(), [](const Binding& a, const Binding& b) {
        return a.q != b.q ? a.q > b.q : a.expiresAt > b.expiresAt;
    });
    return out;
}

size_t
LocationService::Purge(TimeNs now)
{
    size_t n = 0;
    for (auto it = m_aors.begin(); it != m_aors.end();)
    {
        auto& v = it->second;
        const size_t before = v.size();
        v.erase(std::remove_if(v.begin(), v.end(), [&](const Binding& b) { return b.expiresAt <= now; }),
                v.end());
        n += before - v.size();
        it = v.empty() ? m_aors.erase(it) : std::next(it);
    }
    return n;
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
