// Flow tokens (outbound 6.1 / 6.2, spec OB-EP-1..3, OB-EP-5, OB-EP-9): the
// strings an edge proxy writes into Path and Record-Route user parts, and
// what it reads back from them.
#include "models/roles/flow-token.h"
#include "models/sip/sip-uri.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

using namespace sipbed;

namespace
{

using Status = FlowTokenResult::Status;

/// 01 02 ... 14: the key of the known-answer vectors below.
FlowTokenCodec::Key
CountingKey()
{
    FlowTokenCodec::Key key{};
    for (size_t i = 0; i < key.size(); ++i)
    {
        key[i] = static_cast<uint8_t>(i + 1);
    }
    return key;
}

const TransportAddress kEdge{TransportKind::kUdp, 0xc6120006, 5060, 0};     // 198.18.0.6
const TransportAddress kUdpFlow{TransportKind::kUdp, 0xcb007105, 40000, 0}; // 203.0.113.5
const TransportAddress kTcpFlow{TransportKind::kTcp, 0xcb007105, 40001, 7};

/// RFC 4648 4 base64 with padding: the characters a token may hold.
const std::string kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";

/// RFC 3261 25.1: user = 1*( unreserved / escaped / user-unreserved ).
bool
IsSipUserChar(char c)
{
    const std::string mark = "-_.!~*'()";
    const std::string userUnreserved = "&=+$,;?/";
    const bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    return alnum || mark.find(c) != std::string::npos ||
           userUnreserved.find(c) != std::string::npos;
}

} // namespace

TEST(FlowToken, HmacTokenMatchesTheKnownAnswerAndTheDraftsLength)
{
    // S = 01 | 198.18.0.6 | 5060 | 203.0.113.5 | 40000 (13 octets); the
    // token is base64(HMAC-SHA1(K, S)[0..10) || S), computed independently
    // (Python hmac). The draft: "With IPv4 address, ... a 32 octet identifier".
    const FlowTokenCodec codec(FlowTokenAlgorithm::kHmac, CountingKey());
    const std::string udp = codec.Encode(kUdpFlow, kEdge);
    EXPECT_EQ(udp, "8Q55PYosa8Z6rwHGEgAGE8TLAHEFnEA=");
    EXPECT_EQ(udp.size(), 32u);
    // TCP: protocol 2 and the connection (7) appended: 27 octets, 36 characters.
    const std::string tcp = codec.Encode(kTcpFlow, kEdge);
    EXPECT_EQ(tcp, "BJJqHlCYsElbEQLGEgAGE8TLAHEFnEEAAAAH");
}

TEST(FlowToken, HmacRoundTripGivesBackBothEndsOfTheFlow)
{
    SeededRandom random(1);
    const FlowTokenCodec codec(FlowTokenAlgorithm::kHmac, FlowTokenCodec::DrawKey(random));
    for (const TransportAddress& flow :
         {kUdpFlow,
          kTcpFlow,
          TransportAddress{TransportKind::kTls, 0xc00002c8, 65535, 4000000000u}})
    {
        SCOPED_TRACE(flow.ToString());
        const TransportAddress local{flow.kind, kEdge.ip, 5061, 0};
        const FlowTokenResult r = codec.Decode(codec.Encode(flow, local));
        ASSERT_EQ(r.status, Status::kOk);
        EXPECT_EQ(r.flow.ToString(), flow.ToString());
        EXPECT_EQ(r.local.ToString(), local.ToString());
        // Without the key the flow can still be read (S is in clear).
        EXPECT_EQ(DecodeFlowToken(codec.Encode(flow, local))->ToString(), flow.ToString());
    }
}

TEST(FlowToken, EverySingleCharacterChangeIsTampered)
{
    // OB-EP-5: one base64 character changed -> the HMAC check fails. Also the
    // changes that only touch the unused low bits of the last character, or
    // the padding, which a lenient base64 decoder would not notice.
    SeededRandom random(2);
    const FlowTokenCodec codec(FlowTokenAlgorithm::kHmac, FlowTokenCodec::DrawKey(random));
    for (const TransportAddress& flow : {kUdpFlow, kTcpFlow})
    {
        const std::string token = codec.Encode(flow, kEdge);
        for (size_t i = 0; i < token.size(); ++i)
        {
            for (char c : kAlphabet)
            {
                if (c == token[i])
                {
                    continue;
                }
                std::string changed = token;
                changed[i] = c;
                EXPECT_EQ(codec.Decode(changed).status, Status::kTampered) << changed;
            }
        }
    }
}

TEST(FlowToken, TokensOfAnotherKeyAreTamperedAndTheSameKeyStillVerifies)
{
    // OB-EP-9: a restarted edge with a new random K rejects old tokens; one
    // configured with the same K accepts them.
    SeededRandom random(3);
    const FlowTokenCodec before(FlowTokenAlgorithm::kHmac, FlowTokenCodec::DrawKey(random));
    const FlowTokenCodec restarted(FlowTokenAlgorithm::kHmac, FlowTokenCodec::DrawKey(random));
    const FlowTokenCodec configured(FlowTokenAlgorithm::kHmac, CountingKey());
    const FlowTokenCodec configuredAgain(FlowTokenAlgorithm::kHmac, CountingKey());
    for (const TransportAddress& flow : {kUdpFlow, kTcpFlow})
    {
        EXPECT_EQ(restarted.Decode(before.Encode(flow, kEdge)).status, Status::kTampered);
        EXPECT_EQ(configuredAgain.Decode(configured.Encode(flow, kEdge)).status, Status::kOk);
    }
}

TEST(FlowToken, WhatNoEncoderWritesIsMalformed)
{
    const FlowTokenCodec hmac(FlowTokenAlgorithm::kHmac, CountingKey());
    const FlowTokenCodec descriptor(FlowTokenAlgorithm::kDescriptor, CountingKey());
    const std::string token = hmac.Encode(kUdpFlow, kEdge);
    for (const std::string& bad : {std::string(),
                                   std::string("alice"),
                                   token + "AAAAAAAA",
                                   token.substr(0, 28),
                                   "!" + token.substr(1),
                                   "%41" + token.substr(3),
                                   descriptor.Encode(kUdpFlow, kEdge)})
    {
        EXPECT_EQ(hmac.Decode(bad).status, Status::kMalformed) << bad;
    }
    // And an Algorithm 2 token is no Algorithm 1 token.
    EXPECT_EQ(descriptor.Decode(token).status, Status::kMalformed);
    EXPECT_FALSE(DecodeFlowToken("alice"));
}

TEST(FlowToken, DifferentFlowsGetDifferentTokens)
{
    // OB-EP-1: unique per flow, including a new connection between the same
    // addresses (sipbed's connection field) and another edge address.
    const FlowTokenCodec codec(FlowTokenAlgorithm::kHmac, CountingKey());
    TransportAddress otherPort = kUdpFlow;
    otherPort.port = 40002;
    TransportAddress reconnected = kTcpFlow;
    reconnected.connection = 8;
    TransportAddress tls = kTcpFlow;
    tls.kind = TransportKind::kTls;
    TransportAddress otherEdge = kEdge;
    otherEdge.ip = kEdge.ip + 1;
    const std::set<std::string> tokens = {codec.Encode(kUdpFlow, kEdge),
                                          codec.Encode(otherPort, kEdge),
                                          codec.Encode(kTcpFlow, kEdge),
                                          codec.Encode(reconnected, kEdge),
                                          codec.Encode(tls, kEdge),
                                          codec.Encode(kUdpFlow, otherEdge)};
    EXPECT_EQ(tokens.size(), 6u);
}

TEST(FlowToken, DescriptorTokensRoundTrip)
{
    // outbound 6.1 Algorithm 1. UDP: protocol, our socket (port) and the
    // remote address: 9 octets, 12 characters.
    const FlowTokenCodec codec(FlowTokenAlgorithm::kDescriptor, FlowTokenCodec::Key{});
    const std::string udp = codec.Encode(kUdpFlow, kEdge);
    EXPECT_EQ(udp, "ARPEywBxBZxA");
    const FlowTokenResult u = codec.Decode(udp);
    ASSERT_EQ(u.status, Status::kOk);
    EXPECT_EQ(u.flow.ToString(), kUdpFlow.ToString());
    EXPECT_EQ(u.local.port, 5060);
    // TCP: protocol, connection 7 and its creation time 100.000000123 s as
    // an NTP timestamp: 13 octets, 20 characters ("about 16" in the draft).
    const TimeNs created = SecondsToNs(100) + 123;
    const std::string tcp = codec.Encode(kTcpFlow, kEdge, created);
    EXPECT_EQ(tcp, "AgAAAAcAAABkAAACEA==");
    const FlowTokenResult t = codec.Decode(tcp);
    ASSERT_EQ(t.status, Status::kOk);
    EXPECT_EQ(t.flow.kind, TransportKind::kTcp);
    EXPECT_EQ(t.flow.connection, 7u);
    EXPECT_EQ(t.created, created);
    // No integrity: a changed token is simply another flow.
    EXPECT_EQ(codec.Decode("ARPEywBxBZxB").status, Status::kOk);
}

TEST(FlowToken, TokensUseOnlyCharactersLegalInASipUserPart)
{
    // RFC 3261 25.1: the token goes into the URI unescaped, and the URI
    // parser hands back exactly the token.
    SeededRandom random(4);
    const FlowTokenCodec hmac(FlowTokenAlgorithm::kHmac, FlowTokenCodec::DrawKey(random));
    const FlowTokenCodec descriptor(FlowTokenAlgorithm::kDescriptor, FlowTokenCodec::Key{});
    std::set<char> seen;
    for (int i = 0; i < 500; ++i)
    {
        const TransportAddress flow{static_cast<TransportKind>(i % 3),
                                    static_cast<uint32_t>(random.Below(1ull << 32)),
                                    static_cast<uint16_t>(random.Below(65536)),
                                    static_cast<ConnectionId>(random.Below(1ull << 32))};
        for (const std::string& token :
             {hmac.Encode(flow, kEdge), descriptor.Encode(flow, kEdge, SecondsToNs(i))})
        {
            for (char c : token)
            {
                ASSERT_TRUE(IsSipUserChar(c)) << token;
                seen.insert(c);
            }
            const std::string text = "sip:" + token + "@198.18.0.6;lr";
            Result<SipUri> uri = SipUri::Parse(text, SipUri::Context::kBracketed);
            ASSERT_TRUE(uri) << text;
            EXPECT_EQ(uri.GetValue().GetUser(), token);
            EXPECT_EQ(uri.GetValue().GetUserUnescaped(), token);
        }
    }
    // The three non-alphanumeric characters really occur.
    EXPECT_TRUE(seen.count('+') && seen.count('/') && seen.count('='));
}
