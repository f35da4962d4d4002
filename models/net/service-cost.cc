#include "models/net/service-cost.h"

namespace sipbed
{

std::string
ToString(MessageKind k)
{
    switch (k)
    {
    case MessageKind::kRegister:
        return "REGISTER";
    case MessageKind::kInvite:
        return "INVITE";
    case MessageKind::kOtherRequest:
        return "other-request";
    case MessageKind::kResponse:
        return "response";
    }
    return "unknown";
}

ServiceCost::ServiceCost(const ServiceCostParams& params)
    : m_params(params)
{
}

TimeNs
ServiceCost::BaseCost(MessageKind kind) const
{
    switch (kind)
    {
    case MessageKind::kRegister:
        return m_params.registerRequest;
    case MessageKind::kInvite:
        return m_params.inviteRequest;
    case MessageKind::kOtherRequest:
        return m_params.otherRequest;
    case MessageKind::kResponse:
        return m_params.response;
    }
    return m_params.otherRequest;
}

TimeNs
ServiceCost::ServiceTime(const WorkItem& work) const
{
    // A challenged request stops after the 401/407 is sent: its base work
    // (location update, forwarding) never happens.
    TimeNs t = work.challenge ? m_params.challenge : BaseCost(work.kind);
    if (work.digestCheck)
    {
        t += m_params.digestCheck;
    }
    t += work.signatures * m_params.sign;
    t += work.verifications * m_params.verify;
    t += work.hmacs * m_params.hmac;
    switch (work.tls)
    {
    case TlsWork::kNone:
        break;
    case TlsWork::kFullHandshake:
        t += m_params.tlsFullHandshake;
        break;
    case TlsWork::kResumption:
        t += m_params.tlsResumption;
        break;
    }
    if (work.newConnection)
    {
        t += m_params.newConnection;
    }
    return t;
}

} // namespace sipbed
