// STUN Binding for outbound keepalives: the RFC 3489 and RFC 5389 codec
// (byte-exact XOR-MAPPED-ADDRESS, RFC 5769 vectors, hostile input), the
// first-octet demultiplexing of a SIP UDP port, the server's answers in each
// dialect, and the client noticing a changed mapping.
#include "models/core/transport-address.h"
#include "models/sip/stun-client.h"
#include "models/sip/stun-demux.h"
#include "models/sip/stun-message.h"
#include "models/sip/stun-server.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

using namespace sipbed;

namespace
{

/// "01 01 00 0c" -> bytes.
std::string
Bytes(std::string_view hex)
{
    std::string out;
    int high = -1;
    for (char c : hex)
    {
        int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (v < 0)
        {
            continue;
        }
        if (high < 0)
        {
            high = v;
        }
        else
        {
            out.push_back(static_cast<char>(high << 4 | v));
            high = -1;
        }
    }
    return out;
}

StunRandom
Counter(uint32_t seed = 1)
{
    return [n = seed]() mutable {
        n = n * 1664525u + 1013904223u;
        return n;
    };
}

uint32_t
Ip(const char* dotted)
{
    uint32_t ip = 0;
    EXPECT_TRUE(ParseIpv4(dotted, ip)) << dotted;
    return ip;
}

TransportAddress
Udp(const char* ip, uint16_t port)
{
    return TransportAddress{TransportKind::kUdp, Ip(ip), port, 0};
}

StunTransactionId
Id5389(std::string_view twelveHex)
{
    std::string b = Bytes("21 12 a4 42") + Bytes(twelveHex);
    StunTransactionId id{};
    for (size_t i = 0; i < id.size(); ++i)
    {
        id[i] = static_cast<uint8_t>(b[i]);
    }
    return id;
}

// RFC 5769 2.1 and 2.2: the sample request (SOFTWARE, PRIORITY, ICE-CONTROLLED,
// USERNAME, MESSAGE-INTEGRITY, FINGERPRINT) and the sample IPv4 response.
const std::string kRfc5769Request = Bytes("00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86"
                                          "fa 87 df ae 80 22 00 10 53 54 55 4e 20 74 65 73"
                                          "74 20 63 6c 69 65 6e 74 00 24 00 04 6e 00 01 ff"
                                          "80 29 00 08 93 2f f9 b1 51 26 3b 36 00 06 00 09"
                                          "65 76 74 6a 3a 68 36 76 59 20 20 20 00 08 00 14"
                                          "9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49"
                                          "c1 b5 71 a2 80 28 00 04 e5 7a 3b cf");
const std::string kRfc5769Response = Bytes("01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86"
                                           "fa 87 df ae 80 22 00 0b 74 65 73 74 20 76 65 63"
                                           "74 6f 72 20 00 20 00 08 00 01 a1 47 e1 12 a6 43"
                                           "00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9"
                                           "2a f9 ba 53 f0 6b e7 d7 80 28 00 04 c0 7d 4c 96");

} // namespace

// RFC 5389 15.2 worked by hand for 192.0.2.1:32853:
//   X-Port    = 32853 (0x8055) XOR 0x2112 (cookie's high half) = 0xA147
//   X-Address = 0xC0000201 XOR 0x2112A442 = 0xE112A643
TEST(StunMessage, XorMappedAddressIsByteExact)
{
    StunMessage m;
    m.messageClass = StunClass::kSuccessResponse;
    m.transactionId = Id5389("b7 e7 a7 01 bc 34 d6 86 fa 87 df ae");
    m.xorMappedAddress = StunAddress{Ip("192.0.2.1"), 32853};
    const std::string expected = Bytes("01 01 00 0c" // Binding success, 12 octets
                                       "21 12 a4 42" // magic cookie
                                       "b7 e7 a7 01 bc 34 d6 86 fa 87 df ae" // transaction id
                                       "00 20 00 08"   // XOR-MAPPED-ADDRESS, 8
                                       "00 01 a1 47"   // IPv4, X-Port
                                       "e1 12 a6 43"); // X-Address
    EXPECT_EQ(m.Encode(), expected);
    EXPECT_EQ(m.GetDialect(), StunDialect::kRfc5389);
    auto back = StunMessage::Decode(expected);
    ASSERT_TRUE(back.IsOk()) << back.GetError().reason;
    EXPECT_EQ(back.GetValue().xorMappedAddress, (StunAddress{Ip("192.0.2.1"), 32853}));
    EXPECT_EQ(back.GetValue().xorMappedAddress->ToString(), "192.0.2.1:32853");
    EXPECT_FALSE(back.GetValue().mappedAddress.has_value());
}

TEST(StunMessage, Rfc5769VectorsDecodeWithTheirFingerprints)
{
    auto response = StunMessage::Decode(kRfc5769Response);
    ASSERT_TRUE(response.IsOk()) << response.GetError().reason;
    const StunMessage& r = response.GetValue();
    EXPECT_TRUE(r.IsBinding(StunClass::kSuccessResponse));
    EXPECT_TRUE(r.fingerprint); // CRC-32 checked against the RFC's value
    EXPECT_EQ(r.software, std::optional<std::string>("test vector"));
    EXPECT_EQ(r.xorMappedAddress, (StunAddress{Ip("192.0.2.1"), 32853}));
    EXPECT_TRUE(r.unknownRequired.empty());

    auto request = StunMessage::Decode(kRfc5769Request);
    ASSERT_TRUE(request.IsOk()) << request.GetError().reason;
    EXPECT_TRUE(request.GetValue().IsBinding(StunClass::kRequest));
    EXPECT_TRUE(request.GetValue().fingerprint);
    EXPECT_EQ(request.GetValue().software, std::optional<std::string>("STUN test client"));
    // PRIORITY (ICE, 0x0024) is comprehension-required and not STUN's own.
    EXPECT_EQ(request.GetValue().unknownRequired, std::vector<uint16_t>{0x0024});

    // Re-encoding our own fingerprinted message checks with the same CRC.
    StunMessage copy = r;
    copy.fingerprint = true;
    auto again = StunMessage::Decode(copy.Encode());
    ASSERT_TRUE(again.IsOk()) << again.GetError().reason;
    EXPECT_TRUE(again.GetValue().fingerprint);
}

TEST(StunMessage, Rfc3489ResponseRoundTripAndBytes)
{
    StunMessage m;
    m.messageClass = StunClass::kSuccessResponse;
    for (size_t i = 0; i < m.transactionId.size(); ++i)
    {
        m.transactionId[i] = static_cast<uint8_t>(i + 1);
    }
    m.mappedAddress = StunAddress{Ip("203.0.113.5"), 40000};
    m.sourceAddress = StunAddress{Ip("192.0.2.10"), 5060};
    m.changedAddress = m.sourceAddress;
    EXPECT_EQ(m.GetDialect(), StunDialect::kRfc3489);
    const std::string expected = Bytes("01 01 00 24"
                                       "01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10"
                                       "00 01 00 08 00 01 9c 40 cb 00 71 05"   // MAPPED-ADDRESS
                                       "00 04 00 08 00 01 13 c4 c0 00 02 0a"   // SOURCE-ADDRESS
                                       "00 05 00 08 00 01 13 c4 c0 00 02 0a"); // CHANGED-ADDRESS
    EXPECT_EQ(m.Encode(), expected);
    auto back = StunMessage::Decode(expected);
    ASSERT_TRUE(back.IsOk()) << back.GetError().reason;
    EXPECT_EQ(back.GetValue().transactionId, m.transactionId);
    EXPECT_EQ(back.GetValue().mappedAddress, m.mappedAddress);
    EXPECT_EQ(back.GetValue().sourceAddress, m.sourceAddress);
    EXPECT_EQ(back.GetValue().changedAddress, m.changedAddress);
}

TEST(StunMessage, ErrorResponsesRoundTripInBothDialectsWithTheirPadding)
{
    for (StunDialect dialect : {StunDialect::kRfc3489, StunDialect::kRfc5389})
    {
        StunMessage m;
        m.messageClass = StunClass::kErrorResponse;
        m.transactionId = StunMessage::MakeTransactionId(dialect, Counter(5));
        ASSERT_EQ(m.GetDialect(), dialect);
        m.errorCode = 420;
        m.errorReason = "Unknown Attribute"; // 17 octets
        m.unknownAttributes = {0x0024, 0x0003, 0x7777};
        m.software = "sipbed";
        m.fingerprint = dialect == StunDialect::kRfc5389;
        std::string wire = m.Encode();
        EXPECT_EQ(wire.size() % 4, 0u);
        auto back = StunMessage::Decode(wire);
        ASSERT_TRUE(back.IsOk()) << back.GetError().reason;
        const StunMessage& b = back.GetValue();
        EXPECT_TRUE(b.IsBinding(StunClass::kErrorResponse));
        EXPECT_EQ(b.errorCode, std::optional<int>(420));
        EXPECT_EQ(b.errorReason, "Unknown Attribute");
        EXPECT_EQ(b.software, m.software);
        EXPECT_EQ(b.fingerprint, m.fingerprint);
        if (dialect == StunDialect::kRfc3489)
        {
            // RFC 3489 11.2.9: reason padded with spaces to 20 octets (length
            // 24); 11.2.10: an odd list repeats an attribute.
            EXPECT_NE(wire.find(Bytes("00 09 00 18 00 00 04 14")), std::string::npos);
            EXPECT_EQ(b.unknownAttributes, (std::vector<uint16_t>{0x0024, 0x0003, 0x7777, 0x7777}));
        }
        else
        {
            // RFC 5389 15.6 / 15.9: true lengths, padding not counted.
            EXPECT_NE(wire.find(Bytes("00 09 00 15 00 00 04 14")), std::string::npos);
            EXPECT_NE(wire.find(Bytes("00 0a 00 06 00 24 00 03 77 77 00 00")), std::string::npos);
            EXPECT_EQ(b.unknownAttributes, m.unknownAttributes);
        }
    }
    // Message types for every class (RFC 5389 6 figure 3, RFC 3489 11.1).
    EXPECT_EQ(StunMessageType(kStunMethodBinding, StunClass::kRequest), 0x0001);
    EXPECT_EQ(StunMessageType(kStunMethodBinding, StunClass::kIndication), 0x0011);
    EXPECT_EQ(StunMessageType(kStunMethodBinding, StunClass::kSuccessResponse), 0x0101);
    EXPECT_EQ(StunMessageType(kStunMethodBinding, StunClass::kErrorResponse), 0x0111);
    EXPECT_EQ(StunMessageType(0x003, StunClass::kRequest), 0x0003); // TURN Allocate
}

TEST(StunMessage, TruncatedOversizedAndGarbageInputIsRejectedWithAReason)
{
    const std::string good = kRfc5769Response;
    for (size_t n = 0; n < good.size(); ++n)
    {
        auto r = StunMessage::Decode(good.substr(0, n));
        ASSERT_FALSE(r.IsOk()) << n;
        EXPECT_NE(r.GetError().reason.find("truncated"), std::string::npos) << r.GetError().reason;
        EXPECT_EQ(r.GetError().status, 0); // dropped, never answered
    }
    auto longer = StunMessage::Decode(good + std::string(4, '\0'));
    ASSERT_FALSE(longer.IsOk());
    EXPECT_EQ(longer.GetError().reason, "oversized: 4 octets after the announced message length");

    struct Case
    {
        std::string bytes;
        const char* reason;
    };
    const std::string header5389 = "21 12 a4 42 00 00 00 00 00 00 00 00 00 00 00 01";
    const std::vector<Case> cases = {
        {Bytes("c0 01 00 00" + header5389), "message type 0xc001 has its first two bits set"},
        {Bytes("00 01 00 02" + header5389) + std::string(2, '\0'),
         "message length 2 is not a multiple of 4"},
        {Bytes("01 01 00 08" + header5389 + "00 20 00 0c 00 01 a1 47"),
         "attribute 0x0020 at offset 20: value of 12 octets runs 8 octets past the end of the "
         "message"},
        {Bytes("01 01 00 0c" + header5389 + "00 20 00 08 00 07 a1 47 e1 12 a6 43"),
         "attribute 0x0020 at offset 20: unknown address family 7"},
        {Bytes("01 01 00 08" + header5389 + "00 01 00 04 00 01 a1 47"),
         "attribute 0x0001 at offset 20: IPv4 address of 4 octets (expected 8)"},
        {Bytes("01 01 00 08" + header5389 + "00 08 00 04 00 00 00 00"),
         "attribute 0x0008 at offset 20: MESSAGE-INTEGRITY of 4 octets"},
        {Bytes("01 11 00 08" + header5389 + "00 09 00 04 00 00 07 00"),
         "attribute 0x0009 at offset 20: error class 7 number 0 is not a code in 100..699"},
        {Bytes("01 01 00 10" + header5389 + "80 28 00 04 00 00 00 00 80 22 00 00 00 00 00 00"),
         "attribute 0x8028 at offset 20: FINGERPRINT is not the last attribute"},
        {Bytes("01 01 00 08" + header5389 + "80 28 00 04 00 00 00 00"),
         "attribute 0x8028 at offset 20: FINGERPRINT does not match the message"},
    };
    for (const Case& c : cases)
    {
        auto r = StunMessage::Decode(c.bytes);
        ASSERT_FALSE(r.IsOk()) << c.reason;
        EXPECT_EQ(r.GetError().reason, c.reason);
    }

    // Any single flipped octet of a fingerprinted message is caught (or, in
    // the FINGERPRINT attribute's own type, leaves no fingerprint behind).
    for (size_t i = 0; i < good.size(); ++i)
    {
        for (uint8_t flip : {0x01, 0x80, 0xff})
        {
            std::string bad = good;
            bad[i] = static_cast<char>(bad[i] ^ flip);
            auto r = StunMessage::Decode(bad);
            EXPECT_TRUE(!r.IsOk() || !r.GetValue().fingerprint) << "octet " << i;
        }
    }

    // Random garbage, and STUN-looking headers with random bodies: never a
    // crash (the sanitizer build checks for out-of-bounds reads).
    uint32_t state = 12345;
    auto next = [&state] {
        state = state * 1103515245u + 12345u;
        return state >> 16;
    };
    for (int round = 0; round < 20000; ++round)
    {
        std::string bytes(next() % 96, '\0');
        for (char& b : bytes)
        {
            b = static_cast<char>(next());
        }
        if (bytes.size() >= 4 && round % 2 == 0)
        {
            bytes[0] = static_cast<char>(next() % 2);
            size_t length = bytes.size() >= 20 ? (bytes.size() - 20) & ~size_t{3} : 0;
            bytes[2] = static_cast<char>(length >> 8);
            bytes[3] = static_cast<char>(length);
            bytes.resize(20 + length);
        }
        auto r = StunMessage::Decode(bytes);
        EXPECT_TRUE(r.IsOk() || !r.GetError().reason.empty());
    }
}

TEST(StunDemux, FirstOctetTellsStunSipAndKeepalivesApart)
{
    StunClient classic(StunDialect::kRfc3489, Counter());
    StunClient modern(StunDialect::kRfc5389, Counter());
    // OB-SRV-3: "00 01 00 00" + 16-octet transaction id is STUN.
    EXPECT_EQ(ClassifyDatagram(classic.StartRequest()), DatagramKind::kStun);
    EXPECT_EQ(ClassifyDatagram(modern.StartRequest()), DatagramKind::kStun);
    EXPECT_EQ(ClassifyDatagram(kRfc5769Response), DatagramKind::kStun); // 0x01
    EXPECT_EQ(ClassifyDatagram("REGISTER sip:example.com SIP/2.0\r\n"), DatagramKind::kSip);
    EXPECT_EQ(ClassifyDatagram("SIP/2.0 200 OK\r\n"), DatagramKind::kSip);
    EXPECT_EQ(ClassifyDatagram("\r\n\r\nOPTIONS sip:x SIP/2.0\r\n"), DatagramKind::kSip);
    EXPECT_EQ(ClassifyDatagram("\r\n\r\n"), DatagramKind::kKeepalive);
    EXPECT_EQ(ClassifyDatagram("\r\n"), DatagramKind::kKeepalive);
    EXPECT_EQ(ClassifyDatagram("\n"), DatagramKind::kKeepalive);
    EXPECT_EQ(ClassifyDatagram(""), DatagramKind::kUnknown);
    EXPECT_EQ(ClassifyDatagram(std::string("\x16\x03\x01\x00", 4)), DatagramKind::kUnknown); // TLS
    EXPECT_EQ(ClassifyDatagram(std::string("\x02\x00", 2)), DatagramKind::kUnknown);
    EXPECT_EQ(ClassifyDatagram(std::string("\x80\xc8\x00\x06", 4)), DatagramKind::kUnknown); // RTCP
    EXPECT_EQ(ClassifyDatagram("\r\n "), DatagramKind::kUnknown);
    EXPECT_EQ(DatagramKindName(DatagramKind::kKeepalive), "keepalive");
}

TEST(StunServer, AnswersAnRfc3489RequestWithMappedSourceAndChangedAddress)
{
    StunServer server;
    const TransportAddress natPublic = Udp("203.0.113.5", 40000);
    const TransportAddress sipPort = Udp("192.0.2.10", 5060);
    std::string request = Bytes("00 01 00 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10");
    StunServerReply reply = server.Respond(request, natPublic, sipPort);
    ASSERT_TRUE(reply.response.has_value()) << reply.note;
    EXPECT_EQ(*reply.response,
              Bytes("01 01 00 24 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10"
                    "00 01 00 08 00 01 9c 40 cb 00 71 05"
                    "00 04 00 08 00 01 13 c4 c0 00 02 0a"
                    "00 05 00 08 00 01 13 c4 c0 00 02 0a"));
    EXPECT_EQ(reply.note, "binding success 203.0.113.5:40000");
    // OB-SRV-2: CHANGE-REQUEST (and RESPONSE-ADDRESS) are known to RFC 3489
    // and answered from the same address, to the source.
    std::string withFlags = Bytes("00 01 00 14 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10"
                                  "00 03 00 04 00 00 00 06"
                                  "00 02 00 08 00 01 00 50 0a 00 00 01");
    reply = server.Respond(withFlags, natPublic, sipPort);
    ASSERT_TRUE(reply.response.has_value()) << reply.note;
    auto decoded = StunMessage::Decode(*reply.response);
    ASSERT_TRUE(decoded.IsOk());
    EXPECT_TRUE(decoded.GetValue().IsBinding(StunClass::kSuccessResponse));
    EXPECT_EQ(decoded.GetValue().mappedAddress, (StunAddress{natPublic.ip, natPublic.port}));
}

TEST(StunServer, AnswersAnRfc5389RequestWithXorMappedAddress)
{
    const TransportAddress natPublic = Udp("192.0.2.1", 32853);
    const TransportAddress sipPort = Udp("198.51.100.1", 5060);
    std::string request = Bytes("00 01 00 00 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae");
    StunServer server;
    StunServerReply reply = server.Respond(request, natPublic, sipPort);
    ASSERT_TRUE(reply.response.has_value()) << reply.note;
    // The hand-computed response of XorMappedAddressIsByteExact, exactly.
    EXPECT_EQ(*reply.response,
              Bytes("01 01 00 0c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae"
                    "00 20 00 08 00 01 a1 47 e1 12 a6 43"));

    StunServerConfig config;
    config.software = "sipbed";
    config.mappedAddressIn5389 = true;
    StunServer compat(config);
    StunClient client(StunDialect::kRfc5389, Counter(3), true);
    reply = compat.Respond(client.StartRequest(), natPublic, sipPort);
    ASSERT_TRUE(reply.response.has_value()) << reply.note;
    auto decoded = StunMessage::Decode(*reply.response);
    ASSERT_TRUE(decoded.IsOk()) << decoded.GetError().reason;
    const StunMessage& m = decoded.GetValue();
    EXPECT_EQ(m.xorMappedAddress, (StunAddress{natPublic.ip, natPublic.port}));
    EXPECT_EQ(m.mappedAddress, m.xorMappedAddress);
    EXPECT_EQ(m.software, std::optional<std::string>("sipbed"));
    EXPECT_TRUE(m.fingerprint); // the request had one
    EXPECT_FALSE(m.sourceAddress.has_value());
    EXPECT_EQ(client.OnResponse(*reply.response).status, StunClientStatus::kMapped);
}

TEST(StunServer, UnknownComprehensionRequiredAttributesGet420)
{
    StunServer server;
    const TransportAddress from = Udp("203.0.113.5", 40000);
    const TransportAddress local = Udp("192.0.2.10", 5060);
    // RFC 5769's request carries ICE's PRIORITY (0x0024).
    StunServerReply reply = server.Respond(kRfc5769Request, from, local);
    ASSERT_TRUE(reply.response.has_value()) << reply.note;
    EXPECT_EQ(reply.note, "420 unknown attribute 0x0024");
    auto decoded = StunMessage::Decode(*reply.response);
    ASSERT_TRUE(decoded.IsOk()) << decoded.GetError().reason;
    EXPECT_TRUE(decoded.GetValue().IsBinding(StunClass::kErrorResponse));
    EXPECT_EQ(decoded.GetValue().errorCode, std::optional<int>(420));
    EXPECT_EQ(decoded.GetValue().unknownAttributes, std::vector<uint16_t>{0x0024});
    EXPECT_TRUE(decoded.GetValue().fingerprint);
    EXPECT_EQ(decoded.GetValue().transactionId,
              StunMessage::Decode(kRfc5769Request).GetValue().transactionId);
    // RFC 5389 12.2: CHANGE-REQUEST is no longer STUN's own: 420 with a cookie.
    reply = server.Respond(Bytes("00 01 00 08 21 12 a4 42 00 00 00 00 00 00 00 00 00 00 00 09"
                                 "00 03 00 04 00 00 00 06"),
                           from,
                           local);
    ASSERT_TRUE(reply.response.has_value());
    EXPECT_EQ(StunMessage::Decode(*reply.response).GetValue().unknownAttributes,
              std::vector<uint16_t>{0x0003});
    // Comprehension-optional unknowns are ignored (RFC 5389 7.3).
    reply = server.Respond(Bytes("00 01 00 08 21 12 a4 42 00 00 00 00 00 00 00 00 00 00 00 09"
                                 "80 29 00 04 00 00 00 06"),
                           from,
                           local);
    ASSERT_TRUE(reply.response.has_value());
    EXPECT_EQ(reply.note, "binding success 203.0.113.5:40000");
}

TEST(StunServer, IndicationsResponsesOtherMethodsAndGarbageGetNoAnswer)
{
    StunServer server;
    const TransportAddress from = Udp("203.0.113.5", 40000);
    const TransportAddress local = Udp("192.0.2.10", 5060);
    struct Case
    {
        std::string bytes;
        const char* note;
    };
    const std::vector<Case> cases = {
        {Bytes("00 11 00 00 21 12 a4 42 00 00 00 00 00 00 00 00 00 00 00 01"),
         "indication: not answered"},
        {kRfc5769Response, "response: not answered"},
        {Bytes("00 03 00 00 21 12 a4 42 00 00 00 00 00 00 00 00 00 00 00 01"),
         "method 3: not supported"},
        {Bytes("00 01 00 00 21 12"), "malformed: truncated: 6 octets, a STUN header has 20"},
        {"REGISTER sip:example.com SIP/2.0\r\n\r\n",
         "malformed: message type 0x5245 has its first two bits set"},
    };
    for (const Case& c : cases)
    {
        StunServerReply reply = server.Respond(c.bytes, from, local);
        EXPECT_FALSE(reply.response.has_value()) << c.note;
        EXPECT_EQ(reply.note, c.note);
    }
}

TEST(StunClient, MatchesResponsesAndNoticesAChangedMapping)
{
    for (StunDialect dialect : {StunDialect::kRfc3489, StunDialect::kRfc5389})
    {
        SCOPED_TRACE(std::string(StunDialectName(dialect)));
        StunServer server;
        StunClient client(dialect, Counter(77));
        const TransportAddress local = Udp("192.0.2.10", 5060);
        const TransportAddress before = Udp("203.0.113.5", 40000);
        const TransportAddress after = Udp("203.0.113.5", 41234); // the NAT rebooted

        EXPECT_FALSE(client.HasPending());
        EXPECT_EQ(client.GetPendingRequest(), "");
        std::string request = client.StartRequest();
        EXPECT_EQ(request.size(), 20u);
        EXPECT_EQ(client.GetPendingRequest(), request); // retransmissions repeat it
        EXPECT_EQ(StunMessage::Decode(request).GetValue().GetDialect(), dialect);
        std::string answer = *server.Respond(request, before, local).response;
        StunClientResult r = client.OnResponse(answer);
        EXPECT_EQ(r.status, StunClientStatus::kMapped);
        EXPECT_EQ(r.mapped, (StunAddress{before.ip, before.port}));
        EXPECT_FALSE(client.HasPending());
        // A duplicate of the same response (a retransmission answered twice).
        EXPECT_EQ(client.OnResponse(answer).status, StunClientStatus::kNotOurs);

        r = client.OnResponse(*server.Respond(client.StartRequest(), before, local).response);
        EXPECT_EQ(r.status, StunClientStatus::kUnchanged);

        // A response to an abandoned request does not match the new one.
        std::string old = client.StartRequest();
        std::string fresh = client.StartRequest();
        EXPECT_NE(old, fresh);
        r = client.OnResponse(*server.Respond(old, before, local).response);
        EXPECT_EQ(r.status, StunClientStatus::kNotOurs);
        EXPECT_TRUE(client.HasPending());
        // Garbage on the flow leaves the transaction pending.
        r = client.OnResponse(Bytes("01 01 00 04 00 00"));
        EXPECT_EQ(r.status, StunClientStatus::kMalformed);
        EXPECT_TRUE(client.HasPending());

        // outbound 4.2 / OB-UA-12: a new mapped address is a flow failure.
        r = client.OnResponse(*server.Respond(fresh, after, local).response);
        EXPECT_EQ(r.status, StunClientStatus::kChanged);
        EXPECT_EQ(r.previous, (StunAddress{before.ip, before.port}));
        EXPECT_EQ(r.mapped, (StunAddress{after.ip, after.port}));
        EXPECT_EQ(client.GetMappedAddress(), r.mapped);
        // The replacement flow starts from scratch.
        client.ResetMapping();
        r = client.OnResponse(*server.Respond(client.StartRequest(), after, local).response);
        EXPECT_EQ(r.status, StunClientStatus::kMapped);
    }
}

TEST(StunClient, ReadsAnRfc3489ServersAnswerAndErrorResponses)
{
    // RFC 5389 12.1: a classic server echoes the cookie, answers with
    // MAPPED-ADDRESS, SOURCE-ADDRESS and CHANGED-ADDRESS; the client copes.
    StunClient client(StunDialect::kRfc5389, Counter(9));
    StunMessage request = StunMessage::Decode(client.StartRequest()).GetValue();
    StunMessage old;
    old.messageClass = StunClass::kSuccessResponse;
    old.transactionId = request.transactionId;
    old.mappedAddress = StunAddress{Ip("203.0.113.7"), 1024};
    old.sourceAddress = StunAddress{Ip("192.0.2.10"), 3478};
    old.changedAddress = StunAddress{Ip("192.0.2.11"), 3479};
    StunClientResult r = client.OnResponse(old.Encode());
    EXPECT_EQ(r.status, StunClientStatus::kMapped) << r.reason;
    EXPECT_EQ(r.mapped, (StunAddress{Ip("203.0.113.7"), 1024}));

    StunMessage error;
    error.messageClass = StunClass::kErrorResponse;
    error.transactionId = StunMessage::Decode(client.StartRequest()).GetValue().transactionId;
    error.errorCode = 500;
    error.errorReason = "Server Error";
    r = client.OnResponse(error.Encode());
    EXPECT_EQ(r.status, StunClientStatus::kError);
    EXPECT_EQ(r.errorCode, 500);
    EXPECT_EQ(r.reason, "Server Error");
    EXPECT_TRUE(r.EndsTransaction());

    StunMessage empty;
    empty.messageClass = StunClass::kSuccessResponse;
    empty.transactionId = StunMessage::Decode(client.StartRequest()).GetValue().transactionId;
    r = client.OnResponse(empty.Encode());
    EXPECT_EQ(r.status, StunClientStatus::kInvalid);
    EXPECT_EQ(r.reason, "success response without an IPv4 mapped address");
    EXPECT_EQ(client.GetMappedAddress(), (StunAddress{Ip("203.0.113.7"), 1024}));
}

TEST(StunClient, TransactionIdsComeFromTheSuppliedRandomSource)
{
    // RFC 3489 9.3: 128 random bits; RFC 5389 6: the cookie, then 96 bits.
    std::vector<uint32_t> draws = {0x21124242, 0x01020304, 0x05060708, 0x090a0b0c, 0x0d0e0f10};
    size_t next = 0;
    StunRandom scripted = [&] {
        return draws[next++ % draws.size()];
    };
    StunTransactionId classic = StunMessage::MakeTransactionId(StunDialect::kRfc3489, scripted);
    EXPECT_EQ(classic[0], 0x21);
    EXPECT_EQ(classic[15], 0x0c);
    EXPECT_EQ(next, 4u);
    next = 1;
    StunTransactionId modern = StunMessage::MakeTransactionId(StunDialect::kRfc5389, scripted);
    EXPECT_EQ(std::string(modern.begin(), modern.begin() + 8), Bytes("21 12 a4 42 01 02 03 04"));
    EXPECT_EQ(next, 4u);
    // A classic id that happens to begin with the cookie is nudged off it.
    std::vector<uint32_t> cookie = {0x2112A442, 0, 0, 0};
    size_t i = 0;
    StunTransactionId nudged =
        StunMessage::MakeTransactionId(StunDialect::kRfc3489, [&] { return cookie[i++ % 4]; });
    StunMessage m;
    m.transactionId = nudged;
    EXPECT_EQ(m.GetDialect(), StunDialect::kRfc3489);
    EXPECT_EQ(StunClientStatusName(StunClientStatus::kChanged), "changed");
}
