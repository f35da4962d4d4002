#include "models/sip/request-checks.h"

#include "models/sip/sip-text.h"

#include <algorithm>

namespace sipbed
{

namespace
{

bool
Contains(const std::vector<std::string>& list, std::string_view item)
{
    return std::any_of(list.begin(), list.end(), [&](const std::string& s) {
        return text::IEquals(s, item);
    });
}

std::string
TypeText(const MediaType& t)
{
    return std::string(t.type) + "/" + std::string(t.subtype);
}

std::string
Join(const std::vector<std::string>& items)
{
    std::string out;
    for (const std::string& s : items)
    {
        out += (out.empty() ? "" : ", ") + s;
    }
    return out;
}

Rejection
BadRequest(std::string reason)
{
    return Rejection{400, std::move(reason), {}};
}

/// Does an Accept media-range ("*/*", "type/*", "type/subtype") allow `type/subtype`?
bool
Allows(const MediaType& range, std::string_view type, std::string_view subtype)
{
    if (range.type == "*")
    {
        return true;
    }
    if (!text::IEquals(range.type, type))
    {
        return false;
    }
    return range.subtype == "*" || text::IEquals(range.subtype, subtype);
}

} // namespace

std::optional<Rejection>
CheckRequest(const SipMessage& request, const RequestPolicy& policy)
{
    using Element = RequestPolicy::Element;

    // 1. 8.1.1: the header fields every request carries.
    for (const auto& [id, name] : {std::pair{HeaderId::kTo, "To"},
                                   std::pair{HeaderId::kFrom, "From"},
                                   std::pair{HeaderId::kCallId, "Call-ID"},
                                   std::pair{HeaderId::kCSeq, "CSeq"},
                                   std::pair{HeaderId::kVia, "Via"}})
    {
        if (request.CountHeaders(id) == 0)
        {
            return BadRequest(std::string("Missing Required Header: ") + name);
        }
    }
    // 7.3.1: only list-valued headers may appear more than once.
    for (const auto& [id, name] : {std::pair{HeaderId::kTo, "To"},
                                   std::pair{HeaderId::kFrom, "From"},
                                   std::pair{HeaderId::kCallId, "Call-ID"},
                                   std::pair{HeaderId::kCSeq, "CSeq"},
                                   std::pair{HeaderId::kMaxForwards, "Max-Forwards"},
                                   std::pair{HeaderId::kContentLength, "Content-Length"},
                                   std::pair{HeaderId::kContentType, "Content-Type"},
                                   std::pair{HeaderId::kExpires, "Expires"}})
    {
        if (request.CountHeaders(id) > 1)
        {
            return BadRequest(std::string("Multiple Values In Single-Value Header: ") + name);
        }
    }

    // 2. 16.3 item 3: a proxy does not forward a request with no hops left.
    if (policy.element == Element::kProxy)
    {
        const std::optional<uint32_t> mf = request.GetUint(HeaderId::kMaxForwards);
        if (mf && *mf == 0)
        {
            return Rejection{483, "Too Many Hops", {}};
        }
    }

    // 3. 8.2.2.1 / 16.3 item 2.
    const SipUri& ruri = request.GetRequestUri();
    if (!Contains(policy.schemes, ruri.GetSchemeText()))
    {
        return Rejection{416, "Unsupported URI Scheme", {}};
    }

    // 4. 8.2.2.3 (Require at a UAS) / 16.3 item 5 (Proxy-Require at a proxy).
    // ACK and CANCEL are exempt (8.2.2.3): their transaction was accepted already.
    const bool exempt = request.GetMethod() == "ACK" || request.GetMethod() == "CANCEL";
    if (!exempt)
    {
        const HeaderId requireId =
            policy.element == Element::kProxy ? HeaderId::kProxyRequire : HeaderId::kRequire;
        std::vector<std::string> unsupported;
        for (std::string_view tag : request.GetOptionTags(requireId))
        {
            if (!Contains(policy.optionTags, tag) && !Contains(unsupported, tag))
            {
                unsupported.emplace_back(tag);
            }
        }
        if (!unsupported.empty())
        {
            return Rejection{420, "Bad Extension", {{"Unsupported", Join(unsupported)}}};
        }
    }

    if (policy.element == Element::kProxy)
    {
        return std::nullopt; // a proxy does not look at bodies
    }

    // 5. 8.2.3: a body the UAS cannot read.
    if (!request.GetBody().empty())
    {
        const std::optional<MediaType> type = request.GetContentType();
        if (!type || !Contains(policy.bodyTypes, TypeText(*type)))
        {
            return Rejection{415, "Unsupported Media Type", {{"Accept", Join(policy.bodyTypes)}}};
        }
    }
    // 21.4.7: the answer would be of a type the client does not accept.
    if (request.GetMethod() == "INVITE" && request.CountHeaders(HeaderId::kAccept) > 0 &&
        !policy.answerTypes.empty())
    {
        const std::vector<MediaType> accept = request.GetAccept();
        const bool any = std::any_of(policy.answerTypes.begin(),
                                     policy.answerTypes.end(),
                                     [&](const std::string& answer) {
                                         const size_t slash = answer.find('/');
                                         const std::string_view a(answer);
                                         return std::any_of(
                                             accept.begin(), accept.end(), [&](const MediaType& r) {
                                                 return Allows(r, a.substr(0, slash), a.substr(slash + 1));
                                             });
                                     });
        if (!any)
        {
            return Rejection{406, "Not Acceptable", {{"Accept", Join(policy.answerTypes)}}};
        }
    }
    return std::nullopt;
}

} // namespace sipbed
