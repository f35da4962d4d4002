// No input crashes the parser, hangs it or makes it read past its bytes
// (RFC 4475 section 1: "no input may crash a parser"): every torture message
// cut at every length, and with every byte replaced by each of a few
// delimiter-like values, goes through ParseDatagram and a StreamFramer. Run
// under ASan (make asan) for the out-of-bounds part. Whatever is accepted
// must serialize to something that parses again.
//
// Cost: about 270k inputs; ~3 s at -O1, ~20 s for the whole suite under ASan.

#include "models/sip/sip-parser.h"
#include "models/sip/stream-framer.h"

#include "test-support.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

namespace sipbed
{
namespace
{

/// Failures are counted, and the first few kept, so that a systematic
/// problem gives one readable report instead of 100000 assertions.
struct Findings
{
    size_t inputs = 0;
    size_t accepted = 0;
    size_t failures = 0;
    std::vector<std::string> examples;

    void Fail(const std::string& what, const std::string& input)
    {
        ++failures;
        if (examples.size() < 5)
        {
            examples.push_back(what + "\n--- input (" + std::to_string(input.size()) +
                               " octets) ---\n" + input.substr(0, 600));
        }
    }

    void Report(const char* label) const
    {
        std::string all;
        for (const std::string& e : examples)
        {
            all += e + "\n\n";
        }
        EXPECT_EQ(failures, 0u) << label << ": " << failures << " of " << inputs
                                << " inputs failed; first ones:\n"
                                << all;
    }
};

/// A message that was accepted must give a canonical form that parses again.
void
CheckAccepted(const SipMessage& m, const std::string& input, const char* via, Findings& f)
{
    ++f.accepted;
    std::string wire = m.Serialize();
    auto again = ParseDatagram(wire);
    if (!again)
    {
        f.Fail(std::string(via) + ": accepted, but its Serialize() does not parse: " +
                   again.GetError().ToString() + "\n--- Serialize() ---\n" + wire,
               input);
    }
}

void
Exercise(const std::string& input, Findings& f)
{
    ++f.inputs;
    // Exactly-sized heap copy, so that ASan sees any read past the end.
    auto r = ParseDatagram(std::string(input));
    if (r)
    {
        CheckAccepted(r.GetValue(), input, "ParseDatagram", f);
    }

    StreamFramer framer;
    framer.Feed(input);
    // Each event consumes at least one octet or ends the loop.
    for (size_t guard = 0;; ++guard)
    {
        if (guard > input.size() + 2)
        {
            f.Fail("StreamFramer: Next() keeps returning events without consuming input", input);
            break;
        }
        StreamFramer::Event ev = framer.Next();
        if (ev.kind == StreamFramer::EventKind::kNeedMore ||
            (ev.kind == StreamFramer::EventKind::kError && ev.fatal))
        {
            break;
        }
        if (ev.kind == StreamFramer::EventKind::kMessage)
        {
            CheckAccepted(*ev.message, input, "StreamFramer", f);
        }
    }
}

std::vector<std::string>
TortureCorpus()
{
    std::vector<std::string> out;
    for (const auto& row : test::LoadExpectedTsv())
    {
        out.push_back(test::TortureBytes(row.name));
    }
    return out;
}

double
Seconds(std::chrono::steady_clock::time_point since)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

TEST(Robustness, EveryTortureMessageCutAtEveryLengthIsHandled)
{
    auto start = std::chrono::steady_clock::now();
    Findings f;
    for (const std::string& msg : TortureCorpus())
    {
        for (size_t len = 0; len <= msg.size(); ++len)
        {
            Exercise(msg.substr(0, len), f);
        }
    }
    f.Report("truncations");
    EXPECT_GT(f.accepted, 0u);
    std::printf("[ info     ] %zu truncated inputs, %zu accepted messages, %.2f s\n",
                f.inputs,
                f.accepted,
                Seconds(start));
}

TEST(Robustness, EveryTortureMessageWithAnyOneByteReplacedIsHandled)
{
    const char kValues[] = {'\0', '\r', '\n', ' ', ':', ';', ',', '"', '<', '\xff'};
    auto start = std::chrono::steady_clock::now();
    Findings f;
    for (const std::string& msg : TortureCorpus())
    {
        std::string mutated = msg;
        for (size_t i = 0; i < msg.size(); ++i)
        {
            for (char v : kValues)
            {
                if (msg[i] == v)
                {
                    continue;
                }
                mutated[i] = v;
                Exercise(mutated, f);
            }
            mutated[i] = msg[i];
        }
    }
    f.Report("one-byte replacements");
    EXPECT_GT(f.accepted, 0u);
    std::printf("[ info     ] %zu mutated inputs, %zu accepted messages, %.2f s\n",
                f.inputs,
                f.accepted,
                Seconds(start));
}

TEST(Robustness, StreamOfEveryTortureMessageBackToBackIsHandled)
{
    // All 49 messages concatenated, fed in ragged segments: invalid ones and
    // ones without Content-Length may stop the stream; nothing may crash.
    std::string stream;
    for (const std::string& msg : TortureCorpus())
    {
        stream += msg;
    }
    for (size_t segment : {1u, 7u, 64u, 1500u})
    {
        SCOPED_TRACE("segments of " + std::to_string(segment) + " octets");
        StreamFramer framer;
        size_t events = 0;
        for (size_t pos = 0; pos < stream.size() && !framer.HasFailed(); pos += segment)
        {
            framer.Feed(std::string_view(stream).substr(pos, segment));
            for (;;)
            {
                StreamFramer::Event ev = framer.Next();
                if (ev.kind == StreamFramer::EventKind::kNeedMore ||
                    (ev.kind == StreamFramer::EventKind::kError && ev.fatal))
                {
                    break;
                }
                ASSERT_LT(++events, stream.size()) << "no progress";
            }
        }
        EXPECT_TRUE(framer.HasFailed() || framer.Buffered() <= stream.size());
    }
}

} // namespace
} // namespace sipbed
