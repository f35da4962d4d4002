#include "models/sip/stun-client.h"

namespace sipbed
{

std::string_view
StunClientStatusName(StunClientStatus status)
{
    switch (status)
    {
    case StunClientStatus::kMapped:
        return "mapped";
    case StunClientStatus::kUnchanged:
        return "unchanged";
    case StunClientStatus::kChanged:
        return "changed";
    case StunClientStatus::kError:
        return "error";
    case StunClientStatus::kInvalid:
        return "invalid";
    case StunClientStatus::kNotOurs:
        return "not-ours";
    case StunClientStatus::kMalformed:
        return "malformed";
    }
    return "unknown";
}

StunClient::StunClient(StunDialect dialect, StunRandom random, bool fingerprint)
    : m_dialect(dialect)
    , m_random(std::move(random))
    , m_fingerprint(fingerprint)
{
}

StunMessage
StunClient::MakeRequest(const StunTransactionId& id) const
{
    // RFC 5389 12.1: a Binding request with no attributes is what an RFC
    // 3489 server understands too.
    StunMessage m;
    m.messageClass = StunClass::kRequest;
    m.method = kStunMethodBinding;
    m.transactionId = id;
    m.fingerprint = m_fingerprint && m_dialect == StunDialect::kRfc5389;
    return m;
}

std::string
StunClient::StartRequest()
{
    m_pending = StunMessage::MakeTransactionId(m_dialect, m_random);
    return MakeRequest(*m_pending).Encode();
}

std::string
StunClient::GetPendingRequest() const
{
    if (!m_pending)
    {
        return std::string();
    }
    return MakeRequest(*m_pending).Encode();
}

StunClientResult
StunClient::OnResponse(std::string_view datagram)
{
    StunClientResult r;
    auto decoded = StunMessage::Decode(datagram);
    if (!decoded)
    {
        // RFC 5389 7.3: discarded; retransmissions go on.
        r.status = StunClientStatus::kMalformed;
        r.reason = decoded.GetError().reason;
        return r;
    }
    const StunMessage& m = decoded.GetValue();
    if (m.method != kStunMethodBinding || (m.messageClass != StunClass::kSuccessResponse &&
                                           m.messageClass != StunClass::kErrorResponse))
    {
        r.status = StunClientStatus::kNotOurs;
        r.reason = "not a Binding response";
        return r;
    }
    // RFC 5389 7.3: a response must match a transaction in progress; the
    // 16 octets compare the cookie too, so the dialect must match as well.
    if (!m_pending || m.transactionId != *m_pending)
    {
        r.status = StunClientStatus::kNotOurs;
        r.reason =
            m_pending ? "transaction id does not match the pending request" : "no request pending";
        return r;
    }
    m_pending.reset();
    if (!m.unknownRequired.empty())
    {
        // RFC 3489 9.4: retransmissions stop, the response is ignored;
        // RFC 5389 7.3.3/7.3.4: the transaction failed.
        r.status = StunClientStatus::kInvalid;
        r.reason = "unknown comprehension-required attribute";
        return r;
    }
    if (m.messageClass == StunClass::kErrorResponse)
    {
        r.status = StunClientStatus::kError;
        r.errorCode = m.errorCode.value_or(0);
        r.reason = m.errorCode ? m.errorReason : "error response without ERROR-CODE";
        return r;
    }
    // RFC 5389 7.3.3 reads XOR-MAPPED-ADDRESS; 12.1: an RFC 3489 server
    // answers with MAPPED-ADDRESS, which a client must accept as well.
    std::optional<StunAddress> address = m.xorMappedAddress ? m.xorMappedAddress : m.mappedAddress;
    if (!address)
    {
        r.status = StunClientStatus::kInvalid;
        r.reason = "success response without an IPv4 mapped address";
        return r;
    }
    r.mapped = *address;
    if (!m_mapped)
    {
        r.status = StunClientStatus::kMapped;
    }
    else if (*m_mapped == *address)
    {
        r.status = StunClientStatus::kUnchanged;
    }
    else
    {
        // outbound 4.2 (OB-UA-12): a different mapped address means the NAT
        // lost the flow's binding; the new address becomes the reference.
        r.status = StunClientStatus::kChanged;
        r.previous = *m_mapped;
    }
    m_mapped = address;
    return r;
}

} // namespace sipbed
