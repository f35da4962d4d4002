// The common part of every SIP role (UA, registrar, proxies): one SIP
// element with its transport layer (SipTransport) and transaction layer
// (TransactionLayer), acting on the world only through the environment it
// is given (timers, random numbers, a TransportIo). A role derives from it
// and implements the TransactionUser callbacks: that is where it decides
// what to do with a message.
//
//   TransportIo --bytes--> SipTransport --message--> TransactionLayer --> role (TU)
//   role --request/response--> TransactionLayer --bytes--> SipTransport --> TransportIo
//
// With an InboundGate (inbound-gate.h; the server capacity model), received
// messages wait in the gate before they reach the transaction layer.
#ifndef SIPBED_SIP_ELEMENT_H
#define SIPBED_SIP_ELEMENT_H

#include "models/core/random-source.h"
#include "models/core/timer-service.h"
#include "models/core/transport-address.h"
#include "models/roles/inbound-gate.h"
#include "models/roles/message-counters.h"
#include "models/sip/sip-transport.h"
#include "models/sip/transaction-config.h"
#include "models/sip/transaction-layer.h"

#include <memory>
#include <string>

namespace sipbed
{

/// What an element acts through. All references outlive the element.
struct ElementEnvironment
{
    TimerService& timers;
    RandomSource& random;
    TransportIo& io;
    MessageCounters* counters = nullptr; ///< shared per node; may be null
};

struct ElementConfig
{
    /// The address this element writes in Via and Contact (host order).
    uint32_t ip = 0;
    /// Its SIP port (the UDP port; also the TCP/TLS one for servers).
    uint16_t port = 5060;
    /// The transport it uses for requests it originates.
    TransportKind transport = TransportKind::kUdp;
    TransactionConfig transactions;
    /// TLS connections (see SipTransport::Config::tls).
    StreamFilterFactory tls;
};

class SipElement : public TransactionUser
{
  public:
    SipElement(const ElementEnvironment& env, const ElementConfig& config);
    ~SipElement() override;
    SipElement(const SipElement&) = delete;
    SipElement& operator=(const SipElement&) = delete;

    /// Where the environment feeds bytes and connection events.
    SipTransport& GetTransport()
    {
        return *m_transport;
    }

    TransactionLayer& GetTransactions()
    {
        return *m_layer;
    }

    const ElementConfig& GetConfig() const
    {
        return m_config;
    }

    /// Heap and object bytes held by this element (transport connections
    /// not included): for the per-UA memory budget (DESIGN.md: < 20 KB).
    virtual size_t EstimateMemoryBytes() const;

    /// From now on every whole SIP message received goes to `gate` (which
    /// must outlive the element or be replaced first) instead of straight to
    /// the transaction layer; nullptr: straight again. Messages the old gate
    /// still holds are its own business.
    void SetInboundGate(InboundGate* gate)
    {
        m_gate = gate;
    }

    InboundGate* GetInboundGate() const
    {
        return m_gate;
    }

    /// A received message's turn has come: it goes to the transaction layer
    /// (RFC 3261 17.1.3 / 17.2.3 matching, then the role). Called by the gate;
    /// without one, at once on arrival.
    void ProcessInbound(SipMessage&& message, const TransportAddress& from);

    /// The gate refuses `request` for overload: answers it statelessly
    /// (RFC 3261 8.2.7) with 503 Service Unavailable (21.5.4) and, when
    /// `retryAfterSeconds` is not 0, Retry-After (20.33), to where it came
    /// from (18.2.2, RFC 3581 4). A response or an ACK gets nothing (17:
    /// neither is ever answered). Returns whether a 503 was sent.
    bool RejectOverloaded(const SipMessage& request,
                          const TransportAddress& from,
                          uint32_t retryAfterSeconds);

  protected:
    TimerService& Timers()
    {
        return m_env.timers;
    }

    RandomSource& Random()
    {
        return m_env.random;
    }

    /// A new branch (8.1.1.7), tag (19.3) or Call-ID (8.1.1.4).
    std::string NewBranch();
    std::string NewTag();
    std::string NewCallId();

    /// "SIP/2.0/UDP ip:port;branch=...;rport" for a request this element
    /// sends or forwards (RFC 3581: rport asks for symmetric responses).
    std::string MakeVia(const std::string& branch) const;

    /// "sip:ip:port" plus ";transport=tcp|tls" when not UDP.
    std::string LocalUri(const std::string& user = "") const;

    /// Where a SIP URI points: its host must be an IPv4 address (no DNS in
    /// the simulation); port 5060 (5061 for sips/TLS) when absent; the
    /// transport from the transport parameter, else this element's.
    std::optional<TransportAddress> Resolve(const SipUri& uri) const;

    /// Sends a response built from `request` (MakeResponseFor) with extra headers.
    bool Respond(ServerTransactionHandle tx,
                 const SipMessage& request,
                 int code,
                 std::string_view reason,
                 const std::vector<std::pair<std::string, std::string>>& headers = {},
                 std::string_view toTag = {});

    /// Hooks beyond the transaction layer (default: nothing).
    virtual void OnStun(std::string_view bytes, const TransportAddress& from);
    virtual void OnKeepalive(size_t bytes, const TransportAddress& from);
    virtual void OnConnectionClosed(const TransportAddress& peer, const std::string& reason);

  private:
    /// The transaction layer's way out: SipTransport, counting as it goes.
    class Outlet : public TransactionTransport
    {
      public:
        explicit Outlet(SipElement& element)
            : m_element(element)
        {
        }

        TransactionTransport::Result SendMessage(std::string_view bytes,
                                                 const TransportAddress& to,
                                                 Kind kind) override;

      private:
        SipElement& m_element;
    };

    ElementEnvironment m_env;
    ElementConfig m_config;
    Outlet m_outlet{*this};
    std::unique_ptr<SipTransport> m_transport;
    std::unique_ptr<TransactionLayer> m_layer;
    InboundGate* m_gate = nullptr;
};

} // namespace sipbed

#endif
