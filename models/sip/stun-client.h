// The client half of an outbound STUN keepalive on one flow (outbound draft
// 4.2, spec OB-UA-11/12; RFC 5626 4.4.2 for the RFC 5389 profile): builds
// Binding Requests, matches responses to the pending one by transaction id,
// and reports the mapped address, noticing when it changes from the one
// seen before on this flow: a NAT that rebooted or re-mapped the flow, which
// outbound treats as a flow failure.
//
// Timing (when to send, retransmissions, giving up) is the caller's: it
// resends GetPendingRequest() on its timers (RFC 3489 9.3: 100 ms doubling
// to 1.6 s, 9 requests; RFC 5389 7.2.1: RTO doubling, Rc = 7) and calls
// Cancel() when the transaction times out.
#ifndef SIPBED_STUN_CLIENT_H
#define SIPBED_STUN_CLIENT_H

#include "models/sip/stun-message.h"

#include <optional>
#include <string>
#include <string_view>

namespace sipbed
{

enum class StunClientStatus : uint8_t
{
    kMapped,    ///< first mapped address on this flow
    kUnchanged, ///< the same mapped address as last time
    kChanged,   ///< a different mapped address: the flow failed (outbound 4.2)
    kError,     ///< a Binding Error Response to the pending request
    kInvalid,   ///< answers the pending request but cannot be used
    kNotOurs,   ///< not a response to the pending request: ignore it
    kMalformed, ///< not a valid STUN message: ignore it
};

/// "mapped", "unchanged", "changed", "error", "invalid", "not-ours", "malformed".
std::string_view StunClientStatusName(StunClientStatus status);

struct StunClientResult
{
    StunClientStatus status = StunClientStatus::kNotOurs;
    StunAddress mapped;   ///< kMapped, kUnchanged, kChanged
    StunAddress previous; ///< kChanged: the address it replaced
    int errorCode = 0;    ///< kError
    std::string reason;   ///< kError, kInvalid, kNotOurs, kMalformed

    /// The response ended the pending transaction (success or not).
    bool EndsTransaction() const
    {
        return status != StunClientStatus::kNotOurs && status != StunClientStatus::kMalformed;
    }
};

class StunClient
{
  public:
    /// `dialect`: kRfc3489 for the draft profile, kRfc5389 for RFC 5626.
    /// `fingerprint`: add FINGERPRINT to RFC 5389 requests.
    StunClient(StunDialect dialect, StunRandom random, bool fingerprint = false);

    /// Starts a new transaction with a fresh transaction id and returns the
    /// Binding Request to send. A pending transaction is abandoned: its late
    /// response no longer matches.
    std::string StartRequest();

    /// The pending request again, same transaction id, for a retransmission
    /// (RFC 3489 9.3, RFC 5389 7.2.1); empty when nothing is pending.
    std::string GetPendingRequest() const;

    bool HasPending() const
    {
        return m_pending.has_value();
    }

    /// Gives the pending transaction up (timed out).
    void Cancel()
    {
        m_pending.reset();
    }

    /// Handles a datagram received on the flow (classified as STUN).
    StunClientResult OnResponse(std::string_view datagram);

    /// Last mapped address learned on this flow.
    std::optional<StunAddress> GetMappedAddress() const
    {
        return m_mapped;
    }

    /// Forgets the mapped address: the next one is kMapped again (a new
    /// flow replaces a failed one).
    void ResetMapping()
    {
        m_mapped.reset();
    }

    StunDialect GetDialect() const
    {
        return m_dialect;
    }

  private:
    StunMessage MakeRequest(const StunTransactionId& id) const;

    StunDialect m_dialect;
    StunRandom m_random;
    bool m_fingerprint;
    std::optional<StunTransactionId> m_pending;
    std::optional<StunAddress> m_mapped;
};

} // namespace sipbed

#endif
