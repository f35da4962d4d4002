// Messages sent and received by a node, per method (requests) and status
// code (responses), with retransmissions counted apart (issue 4). Elements
// on one node share one instance (sim/ owns it); nothing here is per UA, so
// it costs UAs no memory.
#ifndef SIPBED_MESSAGE_COUNTERS_H
#define SIPBED_MESSAGE_COUNTERS_H

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace sipbed
{

struct MessageCounters
{
    struct Counts
    {
        uint64_t sent = 0;          ///< first transmissions
        uint64_t retransmitted = 0; ///< retransmissions (timers A, E, G, resent 2xx, ACK resent)
        uint64_t received = 0;
        uint64_t bytesSent = 0;     ///< first transmissions and retransmissions
        uint64_t bytesReceived = 0;
    };

    /// Key: the method of a request ("INVITE"); the code and the CSeq
    /// method of a response ("200 INVITE", "401 REGISTER").
    std::map<std::string, Counts, std::less<>> byKey;

    /// Every datagram or stream write handed to the network: SIP messages,
    /// STUN and keepalives alike (SipTransport::Config::sendCounter).
    uint64_t transportSends = 0;

    /// The key of a serialized message, from its start line and CSeq;
    /// "?" when the start line is neither a request's nor a response's.
    static std::string KeyOf(std::string_view bytes);

    void CountSent(std::string_view bytes, bool retransmission);
    void CountReceived(std::string_view key, size_t bytes);

    /// Sums over all keys.
    Counts Total() const;
};

} // namespace sipbed

#endif
