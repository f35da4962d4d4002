// StreamFramer (RFC 3261 18.3, RFC 5626 3.5.1): messages come out whole and
// in order wherever the segment boundaries fall; CRLF runs between messages
// are keepalives; unframeable streams fail for good, a well-framed bad
// message does not.

#include "models/sip/sip-parser.h"
#include "models/sip/stream-framer.h"

#include "test-support.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sipbed
{
namespace
{

using Kind = StreamFramer::EventKind;

/// Calls Next() until it needs more bytes or fails for good.
void
Drain(StreamFramer& f, std::vector<StreamFramer::Event>& out)
{
    for (int guard = 0; guard < 100000; ++guard)
    {
        StreamFramer::Event ev = f.Next();
        if (ev.kind == Kind::kNeedMore)
        {
            return;
        }
        bool stop = ev.kind == Kind::kError && ev.fatal;
        out.push_back(std::move(ev));
        if (stop)
        {
            return;
        }
    }
    ADD_FAILURE() << "StreamFramer::Next() makes no progress";
}

struct Summary
{
    std::vector<std::string> messages; ///< Serialize() of each message, in order
    size_t keepaliveBytes = 0;
    size_t errors = 0;
};

Summary
Summarize(const std::vector<StreamFramer::Event>& events)
{
    Summary s;
    for (const auto& ev : events)
    {
        switch (ev.kind)
        {
        case Kind::kMessage:
            s.messages.push_back(ev.message->Serialize());
            break;
        case Kind::kKeepalive:
            s.keepaliveBytes += ev.keepaliveBytes;
            break;
        case Kind::kError:
            ++s.errors;
            break;
        case Kind::kNeedMore:
            break;
        }
    }
    return s;
}

/// Canonical form of a torture message read as a datagram.
std::string
Canonical(const std::string& name)
{
    auto r = ParseDatagram(test::TortureBytes(name));
    if (!r)
    {
        ADD_FAILURE() << name << " does not parse: " << r.GetError().ToString();
        return {};
    }
    return r.GetValue().Serialize();
}

/// Four torture messages with Content-Length (folds and compact names,
/// a binary multipart body, a compact l: 0, a response with a UTF-8 reason)
/// with CRLFCRLF pings and CRLF pongs around and between them.
class FramedStream : public testing::Test
{
  protected:
    void SetUp() override
    {
        m_stream = "\r\n\r\n" + test::TortureBytes("wsinv") + "\r\n" +
                   test::TortureBytes("mpart01") + "\r\n\r\n" + test::TortureBytes("esc02") +
                   test::TortureBytes("unreason") + "\r\n";
        m_keepaliveBytes = 4 + 2 + 4 + 2;
        m_expected = {
            Canonical("wsinv"), Canonical("mpart01"), Canonical("esc02"), Canonical("unreason")};
    }

    std::string m_stream;
    size_t m_keepaliveBytes = 0;
    std::vector<std::string> m_expected;
};

TEST_F(FramedStream, OneSegmentGivesEveryMessageAndKeepaliveInOrder)
{
    StreamFramer f;
    f.Feed(m_stream);
    std::vector<StreamFramer::Event> events;
    Drain(f, events);
    std::vector<Kind> kinds;
    for (const auto& ev : events)
    {
        kinds.push_back(ev.kind);
    }
    EXPECT_EQ(kinds,
              (std::vector<Kind>{Kind::kKeepalive,
                                 Kind::kMessage,
                                 Kind::kKeepalive,
                                 Kind::kMessage,
                                 Kind::kKeepalive,
                                 Kind::kMessage,
                                 Kind::kMessage,
                                 Kind::kKeepalive}));
    Summary s = Summarize(events);
    EXPECT_EQ(s.messages, m_expected);
    EXPECT_EQ(s.keepaliveBytes, m_keepaliveBytes);
    EXPECT_EQ(f.Buffered(), 0u);
    EXPECT_FALSE(f.HasFailed());
}

TEST_F(FramedStream, SplitAtEveryOffsetGivesTheSameMessagesInOrder)
{
    for (size_t cut = 0; cut <= m_stream.size(); ++cut)
    {
        SCOPED_TRACE("split at offset " + std::to_string(cut) + " of " +
                     std::to_string(m_stream.size()));
        StreamFramer f;
        std::vector<StreamFramer::Event> events;
        f.Feed(std::string_view(m_stream).substr(0, cut));
        Drain(f, events);
        f.Feed(std::string_view(m_stream).substr(cut));
        Drain(f, events);
        Summary s = Summarize(events);
        ASSERT_EQ(s.errors, 0u);
        ASSERT_EQ(s.messages, m_expected);
        // A CRLFCRLF cut in half may read as two CRLFs; no keepalive octet is lost.
        ASSERT_EQ(s.keepaliveBytes, m_keepaliveBytes);
        ASSERT_EQ(f.Buffered(), 0u);
    }
}

TEST_F(FramedStream, OneByteAtATimeGivesTheSameMessagesInOrder)
{
    StreamFramer f;
    std::vector<StreamFramer::Event> events;
    for (char c : m_stream)
    {
        f.Feed(std::string_view(&c, 1));
        Drain(f, events);
    }
    Summary s = Summarize(events);
    EXPECT_EQ(s.errors, 0u);
    EXPECT_EQ(s.messages, m_expected);
    EXPECT_EQ(s.keepaliveBytes, m_keepaliveBytes);
    EXPECT_EQ(f.Buffered(), 0u);
}

TEST(StreamKeepalive, CrlfCrlfAloneIsOnePingOfFourOctets)
{
    StreamFramer f;
    f.Feed("\r\n\r\n");
    StreamFramer::Event ev = f.Next();
    EXPECT_EQ(ev.kind, Kind::kKeepalive);
    EXPECT_EQ(ev.keepaliveBytes, 4u);
    EXPECT_EQ(f.Next().kind, Kind::kNeedMore);
    EXPECT_EQ(f.Buffered(), 0u);
}

TEST(StreamKeepalive, CrlfAloneIsOnePongOfTwoOctets)
{
    StreamFramer f;
    f.Feed("\r\n");
    StreamFramer::Event ev = f.Next();
    EXPECT_EQ(ev.kind, Kind::kKeepalive);
    EXPECT_EQ(ev.keepaliveBytes, 2u);
    EXPECT_EQ(f.Next().kind, Kind::kNeedMore);
    EXPECT_EQ(f.Buffered(), 0u);
}

TEST(StreamKeepalive, LoneCrWaitsForItsLf)
{
    StreamFramer f;
    f.Feed("\r");
    EXPECT_EQ(f.Next().kind, Kind::kNeedMore);
    f.Feed("\n\r\n");
    StreamFramer::Event ev = f.Next();
    EXPECT_EQ(ev.kind, Kind::kKeepalive);
    EXPECT_EQ(ev.keepaliveBytes, 4u);
}

const char* const kOptionsNoLength =
    "OPTIONS sip:carol@chicago.example.com SIP/2.0\r\n"
    "Via: SIP/2.0/TCP pc33.atlanta.example.com;branch=z9hG4bKhjhs8ass877\r\n"
    "Max-Forwards: 70\r\n"
    "To: <sip:carol@chicago.example.com>\r\n"
    "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
    "Call-ID: a84b4c76e66710\r\n"
    "CSeq: 63104 OPTIONS\r\n";

std::string
Options(const std::string& extraHeaders, const std::string& body = "")
{
    return std::string(kOptionsNoLength) + extraHeaders + "\r\n" + body;
}

TEST(StreamErrors, MissingContentLengthIsFatalAndStaysFailed)
{
    StreamFramer f;
    f.Feed(Options(""));
    StreamFramer::Event ev = f.Next();
    ASSERT_EQ(ev.kind, Kind::kError);
    EXPECT_TRUE(ev.fatal);
    EXPECT_EQ(ev.error.status, 400);
    EXPECT_TRUE(f.HasFailed());

    // Every later Next() repeats the error, even after more bytes arrive.
    f.Feed(Options("Content-Length: 0\r\n"));
    for (int i = 0; i < 3; ++i)
    {
        StreamFramer::Event again = f.Next();
        EXPECT_EQ(again.kind, Kind::kError);
        EXPECT_TRUE(again.fatal);
        EXPECT_EQ(again.error.reason, ev.error.reason);
    }
    EXPECT_TRUE(f.HasFailed());

    // Reset() is a new connection.
    f.Reset();
    EXPECT_FALSE(f.HasFailed());
    EXPECT_EQ(f.Buffered(), 0u);
    f.Feed(Options("Content-Length: 0\r\n"));
    EXPECT_EQ(f.Next().kind, Kind::kMessage);
}

TEST(StreamErrors, HeaderSectionOverTheLimitIsFatal413)
{
    StreamFramer::Limits limits;
    limits.maxHeaderBytes = 256;
    const std::string longreq = test::TortureBytes("longreq"); // 3 kB of headers

    {
        SCOPED_TRACE("the whole header section is buffered");
        StreamFramer f(limits);
        f.Feed(longreq);
        StreamFramer::Event ev = f.Next();
        ASSERT_EQ(ev.kind, Kind::kError);
        EXPECT_TRUE(ev.fatal);
        EXPECT_EQ(ev.error.status, 413);
        EXPECT_TRUE(f.HasFailed());
    }
    {
        SCOPED_TRACE("the empty line has not arrived yet");
        StreamFramer f(limits);
        f.Feed(longreq.substr(0, 1000));
        StreamFramer::Event ev = f.Next();
        ASSERT_EQ(ev.kind, Kind::kError);
        EXPECT_TRUE(ev.fatal);
        EXPECT_EQ(ev.error.status, 413);
    }
    {
        SCOPED_TRACE("under the limit: wait for more");
        StreamFramer f(limits);
        f.Feed(longreq.substr(0, 200));
        EXPECT_EQ(f.Next().kind, Kind::kNeedMore);
        EXPECT_FALSE(f.HasFailed());
    }
}

TEST(StreamErrors, WellFramedMalformedMessageIsNonFatalAndTheNextOneComesOut)
{
    const std::string bad = "OPTIONS sip:carol@chicago.example.com SIP/2.0\r\n"
                            "Via: SIP/2.0/TCP\r\n" // no sent-by
                            "Max-Forwards: 70\r\n"
                            "Call-ID: a84b4c76e66710\r\n"
                            "CSeq: 63104 OPTIONS\r\n"
                            "Content-Length: 4\r\n"
                            "\r\n"
                            "abcd";
    const std::string good = Options("Content-Length: 0\r\n");
    StreamFramer f;
    f.Feed(bad + good);
    std::vector<StreamFramer::Event> events;
    Drain(f, events);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].kind, Kind::kError);
    EXPECT_FALSE(events[0].fatal);
    EXPECT_EQ(events[0].error.header, "Via");
    EXPECT_EQ(events[0].error.line, 2);
    EXPECT_EQ(events[0].error.status, 400);
    ASSERT_EQ(events[1].kind, Kind::kMessage);
    EXPECT_EQ(events[1].message->GetCallId(), std::optional<std::string_view>("a84b4c76e66710"));
    EXPECT_FALSE(f.HasFailed());
    EXPECT_EQ(f.Buffered(), 0u);
}

TEST(StreamErrors, ConflictingContentLengthValuesAreFatal)
{
    {
        SCOPED_TRACE("RFC 4475 mcl01: Content-Length 13 and 5");
        StreamFramer f;
        f.Feed(test::TortureBytes("mcl01"));
        StreamFramer::Event ev = f.Next();
        ASSERT_EQ(ev.kind, Kind::kError);
        EXPECT_TRUE(ev.fatal);
        EXPECT_TRUE(f.HasFailed());
    }
    {
        SCOPED_TRACE("long and compact form");
        StreamFramer f;
        f.Feed(Options("Content-Length: 3\r\nl: 4\r\n", "abcd"));
        StreamFramer::Event ev = f.Next();
        ASSERT_EQ(ev.kind, Kind::kError);
        EXPECT_TRUE(ev.fatal);
    }
    {
        SCOPED_TRACE("the same value twice frames fine");
        StreamFramer f;
        f.Feed(Options("Content-Length: 4\r\nl: 4\r\n", "abcd"));
        StreamFramer::Event ev = f.Next();
        ASSERT_EQ(ev.kind, Kind::kMessage);
        EXPECT_EQ(ev.message->GetBody(), "abcd");
    }
}

TEST(StreamErrors, ContentLengthAboveMaxBodyBytesIsFatal)
{
    StreamFramer::Limits limits;
    limits.maxBodyBytes = 100;
    {
        StreamFramer f(limits);
        f.Feed(test::TortureBytes("wsinv")); // Content-Length 150
        StreamFramer::Event ev = f.Next();
        ASSERT_EQ(ev.kind, Kind::kError);
        EXPECT_TRUE(ev.fatal);
        EXPECT_EQ(ev.error.status, 413);
        EXPECT_TRUE(f.HasFailed());
    }
    {
        SCOPED_TRACE("default limit, 2^32-1 announced: fail at once, do not wait for 4 GB");
        StreamFramer f;
        f.Feed(Options("Content-Length: 4294967295\r\n"));
        StreamFramer::Event ev = f.Next();
        ASSERT_EQ(ev.kind, Kind::kError);
        EXPECT_TRUE(ev.fatal);
    }
    {
        SCOPED_TRACE("exactly the limit is fine");
        StreamFramer f(limits);
        f.Feed(Options("Content-Length: 100\r\n", std::string(100, 'x')));
        EXPECT_EQ(f.Next().kind, Kind::kMessage);
    }
}

TEST(StreamErrors, NonNumericContentLengthIsFatal)
{
    StreamFramer f;
    f.Feed(test::TortureBytes("ncl")); // Content-Length: -999
    StreamFramer::Event ev = f.Next();
    ASSERT_EQ(ev.kind, Kind::kError);
    EXPECT_TRUE(ev.fatal);
}

TEST(StreamErrors, CrWithoutLfBetweenMessagesIsFatal)
{
    StreamFramer f;
    f.Feed("\rX");
    StreamFramer::Event ev = f.Next();
    ASSERT_EQ(ev.kind, Kind::kError);
    EXPECT_TRUE(ev.fatal);
}

TEST(StreamFraming, BodyIsExactlyContentLengthOctetsAndTheRestWaits)
{
    StreamFramer f;
    f.Feed(Options("Content-Length: 5\r\n", "hel"));
    EXPECT_EQ(f.Next().kind, Kind::kNeedMore); // body incomplete
    f.Feed("loOPTIONS");                       // the body, then the start of the next message
    StreamFramer::Event ev = f.Next();
    ASSERT_EQ(ev.kind, Kind::kMessage);
    EXPECT_EQ(ev.message->GetBody(), "hello");
    EXPECT_EQ(f.Next().kind, Kind::kNeedMore);
    EXPECT_EQ(f.Buffered(), 7u); // "OPTIONS" stays for the next message
}

} // namespace
} // namespace sipbed
