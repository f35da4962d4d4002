// The SIP transaction layer (RFC 3261 17, with the INVITE server fix of RFC
// 6026 7.1), sans-IO. One layer serves one SIP element (a UA, a proxy, a
// registrar): it sends through a TransactionTransport, runs its timers on a
// TimerService and reports to a TransactionUser (the TU: UA core, proxy
// core, registrar).
//
//   TU --SendRequest(request, to)---------> client transaction --bytes--> transport
//   TU <--OnResponse / OnClientError-------
//   transport --OnReceive(message, from)--> match (17.1.3 / 17.2.3)
//   TU <--OnNewRequest(server handle, request)
//   TU --handle.SendResponse(response)----> server transaction --bytes--> transport
//   TU <--OnStrayResponse / OnStrayAck----- nothing matched (a proxy forwards them)
//
// Choices where the RFC leaves room (docs/transactions.md):
// - 100 (Trying) for INVITE after TransactionConfig::tryingDelay (200 ms,
//   17.2.1) unless the TU answered first; 0 sends it at once.
// - Timer B / F and timer H are reported as OnClientError / OnServerError
//   with TransactionError::kTimeout, not as a synthesized 408: a proxy and
//   the outbound flow logic must tell "no answer" from a 408 received.
// - A 2xx to INVITE terminates the client transaction (17.1.1.2); later 2xx
//   retransmissions arrive as stray responses, which the UA core ACKs
//   (13.2.2.4) and a proxy forwards statelessly (16.7).
// - A 2xx sent by the TU moves the INVITE server transaction to Accepted
//   (RFC 6026 7.1, timer L) instead of destroying it, so that INVITE
//   retransmissions are absorbed rather than seen as new requests.
//
// Memory: a transaction keeps the serialized bytes it may have to resend
// (request, ACK or last response), not parsed messages; the ACK and CANCEL
// are rebuilt from those bytes when needed.
#ifndef SIPBED_TRANSACTION_LAYER_H
#define SIPBED_TRANSACTION_LAYER_H

#include "models/core/timer-service.h"
#include "models/core/transport-address.h"
#include "models/sip/sip-message.h"
#include "models/sip/transaction-config.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sipbed
{

class TransactionLayer;
class ClientTransaction;
class ServerTransaction;
template <typename Derived>
class TransactionBase;

/// States of Figures 5-8 of RFC 3261 17, plus Accepted (RFC 6026 7.1).
enum class TransactionState : uint8_t
{
    kCalling,    ///< INVITE client, request sent, nothing received
    kTrying,     ///< non-INVITE client before any response; non-INVITE server before any response
    kProceeding, ///< a provisional response was received (client) or sent (server)
    kCompleted,  ///< final response received (client); non-2xx or non-INVITE final sent (server)
    kConfirmed,  ///< INVITE server: the ACK for its non-2xx arrived
    kAccepted,   ///< INVITE server: a 2xx was sent (RFC 6026)
    kTerminated, ///< gone (or never existed)
};

/// "Calling", "Trying", ...
std::string_view TransactionStateName(TransactionState state);

/// Why a transaction failed (reported to the TU).
enum class TransactionError : uint8_t
{
    kTimeout,        ///< timer B or F (client, 17.1.1.2 / 17.1.2.2), timer H (server, 17.2.1)
    kTransportError, ///< the transport could not send (17.1.4, 17.2.4)
};

std::string_view TransactionErrorName(TransactionError error);

/// What ClientTransactionHandle and ServerTransactionHandle share: a weak
/// reference (layer and id) to a transaction of type `Tx`. Copies are cheap;
/// after the transaction ends, IsAlive() is false and the operations do
/// nothing. Handles of the two kinds do not compare with each other.
template <typename Tx>
class TransactionHandle
{
  public:
    /// Unique within its layer; 0 for a handle that names no transaction
    /// (SendRequest refused the request, no INVITE for a CANCEL).
    uint32_t GetId() const
    {
        return m_id;
    }

    bool IsValid() const
    {
        return m_id != 0;
    }

    bool IsAlive() const;

    /// kTerminated once the transaction is gone.
    TransactionState GetState() const;

    /// Drops the transaction at once, silently: the TU gave up on it (e.g.
    /// timer C of a proxy, 16.8, after its CANCEL went unanswered).
    void Terminate() const;

    bool operator==(const TransactionHandle& other) const
    {
        return m_layer == other.m_layer && m_id == other.m_id;
    }

    bool operator!=(const TransactionHandle& other) const
    {
        return !(*this == other);
    }

  protected:
    TransactionHandle() = default;

    /// The live transaction, or nullptr.
    Tx* Find() const;

    TransactionLayer* m_layer = nullptr;
    uint32_t m_id = 0;

  private:
    friend class TransactionLayer;

    TransactionHandle(TransactionLayer* layer, uint32_t id)
        : m_layer(layer)
        , m_id(id)
    {
    }
};

/// A client transaction as the TU sees it.
class ClientTransactionHandle : public TransactionHandle<ClientTransaction>
{
  public:
    ClientTransactionHandle() = default;

    /// 9.1: the CANCEL for this INVITE, built from the bytes the transaction
    /// sent; the TU sends it with SendRequest to the same destination (a new
    /// non-INVITE client transaction with the same branch). nullopt unless
    /// this is an INVITE transaction in Calling or Proceeding.
    std::optional<SipMessage> MakeCancel() const;

  private:
    friend class TransactionLayer;
    // The (layer, id) constructor: private in TransactionHandle, so for
    // TransactionLayer only.
    using TransactionHandle::TransactionHandle;
};

/// A server transaction as the TU sees it; the TU answers through it.
class ServerTransactionHandle : public TransactionHandle<ServerTransaction>
{
  public:
    ServerTransactionHandle() = default;

    /// Sends a response (17.2.1 / 17.2.2) to where the request came from
    /// (its source address and connection: 18.2.2 for streams, RFC 3581
    /// symmetric responses for UDP). Returns false when the transaction is
    /// gone or its state takes no such response (a second final response; a
    /// non-2xx after a 2xx). A transport failure is reported later through
    /// TransactionUser::OnServerError, never from inside this call.
    bool SendResponse(const SipMessage& response) const;

  private:
    friend class TransactionLayer;
    // The (layer, id) constructor: private in TransactionHandle, so for
    // TransactionLayer only.
    using TransactionHandle::TransactionHandle;
};

/// What the layer reports. Callbacks may call back into the layer (send a
/// response, start a transaction): transactions that end during a callback
/// stay valid until the callback returns.
class TransactionUser
{
  public:
    virtual ~TransactionUser() = default;

    /// A request that matched no server transaction (17.2.3) created one.
    /// Never an ACK (see OnStrayAck). CANCEL gets its own transaction (9.2);
    /// TransactionLayer::FindInviteTransaction finds the INVITE it cancels.
    virtual void OnNewRequest(ServerTransactionHandle tx,
                              const SipMessage& request,
                              const TransportAddress& from) = 0;

    /// A response for a client transaction: every provisional response and
    /// the final response once (retransmissions are absorbed). A 2xx to
    /// INVITE ends the transaction (17.1.1.2): further 2xx, retransmitted or
    /// from other forks, come through OnStrayResponse.
    virtual void OnResponse(ClientTransactionHandle tx,
                            const SipMessage& response,
                            const TransportAddress& from) = 0;

    /// A client transaction failed: timeout (timer B or F: treat as 408,
    /// 8.1.3.1) or transport error (treat as 503, 8.1.3.1). It has ended.
    virtual void OnClientError(ClientTransactionHandle tx, TransactionError error) = 0;

    /// A server transaction failed: timer H fired without ACK (17.2.1), or a
    /// response could not be sent (17.2.4). It has ended.
    virtual void OnServerError(ServerTransactionHandle tx, TransactionError error) = 0;

    /// A response that matched no client transaction (17.1.3): 2xx
    /// retransmissions after the INVITE transaction ended, late responses.
    /// A UA core ACKs a 2xx (13.2.2.4); a proxy forwards it statelessly (16.7).
    virtual void OnStrayResponse(const SipMessage& response, const TransportAddress& from) = 0;

    /// An ACK that no INVITE server transaction absorbs: the ACK for a 2xx
    /// (its own transaction, 17 / 13.3.1.4), including one that reaches a
    /// transaction in Accepted state (RFC 6026 7.1), or an ACK for nothing.
    virtual void OnStrayAck(const SipMessage& ack, const TransportAddress& from) = 0;
};

/// Where the layer's bytes go (in the simulator and testbed: SipTransport).
class TransactionTransport
{
  public:
    /// What is being sent, so the caller can count or log by kind.
    enum class Kind : uint8_t
    {
        kRequest,                ///< first transmission of a client transaction's request
        kRequestRetransmission,  ///< timer A or E (17.1.1.2, 17.1.2.2)
        kAck,                    ///< ACK for a non-2xx final response (17.1.1.3)
        kAckRetransmission,      ///< ACK resent on a retransmitted final response
        kResponse,               ///< a response from the TU, or 100 (Trying)
        kResponseRetransmission, ///< timer G, or a retransmitted request answered again
        kStateless,              ///< TransactionLayer::SendStateless
    };

    struct Result
    {
        bool ok = false;
        /// The connection used (0 for UDP or unknown): later sends of the
        /// transaction (retransmissions, ACK) name it, and a failure of it
        /// can be matched (18.1.1: the ACK goes on the same connection).
        ConnectionId connection = 0;
    };

    virtual ~TransactionTransport() = default;

    /// Sends one serialized message. ok = false when the transport knows at
    /// once that it cannot (17.1.4 / 17.2.4); later failures come through
    /// TransactionLayer::OnTransportFailure.
    virtual Result SendMessage(std::string_view bytes, const TransportAddress& to, Kind kind) = 0;
};

/// True for the retransmission kinds.
constexpr bool
IsRetransmission(TransactionTransport::Kind kind)
{
    return kind == TransactionTransport::Kind::kRequestRetransmission ||
           kind == TransactionTransport::Kind::kAckRetransmission ||
           kind == TransactionTransport::Kind::kResponseRetransmission;
}

/// Counters of one layer since it was made (sim/ sums them per node).
struct TransactionStats
{
    uint64_t clientTransactions = 0; ///< created by SendRequest
    uint64_t serverTransactions = 0; ///< created by a new request
    /// First transmissions of requests (CANCEL included, ACK not).
    uint64_t requestsSent = 0;
    /// Timer A / E retransmissions.
    uint64_t requestRetransmissions = 0;
    /// ACKs for non-2xx built by client transactions (17.1.1.3).
    uint64_t acksSent = 0;
    /// ACKs resent for retransmitted final responses.
    uint64_t ackRetransmissions = 0;
    /// First transmissions of responses, 100 (Trying) included.
    uint64_t responsesSent = 0;
    /// 100 (Trying) generated by the layer (17.2.1).
    uint64_t tryingSent = 0;
    /// Timer G, answers to retransmitted requests, 2xx resent by the TU.
    uint64_t responseRetransmissions = 0;
    /// SendStateless.
    uint64_t statelessSent = 0;
    /// Request retransmissions (and repeated ACKs) absorbed by server transactions.
    uint64_t requestRetransmissionsReceived = 0;
    /// Response retransmissions absorbed by client transactions.
    uint64_t responseRetransmissionsReceived = 0;
    /// Timers B, F and H reported to the TU.
    uint64_t timeouts = 0;
    /// Transport failures reported to the TU.
    uint64_t transportErrors = 0;
    uint64_t strayResponses = 0;
    uint64_t strayAcks = 0;
    /// Received without top Via or CSeq: can be neither matched nor answered.
    uint64_t malformedDropped = 0;
};

class TransactionLayer
{
  public:
    /// The three references must outlive the layer. The config is copied;
    /// it must be valid (TransactionConfig::IsValid).
    TransactionLayer(TimerService& timers,
                     TransactionTransport& transport,
                     TransactionUser& user,
                     const TransactionConfig& config = TransactionConfig());
    ~TransactionLayer();
    TransactionLayer(const TransactionLayer&) = delete;
    TransactionLayer& operator=(const TransactionLayer&) = delete;

    /// Starts a client transaction (INVITE: 17.1.1, other: 17.1.2) and sends
    /// the request to `to`. The request must be complete: a top Via with a
    /// branch (MakeTransactionBranch), a CSeq whose method is the request's.
    /// Refused (invalid handle) for ACK (an ACK for 2xx goes through
    /// SendStateless, 17.1.1.1), for a request without branch or CSeq, or
    /// when a live client transaction has the same branch and method.
    ClientTransactionHandle SendRequest(const SipMessage& request, const TransportAddress& to);

    /// Sends outside any transaction: the ACK for a 2xx (13.2.2.4), a
    /// response or ACK a proxy forwards statelessly (16.7, 16.11).
    bool SendStateless(const SipMessage& message, const TransportAddress& to);

    /// A message from the transport layer: matched to a transaction or
    /// handed to the TU (17.1.3, 17.2.3).
    void OnReceive(const SipMessage& message, const TransportAddress& from);

    /// The transport learned after the fact that sending to `peer` failed
    /// (connection refused or reset, ICMP). Ends, with OnClientError or
    /// OnServerError (kTransportError), every transaction towards `peer`
    /// that the TU still waits on: with peer.connection set, the ones on that
    /// connection; otherwise the ones to that endpoint. Transactions that
    /// only linger (Completed client, Confirmed, Accepted) end silently.
    void OnTransportFailure(const TransportAddress& peer);

    /// 9.2: the INVITE server transaction a CANCEL refers to (17.2.3 matching
    /// with the method ignored), or an invalid handle.
    ServerTransactionHandle FindInviteTransaction(const SipMessage& cancel);

    const TransactionConfig& GetConfig() const
    {
        return m_config;
    }

    const TransactionStats& GetStats() const
    {
        return m_stats;
    }

    size_t GetClientCount() const
    {
        return m_clients.size();
    }

    size_t GetServerCount() const
    {
        return m_servers.size();
    }

    /// Heap and object bytes held by the layer and its live transactions
    /// (an estimate: map nodes and buckets are counted at libstdc++'s sizes).
    size_t EstimateMemoryBytes() const;

  private:
    template <typename Derived>
    friend class TransactionBase;
    friend class ClientTransaction;
    friend class ServerTransaction;
    template <typename Tx>
    friend class TransactionHandle;
    friend class ServerTransactionHandle;

    /// Keeps ended transactions alive until the outermost call into the
    /// layer returns, so no transaction is destroyed under its own feet.
    class EntryGuard
    {
      public:
        explicit EntryGuard(TransactionLayer& layer);
        ~EntryGuard();
        EntryGuard(const EntryGuard&) = delete;
        EntryGuard& operator=(const EntryGuard&) = delete;

      private:
        TransactionLayer& m_layer;
    };

    // ---- used by the transactions ----
    TransactionTransport::Result Transmit(std::string_view bytes,
                                          TransportAddress& to,
                                          TransactionTransport::Kind kind);
    void Unindex(ClientTransaction& tx);
    void Unindex(ServerTransaction& tx);
    /// Ends a transaction: timers stopped, unmatched, freed after the
    /// outermost call returns.
    void Destroy(ClientTransaction& tx);
    void Destroy(ServerTransaction& tx);
    /// Indexes the 2543 ACK key of an INVITE server transaction (17.2.3).
    void IndexAckKey(ServerTransaction& tx);

    ClientTransactionHandle ClientHandle(uint32_t id)
    {
        return ClientTransactionHandle(this, id);
    }

    ServerTransactionHandle ServerHandle(uint32_t id)
    {
        return ServerTransactionHandle(this, id);
    }

    uint32_t NextId();
    void ReceiveRequest(const SipMessage& request, const TransportAddress& from);
    void ReceiveResponse(const SipMessage& response, const TransportAddress& from);

    TimerService& m_timers;
    TransactionTransport& m_transport;
    TransactionUser& m_user;
    TransactionConfig m_config;
    TransactionStats m_stats;
    uint32_t m_nextId = 1;
    uint32_t m_depth = 0; ///< nesting of calls into the layer (EntryGuard)

    std::unordered_map<uint32_t, std::unique_ptr<ClientTransaction>> m_clients;
    std::unordered_map<uint32_t, std::unique_ptr<ServerTransaction>> m_servers;
    /// Match keys (17.1.3, 17.2.3) -> transaction; the views point into the
    /// transactions' own key strings.
    std::unordered_map<std::string_view, ClientTransaction*> m_clientIndex;
    std::unordered_map<std::string_view, ServerTransaction*> m_serverIndex;
    std::vector<std::unique_ptr<ClientTransaction>> m_deadClients;
    std::vector<std::unique_ptr<ServerTransaction>> m_deadServers;
};

} // namespace sipbed

#endif
