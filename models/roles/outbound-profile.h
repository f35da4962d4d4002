// The two outbound profiles (DESIGN.md "Profiles"; ../shared/spec/outbound.md
// section 10): the seed draft ("Client Initiated Connections in SIP", July
// 2005) is the default, RFC 5626 is selectable with `--profile rfc5626`.
// The wire differences more than one role must agree on live here, once;
// role-specific ones (timer defaults, 439) stay with their role.
#ifndef SIPBED_OUTBOUND_PROFILE_H
#define SIPBED_OUTBOUND_PROFILE_H

#include <cstdint>
#include <optional>
#include <string_view>

namespace sipbed
{

enum class OutboundProfile : uint8_t
{
    kDraft,   ///< the seed draft (spec sections 1-9)
    kRfc5626, ///< RFC 5626 (spec section 10)
};

/// Status an edge proxy answers when a token's flow no longer exists: outbound
/// 6.2 (spec OB-EP-6) "410 Gone"; RFC 5626 5.3.1 "430 Flow Failed". It is also
/// the status an authoritative proxy fails over on (OB-PX-2; RFC 5626 7).
constexpr int
FlowGoneStatus(OutboundProfile profile)
{
    return profile == OutboundProfile::kRfc5626 ? 430 : 410;
}

/// Reason phrase for FlowGoneStatus (RFC 3261 21.4.11; RFC 5626 11.5).
constexpr std::string_view
FlowGoneReason(OutboundProfile profile)
{
    return profile == OutboundProfile::kRfc5626 ? "Flow Failed" : "Gone";
}

/// Whether a CRLF keepalive gets an answer: the draft has none (outbound 4.2,
/// spec OB-UA-10); RFC 5626 4.4.1 / 5.4: a CRLFCRLF ping is answered at once
/// with a single CRLF pong.
constexpr bool
HasCrlfPong(OutboundProfile profile)
{
    return profile == OutboundProfile::kRfc5626;
}

/// Contact parameter that numbers a UA's flows: outbound 9 `flow-id` (spec
/// 3.1); RFC 5626 4.2.1 / 10 `reg-id`.
constexpr std::string_view
FlowParameterName(OutboundProfile profile)
{
    return profile == OutboundProfile::kRfc5626 ? "reg-id" : "flow-id";
}

/// "draft" or "rfc5626": the `--profile` values (DESIGN.md "Profiles").
constexpr std::string_view
ProfileName(OutboundProfile profile)
{
    return profile == OutboundProfile::kRfc5626 ? "rfc5626" : "draft";
}

/// Inverse of ProfileName (exact match); nullopt for anything else.
constexpr std::optional<OutboundProfile>
ParseProfile(std::string_view name)
{
    if (name == ProfileName(OutboundProfile::kDraft))
    {
        return OutboundProfile::kDraft;
    }
    if (name == ProfileName(OutboundProfile::kRfc5626))
    {
        return OutboundProfile::kRfc5626;
    }
    return std::nullopt;
}

} // namespace sipbed

#endif
