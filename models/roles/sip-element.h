// The common part of every SIP role (UA, registrar, proxies): one SIP
// element with its transport layer (SipTransport) and transaction layer
// (TransactionLayer), acting on the world only through the environment it
// is given (timers, random numbers, a TransportIo). A role derives from it
// and implements the TransactionUser callbacks: that is where it decides
// what to do with a message.
//
//   TransportIo --bytes--> SipTransport --message--> TransactionLayer --> role (TU)
//   role --request/response--> TransactionLayer --bytes--> SipTransport --> TransportIo
#ifndef SIPBED_SIP_ELEMENT_H
#define SIPBED_SIP_ELEMENT_H

#include "models/core/random-source.h"
#include "models/core/timer-service.h"
#include "models/core/transport-address.h"
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
};

} // namespace sipbed

#endif
