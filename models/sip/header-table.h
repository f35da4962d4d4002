// The header fields sipbed knows by name: canonical spelling, compact form,
// whether the field is a comma-separated list, and which grammar its value
// follows. Unknown header fields are kept verbatim (HeaderId::kUnknown).
#ifndef SIPBED_HEADER_TABLE_H
#define SIPBED_HEADER_TABLE_H

#include <cstdint>
#include <string_view>

namespace sipbed
{

enum class HeaderId : uint8_t
{
    kUnknown = 0,
    kAccept,
    kAcceptContact,
    kAcceptEncoding,
    kAcceptLanguage,
    kAlertInfo,
    kAllow,
    kAllowEvents,
    kAuthenticationInfo,
    kAuthorization,
    kCallId,
    kCallInfo,
    kContact,
    kContentDisposition,
    kContentEncoding,
    kContentId,
    kContentLanguage,
    kContentLength,
    kContentTransferEncoding,
    kContentType,
    kCSeq,
    kDate,
    kErrorInfo,
    kEvent,
    kExpires,
    kFlowTimer,
    kFrom,
    kIdentity,
    kIdentityInfo,
    kInReplyTo,
    kMaxForwards,
    kMimeVersion,
    kMinExpires,
    kOrganization,
    kPath,
    kPriority,
    kProxyAuthenticate,
    kProxyAuthorization,
    kProxyRequire,
    kRecordRoute,
    kReferSub,
    kReferTo,
    kReferredBy,
    kRejectContact,
    kReplyTo,
    kRequestDisposition,
    kRequire,
    kRetryAfter,
    kRoute,
    kServer,
    kSessionExpires,
    kSipETag,
    kSipIfMatch,
    kSubject,
    kSubscriptionState,
    kSupported,
    kTargetDialog,
    kTimestamp,
    kTo,
    kUnsupported,
    kUserAgent,
    kVia,
    kWarning,
    kWwwAuthenticate,
    kCount
};

/// Grammar of a header value, checked when a message is parsed or a value set.
enum class ValueKind : uint8_t
{
    kText,          ///< not interpreted (kept as received)
    kVia,           ///< via-parm
    kNameAddr,      ///< name-addr / addr-spec with params (From, To, Refer-To, ...)
    kContact,       ///< "*" or name-addr with contact-params
    kCallId,        ///< word ["@" word]
    kCSeq,          ///< number method
    kMaxForwards,   ///< 0..255
    kDeltaSeconds,  ///< 0..2^32-1 (Expires, Min-Expires)
    kContentLength, ///< 0..2^32-1
    kMediaType,     ///< type/subtype;params (Content-Type, and each Accept value)
    kRetryAfter,    ///< delta-seconds [comment] params
    kOptionTag,     ///< token (Require, Supported, Unsupported, Proxy-Require)
    kAuth,          ///< scheme auth-params (challenges and credentials)
    kTokenParams,   ///< token *(;param) (Event, Subscription-State, Refer-Sub)
    kToken,         ///< token alone (SIP-ETag, SIP-If-Match)
    kTargetDialog,  ///< callid *(;param)
    kIdentityInfo,  ///< <absoluteURI> *(;param)
};

struct HeaderInfo
{
    HeaderId id;
    std::string_view name; ///< canonical spelling
    char compact;          ///< compact form, or 0
    bool list;             ///< comma-separated values allowed (RFC 3261 7.3.1)
    ValueKind kind;
};

/// Header by name, case-insensitive, long or compact form; kUnknown if none.
HeaderId LookupHeader(std::string_view name);

const HeaderInfo& GetHeaderInfo(HeaderId id);

} // namespace sipbed

#endif
