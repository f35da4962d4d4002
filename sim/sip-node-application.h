// The ns-3 Application that runs SIP roles on a node: one or many elements
// (a host node may carry many UAs, each with its own ports), each bridged to
// ns-3 sockets (Ns3TransportIo) and simulator timers (Ns3TimerService). The
// roles themselves are the sans-IO ones of models/roles.
//
// A crash (RestartableApplication) destroys every element (all state, all
// timers, every socket); the restart builds them afresh from their specs, as
// after a reboot. Messages sent and received are counted per node
// (MessageCounters, per method and status code, retransmissions apart).
//
// Server capacity (DESIGN.md, "Network model: Server capacity";
// docs/server-capacity.md, "In front of SIP roles"): EnableServerCapacity
// puts a ServerCapacity queue between an element's transport and transaction
// layers (an InboundGate). Each received SIP message is costed (a WorkItem,
// ClassifyInboundWork) and waits for the element's CPU; it is processed when
// its service ends, answered with 503 + Retry-After or dropped under
// overload. A crash loses what the queue holds; the restart starts empty.
#ifndef SIPBED_SIP_NODE_APPLICATION_H
#define SIPBED_SIP_NODE_APPLICATION_H

#include "sim/ns3-random-source.h"
#include "sim/ns3-timer-service.h"
#include "sim/ns3-transport-io.h"
#include "sim/restartable-application.h"
#include "sim/server-capacity.h"

#include "models/net/service-cost.h"
#include "models/roles/sip-element.h"

#include <functional>
#include <memory>
#include <vector>

namespace sipbed
{

/// How the messages of an element behind a ServerCapacity are costed: what
/// the role does with them that a message alone does not tell.
struct CapacityWorkRules
{
    /// The role checks digest credentials (RFC 3261 22.4): a request with
    /// Authorization or Proxy-Authorization costs a digest check. False for
    /// a role that passes them on unchecked (an edge proxy forwarding
    /// REGISTER to the registrar).
    bool digestCheck = true;
    /// The role challenges every REGISTER without credentials with a 401
    /// (RFC 3261 22.2; a Registrar with RegistrarConfig::authenticate): such
    /// a REGISTER costs the challenge instead of its base cost.
    bool challengeRegisterWithoutCredentials = false;
    /// HMACs the role computes for each request; responses cost none. 1 for
    /// an edge proxy with HMAC flow tokens (outbound draft 6.1, Algorithm
    /// 2): it makes one for the Path or Record-Route of a request from a UA,
    /// or checks the one in a token Route.
    uint8_t hmacsPerRequest = 0;
    /// The TLS work of the first request on a TLS connection a peer opened
    /// to us: a full handshake, or kResumption for clients that resume
    /// sessions (RFC 5246 7.3).
    TlsWork tlsHandshake = TlsWork::kFullHandshake;
};

/// The work a received message costs (models/net/service-cost.h):
/// - kind: REGISTER, INVITE, any other request, or a response;
/// - digestCheck: a request with Authorization or Proxy-Authorization, when
///   the role checks them (RFC 3261 22.4);
/// - challenge: a REGISTER without either, when the role challenges it (22.2);
/// - hmacs: rules.hmacsPerRequest for a request;
/// - newConnection and tls: the first message on a TCP or TLS connection,
///   when it is a request: the peer opened the connection to send it (RFC
///   3261 18.1.1), so we accepted it, and for TLS ran the server handshake.
///   The first message on a connection we opened is a response to us.
WorkItem ClassifyInboundWork(const SipMessage& message,
                             const TransportAddress& from,
                             bool firstOnConnection,
                             const CapacityWorkRules& rules);

/// Server capacity statistics of one element: the ServerCapacity's, since
/// its creation or the last ResetCapacityStatistics, plus what the element
/// made of the rejections.
struct CapacityStats
{
    uint64_t arrivals = 0; ///< messages submitted to the queue
    uint64_t served = 0;   ///< processed: handed to the transaction layer
    /// 503s sent (RejectOverloaded answered a request).
    uint64_t responses503 = 0;
    /// Responses and ACKs that met the 503 policy: the reject work was done,
    /// but neither can be answered (RFC 3261 17), so nothing was sent.
    /// responses503 + rejectedUnanswered = the queue's rejected503.
    uint64_t rejectedUnanswered = 0;
    uint64_t dropped = 0;     ///< discarded by the overload policy (drop, or the 503 backlog full)
    uint64_t flushed = 0;     ///< lost in crashes
    uint32_t queueLength = 0; ///< now: messages waiting for service
    uint32_t rejectBacklog = 0; ///< now: messages waiting for their 503
    uint32_t inSystem = 0;      ///< now: waiting, waiting for a 503, or in service
    double utilization = 0;     ///< busy time (503 work included) over elapsed time
    ns3::Time meanWait;         ///< arrival to start of service, over served messages
    ns3::Time maxWait;
};

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

    /// Puts `capacity` in front of element `elementIndex` (call before the
    /// start; the element gets it at every (re)start). The application takes
    /// over the capacity's Served, Reject and Drop callbacks; its trace
    /// sources stay free, with the messages' tags numbered from 1 per element
    /// in arrival order, across restarts. One capacity serves one element.
    void EnableServerCapacity(size_t elementIndex,
                              ns3::Ptr<ServerCapacity> capacity,
                              const CapacityWorkRules& rules = CapacityWorkRules());

    /// The capacity of element `elementIndex`, or null without one.
    ns3::Ptr<ServerCapacity> GetServerCapacity(size_t elementIndex) const;

    /// Its statistics now; all zero without a capacity.
    CapacityStats GetCapacityStats(size_t elementIndex) const;

    /// Restarts its statistics now (e.g. after a warm-up).
    void ResetCapacityStatistics(size_t elementIndex);

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

    /// The InboundGate of an element with a ServerCapacity (in the .cc).
    class CapacityGate;

    struct Spec
    {
        Spec(Ns3TransportIo::Ports p, ElementFactory f, StartHook s);
        Spec(Spec&&) noexcept;
        Spec& operator=(Spec&&) noexcept;
        ~Spec();

        Ns3TransportIo::Ports ports;
        ElementFactory factory;
        StartHook onStart;
        std::unique_ptr<CapacityGate> gate; ///< null: no capacity model
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
