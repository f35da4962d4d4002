#include "sim/sip-node-application.h"

#include "ns3/log.h"

#include <optional>
#include <unordered_map>
#include <unordered_set>

namespace sipbed
{

NS_LOG_COMPONENT_DEFINE("SipNodeApplication");
NS_OBJECT_ENSURE_REGISTERED(SipNodeApplication);

WorkItem
ClassifyInboundWork(const SipMessage& message,
                    const TransportAddress& from,
                    bool firstOnConnection,
                    const CapacityWorkRules& rules)
{
    WorkItem work;
    if (!message.IsRequest())
    {
        work.kind = MessageKind::kResponse;
        return work;
    }
    const std::string_view method = message.GetMethod();
    work.kind = method == "REGISTER" ? MessageKind::kRegister
                : method == "INVITE" ? MessageKind::kInvite
                                     : MessageKind::kOtherRequest;
    const bool credentials = message.FindHeader(HeaderId::kAuthorization) != nullptr ||
                             message.FindHeader(HeaderId::kProxyAuthorization) != nullptr;
    work.digestCheck = credentials && rules.digestCheck;
    work.challenge = !credentials && rules.challengeRegisterWithoutCredentials &&
                     work.kind == MessageKind::kRegister;
    work.hmacs = rules.hmacsPerRequest;
    // 18.1.1: a client opens a connection to send a request; the first
    // message we receive on a connection the peer opened is that request.
    if (firstOnConnection && from.kind != TransportKind::kUdp)
    {
        work.newConnection = true;
        if (from.kind == TransportKind::kTls)
        {
            work.tls = rules.tlsHandshake;
        }
    }
    return work;
}

// Holds the messages of one element while its ServerCapacity serves them
// (tags name them in the queue) and settles each through the element.
class SipNodeApplication::CapacityGate : public InboundGate
{
  public:
    CapacityGate(ns3::Ptr<ServerCapacity> capacity, const CapacityWorkRules& rules)
        : m_capacity(capacity)
        , m_rules(rules)
    {
        m_capacity->SetServedCallback(ns3::MakeCallback(&CapacityGate::OnServed, this));
        m_capacity->SetRejectCallback(ns3::MakeCallback(&CapacityGate::OnRejected, this));
        m_capacity->SetDropCallback(ns3::MakeCallback(&CapacityGate::OnDropped, this));
    }

    ~CapacityGate() override
    {
        m_capacity->SetServedCallback(ns3::Callback<void, uint64_t>());
        m_capacity->SetRejectCallback(ns3::Callback<void, uint64_t, uint32_t>());
        m_capacity->SetDropCallback(ns3::Callback<void, uint64_t>());
    }

    CapacityGate(const CapacityGate&) = delete;
    CapacityGate& operator=(const CapacityGate&) = delete;

    /// The element of this life (null while the node is down).
    void Attach(SipElement* element)
    {
        m_element = element;
        if (element)
        {
            element->SetInboundGate(this);
        }
    }

    /// A crash or a stop: the queue loses everything, without callbacks.
    void Flush()
    {
        if (!m_element && m_held.empty())
        {
            return; // flushed already (and the simulator may be gone)
        }
        m_capacity->Flush();
        m_held.clear();
        m_connections.clear();
        m_element = nullptr;
    }

    void Admit(SipElement&, SipMessage&& message, const TransportAddress& from, size_t) override
    {
        bool first = false;
        if (from.connection != 0)
        {
            first = m_connections.insert(from.connection).second;
        }
        const WorkItem work = ClassifyInboundWork(message, from, first, m_rules);
        const uint64_t tag = m_nextTag++;
        // Held before Submit: a drop is reported from inside it.
        m_held.emplace(tag, Held{std::move(message), from});
        m_capacity->Submit(work, tag);
    }

    void ConnectionClosed(SipElement&, const TransportAddress& peer) override
    {
        m_connections.erase(peer.connection);
    }

    ns3::Ptr<ServerCapacity> GetCapacity() const
    {
        return m_capacity;
    }

    uint64_t GetResponses503() const
    {
        return m_responses503;
    }

    uint64_t GetRejectedUnanswered() const
    {
        return m_rejectedUnanswered;
    }

    void ResetStatistics()
    {
        m_capacity->ResetStatistics();
        m_responses503 = 0;
        m_rejectedUnanswered = 0;
    }

  private:
    struct Held
    {
        SipMessage message;
        TransportAddress from;
    };

    std::optional<Held> Take(uint64_t tag)
    {
        auto it = m_held.find(tag);
        if (it == m_held.end())
        {
            return std::nullopt;
        }
        Held h = std::move(it->second);
        m_held.erase(it);
        return h;
    }

    void OnServed(uint64_t tag)
    {
        std::optional<Held> h = Take(tag);
        if (h && m_element)
        {
            m_element->ProcessInbound(std::move(h->message), h->from);
        }
    }

    void OnRejected(uint64_t tag, uint32_t retryAfter)
    {
        std::optional<Held> h = Take(tag);
        if (!h || !m_element)
        {
            return;
        }
        if (m_element->RejectOverloaded(h->message, h->from, retryAfter))
        {
            ++m_responses503;
        }
        else
        {
            ++m_rejectedUnanswered;
        }
    }

    void OnDropped(uint64_t tag)
    {
        Take(tag);
    }

    ns3::Ptr<ServerCapacity> m_capacity;
    CapacityWorkRules m_rules;
    SipElement* m_element = nullptr;
    std::unordered_map<uint64_t, Held> m_held;
    uint64_t m_nextTag = 1;
    /// Connections a message arrived on in this life (the first one costs
    /// the accept and the TLS handshake).
    std::unordered_set<ConnectionId> m_connections;
    uint64_t m_responses503 = 0;
    uint64_t m_rejectedUnanswered = 0;
};

SipNodeApplication::Spec::Spec(Ns3TransportIo::Ports p, ElementFactory f, StartHook s)
    : ports(p)
    , factory(std::move(f))
    , onStart(std::move(s))
{
}

SipNodeApplication::Spec::Spec(Spec&&) noexcept = default;
SipNodeApplication::Spec& SipNodeApplication::Spec::operator=(Spec&&) noexcept = default;
SipNodeApplication::Spec::~Spec() = default;

ns3::TypeId
SipNodeApplication::GetTypeId()
{
    static ns3::TypeId tid = ns3::TypeId("sipbed::SipNodeApplication")
                                 .SetParent<RestartableApplication>()
                                 .SetGroupName("Sipbed")
                                 .AddConstructor<SipNodeApplication>();
    return tid;
}

SipNodeApplication::SipNodeApplication() = default;

SipNodeApplication::~SipNodeApplication()
{
    DestroyAll();
}

size_t
SipNodeApplication::AddElement(Ns3TransportIo::Ports ports, ElementFactory factory, StartHook onStart)
{
    m_specs.push_back(Spec{ports, std::move(factory), std::move(onStart)});
    return m_specs.size() - 1;
}

void
SipNodeApplication::EnableServerCapacity(size_t elementIndex,
                                         ns3::Ptr<ServerCapacity> capacity,
                                         const CapacityWorkRules& rules)
{
    NS_ABORT_MSG_IF(elementIndex >= m_specs.size(),
                    "EnableServerCapacity: no element " << elementIndex);
    NS_ABORT_MSG_IF(!capacity, "EnableServerCapacity: null capacity");
    NS_ABORT_MSG_IF(m_specs[elementIndex].gate,
                    "EnableServerCapacity: element " << elementIndex << " has one already");
    for (const Spec& spec : m_specs)
    {
        NS_ABORT_MSG_IF(spec.gate && spec.gate->GetCapacity() == capacity,
                        "EnableServerCapacity: one ServerCapacity serves one element");
    }
    m_specs[elementIndex].gate = std::make_unique<CapacityGate>(capacity, rules);
    if (SipElement* running = GetElement(elementIndex))
    {
        m_specs[elementIndex].gate->Attach(running);
    }
}

ns3::Ptr<ServerCapacity>
SipNodeApplication::GetServerCapacity(size_t elementIndex) const
{
    if (elementIndex >= m_specs.size() || !m_specs[elementIndex].gate)
    {
        return nullptr;
    }
    return m_specs[elementIndex].gate->GetCapacity();
}

CapacityStats
SipNodeApplication::GetCapacityStats(size_t elementIndex) const
{
    CapacityStats s;
    ns3::Ptr<ServerCapacity> cpu = GetServerCapacity(elementIndex);
    if (!cpu)
    {
        return s;
    }
    const ServiceQueue::Counters& c = cpu->GetCounters();
    const CapacityGate& gate = *m_specs[elementIndex].gate;
    s.arrivals = c.arrivals;
    s.served = c.served;
    s.responses503 = gate.GetResponses503();
    s.rejectedUnanswered = gate.GetRejectedUnanswered();
    s.dropped = c.dropped;
    s.flushed = c.flushed;
    s.queueLength = cpu->GetQueueLength();
    s.rejectBacklog = cpu->GetRejectBacklog();
    s.inSystem = cpu->GetInSystem();
    s.utilization = cpu->GetUtilization();
    s.meanWait = cpu->GetMeanWait();
    s.maxWait = cpu->GetMaxWait();
    return s;
}

void
SipNodeApplication::ResetCapacityStatistics(size_t elementIndex)
{
    if (elementIndex < m_specs.size() && m_specs[elementIndex].gate)
    {
        m_specs[elementIndex].gate->ResetStatistics();
    }
}

SipElement*
SipNodeApplication::GetElement(size_t index) const
{
    return index < m_running.size() ? m_running[index].element.get() : nullptr;
}

int64_t
SipNodeApplication::AssignStreams(int64_t stream)
{
    return m_random.AssignStreams(stream);
}

void
SipNodeApplication::BuildAll()
{
    m_running.resize(m_specs.size());
    for (size_t i = 0; i < m_specs.size(); ++i)
    {
        Running& r = m_running[i];
        r.io = std::make_unique<Ns3TransportIo>(GetNode(), m_specs[i].ports);
        std::string error;
        if (!r.io->Open(error))
        {
            // A scenario bug (two elements on one port): loud, not silent.
            NS_FATAL_ERROR("SipNodeApplication on node " << GetNode()->GetId() << ": " << error);
        }
        ElementEnvironment env{m_timers, m_random, *r.io, &m_counters};
        r.element = m_specs[i].factory(env, r.io->GetUdpPort());
        r.io->SetTransport(&r.element->GetTransport());
        if (m_specs[i].gate)
        {
            m_specs[i].gate->Attach(r.element.get()); // an empty queue (flushed at the crash)
        }
    }
    for (size_t i = 0; i < m_specs.size(); ++i)
    {
        if (m_specs[i].onStart)
        {
            m_specs[i].onStart(*m_running[i].element);
        }
    }
}

void
SipNodeApplication::DestroyAll()
{
    // Timers first: nothing an element scheduled may fire into freed memory;
    // nor may a message's service end.
    m_timers.CancelAll();
    for (Spec& spec : m_specs)
    {
        if (spec.gate)
        {
            spec.gate->Flush();
        }
    }
    for (Running& r : m_running)
    {
        if (r.io)
        {
            r.io->SetTransport(nullptr);
            r.io->CloseAll();
        }
    }
    // Elements before their sockets' owners: an element's destructor may
    // still reach its TransportIo.
    for (Running& r : m_running)
    {
        r.element.reset();
        r.io.reset();
    }
    m_running.clear();
    m_timers.CancelAll();
}

void
SipNodeApplication::StartApplication()
{
    BuildAll();
}

void
SipNodeApplication::StopApplication()
{
    DestroyAll();
}

void
SipNodeApplication::DoDispose()
{
    DestroyAll();
    RestartableApplication::DoDispose();
}

void
SipNodeApplication::DoCrash()
{
    DestroyAll();
}

void
SipNodeApplication::DoRestart()
{
    BuildAll();
}

} // namespace sipbed
