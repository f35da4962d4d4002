// The location service of a registrar (RFC 3261 10.3): bindings from an
// address-of-record to contacts, each with its expiry, the Path it was
// registered through (RFC 3327) and where the REGISTER came from. The
// registrar writes it, the home proxy reads it. Owned strings only: a
// binding outlives the message it came from.
#ifndef SIPBED_LOCATION_SERVICE_H
#define SIPBED_LOCATION_SERVICE_H

#include "models/core/transport-address.h"
#include "models/net/time-ns.h"
#include "models/sip/sip-uri.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sipbed
{

struct Binding
{
    std::string contact;         ///< the Contact URI, as registered
    std::string contactParams;   ///< its header params other than expires/q (";+sip.instance=...")
    double q = 1.0;
    TimeNs expiresAt = 0;
    std::string callId;
    uint32_t cseq = 0;
    std::vector<std::string> path; ///< Path values, top first (RFC 3327 5.3)
    TransportAddress source;       ///< where the REGISTER arrived from
};

class LocationService
{
  public:
    /// RFC 3261 10.3 step 5: the AOR of a To URI: "sip:" user "@" host, host
    /// lower-cased, no port or parameters, escapes decoded (sips: too).
    static std::string CanonicalAor(const SipUri& uri);

    /// One contact of a REGISTER, already checked by the registrar.
    struct Update
    {
        Binding binding;      ///< expiresAt is ignored: see expires
        uint32_t expires = 0; ///< seconds; 0 removes the binding
    };

    /// 10.3 step 7 for all contacts of one REGISTER, all or nothing: fails
    /// (returns false, changes nothing) if a contact is bound with the same
    /// Call-ID and a CSeq not lower than this one (an out-of-order request).
    bool Apply(const std::string& aor, const std::vector<Update>& updates, TimeNs now);

    /// `Contact: *` with Expires 0 (10.3 step 6): every binding of the AOR
    /// goes, unless one has the same Call-ID and a CSeq not lower.
    bool RemoveAll(const std::string& aor, const std::string& callId, uint32_t cseq, TimeNs now);

    /// Unexpired bindings of an AOR, highest q first, then the most recent.
    std::vector<Binding> Lookup(const std::string& aor, TimeNs now) const;

    /// Drops expired bindings; returns how many.
    size_t Purge(TimeNs now);

    size_t GetAorCount() const
    {
        return m_aors.size();
    }

    size_t GetBindingCount() const;

  private:
    std::map<std::string, std::vector<Binding>> m_aors;
};

} // namespace sipbed

#endif
