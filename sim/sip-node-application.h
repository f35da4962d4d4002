// The ns-3 Application that runs SIP roles on a node: one or many elements
// (a host node may carry many UAs, each with its own ports), each bridged to
// ns-3 sockets (Ns3TransportIo) and simulator timers (Ns3TimerService). The
// roles themselves are the sans-IO ones of models/roles.
//
// A crash (RestartableApplication) destroys every element (all state, all
// timers, every socket); the restart builds them afresh from their specs, as
// after a reboot. Messages sent and received are counted per node
// (MessageCounters, per method and status code, retransmissions apart).
#ifndef SIPBED_SIP_NODE_APPLICATION_H
#define SIPBED_SIP_NODE_APPLICATION_H

#include "sim/ns3-random-source.h"
#include "sim/ns3-timer-service.h"
#include "sim/ns3-transport-io.h"
#include "sim/restartable-application.h"

#include "models/roles/sip-element.h"

#include <functional>
#include <memory>
#include <vector>

namespace sipbed
{

class SipNodeApplication : public RestartableApplication
{
  public:
    static ns3::TypeId GetTypeId();

    SipNodeApplication();
    ~SipNodeApplication() override;

    /// Builds an element once its sockets are open: `port` is the UDP port
    /// actually bound (an ephemeral one when the spec asked for 0).
    using ElementFactory =
        std::function<std::unique_ptr<SipElement>(const ElementEnvironment& env, uint16_t port)>;
    /// Called after each (re)start of the element (e.g. a UA registers).
    using StartHook = std::function<void(SipElement& element)>;

    /// Adds an element; it is built at StartApplication and at every restart.
    /// Returns its index.
    size_t AddElement(Ns3TransportIo::Ports ports, ElementFactory factory, StartHook onStart = nullptr);

    /// The element at `index`, or null while the node is down.
    SipElement* GetElement(size_t index) const;
    size_t GetElementCount() const
    {
        return m_specs.size();
    }

    MessageCounters& GetCounters()
    {
        return m_counters;
    }

    /// ns-3 convention: fixed random streams; returns how many were used.
    int64_t AssignStreams(int64_t stream);

  private:
    void StartApplication() override;
    void StopApplication() override;
    void DoDispose() override;
    void DoCrash() override;
    void DoRestart() override;

    void BuildAll();
    void DestroyAll();

    struct Spec
    {
        Ns3TransportIo::Ports ports;
        ElementFactory factory;
        StartHook onStart;
    };

    struct Running
    {
        std::unique_ptr<Ns3TransportIo> io;
        std::unique_ptr<SipElement> element;
    };

    std::vector<Spec> m_specs;
    std::vector<Running> m_running;
    Ns3TimerService m_timers;
    Ns3RandomSource m_random;
    MessageCounters m_counters;
};

} // namespace sipbed

#endif
