// Minimal SDP offer/answer (RFC 4566, RFC 3264) as the simulated calls use it.
#include "models/sip/sdp.h"

#include <gtest/gtest.h>

using namespace sipbed;

TEST(Sdp, OfferRendersAndParsesBack)
{
    const SdpSession offer = MakeAudioOffer("100.64.0.2", 49170, 2890844526);
    const std::string body = offer.Render();
    EXPECT_EQ(body,
              "v=0\r\n"
              "o=- 2890844526 2890844526 IN IP4 100.64.0.2\r\n"
              "s=-\r\n"
              "c=IN IP4 100.64.0.2\r\n"
              "t=0 0\r\n"
              "m=audio 49170 RTP/AVP 0 8 101\r\n"
              "a=rtpmap:0 PCMU/8000\r\n"
              "a=rtpmap:8 PCMA/8000\r\n"
              "a=rtpmap:101 telephone-event/8000\r\n"
              "a=sendrecv\r\n");
    Result<SdpSession> back = SdpSession::Parse(body);
    ASSERT_TRUE(back);
    EXPECT_EQ(back.GetValue().Render(), body);
}

TEST(Sdp, AnswerKeepsTheCommonFormatsInTheOffersOrderAndRejectsOtherStreams)
{
    // The torture messages' SDP: audio 0 12 and a video stream.
    Result<SdpSession> offer = SdpSession::Parse("v=0\r\no=mhandley 29739 7272939 IN IP4 192.0.2.25\r\n"
                                                 "s=-\r\nc=IN IP4 192.0.2.25\r\nt=0 0\r\n"
                                                 "m=audio 49217 RTP/AVP 0 12\r\n"
                                                 "m=video 3227 RTP/AVP 31\r\na=rtpmap:31 LPC\r\n");
    ASSERT_TRUE(offer);
    std::optional<SdpSession> answer = MakeAnswer(offer.GetValue(), "198.18.0.2", 40000, 7, {"8", "0"});
    ASSERT_TRUE(answer);
    ASSERT_EQ(answer->media.size(), 2u);
    EXPECT_EQ(answer->media[0].port, 40000);
    EXPECT_EQ(answer->media[0].formats, std::vector<std::string>{"0"});
    EXPECT_EQ(answer->media[1].port, 0); // video rejected, keeps its place
}

TEST(Sdp, NoCommonCodecMeansNoAnswer)
{
    const SdpSession offer = MakeAudioOffer("192.0.2.1", 4000, 1, {"18"});
    EXPECT_FALSE(MakeAnswer(offer, "192.0.2.2", 4002, 2, {"0", "8"}));
}

TEST(Sdp, BadLinesAreErrorsThatNameTheLine)
{
    for (const char* bad : {"", "v=1\r\n", "v=0\r\nm=audio x RTP/AVP 0\r\n", "v=0\r\nhello\r\n",
                            "v=0\r\no=- x 1 IN IP4 1.2.3.4\r\n"})
    {
        Result<SdpSession> r = SdpSession::Parse(bad);
        EXPECT_FALSE(r) << bad;
    }
    Result<SdpSession> r = SdpSession::Parse("v=0\r\nm=audio 99999 RTP/AVP 0\r\n");
    ASSERT_FALSE(r);
    EXPECT_NE(r.GetError().reason.find("SDP line 2"), std::string::npos) << r.GetError().reason;
}
