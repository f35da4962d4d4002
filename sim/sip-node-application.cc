#include "sim/sip-node-application.h"

#include "ns3/log.h"

namespace sipbed
{

NS_LOG_COMPONENT_DEFINE("SipNodeApplication");
NS_OBJECT_ENSURE_REGISTERED(SipNodeApplication);

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
    // Timers first: nothing an element scheduled may fire into freed memory.
    m_timers.CancelAll();
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
