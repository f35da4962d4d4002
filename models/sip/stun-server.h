// The STUN Binding responder that every server taking UDP SIP from UAs runs
// on its SIP port (outbound draft 7, spec OB-SRV-1/2/3). Stateless: the
// Binding method is idempotent, so a retransmitted request is simply
// answered again (RFC 5389 7.3.1).
//
// Each request is answered in its own dialect (RFC 5389 12.2):
// - RFC 3489 request (no magic cookie): MAPPED-ADDRESS, SOURCE-ADDRESS and
//   CHANGED-ADDRESS (all three mandatory in RFC 3489 8.1 / table 2). With one
//   address and port, CHANGED-ADDRESS is that same address, and a
//   CHANGE-REQUEST is answered from it anyway (OB-SRV-2). RESPONSE-ADDRESS
//   is ignored: the answer goes back to the source, as OB-SRV-1 expects,
//   and a server that sent it elsewhere would be a reflector (RFC 5389 19
//   dropped it for that reason).
// - RFC 5389 request: XOR-MAPPED-ADDRESS (7.3.1.1), SOFTWARE if configured,
//   FINGERPRINT if the request carried one. MAPPED-ADDRESS only on request
//   (StunServerConfig::mappedAddressIn5389), see there.
#ifndef SIPBED_STUN_SERVER_H
#define SIPBED_STUN_SERVER_H

#include "models/core/transport-address.h"
#include "models/sip/stun-message.h"

#include <optional>
#include <string>
#include <string_view>

namespace sipbed
{

struct StunServerConfig
{
    /// SOFTWARE in RFC 5389 responses (RFC 5389 7.3.1.1: SHOULD); empty:
    /// none, which keeps responses at their minimum size (32 octets).
    std::string software;
    /// Also put MAPPED-ADDRESS in RFC 5389 responses. Off by default: RFC
    /// 5389 15.1 reserves MAPPED-ADDRESS for RFC 3489 clients, which are
    /// already answered in their own dialect; a client that sends the cookie
    /// reads XOR-MAPPED-ADDRESS, and the plain copy is what address-rewriting
    /// NAT ALGs corrupt (15.2). Turn it on only to interoperate with clients
    /// of the pre-RFC drafts that sent the cookie but read MAPPED-ADDRESS.
    bool mappedAddressIn5389 = false;
    /// Always add FINGERPRINT to RFC 5389 responses (by default only when
    /// the request had one). Never in RFC 3489 responses: RFC 5389 8 says
    /// the mechanism is not backwards compatible with RFC 3489.
    bool alwaysFingerprint = false;
};

/// What to do with one received datagram.
struct StunServerReply
{
    /// Bytes to send back to the request's source from the address it was
    /// received on; nullopt: send nothing.
    std::optional<std::string> response;
    /// Why nothing is sent, or which answer was chosen ("binding success",
    /// "420 unknown attribute 0x0024"): for events and logs.
    std::string note;
};

class StunServer
{
  public:
    explicit StunServer(StunServerConfig config = StunServerConfig());

    /// Answers one datagram classified as STUN. `source`: the address and
    /// port the request came from, as seen here (the NAT's public mapping);
    /// `local`: the address and port it arrived at, used for SOURCE-ADDRESS
    /// and CHANGED-ADDRESS in RFC 3489 responses.
    StunServerReply Respond(std::string_view request,
                            const TransportAddress& source,
                            const TransportAddress& local) const;

    const StunServerConfig& GetConfig() const
    {
        return m_config;
    }

  private:
    StunServerConfig m_config;
};

} // namespace sipbed

#endif
