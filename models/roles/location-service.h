// The location service of a registrar (RFC 3261 10.3): bindings from an
// address-of-record to contacts, each with its expiry, the Path it was
// registered through (RFC 3327) and where the REGISTER came from. The
// registrar writes it, the home proxy reads it. Owned strings only: a
// binding outlives the message it came from.
//
// Outbound (../shared/spec/outbound.md 5.2, 5.3): a contact with an
// instance-id (+sip.instance) and a flow number (draft `flow-id`, RFC 5626
// `reg-id`) is an outbound binding. It remembers the flow its REGISTER
// arrived on and when it was last updated; the freshest flow of an instance
// is tried first, and a failed flow takes its bindings with it.
#ifndef SIPBED_LOCATION_SERVICE_H
#define SIPBED_LOCATION_SERVICE_H

#include "models/core/transport-address.h"
#include "models/net/time-ns.h"
#include "models/roles/outbound-profile.h"
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
    /// Where the REGISTER arrived from, connection included: for an outbound
    /// binding registered directly, the flow requests go back on (OB-REG-3).
    TransportAddress source;
    /// outbound 5.2: the instance-id without quotes and brackets ("urn:uuid:..."); empty: none.
    std::string instance;
    /// outbound 5.2: flow-id (draft) or reg-id (RFC 5626) when the registrar
    /// applied outbound processing; 0: a plain RFC 3261 binding.
    uint32_t flowId = 0;
    /// outbound 5.2 OB-REG-4: when it was last registered or refreshed.
    TimeNs updatedAt = 0;

    bool IsOutbound() const
    {
        return flowId != 0 && !instance.empty();
    }
};

class LocationService
{
  public:
    /// The profile decides which contacts are "the same" binding (see Apply).
    explicit LocationService(OutboundProfile profile = OutboundProfile::kDraft)
        : m_profile(profile)
    {
    }

    /// RFC 3261 10.3 step 5: the AOR of a To URI: "sip:" user "@" host, host
    /// lower-cased, no port or parameters, escapes decoded (sips: too).
    static std::string CanonicalAor(const SipUri& uri);

    /// One contact of a REGISTER, already checked by the registrar.
    struct Update
    {
        Binding binding;      ///< expiresAt and updatedAt are ignored: see expires
        uint32_t expires = 0; ///< seconds; 0 removes the binding
    };

    /// 10.3 step 7 for all contacts of one REGISTER, all or nothing: fails
    /// (returns false, changes nothing) if a contact is bound with the same
    /// Call-ID and a CSeq not lower than this one (an out-of-order request).
    /// A contact matches an existing binding when the URIs, instance-ids
    /// and flow numbers are equal (outbound 5.2 OB-REG-1, OB-REG-2); under
    /// RFC 5626 an outbound contact matches on instance-id and reg-id alone
    /// (RFC 5626 6).
    bool Apply(const std::string& aor, const std::vector<Update>& updates, TimeNs now);

    /// `Contact: *` with Expires 0 (10.3 step 6): every binding of the AOR
    /// goes, unless one has the same Call-ID and a CSeq not lower.
    bool RemoveAll(const std::string& aor, const std::string& callId, uint32_t cseq, TimeNs now);

    /// Unexpired bindings of an AOR, highest q first, then the most recently
    /// updated (outbound 5.3 OB-PX-3).
    std::vector<Binding> Lookup(const std::string& aor, TimeNs now) const;

    /// outbound 5.3 OB-PX-9: unexpired bindings of any AOR whose Contact URI
    /// names the same user, host and port as `uri`, the most recent first.
    /// Scans every binding: for mid-dialog requests only.
    std::vector<Binding> LookupContact(const SipUri& uri, TimeNs now) const;

    /// outbound 5.3 OB-PX-7, OB-PX-8: the flow failed or was closed; every
    /// outbound binding registered directly over it (no Path) goes, whatever
    /// its AOR. The connection must match for stream transports. Bindings
    /// with a Path are reached through their edge proxy, which owns the flow.
    /// Returns how many went.
    size_t RemoveFlow(const TransportAddress& flow);

    /// Whether the AOR has an unexpired binding (no copies: for metrics
    /// sampled over many AORs).
    bool HasBinding(const std::string& aor, TimeNs now) const;

    /// Drops expired bindings; returns how many.
    size_t Purge(TimeNs now);

    size_t GetAorCount() const
    {
        return m_aors.size();
    }

    size_t GetBindingCount() const;

    OutboundProfile GetProfile() const
    {
        return m_profile;
    }

  private:
    /// Whether `update` names the binding `existing` (see Apply).
    bool SameBinding(const Binding& existing, const Binding& update) const;

    /// Removes every binding for which pred(binding) holds, and AORs left empty.
    template <class Pred>
    size_t RemoveWhere(Pred pred);

    OutboundProfile m_profile;
    std::map<std::string, std::vector<Binding>> m_aors;
};

} // namespace sipbed

#endif
