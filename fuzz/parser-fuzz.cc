// libFuzzer target for the SIP message core: ParseDatagram, the typed getters,
// the canonical serializer, multipart bodies, the JSON view and StreamFramer.
//
// Properties checked (each violation calls abort() after printing why, so
// libFuzzer saves the input as a crash):
// - round trip: a message ParseDatagram accepts serializes to bytes that
//   ParseDatagram accepts again, and the two messages are == (the
//   equivalence sip-message.h defines); serializing the second gives the
//   same bytes (the canonical form is a fixed point);
// - the getter invariant of sip-message.h ("the typed getters never fail on
//   a value that is present"): every value the parser let through is
//   returned by its getter;
// - ToJson(m).dump() with nlohmann's default (strict UTF-8) handler does not
//   throw: sip-json.cc promises UTF-8 strings (non-UTF-8 goes to base64);
// - StreamFramer: the input fed in 2-3 segments (split points taken from the
//   input bytes) yields the same messages and errors as the input fed whole
//   (RFC 3261 18.3: framing must not depend on segment boundaries), and
//   every event other than kNeedMore or a fatal error consumes bytes.
// Sanitizers (ASan, UBSan) catch the memory and undefined-behaviour bugs.
//
// Build by hand (or with -DSIPBED_FUZZ=ON, see fuzz/CMakeLists.txt), from the
// repository root, on one line:
//   clang++ -std=c++17 -g -O1 -fsanitize=fuzzer,address,undefined -I.
//     fuzz/parser-fuzz.cc models/sip/*.cc -lcrypto -o parser-fuzz
// Seed corpus: the RFC 4475 torture messages (shared/torture/*.dat).

#include "models/sip/multipart.h"
#include "models/sip/sip-json.h"
#include "models/sip/sip-message.h"
#include "models/sip/sip-parser.h"
#include "models/sip/stream-framer.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace
{

using namespace sipbed;

[[noreturn]] void
Fail(const char* what, std::string_view detail = {})
{
    std::fprintf(stderr,
                 "\n*** parser-fuzz property violated: %s\n%.*s\n",
                 what,
                 static_cast<int>(detail.size()),
                 detail.data());
    std::abort();
}

void
Check(bool ok, const char* what, std::string_view detail = {})
{
    if (!ok)
    {
        Fail(what, detail);
    }
}

// Keeps the optimizer from dropping calls whose results are otherwise unused.
volatile size_t g_sink = 0;

void
Touch(std::string_view s)
{
    g_sink = g_sink + s.size();
}

void
ExerciseParams(const ParamList& params)
{
    params.ForEach([&](const Param& p) {
        Touch(p.name);
        Touch(p.value);
        if (auto d = params.GetDecoded(p.name))
        {
            Touch(*d);
        }
        return true;
    });
    Check(params.ToVector().size() == params.Size(), "ParamList::ToVector().size() != Size()");
}

void
ExerciseUri(const SipUri& u)
{
    Touch(u.GetRaw());
    Touch(u.GetUserUnescaped());
    Touch(u.GetHost());
    ExerciseParams(u.GetParams());
}

void
ExerciseNameAddr(const NameAddr& na)
{
    Touch(na.GetDisplayName());
    ExerciseUri(na.GetUri());
    ExerciseParams(na.GetParams());
    std::string r;
    na.Render(r);
    Touch(r);
}

void
ExerciseAuth(const SipMessage& m, HeaderId id)
{
    auto auths = m.GetAuth(id);
    Check(auths.size() == m.CountHeaders(id),
          "GetAuth() dropped a value the parser accepted",
          GetHeaderInfo(id).name);
    for (const AuthValue& a : auths)
    {
        Touch(a.GetScheme());
        g_sink = g_sink + a.IsDigest();
        a.ForEach([&](std::string_view name, std::string_view raw) {
            Touch(raw);
            auto got = a.Get(name);
            Check(got.has_value(), "AuthValue::Get() misses a param ForEach() reported", name);
            auto dec = a.GetDecoded(name);
            Check(dec.has_value(), "AuthValue::GetDecoded() misses a param", name);
            return true;
        });
        std::string r;
        a.Render(r);
        Touch(r);
    }
}

// Every typed getter, with the invariant that a present value never fails.
void
ExerciseGetters(const SipMessage& m)
{
    Touch(m.GetMethod());
    ExerciseUri(m.GetRequestUri());
    Touch(m.GetReasonPhrase());

    auto vias = m.GetVias();
    Check(vias.size() == m.CountValues(HeaderId::kVia), "GetVias() dropped a Via value");
    auto top = m.GetTopVia();
    Check(top.has_value() == !vias.empty(), "GetTopVia() disagrees with GetVias()");
    for (const Via& v : vias)
    {
        Touch(v.GetTransport());
        Touch(v.GetHost());
        g_sink = g_sink + v.HasRfc3261Branch() + v.HasRport();
        if (auto rport = v.GetRport())
        {
            g_sink = g_sink + static_cast<size_t>(*rport);
        }
        ExerciseParams(v.GetParams());
        std::string r;
        v.Render(r);
        Touch(r);
    }

    for (HeaderId id : {HeaderId::kFrom, HeaderId::kTo, HeaderId::kReferTo,
                        HeaderId::kReferredBy, HeaderId::kReplyTo})
    {
        auto na = m.GetNameAddr(id);
        Check(na.has_value() == (m.FindHeader(id) != nullptr),
              "GetNameAddr() failed on a present value",
              GetHeaderInfo(id).name);
        if (na)
        {
            ExerciseNameAddr(*na);
            if (auto tag = na->GetTag())
            {
                Touch(*tag);
            }
        }
    }
    Check(m.GetFrom().has_value() == (m.FindHeader(HeaderId::kFrom) != nullptr),
          "GetFrom() failed on a present From");
    Check(m.GetTo().has_value() == (m.FindHeader(HeaderId::kTo) != nullptr),
          "GetTo() failed on a present To");
    for (HeaderId id : {HeaderId::kRoute, HeaderId::kRecordRoute, HeaderId::kPath})
    {
        auto list = m.GetNameAddrs(id);
        Check(list.size() == m.CountValues(id),
              "GetNameAddrs() dropped a value",
              GetHeaderInfo(id).name);
        for (const NameAddr& na : list)
        {
            ExerciseNameAddr(na);
        }
    }

    auto contacts = m.GetContacts();
    Check(contacts.size() == m.CountValues(HeaderId::kContact),
          "GetContacts() dropped a Contact value");
    for (const ContactValue& c : contacts)
    {
        if (!c.IsStar())
        {
            ExerciseNameAddr(c.GetAddress());
        }
        if (auto e = c.GetExpires())
        {
            g_sink = g_sink + *e;
        }
        if (auto q = c.GetQ())
        {
            g_sink = g_sink + static_cast<size_t>(*q * 1000);
        }
        if (auto inst = c.GetInstance())
        {
            Touch(*inst);
        }
        std::string r;
        c.Render(r);
        Touch(r);
    }

    Check(m.GetCallId().has_value() == (m.FindHeader(HeaderId::kCallId) != nullptr),
          "GetCallId() failed on a present Call-ID");
    auto cseq = m.GetCSeq();
    Check(cseq.has_value() == (m.FindHeader(HeaderId::kCSeq) != nullptr),
          "GetCSeq() failed on a present CSeq");
    if (cseq)
    {
        g_sink = g_sink + cseq->seq;
        Touch(cseq->method);
    }
    for (HeaderId id : {HeaderId::kMaxForwards, HeaderId::kExpires, HeaderId::kMinExpires,
                        HeaderId::kContentLength, HeaderId::kFlowTimer})
    {
        Check(m.GetUint(id).has_value() == (m.FindHeader(id) != nullptr) ||
                  GetHeaderInfo(id).kind == ValueKind::kText,
              "GetUint() failed on a present value",
              GetHeaderInfo(id).name);
    }

    for (HeaderId id : {HeaderId::kAuthorization, HeaderId::kProxyAuthorization,
                        HeaderId::kWwwAuthenticate, HeaderId::kProxyAuthenticate})
    {
        ExerciseAuth(m, id);
    }

    auto ct = m.GetContentType();
    Check(ct.has_value() == (m.FindHeader(HeaderId::kContentType) != nullptr),
          "GetContentType() failed on a present Content-Type");
    if (ct)
    {
        ExerciseParams(ct->params);
        if (text::IEquals(ct->type, "multipart"))
        {
            auto parts = ParseMultipart(m);
            if (parts)
            {
                for (const BodyPart& p : parts.GetValue())
                {
                    Touch(p.body);
                    if (auto pct = p.GetContentType())
                    {
                        ExerciseParams(pct->params);
                    }
                }
            }
            else
            {
                Touch(parts.GetError().ToString());
            }
        }
    }
    for (const MediaType& a : m.GetAccept())
    {
        ExerciseParams(a.params);
    }
    if (auto ra = m.GetRetryAfter())
    {
        if (auto d = ra->GetDuration())
        {
            g_sink = g_sink + *d;
        }
    }
    for (HeaderId id : {HeaderId::kRequire, HeaderId::kSupported, HeaderId::kUnsupported,
                        HeaderId::kProxyRequire})
    {
        g_sink = g_sink + m.GetOptionTags(id).size();
    }
    for (HeaderId id : {HeaderId::kEvent, HeaderId::kSubscriptionState, HeaderId::kReferSub,
                        HeaderId::kTargetDialog})
    {
        auto tp = m.GetTokenParams(id);
        Check(tp.has_value() == (m.FindHeader(id) != nullptr),
              "GetTokenParams() failed on a present value",
              GetHeaderInfo(id).name);
        if (tp)
        {
            ExerciseParams(tp->params);
        }
    }
    for (HeaderId id : {HeaderId::kSipETag, HeaderId::kSipIfMatch})
    {
        if (auto t = m.GetToken(id))
        {
            Touch(*t);
        }
    }
    auto ii = m.GetIdentityInfo();
    Check(ii.has_value() == (m.FindHeader(HeaderId::kIdentityInfo) != nullptr),
          "GetIdentityInfo() failed on a present Identity-Info");
    if (ii)
    {
        ExerciseUri(ii->uri);
        if (auto alg = ii->GetAlg())
        {
            Touch(*alg);
        }
    }
    if (auto d = m.GetDate())
    {
        g_sink = g_sink + static_cast<size_t>(*d);
    }
    if (auto id = m.GetIdentity())
    {
        Touch(*id);
    }
    for (const HeaderField& h : m.GetHeaders())
    {
        Touch(RenderHeaderValue(h.id, h.value));
    }
    Touch(m.GetBody());
}

void
ExerciseJson(const SipMessage& m)
{
    std::string dumped;
    try
    {
        // Default error handler: throws type_error.316 on invalid UTF-8.
        dumped = ToJson(m).dump();
    }
    catch (const nlohmann::json::exception& e)
    {
        Fail("ToJson(m).dump() threw (a JSON string is not valid UTF-8)", e.what());
    }
    Touch(dumped);
}

// Round trip: parse(serialize(m)) == m, and serialize is a fixed point.
void
CheckRoundTrip(const SipMessage& m)
{
    std::string out = m.Serialize();
    auto r2 = ParseDatagram(std::string_view(out));
    if (!r2)
    {
        Fail("the serialized message does not parse",
             r2.GetError().ToString() + "\n--- serialized:\n" + out);
    }
    const SipMessage& m2 = r2.GetValue();
    if (!(m2 == m) || !(m == m2))
    {
        Fail("the re-parsed message is not == to the original", "--- serialized:\n" + out);
    }
    std::string out2 = m2.Serialize();
    if (out2 != out)
    {
        Fail("Serialize() is not a fixed point",
             "--- first:\n" + out + "\n--- second:\n" + out2);
    }
}

void
CheckMessage(const SipMessage& m)
{
    ExerciseGetters(m);
    CheckRoundTrip(m);
    ExerciseJson(m);
}

// What the framer produced, in a form that does not depend on segmentation:
// keepalives are left out (a CRLFCRLF split across segments legitimately
// reads as two CRLFs, stream-framer.cc).
struct FramerTrace
{
    std::vector<std::string> events;
    bool fatal = false;
};

void
Drain(StreamFramer& f, FramerTrace& trace)
{
    for (;;)
    {
        size_t before = f.Buffered();
        StreamFramer::Event ev = f.Next();
        switch (ev.kind)
        {
        case StreamFramer::EventKind::kNeedMore:
            return;
        case StreamFramer::EventKind::kMessage:
            Check(ev.message.has_value(), "kMessage event without a message");
            Check(f.Buffered() < before, "kMessage consumed no bytes");
            CheckMessage(*ev.message);
            trace.events.push_back("M " + ev.message->Serialize());
            break;
        case StreamFramer::EventKind::kKeepalive:
            Check(ev.keepaliveBytes == 2 || ev.keepaliveBytes == 4, "odd keepalive size");
            Check(f.Buffered() < before, "kKeepalive consumed no bytes");
            break;
        case StreamFramer::EventKind::kError:
            if (ev.fatal)
            {
                Check(f.HasFailed(), "fatal error but HasFailed() is false");
                trace.events.push_back("F " + ev.error.reason);
                trace.fatal = true;
                return;
            }
            Check(f.Buffered() < before, "non-fatal error consumed no bytes");
            trace.events.push_back("E " + ev.error.reason);
            break;
        }
    }
}

void
FuzzFramer(std::string_view in)
{
    // Split points from the input bytes (FNV-1a of the first 64 of them), so
    // libFuzzer can steer them.
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < in.size() && i < 64; ++i)
    {
        h = (h ^ static_cast<unsigned char>(in[i])) * 16777619u;
    }
    size_t cut1 = in.empty() ? 0 : h % (in.size() + 1);
    size_t cut2 = cut1 + (h >> 16) % (in.size() - cut1 + 1);

    FramerTrace chunked;
    StreamFramer f;
    for (std::string_view seg :
         {in.substr(0, cut1), in.substr(cut1, cut2 - cut1), in.substr(cut2)})
    {
        if (seg.empty())
        {
            continue;
        }
        f.Feed(seg);
        Drain(f, chunked);
        if (chunked.fatal)
        {
            break;
        }
    }

    FramerTrace whole;
    StreamFramer g;
    g.Feed(in);
    Drain(g, whole);

    if (chunked.events != whole.events)
    {
        std::string detail = "cuts at " + std::to_string(cut1) + ", " + std::to_string(cut2) +
                             "\n--- chunked:\n";
        for (const auto& e : chunked.events)
        {
            detail += e.substr(0, 200) + "\n";
        }
        detail += "--- whole:\n";
        for (const auto& e : whole.events)
        {
            detail += e.substr(0, 200) + "\n";
        }
        Fail("StreamFramer output depends on segment boundaries", detail);
    }
}

} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    std::string_view in(reinterpret_cast<const char*>(data), size);

    auto r = ParseDatagram(in);
    if (r)
    {
        CheckMessage(r.GetValue());
    }
    else
    {
        Touch(r.GetError().ToString());
    }

    FuzzFramer(in);
    return 0;
}
