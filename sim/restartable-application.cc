#include "sim/restartable-application.h"

namespace sipbed
{

NS_OBJECT_ENSURE_REGISTERED(RestartableApplication);

ns3::TypeId
RestartableApplication::GetTypeId()
{
    static ns3::TypeId tid = ns3::TypeId("sipbed::RestartableApplication")
                                 .SetParent<ns3::Application>()
                                 .SetGroupName("Sipbed");
    return tid;
}

void
RestartableApplication::Crash()
{
    if (m_crashed)
    {
        return;
    }
    m_crashed = true;
    DoCrash();
}

void
RestartableApplication::Restart()
{
    if (!m_crashed)
    {
        return;
    }
    m_crashed = false;
    DoRestart();
}

} // namespace sipbed
