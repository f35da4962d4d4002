#include "sim/server-capacity.h"

#include "ns3/enum.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace sipbed
{

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("SipbedServerCapacity");
NS_OBJECT_ENSURE_REGISTERED(ServerCapacity);

namespace
{

TimeNs
NowNs()
{
    return Simulator::Now().GetNanoSeconds();
}

// The sans-IO defaults, so that ServiceCostParams stays the one place where
// the calibrated figures (and their citations) live.
TimeValue
Default(TimeNs ServiceCostParams::*field)
{
    static const ServiceCostParams defaults;
    return TimeValue(NanoSeconds(defaults.*field));
}

} // namespace

// Forwards the queue's actions to the ServerCapacity that owns it.
class ServerCapacity::Environment : public ServiceQueue::Environment
{
  public:
    explicit Environment(ServerCapacity& owner)
        : m_owner(owner)
    {
    }

    void StartTimer(TimeNs at) override
    {
        m_owner.StartTimer(at);
    }

    void Served(uint64_t tag, TimeNs wait, TimeNs service, TimeNs) override
    {
        m_owner.OnServed(tag, wait, service);
    }

    void Rejected(uint64_t tag, uint32_t retryAfter, TimeNs) override
    {
        m_owner.OnRejected(tag, retryAfter);
    }

    void Dropped(uint64_t tag, TimeNs) override
    {
        m_owner.OnDropped(tag);
    }

  private:
    ServerCapacity& m_owner;
};

TypeId
ServerCapacity::GetTypeId()
{
    using P = ServiceCostParams;
    const ServiceQueue::Config queueDefaults;
    static TypeId tid =
        TypeId("sipbed::ServerCapacity")
            .SetParent<Object>()
            .SetGroupName("Sipbed")
            .AddConstructor<ServerCapacity>()
            // Service times: defaults and their sources in models/net/service-cost.h
            // (../shared/calibration.md).
            .AddAttribute("RegisterCost",
                          "CPU time of a REGISTER, including its 200 (calibration.md: "
                          "Kamailio 50-68 us per registration).",
                          Default(&P::registerRequest),
                          MakeTimeAccessor(&ServerCapacity::m_registerCost),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("InviteCost",
                          "CPU time of an INVITE (estimate from the REGISTER cost and the "
                          "larger parse).",
                          Default(&P::inviteRequest),
                          MakeTimeAccessor(&ServerCapacity::m_inviteCost),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("OtherRequestCost",
                          "CPU time of any other request (BYE, ACK, OPTIONS, SUBSCRIBE, ...).",
                          Default(&P::otherRequest),
                          MakeTimeAccessor(&ServerCapacity::m_otherRequestCost),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("ResponseCost",
                          "CPU time of a received response (match and forward).",
                          Default(&P::response),
                          MakeTimeAccessor(&ServerCapacity::m_responseCost),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("ChallengeCost",
                          "CPU time of a request answered with a 401/407 challenge; replaces "
                          "the request's base cost.",
                          Default(&P::challenge),
                          MakeTimeAccessor(&ServerCapacity::m_challengeCost),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("DigestCheckCost",
                          "Extra CPU time of checking digest credentials.",
                          Default(&P::digestCheck),
                          MakeTimeAccessor(&ServerCapacity::m_digestCheckCost),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("SignCost",
                          "Extra CPU time per signature produced (calibration.md: RSA-2048 "
                          "278 us, RSA-1024 95 us).",
                          Default(&P::sign),
                          MakeTimeAccessor(&ServerCapacity::m_signCost),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("VerifyCost",
                          "Extra CPU time per signature verified (calibration.md: RSA-2048 "
                          "18 us, RSA-1024 6 us).",
                          Default(&P::verify),
                          MakeTimeAccessor(&ServerCapacity::m_verifyCost),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("HmacCost",
                          "Extra CPU time per HMAC (flow token, CSRT shared key; "
                          "calibration.md: HMAC-SHA1 1.13 us re-keyed).",
                          Default(&P::hmac),
                          MakeTimeAccessor(&ServerCapacity::m_hmacCost),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("TlsHandshakeCost",
                          "Extra CPU time of a full TLS handshake (calibration.md: 935 us).",
                          Default(&P::tlsFullHandshake),
                          MakeTimeAccessor(&ServerCapacity::m_tlsHandshakeCost),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("TlsResumptionCost",
                          "Extra CPU time of a resumed TLS handshake (calibration.md: 176 us).",
                          Default(&P::tlsResumption),
                          MakeTimeAccessor(&ServerCapacity::m_tlsResumptionCost),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("NewConnectionCost",
                          "Extra CPU time of accepting a new TCP connection (calibration.md: "
                          "90-110 us).",
                          Default(&P::newConnection),
                          MakeTimeAccessor(&ServerCapacity::m_newConnectionCost),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("RejectCost",
                          "CPU time of answering a message with 503 under the 503 policy "
                          "(estimate; below every full cost).",
                          Default(&P::reject503),
                          MakeTimeAccessor(&ServerCapacity::m_rejectCost),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("QueueLimit",
                          "Messages that may wait for service, not counting the one in "
                          "service; an arrival beyond it meets the overload policy.",
                          UintegerValue(queueDefaults.limit),
                          MakeUintegerAccessor(&ServerCapacity::m_queueLimit),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute(
                "OverloadPolicy",
                "What happens to an arrival that finds the queue full: \"drop\" "
                "(silently) or \"503\" (answered with 503 Service Unavailable, "
                "costing RejectCost of server time, ahead of the waiting messages).",
                EnumValue(static_cast<int>(queueDefaults.policy)),
                MakeEnumAccessor(&ServerCapacity::m_policy),
                MakeEnumChecker(static_cast<int>(ServiceQueue::OverloadPolicy::kDrop),
                                "drop",
                                static_cast<int>(ServiceQueue::OverloadPolicy::kReject503),
                                "503"))
            .AddAttribute("RetryAfter",
                          "Retry-After of the 503s, in seconds (RFC 3261 20.33); 0: none.",
                          UintegerValue(queueDefaults.retryAfter),
                          MakeUintegerAccessor(&ServerCapacity::m_retryAfter),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("RejectQueueLimit",
                          "503s that may wait to be generated; beyond it arrivals are dropped "
                          "even under the 503 policy.",
                          UintegerValue(queueDefaults.rejectLimit),
                          MakeUintegerAccessor(&ServerCapacity::m_rejectQueueLimit),
                          MakeUintegerChecker<uint32_t>())
            .AddTraceSource("QueueLength",
                            "Messages waiting for full service.",
                            MakeTraceSourceAccessor(&ServerCapacity::m_queueLength),
                            "ns3::TracedValueCallback::Uint32")
            .AddTraceSource("Served",
                            "A message's service ended: tag, wait before service, service time.",
                            MakeTraceSourceAccessor(&ServerCapacity::m_servedTrace),
                            "sipbed::ServerCapacity::ServedTracedCallback")
            .AddTraceSource("Reject503",
                            "A 503 is due for a message: tag, Retry-After in seconds.",
                            MakeTraceSourceAccessor(&ServerCapacity::m_rejectTrace),
                            "sipbed::ServerCapacity::Reject503TracedCallback")
            .AddTraceSource("Drop",
                            "A message was discarded by the overload policy: tag.",
                            MakeTraceSourceAccessor(&ServerCapacity::m_dropTrace),
                            "sipbed::ServerCapacity::DropTracedCallback");
    return tid;
}

ServerCapacity::ServerCapacity()
    : m_queueLimit(0)
    , m_rejectQueueLimit(0)
    , m_policy(0)
    , m_retryAfter(0)
    , m_env(std::make_unique<Environment>(*this))
    , m_queueLength(0)
{
    // The attributes are set after construction; the queue reads them at
    // every arrival (GetQueueConfig).
    m_queue = std::make_unique<ServiceQueue>(ServiceQueue::Config{}, *m_env, NowNs());
}

ServerCapacity::~ServerCapacity() = default;

void
ServerCapacity::DoDispose()
{
    Simulator::Cancel(m_completion);
    m_servedCb = Callback<void, uint64_t>();
    m_rejectCb = Callback<void, uint64_t, uint32_t>();
    m_dropCb = Callback<void, uint64_t>();
    Object::DoDispose();
}

ServiceCostParams
ServerCapacity::GetCostParams() const
{
    ServiceCostParams p;
    p.registerRequest = m_registerCost.GetNanoSeconds();
    p.inviteRequest = m_inviteCost.GetNanoSeconds();
    p.otherRequest = m_otherRequestCost.GetNanoSeconds();
    p.response = m_responseCost.GetNanoSeconds();
    p.challenge = m_challengeCost.GetNanoSeconds();
    p.digestCheck = m_digestCheckCost.GetNanoSeconds();
    p.sign = m_signCost.GetNanoSeconds();
    p.verify = m_verifyCost.GetNanoSeconds();
    p.hmac = m_hmacCost.GetNanoSeconds();
    p.tlsFullHandshake = m_tlsHandshakeCost.GetNanoSeconds();
    p.tlsResumption = m_tlsResumptionCost.GetNanoSeconds();
    p.newConnection = m_newConnectionCost.GetNanoSeconds();
    p.reject503 = m_rejectCost.GetNanoSeconds();
    return p;
}

ServiceQueue::Config
ServerCapacity::GetQueueConfig() const
{
    ServiceQueue::Config c;
    c.limit = m_queueLimit;
    c.policy = static_cast<ServiceQueue::OverloadPolicy>(m_policy);
    c.retryAfter = m_retryAfter;
    c.rejectTime = m_rejectCost.GetNanoSeconds();
    c.rejectLimit = m_rejectQueueLimit;
    return c;
}

Time
ServerCapacity::GetServiceTime(const WorkItem& work) const
{
    return NanoSeconds(ServiceCost(GetCostParams()).ServiceTime(work));
}

ServiceQueue::Admission
ServerCapacity::Submit(const WorkItem& work, uint64_t tag)
{
    return Arrive(ServiceCost(GetCostParams()).ServiceTime(work), tag);
}

ServiceQueue::Admission
ServerCapacity::SubmitWithServiceTime(Time service, uint64_t tag)
{
    return Arrive(std::max<int64_t>(service.GetNanoSeconds(), 0), tag);
}

ServiceQueue::Admission
ServerCapacity::Arrive(int64_t serviceNs, uint64_t tag)
{
    m_queue->SetConfig(GetQueueConfig());
    ServiceQueue::Admission a = m_queue->Arrival(tag, serviceNs, NowNs());
    NS_LOG_LOGIC("arrival " << tag << " service " << serviceNs << " ns -> " << static_cast<int>(a)
                            << ", queue " << m_queue->GetQueueLength());
    UpdateQueueLength();
    return a;
}

void
ServerCapacity::SetServedCallback(Callback<void, uint64_t> cb)
{
    m_servedCb = cb;
}

void
ServerCapacity::SetRejectCallback(Callback<void, uint64_t, uint32_t> cb)
{
    m_rejectCb = cb;
}

void
ServerCapacity::SetDropCallback(Callback<void, uint64_t> cb)
{
    m_dropCb = cb;
}

uint64_t
ServerCapacity::Flush()
{
    Simulator::Cancel(m_completion);
    uint64_t lost = m_queue->Flush(NowNs());
    UpdateQueueLength();
    return lost;
}

void
ServerCapacity::ResetStatistics()
{
    m_queue->ResetStatistics(NowNs());
}

uint32_t
ServerCapacity::GetQueueLength() const
{
    return m_queue->GetQueueLength();
}

uint32_t
ServerCapacity::GetRejectBacklog() const
{
    return m_queue->GetRejectBacklog();
}

uint32_t
ServerCapacity::GetInSystem() const
{
    return m_queue->GetInSystem();
}

bool
ServerCapacity::IsBusy() const
{
    return m_queue->IsBusy();
}

double
ServerCapacity::GetUtilization() const
{
    return m_queue->GetUtilization(NowNs());
}

Time
ServerCapacity::GetMeanWait() const
{
    return NanoSeconds(static_cast<int64_t>(m_queue->GetMeanWait() + 0.5));
}

Time
ServerCapacity::GetMaxWait() const
{
    return NanoSeconds(m_queue->GetCounters().waitMax);
}

const ServiceQueue::Counters&
ServerCapacity::GetCounters() const
{
    return m_queue->GetCounters();
}

void
ServerCapacity::StartTimer(TimeNs at)
{
    Time delay = NanoSeconds(std::max<TimeNs>(at - NowNs(), 0));
    m_completion = Simulator::Schedule(delay, &ServerCapacity::OnCompletion, this);
}

void
ServerCapacity::OnCompletion()
{
    m_queue->Complete(NowNs());
    UpdateQueueLength();
}

void
ServerCapacity::OnServed(uint64_t tag, TimeNs wait, TimeNs service)
{
    // The queue length may change in the host's reaction; report it first.
    UpdateQueueLength();
    m_servedTrace(tag, NanoSeconds(wait), NanoSeconds(service));
    if (!m_servedCb.IsNull())
    {
        m_servedCb(tag);
    }
}

void
ServerCapacity::OnRejected(uint64_t tag, uint32_t retryAfter)
{
    UpdateQueueLength();
    m_rejectTrace(tag, retryAfter);
    if (!m_rejectCb.IsNull())
    {
        m_rejectCb(tag, retryAfter);
    }
}

void
ServerCapacity::OnDropped(uint64_t tag)
{
    m_dropTrace(tag);
    if (!m_dropCb.IsNull())
    {
        m_dropCb(tag);
    }
}

void
ServerCapacity::UpdateQueueLength()
{
    m_queueLength = m_queue->GetQueueLength();
}

} // namespace sipbed
