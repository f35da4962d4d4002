#include "models/sip/header-table.h"

#include "models/sip/sip-text.h"

#include <array>
#include <cstdlib>

namespace sipbed
{
namespace
{

using K = ValueKind;
using H = HeaderId;

// Compact forms: RFC 3261 7.3.3 (i m e l c f s k t v), RFC 3265 (o u),
// RFC 3515 (r), RFC 3892 (b), RFC 3841 (a j d), RFC 4028 (x), RFC 4474 (y n).
constexpr HeaderInfo kTable[] = {
    {H::kUnknown, "", 0, false, K::kText},
    {H::kAccept, "Accept", 0, true, K::kMediaType},
    {H::kAcceptContact, "Accept-Contact", 'a', true, K::kText},
    {H::kAcceptEncoding, "Accept-Encoding", 0, true, K::kText},
    {H::kAcceptLanguage, "Accept-Language", 0, true, K::kText},
    {H::kAlertInfo, "Alert-Info", 0, true, K::kText},
    {H::kAllow, "Allow", 0, true, K::kText},
    {H::kAllowEvents, "Allow-Events", 'u', true, K::kText},
    {H::kAuthenticationInfo, "Authentication-Info", 0, false, K::kText},
    {H::kAuthorization, "Authorization", 0, false, K::kAuth},
    {H::kCallId, "Call-ID", 'i', false, K::kCallId},
    {H::kCallInfo, "Call-Info", 0, true, K::kText},
    {H::kContact, "Contact", 'm', true, K::kContact},
    {H::kContentDisposition, "Content-Disposition", 0, false, K::kText},
    {H::kContentEncoding, "Content-Encoding", 'e', true, K::kText},
    {H::kContentId, "Content-ID", 0, false, K::kText},
    {H::kContentLanguage, "Content-Language", 0, true, K::kText},
    {H::kContentLength, "Content-Length", 'l', false, K::kContentLength},
    {H::kContentTransferEncoding, "Content-Transfer-Encoding", 0, false, K::kText},
    {H::kContentType, "Content-Type", 'c', false, K::kMediaType},
    {H::kCSeq, "CSeq", 0, false, K::kCSeq},
    {H::kDate, "Date", 0, false, K::kText},
    {H::kErrorInfo, "Error-Info", 0, true, K::kText},
    {H::kEvent, "Event", 'o', false, K::kTokenParams},
    {H::kExpires, "Expires", 0, false, K::kDeltaSeconds},
    {H::kFlowTimer, "Flow-Timer", 0, false, K::kDeltaSeconds},
    {H::kFrom, "From", 'f', false, K::kNameAddr},
    {H::kIdentity, "Identity", 'y', false, K::kText},
    {H::kIdentityInfo, "Identity-Info", 'n', false, K::kIdentityInfo},
    {H::kInReplyTo, "In-Reply-To", 0, true, K::kText},
    {H::kMaxForwards, "Max-Forwards", 0, false, K::kMaxForwards},
    {H::kMimeVersion, "MIME-Version", 0, false, K::kText},
    {H::kMinExpires, "Min-Expires", 0, false, K::kDeltaSeconds},
    {H::kOrganization, "Organization", 0, false, K::kText},
    {H::kPath, "Path", 0, true, K::kNameAddr},
    {H::kPriority, "Priority", 0, false, K::kText},
    {H::kProxyAuthenticate, "Proxy-Authenticate", 0, false, K::kAuth},
    {H::kProxyAuthorization, "Proxy-Authorization", 0, false, K::kAuth},
    {H::kProxyRequire, "Proxy-Require", 0, true, K::kOptionTag},
    {H::kRecordRoute, "Record-Route", 0, true, K::kNameAddr},
    {H::kReferSub, "Refer-Sub", 0, false, K::kTokenParams},
    {H::kReferTo, "Refer-To", 'r', false, K::kNameAddr},
    {H::kReferredBy, "Referred-By", 'b', false, K::kNameAddr},
    {H::kRejectContact, "Reject-Contact", 'j', true, K::kText},
    {H::kReplyTo, "Reply-To", 0, false, K::kNameAddr},
    {H::kRequestDisposition, "Request-Disposition", 'd', true, K::kText},
    {H::kRequire, "Require", 0, true, K::kOptionTag},
    {H::kRetryAfter, "Retry-After", 0, false, K::kRetryAfter},
    {H::kRoute, "Route", 0, true, K::kNameAddr},
    {H::kServer, "Server", 0, false, K::kText},
    {H::kSessionExpires, "Session-Expires", 'x', false, K::kText},
    {H::kSipETag, "SIP-ETag", 0, false, K::kToken},
    {H::kSipIfMatch, "SIP-If-Match", 0, false, K::kToken},
    {H::kSubject, "Subject", 's', false, K::kText},
    {H::kSubscriptionState, "Subscription-State", 0, false, K::kTokenParams},
    {H::kSupported, "Supported", 'k', true, K::kOptionTag},
    {H::kTargetDialog, "Target-Dialog", 0, false, K::kTargetDialog},
    {H::kTimestamp, "Timestamp", 0, false, K::kText},
    {H::kTo, "To", 't', false, K::kNameAddr},
    {H::kUnsupported, "Unsupported", 0, true, K::kOptionTag},
    {H::kUserAgent, "User-Agent", 0, false, K::kText},
    {H::kVia, "Via", 'v', true, K::kVia},
    {H::kWarning, "Warning", 0, true, K::kText},
    {H::kWwwAuthenticate, "WWW-Authenticate", 0, false, K::kAuth},
};

static_assert(sizeof(kTable) / sizeof(kTable[0]) == static_cast<size_t>(HeaderId::kCount),
              "header table and HeaderId enum disagree");

constexpr bool
TableInEnumOrder()
{
    for (size_t i = 0; i < sizeof(kTable) / sizeof(kTable[0]); ++i)
    {
        if (static_cast<size_t>(kTable[i].id) != i)
        {
            return false;
        }
    }
    return true;
}

static_assert(TableInEnumOrder(), "header table must follow the HeaderId order");

char
Lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

} // namespace

namespace
{

// Long names bucketed by lower-case first letter, built once: a lookup
// compares only the few names that share the first letter.
struct Buckets
{
    std::array<std::array<HeaderId, 16>, 26> ids{};
    std::array<uint8_t, 26> count{};
    std::array<HeaderId, 26> compact{};

    Buckets()
    {
        for (const HeaderInfo& h : kTable)
        {
            if (h.id == HeaderId::kUnknown)
            {
                continue;
            }
            size_t b = static_cast<size_t>(Lower(h.name[0]) - 'a');
            if (count[b] == ids[b].size())
            {
                std::abort(); // a bucket is full: enlarge `ids` when adding headers
            }
            ids[b][count[b]++] = h.id;
            if (h.compact)
            {
                compact[static_cast<size_t>(h.compact - 'a')] = h.id;
            }
        }
    }
};

const Buckets&
GetBuckets()
{
    static const Buckets buckets;
    return buckets;
}

} // namespace

HeaderId
LookupHeader(std::string_view name)
{
    if (name.empty())
    {
        return HeaderId::kUnknown;
    }
    char first = Lower(name[0]);
    if (first < 'a' || first > 'z')
    {
        return HeaderId::kUnknown;
    }
    const Buckets& b = GetBuckets();
    size_t i = static_cast<size_t>(first - 'a');
    if (name.size() == 1)
    {
        return b.compact[i];
    }
    for (uint8_t k = 0; k < b.count[i]; ++k)
    {
        const HeaderInfo& h = kTable[static_cast<size_t>(b.ids[i][k])];
        if (h.name.size() == name.size() && text::IEquals(h.name, name))
        {
            return h.id;
        }
    }
    return HeaderId::kUnknown;
}

const HeaderInfo&
GetHeaderInfo(HeaderId id)
{
    size_t i = static_cast<size_t>(id);
    return i < static_cast<size_t>(HeaderId::kCount) ? kTable[i] : kTable[0];
}

} // namespace sipbed
