// STUN messages for the Binding keepalives of SIP outbound: the codec for
// both dialects that share the wire format.
//
// - RFC 3489 ("classic STUN", what the outbound draft's STUN reference
//   means): 16-octet transaction id, MAPPED-ADDRESS, and in responses
//   SOURCE-ADDRESS and CHANGED-ADDRESS.
// - RFC 5389: the first 4 octets of the old transaction id are the magic
//   cookie 0x2112A442 and the id proper is 12 octets; XOR-MAPPED-ADDRESS;
//   SOFTWARE; FINGERPRINT (implemented: written on request, checked when
//   present).
//
// A message's dialect is read from the cookie (RFC 5389 12.2), so the
// transaction id is kept as the 16 octets after the length field, exactly as
// on the wire. IPv4 only, like the rest of sipbed: a well-formed IPv6 address
// attribute is skipped as if absent (RFC 5389 7.3.3: an unsupported address
// family SHOULD be ignored). MESSAGE-INTEGRITY is recognised (and what
// follows it ignored, RFC 5389 15.4) but not computed: outbound's keepalives
// carry no credentials.
//
// Written by hand: the C STUN codecs (libnice's, PJNATH) are parts of ICE
// stacks with their own runtimes (GLib, pjlib), while the Binding subset
// needed here, two dialects and a handful of attributes, is small and is
// checked against RFC 5769's test vectors. The FINGERPRINT CRC-32 is
// Boost.CRC's.
#ifndef SIPBED_STUN_MESSAGE_H
#define SIPBED_STUN_MESSAGE_H

#include "models/sip/parse-error.h"

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sipbed
{

/// Uniform 32-bit draws (the simulator's random stream, or a test's sequence).
using StunRandom = std::function<uint32_t()>;

enum class StunDialect : uint8_t
{
    kRfc3489, ///< no magic cookie: 128-bit transaction id, MAPPED-ADDRESS
    kRfc5389, ///< magic cookie: 96-bit transaction id, XOR-MAPPED-ADDRESS
};

/// "rfc3489" / "rfc5389".
std::string_view StunDialectName(StunDialect dialect);

/// Message class (RFC 5389 6: bits C1 C0 of the message type).
enum class StunClass : uint8_t
{
    kRequest = 0,
    kIndication = 1,
    kSuccessResponse = 2,
    kErrorResponse = 3,
};

/// RFC 5389 6: the magic cookie, in network order in octets 4-7.
constexpr uint32_t kStunMagicCookie = 0x2112A442;
/// RFC 5389 15.5: FINGERPRINT = CRC-32 XOR this.
constexpr uint32_t kStunFingerprintXor = 0x5354554e;
/// Header size in both dialects (RFC 3489 11.1, RFC 5389 6).
constexpr size_t kStunHeaderSize = 20;
/// The Binding method (RFC 3489 11.1: types 0x0001, 0x0101, 0x0111).
constexpr uint16_t kStunMethodBinding = 0x001;

/// Attribute types (RFC 3489 11.2, RFC 5389 18.2).
struct StunAttr
{
    static constexpr uint16_t kMappedAddress = 0x0001;
    static constexpr uint16_t kResponseAddress = 0x0002; ///< RFC 3489 only
    static constexpr uint16_t kChangeRequest = 0x0003;   ///< RFC 3489 only
    static constexpr uint16_t kSourceAddress = 0x0004;   ///< RFC 3489 only
    static constexpr uint16_t kChangedAddress = 0x0005;  ///< RFC 3489 only
    static constexpr uint16_t kUsername = 0x0006;
    static constexpr uint16_t kPassword = 0x0007; ///< RFC 3489 only
    static constexpr uint16_t kMessageIntegrity = 0x0008;
    static constexpr uint16_t kErrorCode = 0x0009;
    static constexpr uint16_t kUnknownAttributes = 0x000A;
    static constexpr uint16_t kReflectedFrom = 0x000B; ///< RFC 3489 only
    static constexpr uint16_t kRealm = 0x0014;
    static constexpr uint16_t kNonce = 0x0015;
    static constexpr uint16_t kXorMappedAddress = 0x0020;
    static constexpr uint16_t kSoftware = 0x8022;
    static constexpr uint16_t kFingerprint = 0x8028;
};

/// The 16 octets after the message length, as on the wire: an RFC 3489
/// transaction id, or the RFC 5389 magic cookie then the 12-octet id.
using StunTransactionId = std::array<uint8_t, 16>;

/// A transport address in an address attribute (IPv4 only).
struct StunAddress
{
    uint32_t ip = 0; ///< host byte order
    uint16_t port = 0;

    bool operator==(const StunAddress& other) const
    {
        return ip == other.ip && port == other.port;
    }

    bool operator!=(const StunAddress& other) const
    {
        return !(*this == other);
    }

    /// "192.0.2.1:32853"
    std::string ToString() const;
};

struct StunMessage
{
    StunClass messageClass = StunClass::kRequest;
    uint16_t method = kStunMethodBinding; ///< 12 bits
    StunTransactionId transactionId{};

    std::optional<StunAddress> mappedAddress;    ///< MAPPED-ADDRESS
    std::optional<StunAddress> xorMappedAddress; ///< XOR-MAPPED-ADDRESS, decoded
    std::optional<StunAddress> sourceAddress;    ///< SOURCE-ADDRESS (RFC 3489 responses)
    std::optional<StunAddress> changedAddress;   ///< CHANGED-ADDRESS (RFC 3489 responses)
    std::optional<int> errorCode;                ///< ERROR-CODE number, 100..699
    std::string errorReason;                     ///< ERROR-CODE reason phrase
    std::vector<uint16_t> unknownAttributes;     ///< UNKNOWN-ATTRIBUTES contents
    std::optional<std::string> software;         ///< SOFTWARE (RFC 5389 15.10)
    /// Decoding: a FINGERPRINT was present (and correct: a wrong one fails
    /// the decoding). Encoding: append one (RFC 5389 15.5).
    bool fingerprint = false;
    /// Decoding only: comprehension-required attributes (type <= 0x7FFF)
    /// this dialect does not define, in order of appearance. A server answers
    /// such a request with 420 (RFC 3489 8.1, RFC 5389 7.3.1); a client drops
    /// such a response (RFC 3489 9.4, RFC 5389 7.3.3).
    std::vector<uint16_t> unknownRequired;

    /// kRfc5389 when the transaction id starts with the magic cookie.
    StunDialect GetDialect() const;

    bool IsBinding(StunClass c) const
    {
        return method == kStunMethodBinding && messageClass == c;
    }

    /// A fresh transaction id in `dialect` from `random` (RFC 3489 9.3: 128
    /// random bits; RFC 5389 6: the cookie, then 96 random bits).
    static StunTransactionId MakeTransactionId(StunDialect dialect, const StunRandom& random);

    /// Wire form. Attributes in this order: MAPPED-ADDRESS, SOURCE-ADDRESS,
    /// CHANGED-ADDRESS, XOR-MAPPED-ADDRESS, ERROR-CODE, UNKNOWN-ATTRIBUTES,
    /// SOFTWARE, FINGERPRINT. The dialect decides the padding of ERROR-CODE
    /// and UNKNOWN-ATTRIBUTES (RFC 3489 11.2.9/11.2.10 versus RFC 5389 15).
    std::string Encode() const;

    /// Reads one STUN message filling the whole datagram. Never reads past
    /// `bytes`; on failure the error's reason says what is wrong and where
    /// (its status is 0: a bad STUN message is dropped, RFC 5389 7.3).
    static Result<StunMessage> Decode(std::string_view bytes);
};

/// message type field from method and class (RFC 5389 6, figure 3).
uint16_t StunMessageType(uint16_t method, StunClass messageClass);

} // namespace sipbed

#endif
