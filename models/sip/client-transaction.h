// The client transaction state machines of RFC 3261 17.1.1 (INVITE:
// Calling, Proceeding, Completed, Terminated; timers A, B, D) and 17.1.2
// (non-INVITE: Trying, Proceeding, Completed, Terminated; timers E, F, K).
// Internal to TransactionLayer, which creates, matches and frees them; the
// TU sees ClientTransactionHandle.
#ifndef SIPBED_CLIENT_TRANSACTION_H
#define SIPBED_CLIENT_TRANSACTION_H

#include "models/sip/transaction-base.h"
#include "models/sip/transaction-layer.h"

#include <optional>
#include <string>

namespace sipbed
{

class ClientTransaction : public TransactionBase<ClientTransaction>
{
  public:
    /// `bytes`: the serialized request; `key`: its match key (17.1.3).
    ClientTransaction(TransactionLayer& layer,
                      uint32_t id,
                      bool invite,
                      std::string bytes,
                      std::string key,
                      const TransportAddress& to);

    /// The match key of a request or response: top Via branch and CSeq
    /// method (17.1.3). False when either is missing.
    static bool MakeKey(const SipMessage& message, std::string& key);

    /// Sends the request and starts the timers (17.1.1.2 / 17.1.2.2).
    void Start();
    void OnResponse(const SipMessage& response, const TransportAddress& from);
    /// A transport failure towards this transaction's destination (17.1.4).
    void OnTransportFailure();

    std::optional<SipMessage> MakeCancel() const;

  private:
    friend class TransactionBase<ClientTransaction>;

    /// Timer A or E.
    void OnRetransmitTimer();
    /// Timer B, F, D or K.
    void OnLifetimeTimer();
    static void ReportError(TransactionLayer& layer, uint32_t id, TransactionError error);
};

} // namespace sipbed

#endif
