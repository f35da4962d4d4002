#include "models/sip/stun-server.h"

#include <cstdio>

namespace sipbed
{

StunServer::StunServer(StunServerConfig config)
    : m_config(std::move(config))
{
}

StunServerReply
StunServer::Respond(std::string_view request,
                    const TransportAddress& source,
                    const TransportAddress& local) const
{
    StunServerReply reply;
    auto decoded = StunMessage::Decode(request);
    if (!decoded)
    {
        // RFC 5389 7.3 / RFC 3489 8: a malformed message is silently discarded.
        reply.note = "malformed: " + decoded.GetError().reason;
        return reply;
    }
    const StunMessage& req = decoded.GetValue();
    if (req.messageClass != StunClass::kRequest)
    {
        // RFC 5389 7.3.2: an indication (the RFC 5389 keepalive) is never
        // answered; a response has no business here.
        reply.note = req.messageClass == StunClass::kIndication ? "indication: not answered"
                                                                : "response: not answered";
        return reply;
    }
    if (req.method != kStunMethodBinding)
    {
        // RFC 5389 7.3: an unsupported method is discarded. (RFC 3489's
        // Shared Secret Request belongs on TLS, 8.2; not offered here.)
        reply.note = "method " + std::to_string(req.method) + ": not supported";
        return reply;
    }
    const StunDialect dialect = req.GetDialect();
    StunMessage res;
    res.method = kStunMethodBinding;
    // RFC 3489 8.1 / RFC 5389 7.3.1.1 and 12.2: the response carries the
    // request's 16 octets unchanged, cookie (or its absence) included.
    res.transactionId = req.transactionId;
    if (!req.unknownRequired.empty())
    {
        // RFC 3489 8.1, RFC 5389 7.3.1: 420 with UNKNOWN-ATTRIBUTES.
        res.messageClass = StunClass::kErrorResponse;
        res.errorCode = 420;
        res.errorReason = "Unknown Attribute";
        res.unknownAttributes = req.unknownRequired;
        char first[8];
        std::snprintf(first, sizeof(first), "0x%04x", req.unknownRequired.front());
        reply.note = std::string("420 unknown attribute ") + first;
    }
    else
    {
        res.messageClass = StunClass::kSuccessResponse;
        StunAddress mapped{source.ip, source.port};
        if (dialect == StunDialect::kRfc3489)
        {
            // RFC 3489 8.1; one address: CHANGED-ADDRESS is our own (OB-SRV-2).
            StunAddress self{local.ip, local.port};
            res.mappedAddress = mapped;
            res.sourceAddress = self;
            res.changedAddress = self;
        }
        else
        {
            res.xorMappedAddress = mapped; // RFC 5389 7.3.1.1
            if (m_config.mappedAddressIn5389)
            {
                res.mappedAddress = mapped;
            }
        }
        reply.note = "binding success " + mapped.ToString();
    }
    if (dialect == StunDialect::kRfc5389)
    {
        if (!m_config.software.empty())
        {
            res.software = m_config.software; // RFC 5389 7.3.1.1: SHOULD
        }
        // RFC 5389 8: FINGERPRINT is the usage's choice; answering a request
        // that used it with it lets the client apply the same check.
        res.fingerprint = req.fingerprint || m_config.alwaysFingerprint;
    }
    reply.response = res.Encode();
    return reply;
}

} // namespace sipbed
