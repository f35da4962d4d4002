// Throughput of the SIP message core: ParseDatagram, Serialize, StreamFramer
// and ToJson on three messages (a REGISTER with Digest credentials, a
// softphone INVITE with SDP, RFC 4475 longreq), for comparison with the C
// parsers in shared/calibration.md (sofia-sip, oSIP2).
//
// Every benchmark reports items_per_second (messages/s) and bytes_per_second.
//
// A second mode runs a fixed number of parses and nothing else, for
// instruction counts under callgrind (Google Benchmark picks its own
// iteration counts, which makes instruction totals unrepeatable):
//   sipbed-bench-parser-bench --loop=register:10000
//   valgrind --tool=callgrind sipbed-bench-parser-bench --loop=register:10000
// instructions per message = (Ir(N) - Ir(0)) / N. Operations: parse (the
// default), parse-move, getters (parse + what a registrar reads, as
// BM_ParseAndGetters), serialize, framer, json; e.g. --loop=invite:1000:serialize.

#include "models/sip/sip-json.h"
#include "models/sip/sip-message.h"
#include "models/sip/sip-parser.h"
#include "models/sip/stream-framer.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include "bench/sample-messages.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#ifndef SIPBED_SHARED_DIR
#error "SIPBED_SHARED_DIR must name the shared/ folder (bench/CMakeLists.txt defines it)"
#endif

namespace
{

using namespace sipbed;

using namespace sipbed::bench;


const std::string&
LongReq()
{
    static const std::string s = ReadFile(std::string(SIPBED_SHARED_DIR) + "/torture/longreq.dat");
    return s;
}

enum Msg
{
    kRegisterMsg = 0,
    kInviteMsg = 1,
    kLongReqMsg = 2,
};

const std::string&
Message(int64_t which)
{
    switch (which)
    {
    case kRegisterMsg:
        return kRegister;
    case kInviteMsg:
        return kInvite;
    default:
        return LongReq();
    }
}

const char*
MessageName(int64_t which)
{
    switch (which)
    {
    case kRegisterMsg:
        return "register";
    case kInviteMsg:
        return "invite";
    default:
        return "longreq";
    }
}

// Parses the benchmark's message once, outside the timed loop.
bool
Prepare(benchmark::State& state, const std::string& bytes, SipMessage& out)
{
    if (bytes.empty())
    {
        state.SkipWithError("message not found (is SIPBED_SHARED_DIR right?)");
        return false;
    }
    auto r = ParseDatagram(std::string_view(bytes));
    if (!r)
    {
        state.SkipWithError(("parse failed: " + r.GetError().ToString()).c_str());
        return false;
    }
    out = r.GetValue();
    return true;
}

void
SetCounters(benchmark::State& state, size_t bytesPerItem, int64_t itemsPerIteration = 1)
{
    state.SetItemsProcessed(state.iterations() * itemsPerIteration);
    state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(bytesPerItem) *
                            itemsPerIteration);
    state.SetLabel(std::string(MessageName(state.range(0))) + ", " +
                   std::to_string(bytesPerItem) + " B");
}

void
BM_ParseDatagram(benchmark::State& state)
{
    const std::string& bytes = Message(state.range(0));
    SipMessage check;
    if (!Prepare(state, bytes, check))
    {
        return;
    }
    for (auto _ : state)
    {
        auto r = ParseDatagram(std::string_view(bytes));
        benchmark::DoNotOptimize(r);
    }
    SetCounters(state, bytes.size());
}

// The std::string&& overload; the copy handed to it is made inside the loop
// (as a receive path that already owns its buffer would not), so the time
// includes one copy, like the string_view overload.
void
BM_ParseDatagramMove(benchmark::State& state)
{
    const std::string& bytes = Message(state.range(0));
    SipMessage check;
    if (!Prepare(state, bytes, check))
    {
        return;
    }
    for (auto _ : state)
    {
        std::string copy = bytes;
        auto r = ParseDatagram(std::move(copy));
        benchmark::DoNotOptimize(r);
    }
    SetCounters(state, bytes.size());
}

// What a registrar reads from each REGISTER once it is parsed.
void
BM_ParseAndGetters(benchmark::State& state)
{
    const std::string& bytes = Message(state.range(0));
    SipMessage check;
    if (!Prepare(state, bytes, check))
    {
        return;
    }
    for (auto _ : state)
    {
        auto r = ParseDatagram(std::string_view(bytes));
        const SipMessage& m = r.GetValue();
        auto via = m.GetTopVia();
        auto from = m.GetFrom();
        auto to = m.GetTo();
        auto callId = m.GetCallId();
        auto cseq = m.GetCSeq();
        auto contacts = m.GetContacts();
        auto auth = m.GetAuth(HeaderId::kAuthorization);
        benchmark::DoNotOptimize(via);
        benchmark::DoNotOptimize(from);
        benchmark::DoNotOptimize(to);
        benchmark::DoNotOptimize(callId);
        benchmark::DoNotOptimize(cseq);
        benchmark::DoNotOptimize(contacts);
        benchmark::DoNotOptimize(auth);
    }
    SetCounters(state, bytes.size());
}

void
BM_Serialize(benchmark::State& state)
{
    const std::string& bytes = Message(state.range(0));
    SipMessage m;
    if (!Prepare(state, bytes, m))
    {
        return;
    }
    size_t outSize = 0;
    for (auto _ : state)
    {
        std::string out = m.Serialize();
        outSize = out.size();
        benchmark::DoNotOptimize(out);
    }
    SetCounters(state, outSize);
}

// SerializeTo into a buffer that keeps its capacity, as a sender would.
void
BM_SerializeToReused(benchmark::State& state)
{
    const std::string& bytes = Message(state.range(0));
    SipMessage m;
    if (!Prepare(state, bytes, m))
    {
        return;
    }
    std::string out;
    for (auto _ : state)
    {
        out.clear();
        m.SerializeTo(out);
        benchmark::DoNotOptimize(out);
    }
    SetCounters(state, out.size());
}

void
BM_ToJson(benchmark::State& state)
{
    const std::string& bytes = Message(state.range(0));
    SipMessage m;
    if (!Prepare(state, bytes, m))
    {
        return;
    }
    for (auto _ : state)
    {
        nlohmann::json j = ToJson(m);
        benchmark::DoNotOptimize(j);
    }
    SetCounters(state, bytes.size());
}

void
BM_ToJsonDump(benchmark::State& state)
{
    const std::string& bytes = Message(state.range(0));
    SipMessage m;
    if (!Prepare(state, bytes, m))
    {
        return;
    }
    for (auto _ : state)
    {
        std::string s =
            ToJson(m).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        benchmark::DoNotOptimize(s);
    }
    SetCounters(state, bytes.size());
}

// Ten REGISTERs back to back on one TCP connection, arriving in 1460-octet
// segments (one Ethernet MSS); every message is framed and parsed.
constexpr int kStreamMessages = 10;
constexpr size_t kSegment = 1460;

int
FrameStream(const std::string& stream)
{
    StreamFramer framer;
    int messages = 0;
    for (size_t off = 0; off < stream.size(); off += kSegment)
    {
        framer.Feed(std::string_view(stream).substr(off, kSegment));
        for (;;)
        {
            StreamFramer::Event ev = framer.Next();
            if (ev.kind == StreamFramer::EventKind::kNeedMore)
            {
                break;
            }
            if (ev.kind == StreamFramer::EventKind::kMessage)
            {
                ++messages;
                benchmark::DoNotOptimize(ev.message);
            }
            else if (ev.kind == StreamFramer::EventKind::kError && ev.fatal)
            {
                return -1;
            }
        }
    }
    return messages;
}

std::string
RegisterStream()
{
    std::string stream;
    for (int i = 0; i < kStreamMessages; ++i)
    {
        stream += kRegister;
    }
    return stream;
}

void
BM_StreamFramer(benchmark::State& state)
{
    const std::string stream = RegisterStream();
    if (FrameStream(stream) != kStreamMessages)
    {
        state.SkipWithError("the framer did not return every message");
        return;
    }
    for (auto _ : state)
    {
        int n = FrameStream(stream);
        benchmark::DoNotOptimize(n);
    }
    state.SetItemsProcessed(state.iterations() * kStreamMessages);
    state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(stream.size()));
    state.SetLabel("10 x register, 1460 B segments");
}

void
Messages(benchmark::internal::Benchmark* b)
{
    b->ArgName("msg")->Arg(kRegisterMsg)->Arg(kInviteMsg)->Arg(kLongReqMsg);
}

BENCHMARK(BM_ParseDatagram)->Apply(Messages);
BENCHMARK(BM_ParseDatagramMove)->Apply(Messages);
BENCHMARK(BM_ParseAndGetters)->Arg(kRegisterMsg)->ArgName("msg");
BENCHMARK(BM_Serialize)->Apply(Messages);
BENCHMARK(BM_SerializeToReused)->Apply(Messages);
BENCHMARK(BM_StreamFramer);
BENCHMARK(BM_ToJson)->Apply(Messages);
BENCHMARK(BM_ToJsonDump)->Apply(Messages);

// --loop=MSG:N[:OP]: N repetitions of one operation, for callgrind.
int
RunLoop(std::string_view spec)
{
    std::string_view parts[3];
    size_t n = 0;
    while (n < 3)
    {
        size_t colon = spec.find(':');
        parts[n++] = spec.substr(0, colon);
        if (colon == std::string_view::npos)
        {
            break;
        }
        spec.remove_prefix(colon + 1);
    }
    if (n < 2)
    {
        std::fprintf(stderr, "usage: --loop=register|invite|longreq:N[:parse|parse-move|"
                             "getters|serialize|framer|json]\n");
        return 2;
    }
    int64_t which = parts[0] == "register" ? kRegisterMsg
                    : parts[0] == "invite" ? kInviteMsg
                                           : kLongReqMsg;
    const long count = std::strtol(std::string(parts[1]).c_str(), nullptr, 10);
    const std::string_view op = n > 2 ? parts[2] : "parse";
    const std::string& bytes = Message(which);
    auto first = ParseDatagram(std::string_view(bytes));
    if (!first)
    {
        std::fprintf(stderr, "%s does not parse\n", MessageName(which));
        return 1;
    }
    const SipMessage& m = first.GetValue();
    const std::string stream = RegisterStream();
    size_t sink = 0;
    for (long i = 0; i < count; ++i)
    {
        if (op == "parse")
        {
            auto r = ParseDatagram(std::string_view(bytes));
            sink += r.IsOk();
        }
        else if (op == "parse-move")
        {
            std::string copy = bytes;
            auto r = ParseDatagram(std::move(copy));
            sink += r.IsOk();
        }
        else if (op == "getters")
        {
            auto r = ParseDatagram(std::string_view(bytes));
            const SipMessage& g = r.GetValue();
            sink += g.GetTopVia().has_value() + g.GetFrom().has_value() +
                    g.GetTo().has_value() + g.GetCallId().has_value() +
                    g.GetCSeq().has_value() + g.GetContacts().size() +
                    g.GetAuth(HeaderId::kAuthorization).size();
        }
        else if (op == "serialize")
        {
            sink += m.Serialize().size();
        }
        else if (op == "framer")
        {
            sink += static_cast<size_t>(FrameStream(stream));
        }
        else if (op == "json")
        {
            sink += ToJson(m).size();
        }
    }
    std::printf("%s x %ld %.*s: %zu\n",
                MessageName(which),
                count,
                static_cast<int>(op.size()),
                op.data(),
                sink);
    return 0;
}

} // namespace

int
main(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i)
    {
        std::string_view a = argv[i];
        if (a.substr(0, 7) == "--loop=")
        {
            return RunLoop(a.substr(7));
        }
    }
    std::fprintf(stderr,
                 "message sizes: register %zu B, invite %zu B (SDP %zu B), longreq %zu B\n",
                 kRegister.size(),
                 kInvite.size(),
                 kSdp.size(),
                 LongReq().size());
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
    {
        return 1;
    }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
