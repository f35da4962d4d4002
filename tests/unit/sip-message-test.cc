// SipMessage as a whole: header names (long, compact, any case), typed
// access through the message, the header modification API, multipart
// bodies (nested too), and errors that name their line and header.

#include "models/sip/multipart.h"
#include "models/sip/sip-json.h"
#include "models/sip/sip-parser.h"

#include "tests/unit/test-support.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sipbed
{
namespace
{

using OptSv = std::optional<std::string_view>;
using test::MustParse;

ParseError
MustReject(const std::string& bytes)
{
    auto r = ParseDatagram(bytes);
    if (r)
    {
        ADD_FAILURE() << "must be rejected:\n" << bytes;
        return ParseError();
    }
    return r.GetError();
}

SipMessage
NewRequest(std::string_view method = "OPTIONS",
           std::string_view uri = "sip:carol@chicago.example.com")
{
    auto r = SipMessage::MakeRequest(method, uri);
    if (!r)
    {
        ADD_FAILURE() << "MakeRequest: " << r.GetError().ToString();
        return SipMessage();
    }
    return r.GetValue();
}

std::vector<std::string>
Names(const SipMessage& m)
{
    std::vector<std::string> out;
    for (const HeaderField& h : m.GetHeaders())
    {
        out.push_back(std::string(h.name));
    }
    return out;
}

const std::string kOptionsHead =
    "OPTIONS sip:carol@chicago.example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKhjhs8ass877\r\n"
    "Max-Forwards: 70\r\n"
    "To: <sip:carol@chicago.example.com>\r\n"
    "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
    "Call-ID: a84b4c76e66710\r\n"
    "CSeq: 63104 OPTIONS\r\n";

// ---------------- header names (RFC 3261 7.3.1, 7.3.3, 20) ----------------

// RFC 3261 7.3.3 and the extensions' compact forms (RFC 3265 o, RFC 3515 r,
// RFC 3892 b, RFC 4474 y n).
TEST(HeaderNames, CompactFormsMapToTheirHeadersInEitherCase)
{
    const std::vector<std::pair<char, HeaderId>> compact = {
        {'i', HeaderId::kCallId},
        {'m', HeaderId::kContact},
        {'e', HeaderId::kContentEncoding},
        {'l', HeaderId::kContentLength},
        {'c', HeaderId::kContentType},
        {'f', HeaderId::kFrom},
        {'s', HeaderId::kSubject},
        {'k', HeaderId::kSupported},
        {'t', HeaderId::kTo},
        {'v', HeaderId::kVia},
        {'o', HeaderId::kEvent},
        {'r', HeaderId::kReferTo},
        {'b', HeaderId::kReferredBy},
        {'y', HeaderId::kIdentity},
        {'n', HeaderId::kIdentityInfo},
    };
    for (const auto& [c, id] : compact)
    {
        const char upper = static_cast<char>(c - 'a' + 'A');
        EXPECT_EQ(LookupHeader(std::string(1, c)), id) << c;
        EXPECT_EQ(LookupHeader(std::string(1, upper)), id) << upper;
        EXPECT_EQ(GetHeaderInfo(id).compact, c) << GetHeaderInfo(id).name;
    }
    EXPECT_EQ(LookupHeader("z"), HeaderId::kUnknown);
    EXPECT_EQ(LookupHeader(""), HeaderId::kUnknown);
}

TEST(HeaderNames, LongNamesAreCaseInsensitiveAndCanonicalOnOutput)
{
    EXPECT_EQ(LookupHeader("cALL-iD"), HeaderId::kCallId);
    EXPECT_EQ(LookupHeader("CSEQ"), HeaderId::kCSeq);
    EXPECT_EQ(LookupHeader("www-authenticate"), HeaderId::kWwwAuthenticate);
    EXPECT_EQ(LookupHeader("Sip-Etag"), HeaderId::kSipETag);
    EXPECT_EQ(LookupHeader("Call-IDs"), HeaderId::kUnknown);
    EXPECT_EQ(LookupHeader("Via "), HeaderId::kUnknown);
    EXPECT_EQ(GetHeaderInfo(HeaderId::kCallId).name, "Call-ID");
    EXPECT_EQ(GetHeaderInfo(HeaderId::kCSeq).name, "CSeq");
    EXPECT_EQ(GetHeaderInfo(HeaderId::kWwwAuthenticate).name, "WWW-Authenticate");
    EXPECT_EQ(GetHeaderInfo(HeaderId::kSipETag).name, "SIP-ETag");
    EXPECT_EQ(GetHeaderInfo(HeaderId::kMimeVersion).name, "MIME-Version");
}

TEST(HeaderNames, MessageInCompactFormReadsLikeTheLongForm)
{
    SipMessage m = MustParse("INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
                             "v: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKnashds8\r\n"
                             "t: Bob <sip:bob@biloxi.example.com>\r\n"
                             "F: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
                             "i: a84b4c76e66710@pc33.atlanta.example.com\r\n"
                             "CSeq: 314159 INVITE\r\n"
                             "M: <sip:alice@pc33.atlanta.example.com>\r\n"
                             "k: 100rel, timer\r\n"
                             "s: lunch\r\n"
                             "o: presence\r\n"
                             "r: <sip:carol@chicago.example.com>\r\n"
                             "b: <sip:alice@atlanta.example.com>\r\n"
                             "n: <https://atlanta.example.com/cert>;alg=rsa-sha1\r\n"
                             "y: \"c2lnbmF0dXJl\"\r\n"
                             "e: gzip\r\n"
                             "c: text/plain\r\n"
                             "L: 2\r\n"
                             "\r\n"
                             "hi");
    EXPECT_EQ(m.GetTopVia()->GetBranch(), OptSv("z9hG4bKnashds8"));
    EXPECT_EQ(m.GetTo()->GetDisplayName(), "Bob");
    EXPECT_EQ(m.GetFrom()->GetTag(), OptSv("1928301774"));
    EXPECT_EQ(m.GetCallId(), OptSv("a84b4c76e66710@pc33.atlanta.example.com"));
    EXPECT_EQ(m.GetContacts().size(), 1u);
    EXPECT_EQ(m.GetOptionTags(HeaderId::kSupported),
              (std::vector<std::string_view>{"100rel", "timer"}));
    EXPECT_EQ(m.FindHeader("Subject")->value, "lunch");
    EXPECT_EQ(m.GetTokenParams(HeaderId::kEvent)->value, "presence");
    EXPECT_EQ(m.GetNameAddr(HeaderId::kReferTo)->GetUri().GetRaw(),
              "sip:carol@chicago.example.com");
    EXPECT_EQ(m.GetNameAddr(HeaderId::kReferredBy)->GetUri().GetRaw(),
              "sip:alice@atlanta.example.com");
    EXPECT_EQ(m.GetIdentityInfo()->GetAlg(), OptSv("rsa-sha1"));
    EXPECT_EQ(m.GetIdentity(), std::optional<std::string>("c2lnbmF0dXJl"));
    EXPECT_EQ(m.FindHeader(HeaderId::kContentEncoding)->value, "gzip");
    EXPECT_TRUE(m.GetContentType()->Is("text", "plain"));
    EXPECT_EQ(m.GetBody(), "hi");
    // The names stay as received; the wire form uses the long names.
    EXPECT_EQ(m.FindHeader(HeaderId::kFrom)->name, "F");
    EXPECT_EQ(m.FindHeader("f"), m.FindHeader("From"));
    EXPECT_EQ(m.Serialize(),
              "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
              "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKnashds8\r\n"
              "To: Bob <sip:bob@biloxi.example.com>\r\n"
              "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
              "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
              "CSeq: 314159 INVITE\r\n"
              "Contact: <sip:alice@pc33.atlanta.example.com>\r\n"
              "Supported: 100rel, timer\r\n"
              "Subject: lunch\r\n"
              "Event: presence\r\n"
              "Refer-To: <sip:carol@chicago.example.com>\r\n"
              "Referred-By: <sip:alice@atlanta.example.com>\r\n"
              "Identity-Info: <https://atlanta.example.com/cert>;alg=rsa-sha1\r\n"
              "Identity: \"c2lnbmF0dXJl\"\r\n"
              "Content-Encoding: gzip\r\n"
              "Content-Type: text/plain\r\n"
              "Content-Length: 2\r\n"
              "\r\n"
              "hi");
}

// ---------------- typed access through a message ----------------

TEST(MessageValues, ChallengesAndCredentialsDoNotSplitAtCommas)
{
    SipMessage m = MustParse(
        "SIP/2.0 401 Unauthorized\r\n"
        "WWW-Authenticate: Digest realm=\"atlanta.example.com\", qop=\"auth,auth-int\",\r\n"
        " nonce=\"ea9c8e88df84f1cec4341ae6cbe5a359\", opaque=\"\", stale=FALSE, algorithm=MD5\r\n"
        "WWW-Authenticate: Basic realm=\"atlanta.example.com\"\r\n"
        "Content-Length: 0\r\n"
        "\r\n");
    auto challenges = m.GetAuth(HeaderId::kWwwAuthenticate);
    ASSERT_EQ(challenges.size(), 2u);
    EXPECT_TRUE(challenges[0].IsDigest());
    EXPECT_EQ(challenges[0].GetDecoded("realm"), std::optional<std::string>("atlanta.example.com"));
    EXPECT_EQ(challenges[0].GetDecoded("qop"), std::optional<std::string>("auth,auth-int"));
    EXPECT_EQ(challenges[0].GetDecoded("nonce"),
              std::optional<std::string>("ea9c8e88df84f1cec4341ae6cbe5a359"));
    EXPECT_EQ(challenges[0].Get("stale"), OptSv("FALSE"));
    EXPECT_EQ(challenges[0].Get("algorithm"), OptSv("MD5"));
    EXPECT_EQ(challenges[1].GetScheme(), "Basic");
    EXPECT_EQ(m.CountValues(HeaderId::kWwwAuthenticate), 2u);
}

TEST(MessageValues, RetryAfterSubscriptionStateEtagReferSubTargetDialog)
{
    SipMessage m = MustParse(
        kOptionsHead +
        "Retry-After: 120 (I'm in a meeting);duration=3600\r\n"
        "Subscription-State: terminated;reason=timeout;retry-after=60\r\n"
        "SIP-ETag: dx200xyz\r\n"
        "SIP-If-Match: kwj449x\r\n"
        "Refer-Sub: false\r\n"
        "Target-Dialog: fa77as7dad8-sd98ajzz@host.example.com;local-tag=kkaz-;remote-tag=6544\r\n"
        "Content-Length: 0\r\n\r\n");
    auto ra = m.GetRetryAfter();
    ASSERT_TRUE(ra.has_value());
    EXPECT_EQ(ra->seconds, 120u);
    EXPECT_EQ(ra->comment, "(I'm in a meeting)");
    EXPECT_EQ(ra->GetDuration(), std::optional<uint32_t>(3600));
    auto ss = m.GetTokenParams(HeaderId::kSubscriptionState);
    ASSERT_TRUE(ss.has_value());
    EXPECT_EQ(ss->value, "terminated");
    EXPECT_EQ(ss->params.Get("retry-after"), OptSv("60"));
    EXPECT_EQ(m.GetToken(HeaderId::kSipETag), OptSv("dx200xyz"));
    EXPECT_EQ(m.GetToken(HeaderId::kSipIfMatch), OptSv("kwj449x"));
    EXPECT_EQ(m.GetTokenParams(HeaderId::kReferSub)->value, "false");
    auto td = m.GetTokenParams(HeaderId::kTargetDialog);
    ASSERT_TRUE(td.has_value());
    EXPECT_EQ(td->value, "fa77as7dad8-sd98ajzz@host.example.com");
    EXPECT_EQ(td->params.Get("local-tag"), OptSv("kkaz-"));
    EXPECT_EQ(td->params.Get("remote-tag"), OptSv("6544"));
}

// RFC 3515 / 3891: the Refer-To URI carries an escaped Replaces header.
TEST(MessageValues, ReferToKeepsEmbeddedUriHeadersInAngleBrackets)
{
    SipMessage m = MustParse(
        kOptionsHead + "Refer-To: <sip:dave@denver.example.org?Replaces=12345%40192.168.118.3%3B"
                       "to-tag%3D12345%3Bfrom-tag%3D5FFE-3994>;isfocus\r\n"
                       "Content-Length: 0\r\n\r\n");
    auto rt = m.GetNameAddr(HeaderId::kReferTo);
    ASSERT_TRUE(rt.has_value());
    EXPECT_EQ(rt->GetUri().GetHost(), "denver.example.org");
    EXPECT_EQ(rt->GetUri().GetHeaders(),
              "Replaces=12345%40192.168.118.3%3Bto-tag%3D12345%3Bfrom-tag%3D5FFE-3994");
    EXPECT_EQ(text::Unescape(rt->GetUri().GetHeaders()),
              "Replaces=12345@192.168.118.3;to-tag=12345;from-tag=5FFE-3994");
    EXPECT_EQ(rt->GetParams().Get("isfocus"), OptSv("")); // RFC 4508 feature parameter

    ParseError e =
        MustReject(kOptionsHead + "Refer-To: sip:dave@denver.example.org?Replaces=x\r\n\r\n");
    EXPECT_EQ(e.header, "Refer-To");
    EXPECT_EQ(e.line, 8);
}

TEST(MessageValues, DateAndFoldedIdentityFromTheMessage)
{
    SipMessage m =
        MustParse(kOptionsHead +
                  "Date: Sat, 13 Nov 2010 23:29:00 GMT\r\n"
                  "Identity: \"ZYNBbHC00VMZr2kZt6VmCvPonWJMGvQTBDqghoWeLxJfzB2a1pxAr3VgrB0SsSAa\r\n"
                  "    ifsRdiOPoQZYOy2wrVghuhcsMbHWUSFxI6p6q5TOQXHMmz6uEo3svJsSH49thyGnFVcnyaZ\r\n"
                  "    ++yRlBYYQTLqWzJ+KVhPKbfU/pryhVn9Yc6U=\"\r\n"
                  "Identity-Info: <https://atlanta.example.com/atlanta.cer>;alg=rsa-sha1\r\n"
                  "Content-Length: 0\r\n\r\n");
    EXPECT_EQ(m.GetDate(), std::optional<int64_t>(1289690940));
    EXPECT_EQ(m.GetIdentity(),
              std::optional<std::string>(
                  "ZYNBbHC00VMZr2kZt6VmCvPonWJMGvQTBDqghoWeLxJfzB2a1pxAr3VgrB0SsSAa"
                  "ifsRdiOPoQZYOy2wrVghuhcsMbHWUSFxI6p6q5TOQXHMmz6uEo3svJsSH49thyGnFVcnyaZ"
                  "++yRlBYYQTLqWzJ+KVhPKbfU/pryhVn9Yc6U="));
    EXPECT_EQ(m.GetIdentityInfo()->uri.GetRaw(), "https://atlanta.example.com/atlanta.cer");
    // The Identity header is written on one line.
    EXPECT_NE(
        m.Serialize().find(
            "\r\nIdentity: \"ZYNBbHC00VMZr2kZt6VmCvPonWJMGvQTBDqghoWeLxJfzB2a1pxAr3VgrB0SsSAa "
            "ifsRdiOPoQZYOy2wrVghuhcsMbHWUSFxI6p6q5TOQXHMmz6uEo3svJsSH49thyGnFVcnyaZ "
            "++yRlBYYQTLqWzJ+KVhPKbfU/pryhVn9Yc6U=\"\r\n"),
        std::string::npos);
}

// RFC 3261 7.3.1: "The line break and the whitespace at the beginning of the
// next line are treated as a single SP character", inside quoted strings and
// comments too. The canonical form does so; the typed getters must agree.
// RFC 3261 7.3.1: folds inside quoted display names, quoted parameter and
// auth-param values, Retry-After comments and the Date read as one SP.
TEST(MessageValues, FoldsInsideValuesReadAsOneSpace)
{
    SipMessage m =
        MustParse("SIP/2.0 401 Unauthorized\r\n"
                  "Via: SIP/2.0/UDP h.example.com;branch=z9hG4bK1\r\n"
                  "From: \"Alice\r\n Liddell\" <sip:alice@atlanta.example.com>;tag=1\r\n"
                  "To: <sip:bob@biloxi.example.com>;x=\"a\r\n b\"\r\n"
                  "Date: Sat, 13 Nov 2010\r\n 23:29:00 GMT\r\n"
                  "WWW-Authenticate: Digest realm=\"atlanta\r\n example.com\", nonce=\"n\"\r\n"
                  "Retry-After: 120 (in a\r\n meeting)\r\n"
                  "Content-Length: 0\r\n\r\n");
    EXPECT_EQ(m.GetFrom()->GetDisplayName(), "Alice Liddell");
    EXPECT_EQ(m.GetTo()->GetParams().GetDecoded("x"), std::optional<std::string>("a b"));
    EXPECT_EQ(m.GetDate(), std::optional<int64_t>(1289690940));
    auto auth = m.GetAuth(HeaderId::kWwwAuthenticate);
    ASSERT_EQ(auth.size(), 1u);
    EXPECT_EQ(auth[0].GetDecoded("realm"), std::optional<std::string>("atlanta example.com"));
    // The comment keeps its parentheses; read through GetComment() it is one line.
    EXPECT_EQ(m.GetRetryAfter()->GetComment(), "(in a meeting)");
}

TEST(MessageValues, ListFieldsSplitAcrossLinesAndCommas)
{
    SipMessage m = MustParse(
        kOptionsHead + "Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>\r\n"
                       "Route: <sip:p3.example.com;lr>\r\n"
                       "Contact: \"Doe, John\" <sip:jd@example.com>;q=0.5, <sip:jd@192.0.2.7>\r\n"
                       "Content-Length: 0\r\n\r\n");
    auto routes = m.GetNameAddrs(HeaderId::kRoute);
    ASSERT_EQ(routes.size(), 3u);
    EXPECT_EQ(routes[0].GetUri().GetHost(), "p1.example.com");
    EXPECT_EQ(routes[2].GetUri().GetHost(), "p3.example.com");
    EXPECT_EQ(m.CountHeaders(HeaderId::kRoute), 2u);
    EXPECT_EQ(m.CountValues(HeaderId::kRoute), 3u);
    auto contacts = m.GetContacts();
    ASSERT_EQ(contacts.size(), 2u);
    EXPECT_EQ(contacts[0].GetAddress().GetDisplayName(), "Doe, John");
    EXPECT_DOUBLE_EQ(*contacts[0].GetQ(), 0.5);
    EXPECT_EQ(contacts[1].GetUri().GetHost(), "192.0.2.7");
}

// ---------------- header modification API ----------------

TEST(ModifyHeaders, AddHeaderValidatesAndNamesTheHeaderInItsError)
{
    SipMessage m = NewRequest();
    auto bad = m.AddHeader("Via", "SIP/2.0/UDP");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.GetError().header, "Via");
    EXPECT_FALSE(bad.GetError().reason.empty());
    EXPECT_TRUE(m.GetHeaders().empty()) << "a rejected value must not be added";

    auto badMf = m.AddHeader("max-forwards", "256");
    ASSERT_FALSE(badMf);
    EXPECT_EQ(badMf.GetError().header, "max-forwards");

    EXPECT_FALSE(m.AddHeader("Contact", "<sip:a@b.example>;q=1.5"));
    EXPECT_FALSE(m.AddHeader("Bad Name", "x"));
    EXPECT_FALSE(m.AddHeader("", "x"));
    EXPECT_FALSE(m.AddHeader("X-Header", "line1\r\nline2")); // a second header line sneaked in
    EXPECT_FALSE(m.AddHeader("X-Header", "line1\nInjected: yes"));
    EXPECT_TRUE(m.GetHeaders().empty());

    auto ok = m.AddHeader("X-Header", "line1\r\n line2"); // a fold is fine
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok.GetValue(), 0u);
    EXPECT_EQ(m.GetHeaders()[0].line, 0u); // set in code
    EXPECT_EQ(m.Serialize(),
              "OPTIONS sip:carol@chicago.example.com SIP/2.0\r\n"
              "X-Header: line1 line2\r\n"
              "Content-Length: 0\r\n\r\n");
}

TEST(ModifyHeaders, PrependHeaderPutsANewViaOnTop)
{
    SipMessage m = MustParse(kOptionsHead + "Content-Length: 0\r\n\r\n");
    auto idx = m.PrependHeader("v", "SIP/2.0/TCP proxy.example.com;branch=z9hG4bK-proxy-1");
    ASSERT_TRUE(idx) << idx.GetError().ToString();
    EXPECT_EQ(idx.GetValue(), 0u);
    auto vias = m.GetVias();
    ASSERT_EQ(vias.size(), 2u);
    EXPECT_EQ(vias[0].GetHost(), "proxy.example.com");
    EXPECT_EQ(vias[1].GetHost(), "pc33.atlanta.example.com");
    EXPECT_EQ(m.GetTopVia()->GetBranch(), OptSv("z9hG4bK-proxy-1"));

    // Before the first field of that name: Record-Route after Max-Forwards.
    SipMessage r = MustParse(kOptionsHead +
                             "Record-Route: <sip:p2.example.com;lr>\r\nContent-Length: 0\r\n\r\n");
    auto rr = r.PrependHeader("Record-Route", "<sip:p1.example.com;lr>");
    ASSERT_TRUE(rr);
    EXPECT_EQ(rr.GetValue(), 6u);
    auto addrs = r.GetNameAddrs(HeaderId::kRecordRoute);
    ASSERT_EQ(addrs.size(), 2u);
    EXPECT_EQ(addrs[0].GetUri().GetHost(), "p1.example.com");

    // No field of that name yet: first of all.
    SipMessage empty = NewRequest();
    ASSERT_TRUE(empty.AddHeader("Max-Forwards", "70"));
    ASSERT_TRUE(empty.PrependHeader("Via", "SIP/2.0/UDP a.example.com;branch=z9hG4bK1"));
    EXPECT_EQ(Names(empty), (std::vector<std::string>{"Via", "Max-Forwards"}));
    EXPECT_FALSE(empty.PrependHeader("Via", "garbage"));
}

TEST(ModifyHeaders, SetHeaderReplacesTheFirstAndRemovesDuplicates)
{
    SipMessage m = MustParse(kOptionsHead + "Max-Forwards: 20\r\nContent-Length: 0\r\n\r\n");
    ASSERT_EQ(m.CountHeaders(HeaderId::kMaxForwards), 2u);
    auto idx = m.SetHeader("Max-Forwards", "69");
    ASSERT_TRUE(idx);
    EXPECT_EQ(idx.GetValue(), 1u); // where the first one stood
    EXPECT_EQ(m.CountHeaders(HeaderId::kMaxForwards), 1u);
    EXPECT_EQ(m.GetUint(HeaderId::kMaxForwards), std::optional<uint32_t>(69));
    EXPECT_EQ(Names(m),
              (std::vector<std::string>{
                  "Via", "Max-Forwards", "To", "From", "Call-ID", "CSeq", "Content-Length"}));

    // Absent: added at the end.
    auto subj = m.SetHeader("Subject", "hello");
    ASSERT_TRUE(subj);
    EXPECT_EQ(subj.GetValue(), 7u);
    EXPECT_EQ(m.FindHeader(HeaderId::kSubject)->value, "hello");

    // Unknown headers are matched by name, case-insensitively.
    ASSERT_TRUE(m.AddHeader("X-Foo", "1"));
    ASSERT_TRUE(m.AddHeader("x-foo", "2"));
    ASSERT_TRUE(m.SetHeader("X-FOO", "3"));
    EXPECT_EQ(m.FindHeader("x-foo")->value, "3");
    size_t n = 0;
    for (const HeaderField& h : m.GetHeaders())
    {
        n += text::IEquals(h.name, "x-foo");
    }
    EXPECT_EQ(n, 1u);

    EXPECT_FALSE(m.SetHeader("Max-Forwards", "x"));
    EXPECT_EQ(m.GetUint(HeaderId::kMaxForwards), std::optional<uint32_t>(69));
}

TEST(ModifyHeaders, RemoveFirstValueOfAViaList)
{
    SipMessage m = MustParse("SIP/2.0 200 OK\r\n"
                             "Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1, SIP/2.0/UDP "
                             "b.example.com;branch=z9hG4bK2\r\n"
                             "Via: SIP/2.0/UDP c.example.com;branch=z9hG4bK3\r\n"
                             "Content-Length: 0\r\n\r\n");
    ASSERT_TRUE(m.RemoveFirstValue(HeaderId::kVia));
    EXPECT_EQ(m.CountHeaders(HeaderId::kVia), 2u);
    EXPECT_EQ(m.GetTopVia()->GetHost(), "b.example.com");
    EXPECT_EQ(m.GetHeaders()[0].value, "SIP/2.0/UDP b.example.com;branch=z9hG4bK2");
    ASSERT_TRUE(m.RemoveFirstValue(HeaderId::kVia)); // the field is now empty: it goes
    EXPECT_EQ(m.CountHeaders(HeaderId::kVia), 1u);
    EXPECT_EQ(m.GetTopVia()->GetHost(), "c.example.com");
    ASSERT_TRUE(m.RemoveFirstValue(HeaderId::kVia));
    EXPECT_EQ(m.CountHeaders(HeaderId::kVia), 0u);
    EXPECT_FALSE(m.RemoveFirstValue(HeaderId::kVia));
    EXPECT_EQ(m.Serialize(), "SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n");
}

TEST(ModifyHeaders, RemoveHeadersByAnyNameOfTheField)
{
    SipMessage m =
        MustParse(kOptionsHead +
                  "v: SIP/2.0/UDP x.example.com\r\nX-A: 1\r\nx-a: 2\r\nContent-Length: 0\r\n\r\n");
    EXPECT_EQ(m.RemoveHeaders("VIA"), 2u);
    EXPECT_EQ(m.CountHeaders(HeaderId::kVia), 0u);
    EXPECT_EQ(m.RemoveHeaders("X-a"), 2u);
    EXPECT_EQ(m.FindHeader("X-A"), nullptr);
    EXPECT_EQ(m.RemoveHeaders(HeaderId::kCSeq), 1u);
    EXPECT_EQ(m.RemoveHeaders("Nothing-Here"), 0u);
}

TEST(ModifyHeaders, SetBodyRewritesContentLengthOnOutput)
{
    SipMessage m =
        MustParse(kOptionsHead + "Content-Length: 0\r\nContent-Type: text/plain\r\n\r\n");
    m.SetBody("Hello, world");
    EXPECT_EQ(m.GetBody(), "Hello, world");
    std::string wire = m.Serialize();
    EXPECT_NE(wire.find("\r\nContent-Length: 12\r\nContent-Type: text/plain\r\n\r\nHello, world"),
              std::string::npos)
        << wire;
    auto back = ParseDatagram(wire);
    ASSERT_TRUE(back);
    EXPECT_EQ(back.GetValue().GetBody(), "Hello, world");
    EXPECT_EQ(back.GetValue().GetUint(HeaderId::kContentLength), std::optional<uint32_t>(12));

    m.SetBody("");
    EXPECT_NE(m.Serialize().find("\r\nContent-Length: 0\r\n"), std::string::npos);
}

TEST(ModifyHeaders, StartLineSetters)
{
    SipMessage m = NewRequest("REGISTER", "sip:registrar.example.com");
    EXPECT_EQ(m.GetMethod(), "REGISTER");
    ASSERT_TRUE(m.SetRequestUri("sips:registrar.example.com;transport=tls"));
    EXPECT_EQ(m.GetRequestUri().GetScheme(), SipUri::Scheme::kSips);
    EXPECT_FALSE(m.SetRequestUri("sip:a@b?x=y")); // headers are not allowed in a Request-URI
    EXPECT_FALSE(m.SetRequestUri("<sip:a@b>"));
    EXPECT_FALSE(SipMessage::MakeRequest("IN VITE", "sip:a@b"));
    EXPECT_FALSE(SipMessage::MakeRequest("", "sip:a@b"));
    EXPECT_FALSE(SipMessage::MakeRequest("INVITE", "sip:a@b c"));

    auto r = SipMessage::MakeResponse(486, "Busy Here");
    ASSERT_TRUE(r);
    EXPECT_TRUE(r.GetValue().IsResponse());
    EXPECT_EQ(r.GetValue().GetStatusCode(), 486);
    EXPECT_EQ(r.GetValue().Serialize(), "SIP/2.0 486 Busy Here\r\nContent-Length: 0\r\n\r\n");
    EXPECT_FALSE(SipMessage::MakeResponse(99, "Too Low"));
    EXPECT_FALSE(SipMessage::MakeResponse(700, "Too High"));
    EXPECT_FALSE(SipMessage::MakeResponse(200, "OK\r\nVia: injected"));
}

TEST(ModifyHeaders, CopiesStayValidAfterTheOriginalChanges)
{
    SipMessage original = MustParse(kOptionsHead + "Content-Length: 0\r\n\r\n");
    SipMessage copy = original;
    ASSERT_TRUE(original.SetHeader("Max-Forwards", "1"));
    original.SetBody("changed");
    EXPECT_EQ(copy.GetUint(HeaderId::kMaxForwards), std::optional<uint32_t>(70));
    EXPECT_EQ(copy.GetBody(), "");
    EXPECT_FALSE(copy == original);
}

// ---------------- multipart (RFC 2046 5.1, RFC 3261 7.4) ----------------

const std::string kNestedBody = "preamble, ignored\r\n"
                                "--outer\r\n"
                                "Content-Type: text/plain\r\n"
                                "\r\n"
                                "Hello\r\n"
                                "--outer\r\n"
                                "Content-Type: multipart/alternative;\r\n"
                                " boundary=\"inner boundary\"\r\n"
                                "\r\n"
                                "--inner boundary\r\n"
                                "Content-Type: text/plain\r\n"
                                "\r\n"
                                "plain\r\n"
                                "--inner boundary\r\n"
                                "Content-Type: text/html\r\n"
                                "\r\n"
                                "<b>html</b>\r\n"
                                "--inner boundary--\r\n"
                                "--outer  \r\n" // transport padding after the delimiter
                                "\r\n"
                                "no headers\r\n"
                                "--outer--\r\n"
                                "epilogue, ignored\r\n";

TEST(Multipart, NestedMultipartSplitsAtEachLevel)
{
    SipMessage m = MustParse(kOptionsHead +
                             "Content-Type: multipart/mixed;boundary=outer\r\n"
                             "Content-Length: " +
                             std::to_string(kNestedBody.size()) + "\r\n\r\n" + kNestedBody);
    auto outer = ParseMultipart(m);
    ASSERT_TRUE(outer) << outer.GetError().ToString();
    ASSERT_EQ(outer.GetValue().size(), 3u);
    const BodyPart& first = outer.GetValue()[0];
    EXPECT_TRUE(first.GetContentType()->Is("text", "plain"));
    EXPECT_EQ(first.body, "Hello");

    const BodyPart& alt = outer.GetValue()[1];
    auto altType = alt.GetContentType();
    ASSERT_TRUE(altType.has_value());
    EXPECT_TRUE(altType->Is("multipart", "alternative"));
    auto boundary = altType->params.GetDecoded("boundary");
    ASSERT_EQ(boundary, std::optional<std::string>("inner boundary"));
    auto inner = ParseMultipart(alt.body, *boundary);
    ASSERT_TRUE(inner) << inner.GetError().ToString();
    ASSERT_EQ(inner.GetValue().size(), 2u);
    EXPECT_TRUE(inner.GetValue()[0].GetContentType()->Is("text", "plain"));
    EXPECT_EQ(inner.GetValue()[0].body, "plain");
    EXPECT_TRUE(inner.GetValue()[1].GetContentType()->Is("text", "html"));
    EXPECT_EQ(inner.GetValue()[1].body, "<b>html</b>");

    const BodyPart& bare = outer.GetValue()[2];
    EXPECT_TRUE(bare.headers.empty());
    EXPECT_EQ(bare.GetContentType(), std::nullopt);
    EXPECT_EQ(bare.body, "no headers");

    // The JSON view nests the parts too.
    nlohmann::json j = ToJson(m);
    ASSERT_TRUE(j.contains("parts"));
    ASSERT_EQ(j["parts"].size(), 3u);
    ASSERT_TRUE(j["parts"][1].contains("parts"));
    EXPECT_EQ(j["parts"][1]["parts"].size(), 2u);
    EXPECT_EQ(j["parts"][1]["parts"][1]["body"]["text"], "<b>html</b>");
}

TEST(Multipart, MalformedBodiesAreErrors)
{
    EXPECT_FALSE(ParseMultipart("--b\r\n\r\nx\r\n", "b")) << "no close delimiter";
    EXPECT_FALSE(ParseMultipart("no delimiter at all", "b"));
    EXPECT_FALSE(ParseMultipart("--b junk\r\n\r\nx\r\n--b--", "b")) << "text after the delimiter";
    EXPECT_FALSE(ParseMultipart("--b\r\nContent-Type: text/plain\r\nx\r\n--b--", "b"))
        << "headers without the empty line";
    EXPECT_FALSE(ParseMultipart("--b\r\nContent-Type: text\r\n\r\nx\r\n--b--", "b"))
        << "a part's Content-Type is checked";
    EXPECT_FALSE(ParseMultipart("--\r\n\r\n--", "")) << "empty boundary";
    EXPECT_FALSE(ParseMultipart("x", std::string(71, 'b'))) << "boundary over 70 characters";
    auto empty = ParseMultipart("--b--\r\n", "b");
    ASSERT_TRUE(empty);
    EXPECT_TRUE(empty.GetValue().empty());

    SipMessage plain =
        MustParse(kOptionsHead + "Content-Type: text/plain\r\nContent-Length: 1\r\n\r\nx");
    EXPECT_FALSE(ParseMultipart(plain)) << "not multipart";
    SipMessage noBoundary =
        MustParse(kOptionsHead + "Content-Type: multipart/mixed\r\nContent-Length: 1\r\n\r\nx");
    EXPECT_FALSE(ParseMultipart(noBoundary)) << "no boundary parameter";
}

// ---------------- errors name their line and header ----------------

TEST(ParseErrors, NameTheLineAndTheHeaderAsReceived)
{
    ParseError e = MustReject("INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
                              "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK1\r\n"
                              "t: <sip:bob@biloxi.example.com\r\n"
                              "Content-Length: 0\r\n\r\n");
    EXPECT_EQ(e.line, 3);
    EXPECT_EQ(e.header, "t");
    EXPECT_EQ(e.status, 400);
    EXPECT_EQ(e.ToString().rfind("line 3, header t: ", 0), 0u) << e.ToString();
}

TEST(ParseErrors, LineNumbersCountFoldsAndLeadingEmptyLines)
{
    ParseError e = MustReject("\r\n\r\n" // RFC 3261 7.5: ignored before the start line
                              "OPTIONS sip:carol@chicago.example.com SIP/2.0\r\n" // line 3
                              "Subject: a\r\n"                                    // 4
                              " folded\r\n"                                       // 5
                              "\tand folded again\r\n"                            // 6
                              "Max-Forwards: lots\r\n"                            // 7
                              "\r\n");
    EXPECT_EQ(e.line, 7);
    EXPECT_EQ(e.header, "Max-Forwards");
}

TEST(ParseErrors, StartLineErrorsHaveNoHeader)
{
    ParseError bad = MustReject("INVITE sip:bob@biloxi.example.com SIP/2.0 extra\r\n\r\n");
    EXPECT_EQ(bad.line, 1);
    EXPECT_EQ(bad.header, "");

    ParseError version = MustReject("INVITE sip:bob@biloxi.example.com SIP/3.0\r\n\r\n");
    EXPECT_EQ(version.status, 505);
    EXPECT_EQ(version.line, 1);

    ParseError badMethod = MustReject("INV<ITE sip:bob@biloxi.example.com SIP/2.0\r\n\r\n");
    EXPECT_EQ(badMethod.status, 400);

    EXPECT_EQ(MustReject("").status, 400);
    EXPECT_EQ(MustReject("\r\n\r\n").status, 400);
    EXPECT_EQ(MustReject("INVITE sip:bob@biloxi.example.com SIP/2.0").line, 1); // no CRLF
}

TEST(ParseErrors, BadResponsesAreDroppedNotAnswered)
{
    ParseError e = MustReject("SIP/2.0 200 OK\r\n"
                              "Via: SIP/2.0/UDP\r\n"
                              "\r\n");
    EXPECT_EQ(e.status, 0);
    EXPECT_EQ(e.line, 2);
    EXPECT_EQ(e.header, "Via");
    EXPECT_EQ(MustReject("SIP/2.0 99 Low\r\n\r\n").status, 0);
    EXPECT_EQ(MustReject("SIP/2.0 2000 OK\r\n\r\n").status, 0);
    EXPECT_EQ(MustReject("SIP/2.0 200OK\r\n\r\n").status, 0);
}

TEST(ParseErrors, MalformedHeaderLines)
{
    ParseError noColon = MustReject(kOptionsHead + "This line has no colon\r\n\r\n");
    EXPECT_EQ(noColon.line, 8);
    ParseError badName = MustReject(kOptionsHead + "Bad Name: x\r\n\r\n");
    EXPECT_EQ(badName.line, 8);
    ParseError leadingSpace = MustReject("OPTIONS sip:carol@chicago.example.com SIP/2.0\r\n"
                                         " Via: SIP/2.0/UDP h\r\n\r\n");
    EXPECT_EQ(leadingSpace.line, 2);
    ParseError emptyName = MustReject(kOptionsHead + ": value\r\n\r\n");
    EXPECT_EQ(emptyName.line, 8);
}

TEST(ParseErrors, CSeqMethodMustMatchTheRequestMethod)
{
    ParseError e = MustReject("OPTIONS sip:carol@chicago.example.com SIP/2.0\r\n"
                              "Max-Forwards: 70\r\n"
                              "CSeq: 1 INVITE\r\n\r\n");
    EXPECT_EQ(e.line, 3);
    EXPECT_EQ(e.header, "CSeq");
    EXPECT_EQ(e.status, 400);
    // A response may carry any CSeq method.
    MustParse("SIP/2.0 200 OK\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n");
}

TEST(ParseErrors, ContentLengthLargerThanTheDatagramIsAnErrorNotAnOverRead)
{
    ParseError e = MustReject(kOptionsHead + "Content-Length: 10\r\n\r\n123456789");
    EXPECT_EQ(e.header, "Content-Length");
    EXPECT_EQ(e.line, 8);
    // Extra octets after Content-Length are ignored (RFC 3261 18.3).
    SipMessage m = MustParse(kOptionsHead + "Content-Length: 3\r\n\r\n123456789");
    EXPECT_EQ(m.GetBody(), "123");
}

TEST(Datagram, MissingEmptyLineAfterCompleteHeadersMeansNoBody)
{
    SipMessage m = MustParse(kOptionsHead);
    EXPECT_EQ(m.GetBody(), "");
    EXPECT_EQ(m.GetCSeq()->seq, 63104u);
    // Bare LF line ends are read too.
    SipMessage lf = MustParse("OPTIONS sip:carol@chicago.example.com SIP/2.0\n"
                              "Max-Forwards: 70\n"
                              "CSeq: 1 OPTIONS\n"
                              "\n"
                              "body");
    EXPECT_EQ(lf.GetUint(HeaderId::kMaxForwards), std::optional<uint32_t>(70));
    EXPECT_EQ(lf.GetBody(), "body");
}

} // namespace
} // namespace sipbed
