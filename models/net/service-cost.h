// How long a SIP server's CPU is busy with one message: the service time of
// the server capacity model (DESIGN.md, "Network model: Server capacity").
//
// A message costs a base amount by kind (REGISTER, INVITE, other request,
// response) plus the extra work it triggers (digest check, signatures and
// verifications, HMAC flow tokens, a TLS handshake, accepting a new TCP
// connection). Every default is a figure measured on this kind of machine:
// ../shared/calibration.md, cited at each field.
//
// Sans-IO: plain numbers in, nanoseconds out; sim/server-capacity holds the
// same parameters as ns-3 attributes.
#ifndef SIPBED_SERVICE_COST_H
#define SIPBED_SERVICE_COST_H

#include "models/net/time-ns.h"

#include <cstdint>
#include <string>

namespace sipbed
{


/// What kind of message a work item starts from.
enum class MessageKind : uint8_t
{
    kRegister,     ///< a REGISTER request
    kInvite,       ///< an INVITE request
    kOtherRequest, ///< any other request (ACK, BYE, OPTIONS, SUBSCRIBE, ...)
    kResponse,     ///< a response the server receives (and matches or forwards)
};

std::string ToString(MessageKind k);

/// TLS work a message brings with it (the handshake runs on the server CPU
/// before the first message on the connection can be read).
enum class TlsWork : uint8_t
{
    kNone,
    kFullHandshake, ///< a new session
    kResumption,    ///< an abbreviated handshake from a cached session
};

/// One message and the work it triggers at the server. The role that hosts
/// the queue fills it in when the message arrives (it knows whether the
/// request carries credentials, whether a signature has to be produced, ...).
struct WorkItem
{
    MessageKind kind = MessageKind::kOtherRequest;
    /// Answered at once with a 401/407 digest challenge (RFC 3261 22.1):
    /// the challenge cost replaces the base cost of the request (no location
    /// service or forwarding work).
    bool challenge = false;
    /// Credentials in Authorization / Proxy-Authorization are checked (RFC 3261 22.4).
    bool digestCheck = false;
    /// Signatures the server produces for this message (e.g. SIP Identity, CSRT).
    uint8_t signatures = 0;
    /// Signatures the server verifies for this message.
    uint8_t verifications = 0;
    /// HMACs computed (e.g. outbound flow tokens, CSRT with a shared key).
    uint8_t hmacs = 0;
    TlsWork tls = TlsWork::kNone;
    /// The message arrived on a TCP connection that was accepted for it.
    bool newConnection = false;
};

/// Parameters of the cost model. Defaults come from ../shared/calibration.md
/// (Kamailio 5.6.3 as a registrar, OpenSSL 3.0 crypto, on a 2-vCPU Debian 12
/// VM); where the file has no figure the default is an estimate from the
/// nearest measured one, and the comment says so.
struct ServiceCostParams
{
    static constexpr TimeNs kUs = 1000; ///< one microsecond

    /// calibration.md, Kamailio UDP without authentication: 50-57 us of CPU
    /// per registration at saturation, 65-68 us at 4-12 k/s; 60 us lets one
    /// server sustain 16,700 registrations/s (measured: about 16,000/s).
    /// Includes building and sending the 200.
    TimeNs registerRequest = 60 * kUs;
    /// Estimate (calibration.md has no Kamailio INVITE run): a REGISTER's
    /// 60 us plus the larger parse (sofia-sip: INVITE with SDP 73,500 vs
    /// REGISTER 27,800 instructions, calibration.md) and the 100 Trying a
    /// proxy sends before forwarding.
    TimeNs inviteRequest = 80 * kUs;
    /// Estimate: a request without a location-service update or 100 Trying
    /// (BYE, ACK, OPTIONS, ...), below a REGISTER's 60 us; calibration.md's
    /// REGISTER over one persistent TCP connection costs 28-47 us.
    TimeNs otherRequest = 40 * kUs;
    /// Estimate: a response is parsed, matched to its transaction and
    /// forwarded once; about the lower end of calibration.md's per-message
    /// REGISTER cost over persistent TCP (28-47 us).
    TimeNs response = 25 * kUs;
    /// A request answered with a 401/407 challenge. calibration.md: an
    /// authenticated registration (REGISTER -> 401 -> REGISTER -> 200) costs
    /// 85-98 us at 2-8 k/s against 65-68 us without authentication, so the
    /// challenged REGISTER and the digest check add about 25 us together:
    /// 15 us here and 10 us for the check (60 + 15 + 10 = 85 us).
    TimeNs challenge = 15 * kUs;
    /// Digest check (credential lookup and the MD5 response), see `challenge`.
    TimeNs digestCheck = 10 * kUs;
    /// calibration.md, OpenSSL: RSA-2048 sign 278 us (RSA-1024: 95 us).
    TimeNs sign = 278 * kUs;
    /// calibration.md, OpenSSL: RSA-2048 verify 18 us (RSA-1024: 6 us).
    TimeNs verify = 18 * kUs;
    /// calibration.md, HMAC-SHA1 over 64 B re-keyed per message: 1.13 us
    /// (0.33 us with a reused context, 1.79 us one-shot).
    TimeNs hmac = 1130;
    /// calibration.md: TLS 1.2 ECDHE-RSA-2048 full handshake, 935 us server CPU.
    TimeNs tlsFullHandshake = 935 * kUs;
    /// calibration.md: TLS 1.2 session resumption, 176 us server CPU.
    TimeNs tlsResumption = 176 * kUs;
    /// calibration.md, Kamailio TCP with a new connection per registration:
    /// 132-155 us against 28-47 us on a persistent one, "90-110 us per
    /// connection setup".
    TimeNs newConnection = 100 * kUs;
    /// Estimate: a 503 answered statelessly by an overloaded server: the
    /// message is read and parsed (sofia-sip parses a REGISTER in about
    /// 2.8 us, calibration.md) and a short reply is built and sent, without
    /// transaction, authentication or location work; a sixth of a REGISTER.
    /// Must stay below every base cost (a 503 is cheaper than serving).
    TimeNs reject503 = 10 * kUs;
};

/// The cost model: service time of a work item.
class ServiceCost
{
  public:
    ServiceCost() = default;
    explicit ServiceCost(const ServiceCostParams& params);

    /// CPU time the server spends on `work`.
    TimeNs ServiceTime(const WorkItem& work) const;

    /// CPU time of answering a message with 503 instead of serving it.
    TimeNs RejectTime() const
    {
        return m_params.reject503;
    }

    /// Base cost of a message kind (without extras).
    TimeNs BaseCost(MessageKind kind) const;

    const ServiceCostParams& GetParams() const
    {
        return m_params;
    }

  private:
    ServiceCostParams m_params;
};

} // namespace sipbed

#endif
