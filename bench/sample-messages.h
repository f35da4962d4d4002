// Sample messages shared by the benchmark programs.
#ifndef SIPBED_BENCH_SAMPLE_MESSAGES_H
#define SIPBED_BENCH_SAMPLE_MESSAGES_H

#include <fstream>
#include <sstream>
#include <string>

namespace sipbed
{
namespace bench
{

// A registration as a softphone sends it after a 401 (618 octets, like the
// REGISTER of calibration.md).
inline const std::string kRegister =
    "REGISTER sip:biloxi.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bKnashds7;rport\r\n"
    "Max-Forwards: 70\r\n"
    "From: <sip:bob@biloxi.com>;tag=8d2f6\r\n"
    "To: <sip:bob@biloxi.com>\r\n"
    "Call-ID: a84b4c76e66710@10.0.0.5\r\n"
    "CSeq: 2 REGISTER\r\n"
    "Contact: <sip:bob@10.0.0.5>;expires=3600;"
    "+sip.instance=\"<urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6>\"\r\n"
    "Authorization: Digest username=\"bob\", realm=\"biloxi.com\", "
    "nonce=\"5f1b2c3d4e5f60718293a4b5c6d7e8f9\", uri=\"sip:biloxi.com\", "
    "response=\"0d4b7c8e9f1a2b3c4d5e6f708192a3b4\", algorithm=MD5, qop=auth, "
    "nc=00000001, cnonce=\"3a7f9e21\"\r\n"
    "User-Agent: Softphone/5\r\n"
    "Expires: 3600\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

inline const std::string kSdp =
    "v=0\r\n"
    "o=bob 2890844526 2890844527 IN IP4 192.0.2.20\r\n"
    "s=-\r\n"
    "c=IN IP4 192.0.2.20\r\n"
    "t=0 0\r\n"
    "m=audio 49172 RTP/AVP 0 8 101\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:8 PCMA/8000\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-16\r\n"
    "a=ptime:20\r\n"
    "a=sendrecv\r\n";

// A softphone INVITE as a proxy forwards it (868 octets, 236 of them SDP).
inline const std::string kInvite =
    "INVITE sip:alice@192.0.2.10:5060;transport=udp SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-proxy-74b43a9f\r\n"
    "Via: SIP/2.0/UDP 192.0.2.20:5060;branch=z9hG4bK-d8754z-1f2e3d4c;rport=5060\r\n"
    "Record-Route: <sip:192.0.2.1;lr>\r\n"
    "Max-Forwards: 69\r\n"
    "From: \"Bob\" <sip:bob@example.com>;tag=a6c85cf\r\n"
    "To: <sip:alice@example.com>\r\n"
    "Call-ID: a84b4c76e66710@pc33.example.com\r\n"
    "CSeq: 314159 INVITE\r\n"
    "Contact: <sip:bob@192.0.2.20:5060>\r\n"
    "Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY, MESSAGE, SUBSCRIBE, INFO\r\n"
    "Supported: replaces, timer, 100rel\r\n"
    "User-Agent: Softphone/5.1.2 (Linux)\r\n"
    "Content-Type: application/sdp\r\n"
    "Content-Length: " +
    std::to_string(kSdp.size()) +
    "\r\n"
    "\r\n" +
    kSdp;

/// The whole file, or "" when it cannot be read.
inline std::string
ReadFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        return {};
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

} // namespace bench
} // namespace sipbed

#endif
