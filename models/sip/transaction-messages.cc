#include "models/sip/transaction-messages.h"

#include <initializer_list>

namespace sipbed
{
namespace
{

/// Copies every field with one of these ids, in message order, in canonical form.
bool
CopyFields(const SipMessage& from, SipMessage& to, std::initializer_list<HeaderId> ids)
{
    for (const HeaderField& h : from.GetHeaders())
    {
        for (HeaderId id : ids)
        {
            if (h.id == id)
            {
                if (!to.AddHeader(GetHeaderInfo(id).name, RenderHeaderValue(id, h.value)))
                {
                    return false;
                }
                break;
            }
        }
    }
    return true;
}

bool
AddRendered(SipMessage& m, HeaderId id, std::string_view value)
{
    return static_cast<bool>(m.AddHeader(GetHeaderInfo(id).name, RenderHeaderValue(id, value)));
}

/// The ACK and CANCEL of 17.1.1.3 / 9.1 share everything but To and the
/// method: Request-URI, one Via (the top one: same branch, so the server
/// transaction matches it), Max-Forwards, Route, From, Call-ID, CSeq number.
std::optional<SipMessage>
MakeHopRequest(const SipMessage& invite, std::string_view method, const HeaderField* to)
{
    auto via = invite.GetTopVia();
    auto cseq = invite.GetCSeq();
    const HeaderField* from = invite.FindHeader(HeaderId::kFrom);
    const HeaderField* callId = invite.FindHeader(HeaderId::kCallId);
    if (!via || !cseq || !from || !callId || !to)
    {
        return std::nullopt;
    }
    auto made = SipMessage::MakeRequest(method, invite.GetRequestUri().GetRaw());
    if (!made)
    {
        return std::nullopt;
    }
    SipMessage m = made.GetValue();
    std::string text;
    via->Render(text);
    bool ok = static_cast<bool>(m.AddHeader("Via", text));
    // 8.1.1.6: every request carries Max-Forwards; keep the INVITE's.
    const HeaderField* mf = invite.FindHeader(HeaderId::kMaxForwards);
    ok = ok && (mf ? AddRendered(m, HeaderId::kMaxForwards, mf->value)
                   : static_cast<bool>(m.AddHeader("Max-Forwards", "70")));
    // 17.1.1.3 / 9.1: the Route fields of the INVITE, so the request follows
    // it through downstream stateless proxies.
    ok = ok && CopyFields(invite, m, {HeaderId::kRoute});
    ok = ok && AddRendered(m, HeaderId::kFrom, from->value);
    ok = ok && AddRendered(m, HeaderId::kTo, to->value);
    ok = ok && AddRendered(m, HeaderId::kCallId, callId->value);
    text = std::to_string(cseq->seq);
    text += ' ';
    text += method;
    ok = ok && static_cast<bool>(m.AddHeader("CSeq", text));
    if (!ok)
    {
        return std::nullopt;
    }
    return m;
}

} // namespace

std::string
MakeTransactionBranch(const TransactionRandom& random)
{
    static const char kHex[] = "0123456789abcdef";
    std::string branch(kBranchMagicCookie);
    for (int draw = 0; draw < 2; ++draw)
    {
        uint32_t bits = random();
        for (int i = 0; i < 8; ++i)
        {
            branch += kHex[(bits >> 28) & 0xf];
            bits <<= 4;
        }
    }
    return branch;
}

std::optional<SipMessage>
MakeAckForNon2xx(const SipMessage& invite, const SipMessage& response)
{
    // 17.1.1.3: the To of the ACK is the To of the response being
    // acknowledged, tag included.
    return MakeHopRequest(invite, "ACK", response.FindHeader(HeaderId::kTo));
}

std::optional<SipMessage>
MakeCancelFor(const SipMessage& invite)
{
    return MakeHopRequest(invite, "CANCEL", invite.FindHeader(HeaderId::kTo));
}

std::optional<SipMessage>
MakeResponseFor(const SipMessage& request,
                int code,
                std::string_view reason,
                std::string_view toTag)
{
    auto made = SipMessage::MakeResponse(code, reason);
    if (!made)
    {
        return std::nullopt;
    }
    SipMessage m = made.GetValue();
    // 8.2.6.2: Via fields in order, From, To, Call-ID and CSeq are copied.
    bool ok = CopyFields(request, m, {HeaderId::kVia});
    if (const HeaderField* from = request.FindHeader(HeaderId::kFrom))
    {
        ok = ok && AddRendered(m, HeaderId::kFrom, from->value);
    }
    if (const HeaderField* to = request.FindHeader(HeaderId::kTo))
    {
        std::string value = RenderHeaderValue(HeaderId::kTo, to->value);
        auto parsed = request.GetTo();
        if (!toTag.empty() && parsed && !parsed->GetTag())
        {
            value += ";tag=";
            value += toTag;
        }
        ok = ok && static_cast<bool>(m.AddHeader("To", value));
    }
    if (const HeaderField* callId = request.FindHeader(HeaderId::kCallId))
    {
        ok = ok && AddRendered(m, HeaderId::kCallId, callId->value);
    }
    if (const HeaderField* cseq = request.FindHeader(HeaderId::kCSeq))
    {
        ok = ok && AddRendered(m, HeaderId::kCSeq, cseq->value);
    }
    if (!ok)
    {
        return std::nullopt;
    }
    return m;
}

std::optional<SipMessage>
MakeTryingFor(const SipMessage& request)
{
    auto m = MakeResponseFor(request, 100, "Trying");
    // 8.2.6.1: a Timestamp in the request is copied into the 100 (Trying).
    if (m && !CopyFields(request, *m, {HeaderId::kTimestamp}))
    {
        return std::nullopt;
    }
    return m;
}

} // namespace sipbed
