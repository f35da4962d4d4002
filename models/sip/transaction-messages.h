// Messages the transaction layer builds itself, and the branch helper:
// the ACK for a non-2xx final response (17.1.1.3), CANCEL (9.1), 100
// (Trying) (8.2.6.1) and a plain response to a request (8.2.6.2). TUs use
// them too (a UA core answering a request, a proxy cancelling branches).
#ifndef SIPBED_TRANSACTION_MESSAGES_H
#define SIPBED_TRANSACTION_MESSAGES_H

#include "models/sip/sip-message.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace sipbed
{

/// Random 32-bit numbers from the caller: models never draw their own
/// (DESIGN.md, Randomness); the simulator passes an ns-3 stream.
using TransactionRandom = std::function<uint32_t()>;

/// A new branch: the RFC 3261 magic cookie "z9hG4bK" followed by 16 hex
/// digits from two draws (8.1.1.7: unique across space and time; 64 random
/// bits make a collision among billions of transactions unlikely).
std::string MakeTransactionBranch(const TransactionRandom& random);

/// 17.1.1.3: the ACK a client transaction sends for a 300-699 response to
/// `invite`: same Request-URI, Call-ID, From and CSeq number (method ACK);
/// To from the response (with its tag); a single Via equal to the INVITE's
/// top Via (same branch); the INVITE's Route fields; its Max-Forwards (70
/// when absent: 8.1.1.6 requires one). nullopt when `invite` lacks a top
/// Via, From, Call-ID or CSeq, or `response` lacks To.
std::optional<SipMessage> MakeAckForNon2xx(const SipMessage& invite, const SipMessage& response);

/// 9.1: the CANCEL for `invite`: same Request-URI, Call-ID, From, To (no
/// tag added) and CSeq number (method CANCEL), a single Via equal to the
/// top Via of the INVITE, its Route fields and Max-Forwards. nullopt when a
/// needed field is missing.
std::optional<SipMessage> MakeCancelFor(const SipMessage& invite);

/// 8.2.6.2: a response to `request` with its Via fields (in order), From,
/// To, Call-ID and CSeq. `toTag`, when not empty and the To has no tag yet,
/// is added to To (8.2.6.2: a UAS adds one to every response but 100).
/// nullopt when code or reason are invalid.
std::optional<SipMessage> MakeResponseFor(const SipMessage& request,
                                          int code,
                                          std::string_view reason,
                                          std::string_view toTag = {});

/// 8.2.6.1: the 100 (Trying) a server transaction sends for `request`: a
/// response without To tag that also copies the Timestamp field.
std::optional<SipMessage> MakeTryingFor(const SipMessage& request);

} // namespace sipbed

#endif
