// Minimal SDP (RFC 4566) and offer/answer (RFC 3264) for the simulated
// calls: enough to build an offer with one audio stream, read an offer,
// and answer with the first codec both sides have. Media never flows in
// the simulation; the bodies are real so that messages have realistic
// sizes and pcaps decode.
#ifndef SIPBED_SDP_H
#define SIPBED_SDP_H

#include "models/sip/parse-error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sipbed
{

struct SdpMedia
{
    std::string media = "audio"; ///< m= media type
    uint16_t port = 0;           ///< 0: stream rejected (RFC 3264 6)
    std::string proto = "RTP/AVP";
    std::vector<std::string> formats; ///< payload type numbers, in preference order
    std::vector<std::string> attributes; ///< a= lines, without "a="
};

struct SdpSession
{
    std::string user = "-";
    uint64_t sessionId = 0;
    uint64_t version = 0;
    std::string address; ///< o= and c= IPv4 address
    std::string name = "-";
    std::vector<SdpMedia> media;

    /// Parses the lines this model needs; unknown lines are skipped, as an
    /// SDP reader must. Errors name the line.
    static Result<SdpSession> Parse(std::string_view body);
    /// v=0 o= s= c= t=0 0 m= a=, CRLF line ends.
    std::string Render() const;
};

/// A one-stream audio offer (PCMU 0, PCMA 8, telephone-event 101 by default).
SdpSession MakeAudioOffer(const std::string& address,
                          uint16_t port,
                          uint64_t sessionId,
                          const std::vector<std::string>& formats = {"0", "8", "101"});

/// RFC 3264 6: the answer keeps the offer's streams in order; a stream with
/// a common format is accepted with the formats both have (in the offer's
/// order), one without is rejected with port 0. Returns nothing when no
/// stream can be accepted (the UAS answers 488 Not Acceptable Here).
std::optional<SdpSession> MakeAnswer(const SdpSession& offer,
                                     const std::string& address,
                                     uint16_t port,
                                     uint64_t sessionId,
                                     const std::vector<std::string>& supportedFormats);

} // namespace sipbed

#endif
