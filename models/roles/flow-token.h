// Flow tokens (outbound 6.1 / 6.2, spec OB-EP-1..9; RFC 5626 5.2): the user
// part of the URI an edge proxy puts in Path and Record-Route. It names the
// flow a UA reached the edge on, so that a request that comes back with
// that URI in Route goes out on the same flow: the only way through the
// UA's NAT. Both of the draft's stateless algorithms are here, behind one
// codec; docs/outbound.md has the byte layouts.
//
// Algorithm 2 (the default): TOKEN = base64(HMAC-SHA1-80(K, S) || S) with
//   S = protocol (1 UDP, 2 TCP, 3 TLS) || local IPv4 || local port ||
//       remote IPv4 || remote port [|| connection, TCP and TLS only]
// and K 20 octets chosen when the edge proxy starts, so a token is
// tamper-proof and a restarted edge (new K) rejects its old tokens. The
// trailing connection (4 octets, the edge's ConnectionId) is sipbed's: the
// draft's S names a TCP flow by its addresses, but the edge must write on
// the very connection the UA opened, and with it a new connection between
// the same addresses gets a new token (OB-EP-1 uniqueness). UDP: 23 octets,
// 32 characters (as the draft says); TCP/TLS: 27 octets, 36 characters.
//
// Algorithm 1: no key, no integrity (the draft leaves open whether it is
// needed, spec 5.4): TOKEN = base64(protocol || descriptor || ...) with, for
// TCP/TLS, the connection and its creation time (NTP format, RFC 5905 6:
// 32-bit seconds, 32-bit fraction, of the element's clock) and, for UDP,
// the local port (the socket: an edge proxy has one per address) and the
// remote address and port. TCP/TLS: 13 octets, 20 characters; UDP: 9
// octets, 12 characters.
//
// Alphabet: base64 of RFC 4648 4 (A-Z a-z 0-9 + /, "=" padding), the one
// the draft cites and RFC 5626 9's example tokens use. Every character is
// legal unescaped in a SIP URI user part (RFC 3261 25.1: user =
// 1*(unreserved / escaped / user-unreserved); alphanum is unreserved, and
// "+", "/" and "=" are user-unreserved), so no %-escaping is ever needed.
#ifndef SIPBED_FLOW_TOKEN_H
#define SIPBED_FLOW_TOKEN_H

#include "models/core/random-source.h"
#include "models/core/transport-address.h"
#include "models/net/time-ns.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sipbed
{

enum class FlowTokenAlgorithm : uint8_t
{
    kDescriptor = 1, ///< outbound 6.1 Algorithm 1: descriptor and creation time, no integrity
    kHmac = 2,       ///< outbound 6.1 Algorithm 2: HMAC-SHA1-80 over the flow
};

/// What Decode found.
struct FlowTokenResult
{
    enum class Status : uint8_t
    {
        kOk,
        /// The shape of one of this codec's tokens (length and alphabet) but
        /// not one it made: the HMAC does not verify (changed, or made under
        /// another key), or the base64 is not in the form Encode writes.
        kTampered,
        /// Not a token of this codec's algorithm at all.
        kMalformed,
    };

    Status status = Status::kMalformed;
    /// The UA's end of the flow. TCP/TLS: `connection` is the edge's
    /// connection; Algorithm 1 does not carry the address (ip and port 0).
    TransportAddress flow;
    /// The edge's end, as far as the token carries it: Algorithm 2 the
    /// address and port; Algorithm 1 UDP the port; otherwise zeros.
    TransportAddress local;
    /// Algorithm 1 TCP/TLS: when the connection was created.
    TimeNs created = 0;

    bool IsOk() const
    {
        return status == Status::kOk;
    }
};

class FlowTokenCodec
{
  public:
    /// outbound 6.1 Algorithm 2: K is 20 octets.
    static constexpr size_t kKeyBytes = 20;
    using Key = std::array<uint8_t, kKeyBytes>;

    /// A key drawn from the element's random source. In the simulator that
    /// is a seeded ns-3 stream (DESIGN.md "Randomness"), so runs repeat; no
    /// simulated node can see the seed, which is all "only the edge proxy
    /// knows K" asks. A real deployment would pass RAND_bytes output.
    static Key DrawKey(RandomSource& random);

    FlowTokenCodec(FlowTokenAlgorithm algorithm, const Key& key);

    /// The token for `flow` (the UA's end as this element sees it; for
    /// TCP/TLS with its connection) received at `local` (this element's
    /// address and port). `created` is used by Algorithm 1 for TCP/TLS only.
    std::string Encode(const TransportAddress& flow,
                       const TransportAddress& local,
                       TimeNs created = 0) const;

    FlowTokenResult Decode(std::string_view token) const;

    FlowTokenAlgorithm GetAlgorithm() const
    {
        return m_algorithm;
    }

  private:
    FlowTokenAlgorithm m_algorithm;
    Key m_key;
};

/// Reads the UA's end of the flow out of an Algorithm 2 token WITHOUT
/// checking the HMAC (S travels in clear): for tests, traces and tools that
/// have no key. Only the edge that made a token can trust it.
std::optional<TransportAddress> DecodeFlowToken(std::string_view token);

} // namespace sipbed

#endif
