// Typed header values (RFC 3261 20 and 25.1 and the extensions sipbed
// reads): name-addr / addr-spec, Contact, Via, CSeq, media types,
// Retry-After, Digest challenges and credentials, token-with-params values,
// Identity-Info, Call-ID, Date and Identity.

#include "models/sip/header-values.h"
#include "models/sip/name-addr.h"
#include "models/sip/sip-message.h"
#include "models/sip/via.h"

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

template <class T>
T
MustParse(Result<T> r, std::string_view what)
{
    if (!r)
    {
        ADD_FAILURE() << "'" << what << "' must parse: " << r.GetError().ToString();
        return T();
    }
    return r.GetValue();
}

NameAddr
Addr(std::string_view value)
{
    return MustParse(NameAddr::Parse(value), value);
}

ContactValue
Contact(std::string_view value)
{
    text::Scanner s(value);
    return MustParse(ContactValue::ParseOne(s), value);
}

Via
ViaOf(std::string_view value)
{
    text::Scanner s(value);
    auto r = Via::ParseOne(s);
    if (r)
    {
        s.SkipSws();
        EXPECT_TRUE(s.AtEnd()) << "'" << value << "': left over '" << s.Rest() << "'";
    }
    return MustParse(std::move(r), value);
}

/// The header value checked as the parser checks it; nullopt = accepted.
std::optional<ParseError>
Check(HeaderId id, std::string_view value)
{
    return ValidateHeaderValue(id, value);
}

#define EXPECT_VALID(id, value)               \
    EXPECT_EQ(Check(id, value), std::nullopt) \
        << "'" << (value) << "' must be accepted: " << Check(id, value)->ToString()
#define EXPECT_INVALID(id, value) \
    EXPECT_NE(Check(id, value), std::nullopt) << "'" << (value) << "' must be rejected"

// ---------------- name-addr / addr-spec (RFC 3261 20.10, 20.20, 20.39) ----------------

TEST(NameAddr, QuotedDisplayNameUriInBracketsAndTag)
{
    NameAddr a = Addr("\"Bob \\\"the builder\\\"\" <sips:bob@biloxi.com>;tag=a6c85cf");
    EXPECT_EQ(a.GetDisplayNameRaw(), "\"Bob \\\"the builder\\\"\"");
    EXPECT_EQ(a.GetDisplayName(), "Bob \"the builder\"");
    EXPECT_TRUE(a.IsBracketed());
    EXPECT_EQ(a.GetUri().GetRaw(), "sips:bob@biloxi.com");
    EXPECT_EQ(a.GetTag(), OptSv("a6c85cf"));
}

TEST(NameAddr, TokenDisplayNameOfSeveralWords)
{
    NameAddr a = Addr("Alice Liddell <sip:alice@atlanta.com>");
    EXPECT_EQ(a.GetDisplayName(), "Alice Liddell");
    EXPECT_EQ(a.GetUri().GetRaw(), "sip:alice@atlanta.com");
    EXPECT_EQ(a.GetTag(), std::nullopt);
    EXPECT_EQ(Addr("A.G.Bell<sip:agb@bell-telephone.com>").GetDisplayName(), "A.G.Bell");
    EXPECT_EQ(Addr("\"\" <sip:anonymous@anonymous.invalid>").GetDisplayName(), "");
}

// RFC 3261 20: without < >, parameters after the URI are header parameters.
TEST(NameAddr, AddrSpecParametersBelongToTheHeader)
{
    NameAddr a = Addr("sip:+12125551212@server.phone2net.com;tag=887s;user=phone");
    EXPECT_FALSE(a.IsBracketed());
    EXPECT_EQ(a.GetUri().GetRaw(), "sip:+12125551212@server.phone2net.com");
    EXPECT_TRUE(a.GetUri().GetParams().Empty());
    EXPECT_EQ(a.GetTag(), OptSv("887s"));
    EXPECT_EQ(a.GetParams().Get("user"), OptSv("phone"));

    NameAddr b = Addr("<sip:+12125551212@server.phone2net.com;user=phone>;tag=887s");
    EXPECT_TRUE(b.IsBracketed());
    EXPECT_EQ(b.GetUri().GetParams().Get("user"), OptSv("phone"));
    EXPECT_EQ(b.GetParams().Get("user"), std::nullopt);
    EXPECT_EQ(b.GetTag(), OptSv("887s"));
}

TEST(NameAddr, WhiteSpaceAroundSemicolonAndEqualsIsAllowed)
{
    NameAddr a = Addr("<sip:a@b.example>  ;  tag = 1234 ; x");
    EXPECT_EQ(a.GetTag(), OptSv("1234"));
    EXPECT_EQ(a.GetParams().Get("x"), OptSv(""));
    EXPECT_EQ(a.GetParams().Size(), 2u);
}

TEST(NameAddr, MalformedAddressesAreRejected)
{
    for (const char* bad : {"",
                            "\"Mr. J. User <sip:j.user@example.com>",     // unterminated quote
                            "Bell, Alexander <sip:a.g.bell@example.com>", // ',' in a token name
                            "\"Watson\" < sip:t.watson@example.org >",    // LWS inside < >
                            "<sip:a@b.example",                           // no '>'
                            "Bob",                                        // no address
                            "\"Bob\" sip:bob@biloxi.com",                 // quoted name needs < >
                            "sip:user@example.com?Route=%3Csip:x%3E",     // headers need < >
                            "<sip:a@b.example>;tag=",                     // empty value
                            "<sip:a@b.example> junk",
                            "<sip:a@b.example>;tag=1;;x"})
    {
        EXPECT_FALSE(NameAddr::Parse(bad)) << "'" << bad << "' must be rejected";
    }
}

TEST(NameAddr, RendersCanonicallyWithBracketsAlways)
{
    std::string out;
    Addr("sip:bob@biloxi.com ;tag = 1").Render(out);
    EXPECT_EQ(out, "<sip:bob@biloxi.com>;tag=1");
    out.clear();
    Addr("\"Bob\"<sip:bob@biloxi.com>").Render(out);
    EXPECT_EQ(out, "\"Bob\" <sip:bob@biloxi.com>");
}

// ---------------- Contact (RFC 3261 20.10, GRUU, outbound) ----------------

TEST(Contact, StarIsTheOnlyValue)
{
    ContactValue star = Contact("*");
    EXPECT_TRUE(star.IsStar());
    EXPECT_VALID(HeaderId::kContact, "*");
    EXPECT_INVALID(HeaderId::kContact, "<sip:a@b.example>, *");
    EXPECT_INVALID(HeaderId::kContact, "*;expires=0");
}

// Contact = ("Contact" / "m") HCOLON ( STAR / (contact-param *(COMMA contact-param)))
// RFC 3261 20.10: "*" is only valid as the sole Contact value, in either order.
TEST(Contact, StarFollowedByAnAddressIsRejected)
{
    EXPECT_INVALID(HeaderId::kContact, "*, <sip:a@b.example>");
    EXPECT_INVALID(HeaderId::kContact, "*,sip:a@b.example");
}

TEST(Contact, ExpiresIsDeltaSecondsUpTo2Pow32Minus1)
{
    EXPECT_EQ(Contact("<sip:a@b.example>;expires=3600").GetExpires(),
              std::optional<uint32_t>(3600));
    EXPECT_EQ(Contact("<sip:a@b.example>;expires=0").GetExpires(), std::optional<uint32_t>(0));
    EXPECT_EQ(Contact("<sip:a@b.example>;expires=4294967295").GetExpires(),
              std::optional<uint32_t>(4294967295u));
    EXPECT_EQ(Contact("<sip:a@b.example>").GetExpires(), std::nullopt);
    EXPECT_INVALID(HeaderId::kContact, "<sip:a@b.example>;expires=4294967296");
    EXPECT_INVALID(HeaderId::kContact, "<sip:a@b.example>;expires=280297596632815"); // scalar02
    EXPECT_INVALID(HeaderId::kContact, "<sip:a@b.example>;expires=-1");
    EXPECT_INVALID(HeaderId::kContact, "<sip:a@b.example>;expires=\"10\"");
}

// qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
TEST(Contact, QIsAQvalueFromZeroToOne)
{
    EXPECT_DOUBLE_EQ(*Contact("<sip:a@b.example>;q=0.7").GetQ(), 0.7);
    EXPECT_DOUBLE_EQ(*Contact("<sip:a@b.example>;q=1").GetQ(), 1.0);
    EXPECT_DOUBLE_EQ(*Contact("<sip:a@b.example>;q=1.000").GetQ(), 1.0);
    EXPECT_DOUBLE_EQ(*Contact("<sip:a@b.example>;q=0.").GetQ(), 0.0);
    EXPECT_DOUBLE_EQ(*Contact("<sip:a@b.example>;q=0.125").GetQ(), 0.125);
    EXPECT_EQ(Contact("<sip:a@b.example>").GetQ(), std::nullopt);
    for (const char* bad : {"1.5", "1.001", "2", "0.1234", "-0.5", ".5", "\"0.5\"", "0,5"})
    {
        EXPECT_INVALID(HeaderId::kContact, std::string("<sip:a@b.example>;q=") + bad);
    }
}

TEST(Contact, InstanceIdReadsBackAsTheUrnWithoutQuotesAndBrackets)
{
    ContactValue c = Contact("<sip:callee@192.0.2.1>;+sip.instance=\"<urn:uuid:f81d4fae-7dec-11d0-"
                             "a765-00a0c91e6bf6>\";expires=3600");
    EXPECT_EQ(c.GetInstance(),
              std::optional<std::string>("urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6"));
    EXPECT_EQ(c.GetParams().Get("+sip.instance"),
              OptSv("\"<urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6>\""));
    EXPECT_EQ(c.GetExpires(), std::optional<uint32_t>(3600));
    EXPECT_EQ(Contact("<sip:a@b.example>").GetInstance(), std::nullopt);
}

// outbound: flow-id (draft) / reg-id (RFC 5626); GRUU: gruu (draft),
// pub-gruu / temp-gruu (RFC 5627), all as written on folded lines.
TEST(Contact, OutboundAndGruuParametersAreReadAsHeaderParameters)
{
    ContactValue ob = Contact("<sip:callee@10.0.1.1>\r\n ;+sip.instance=\"<urn:uuid:0C67446E-F1A1-"
                              "11D9-94D3-000A95A0E128>\"\r\n ;flow-id=1\r\n ;expires=3600");
    EXPECT_EQ(ob.GetParams().Get("flow-id"), OptSv("1"));
    EXPECT_EQ(ob.GetInstance(),
              std::optional<std::string>("urn:uuid:0C67446E-F1A1-11D9-94D3-000A95A0E128"));
    EXPECT_EQ(ob.GetExpires(), std::optional<uint32_t>(3600));
    EXPECT_TRUE(ob.GetUri().GetParams().Empty());

    ContactValue rfc = Contact("<sip:bob@192.0.2.2;transport=tcp>;reg-id=1;+sip.instance=\"<urn:"
                               "uuid:00000000-0000-1000-8000-AABBCCDDEEFF>\"");
    EXPECT_EQ(rfc.GetParams().Get("reg-id"), OptSv("1"));
    EXPECT_EQ(rfc.GetUri().GetParams().Get("transport"), OptSv("tcp"));

    ContactValue gruu = Contact(
        "<sip:callee@192.0.2.1>;gruu=\"sip:callee@example.com;opaque=urn:uuid:f81d4fae-7dec-11d0-"
        "a765-00a0c91e6bf6\";+sip.instance=\"<urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6>\";"
        "expires=3600");
    EXPECT_EQ(gruu.GetParams().GetDecoded("gruu"),
              std::optional<std::string>(
                  "sip:callee@example.com;opaque=urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6"));

    ContactValue pub = Contact(
        "<sip:callee@192.0.2.1>;pub-gruu=\"sip:callee@example.com;gr=urn:uuid:f81d4fae-7dec-11d0-"
        "a765-00a0c91e6bf6\";temp-gruu=\"sip:tgruu.7hs==jd7vnzga5w7fajsc7-ajd6fabz0f8g5@example."
        "com;"
        "gr\";+sip.instance=\"<urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6>\";expires=3600");
    EXPECT_EQ(pub.GetParams().GetDecoded("pub-gruu"),
              std::optional<std::string>(
                  "sip:callee@example.com;gr=urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6"));
    EXPECT_EQ(pub.GetParams().GetDecoded("temp-gruu"),
              std::optional<std::string>(
                  "sip:tgruu.7hs==jd7vnzga5w7fajsc7-ajd6fabz0f8g5@example.com;gr"));
    EXPECT_EQ(pub.GetExpires(), std::optional<uint32_t>(3600));
}

TEST(Contact, ListValuesSplitAtTopLevelCommasOnly)
{
    EXPECT_VALID(HeaderId::kContact,
                 "\"Mr. Watson\" <sip:watson@worcester.bell-telephone.com>;q=0.7; expires=3600, "
                 "\"Mr. Watson\" <mailto:watson@bell-telephone.com> ;q=0.1");
    EXPECT_VALID(HeaderId::kContact, "\"Doe, John\" <sip:jd@example.com>");
    EXPECT_INVALID(HeaderId::kContact, "<sip:a@b.example>,");
    EXPECT_INVALID(HeaderId::kContact, "<sip:a@b.example>,,<sip:c@d.example>");
    EXPECT_INVALID(HeaderId::kContact, "");
}

// ---------------- Via (RFC 3261 20.42, RFC 3581) ----------------

TEST(Via, SentProtocolSentByAndParameters)
{
    Via v = ViaOf("SIP/2.0/UDP pc33.atlanta.com:5066;branch=z9hG4bK776asdhds;received=192.0.2.1;"
                  "rport=5066;maddr=224.2.0.1;ttl=16");
    EXPECT_EQ(v.GetProtocolName(), "SIP");
    EXPECT_EQ(v.GetProtocolVersion(), "2.0");
    EXPECT_EQ(v.GetTransport(), "UDP");
    EXPECT_EQ(v.GetHost(), "pc33.atlanta.com");
    EXPECT_EQ(v.GetPort(), 5066);
    EXPECT_EQ(v.GetBranch(), OptSv("z9hG4bK776asdhds"));
    EXPECT_EQ(v.GetReceived(), OptSv("192.0.2.1"));
    EXPECT_TRUE(v.HasRport());
    EXPECT_EQ(v.GetRport(), std::optional<int>(5066));
    EXPECT_EQ(v.GetParams().Get("maddr"), OptSv("224.2.0.1"));
    EXPECT_EQ(v.GetParams().Get("ttl"), OptSv("16"));
}

TEST(Via, RportWithoutValueAsksForOne)
{
    Via v = ViaOf("SIP/2.0/UDP 192.0.2.1;rport;branch=z9hG4bKx");
    EXPECT_TRUE(v.HasRport());
    EXPECT_EQ(v.GetRport(), std::nullopt);
    EXPECT_FALSE(ViaOf("SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKx").HasRport());
}

TEST(Via, LwsIsAllowedAroundSlashesAndColon)
{
    Via v = ViaOf("SIP / 2.0 / TCP  host.example.com : 5060 ; branch = z9hG4bK1");
    EXPECT_EQ(v.GetTransport(), "TCP");
    EXPECT_EQ(v.GetHost(), "host.example.com");
    EXPECT_EQ(v.GetPort(), 5060);
    EXPECT_EQ(v.GetBranch(), OptSv("z9hG4bK1"));
    std::string out;
    v.Render(out);
    EXPECT_EQ(out, "SIP/2.0/TCP host.example.com:5060;branch=z9hG4bK1");
}

TEST(Via, IPv6SentByAndReceived)
{
    Via v = ViaOf("SIP/2.0/TLS [2001:db8::9:1]:5061;branch=z9hG4bKas;received=2001:db8::9:255");
    EXPECT_EQ(v.GetHost(), "[2001:db8::9:1]");
    EXPECT_EQ(v.GetPort(), 5061);
    EXPECT_EQ(v.GetReceived(), OptSv("2001:db8::9:255"));
}

// RFC 3261 17.2.3: an RFC 3261 branch starts with the magic cookie and has
// something after it; otherwise RFC 2543 matching applies (RFC 4475 3.2.1).
TEST(Via, Rfc3261BranchNeedsTheCookieAndMore)
{
    EXPECT_TRUE(ViaOf("SIP/2.0/UDP h;branch=z9hG4bK776asdhds").HasRfc3261Branch());
    EXPECT_FALSE(ViaOf("SIP/2.0/UDP h;branch=z9hG4bK").HasRfc3261Branch());
    EXPECT_FALSE(ViaOf("SIP/2.0/UDP h;branch=390skdjuw").HasRfc3261Branch());
    EXPECT_FALSE(ViaOf("SIP/2.0/UDP h").HasRfc3261Branch());
    EXPECT_EQ(kBranchMagicCookie, "z9hG4bK");
}

TEST(Via, ParametersWithADefinedSyntaxAreChecked)
{
    for (const char* bad : {"SIP/2.0/UDP h;ttl=256",
                            "SIP/2.0/UDP h;ttl=x",
                            "SIP/2.0/UDP h;received=1.2.3",
                            "SIP/2.0/UDP h;received=1.2.3.4.5",
                            "SIP/2.0/UDP h;received=256.1.1.1",
                            "SIP/2.0/UDP h;received=host.example.com",
                            "SIP/2.0/UDP h;rport=65536",
                            "SIP/2.0/UDP h;rport=abc",
                            "SIP/2.0/UDP h;branch",
                            "SIP/2.0/UDP h;branch=\"z9hG4bK1\""})
    {
        EXPECT_INVALID(HeaderId::kVia, bad);
    }
    EXPECT_VALID(HeaderId::kVia, "SIP/2.0/UDP h;ttl=0;received=255.255.255.255;rport=0");
}

TEST(Via, MalformedViaIsRejected)
{
    for (const char* bad : {"",
                            "SIP/2.0",
                            "SIP/2.0/UDP",
                            "SIP/2.0/UDP ",
                            "SIP/2.0 UDP host",
                            "SIP/2.0/UDPhost",
                            "SIP/2.0/UDP host:70000",
                            "SIP/2.0/UDP host:",
                            "SIP/2.0/UDP [2001:db8::1",
                            "SIP/2.0/UDP 192.0.2.15;;,;,,", // RFC 4475 badinv01
                            "SIP/2.0/UDP host, ",
                            "SIP/2.0/UDP a, , SIP/2.0/UDP b"})
    {
        EXPECT_INVALID(HeaderId::kVia, bad);
    }
}

TEST(Via, SeveralValuesInOneField)
{
    EXPECT_VALID(HeaderId::kVia,
                 "SIP/2.0/UDP first.example.com:4000;ttl=16;maddr=224.2.0.1;"
                 "branch=z9hG4bKa7c6a8dlze.1, SIP/2.0/UDP second.example.com;"
                 "branch=z9hG4bK2");
}

// ---------------- CSeq (RFC 3261 20.16, 8.1.1.5) ----------------

TEST(CSeq, NumberThenMethod)
{
    CSeqValue c = MustParse(CSeqValue::Parse("4711 INVITE"), "4711 INVITE");
    EXPECT_EQ(c.seq, 4711u);
    EXPECT_EQ(c.method, "INVITE");
    CSeqValue lws = MustParse(CSeqValue::Parse(" 0009\r\n  INVITE "), "folded");
    EXPECT_EQ(lws.seq, 9u);
    EXPECT_EQ(lws.method, "INVITE");
    std::string out;
    lws.Render(out);
    EXPECT_EQ(out, "9 INVITE");
    EXPECT_EQ(MustParse(CSeqValue::Parse("4294967295 ACK"), "max").seq, 4294967295u);
}

TEST(CSeq, MalformedOrOverlargeIsRejected)
{
    for (const char* bad : {"4294967296 INVITE",
                            "36893488147419103232 REGISTER", // RFC 4475 scalar02
                            "INVITE",
                            "INVITE 1",
                            "1",
                            "1INVITE",
                            "1 INVITE extra",
                            "-1 INVITE",
                            "1 INV(ITE",
                            ""})
    {
        EXPECT_FALSE(CSeqValue::Parse(bad)) << "'" << bad << "' must be rejected";
    }
}

// ---------------- media types (RFC 3261 20.15, 20.1) ----------------

TEST(MediaType, TypeSubtypeAndParameters)
{
    MediaType m =
        MustParse(MediaType::Parse("multipart/signed;protocol=\"application/pkcs7-signature\""
                                   "\r\n ;micalg=sha1;boundary=boundary1"),
                  "folded");
    EXPECT_TRUE(m.Is("Multipart", "SIGNED"));
    EXPECT_EQ(m.params.GetDecoded("protocol"),
              std::optional<std::string>("application/pkcs7-signature"));
    EXPECT_EQ(m.params.Get("micalg"), OptSv("sha1"));
    EXPECT_EQ(m.params.Get("boundary"), OptSv("boundary1"));
    std::string out;
    m.Render(out);
    EXPECT_EQ(
        out,
        "multipart/signed;protocol=\"application/pkcs7-signature\";micalg=sha1;boundary=boundary1");

    EXPECT_VALID(HeaderId::kContentType, "application/sdp");
    EXPECT_VALID(HeaderId::kContentType,
                 "application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m");
    EXPECT_INVALID(HeaderId::kContentType, "application");
    EXPECT_INVALID(HeaderId::kContentType, "application/");
    EXPECT_INVALID(HeaderId::kContentType, "application/sdp, text/plain");
    EXPECT_INVALID(HeaderId::kContentType, "");
}

TEST(MediaType, AcceptListMayBeEmptyAndHoldsRanges)
{
    EXPECT_VALID(HeaderId::kAccept, "");
    EXPECT_VALID(HeaderId::kAccept, "*/*");
    EXPECT_VALID(HeaderId::kAccept, "application/sdp;level=1, application/*, text/html");
    EXPECT_INVALID(HeaderId::kAccept, "application/sdp,");
}

// ---------------- Retry-After (RFC 3261 20.33) ----------------

TEST(RetryAfter, SecondsCommentAndDuration)
{
    RetryAfterValue r =
        MustParse(RetryAfterValue::Parse("120 (I'm in a meeting);duration=3600"), "ra");
    EXPECT_EQ(r.seconds, 120u);
    EXPECT_EQ(r.comment, "(I'm in a meeting)");
    EXPECT_EQ(r.GetDuration(), std::optional<uint32_t>(3600));
    std::string out;
    r.Render(out);
    EXPECT_EQ(out, "120 (I'm in a meeting);duration=3600");

    RetryAfterValue plain = MustParse(RetryAfterValue::Parse("18000;duration=3600"), "plain");
    EXPECT_EQ(plain.seconds, 18000u);
    EXPECT_EQ(plain.comment, "");
    EXPECT_EQ(plain.GetDuration(), std::optional<uint32_t>(3600));

    RetryAfterValue nested = MustParse(RetryAfterValue::Parse("5 (back (soon\\)) now)"), "nested");
    EXPECT_EQ(nested.comment, "(back (soon\\)) now)");
    EXPECT_EQ(nested.GetDuration(), std::nullopt);
}

TEST(RetryAfter, MalformedOrOverlargeIsRejected)
{
    for (const char* bad : {"abc",
                            "",
                            "949302838503028349304023988", // RFC 4475 scalarlg
                            "120 (unterminated",
                            "120;duration=abc",
                            "120;duration=4294967296",
                            "120 junk"})
    {
        EXPECT_INVALID(HeaderId::kRetryAfter, bad);
    }
}

// ---------------- Digest (RFC 3261 20.44, 20.7, 22.4; RFC 2617) ----------------

TEST(Auth, DigestChallengeParameters)
{
    AuthValue a = MustParse(
        AuthValue::Parse("Digest realm=\"atlanta.com\",\r\n domain=\"sip:boxesbybob.com\", "
                         "qop=\"auth,auth-int\",\r\n nonce=\"f84f1cec41e6cbe5aea9c8e88d359\", "
                         "opaque=\"\", stale=FALSE, algorithm=MD5"),
        "challenge");
    EXPECT_TRUE(a.IsDigest());
    EXPECT_EQ(a.GetScheme(), "Digest");
    EXPECT_EQ(a.Get("realm"), OptSv("\"atlanta.com\""));
    EXPECT_EQ(a.GetDecoded("realm"), std::optional<std::string>("atlanta.com"));
    EXPECT_EQ(a.GetDecoded("REALM"), std::optional<std::string>("atlanta.com"));
    EXPECT_EQ(a.GetDecoded("domain"), std::optional<std::string>("sip:boxesbybob.com"));
    EXPECT_EQ(a.GetDecoded("qop"), std::optional<std::string>("auth,auth-int"));
    EXPECT_EQ(a.GetDecoded("nonce"), std::optional<std::string>("f84f1cec41e6cbe5aea9c8e88d359"));
    EXPECT_EQ(a.GetDecoded("opaque"), std::optional<std::string>(""));
    EXPECT_EQ(a.Get("stale"), OptSv("FALSE"));
    EXPECT_EQ(a.Get("algorithm"), OptSv("MD5"));
    EXPECT_EQ(a.Get("cnonce"), std::nullopt);

    std::vector<std::string> names;
    a.ForEach([&](std::string_view n, std::string_view) {
        names.push_back(std::string(n));
        return true;
    });
    EXPECT_EQ(names,
              (std::vector<std::string>{
                  "realm", "domain", "qop", "nonce", "opaque", "stale", "algorithm"}));

    std::string out;
    a.Render(out);
    EXPECT_EQ(out,
              "Digest realm=\"atlanta.com\", domain=\"sip:boxesbybob.com\", qop=\"auth,auth-int\", "
              "nonce=\"f84f1cec41e6cbe5aea9c8e88d359\", opaque=\"\", stale=FALSE, algorithm=MD5");
}

TEST(Auth, CredentialsWithQuotedValuesHoldingCommasAndEscapes)
{
    AuthValue a =
        MustParse(AuthValue::Parse(
                      "Digest username=\"bob, jr.\", realm=\"biloxi.com\", "
                      "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"sip:bob@biloxi.com\", "
                      "qop=auth, nc=00000001, cnonce=\"0a4f,113b\", "
                      "response=\"6629fae49393a05397450978507c4ef1\", "
                      "opaque=\"say \\\"hi\\\"\""),
                  "credentials");
    EXPECT_EQ(a.GetDecoded("username"), std::optional<std::string>("bob, jr."));
    EXPECT_EQ(a.GetDecoded("uri"), std::optional<std::string>("sip:bob@biloxi.com"));
    EXPECT_EQ(a.Get("qop"), OptSv("auth"));
    EXPECT_EQ(a.Get("nc"), OptSv("00000001"));
    EXPECT_EQ(a.GetDecoded("cnonce"), std::optional<std::string>("0a4f,113b"));
    EXPECT_EQ(a.GetDecoded("response"),
              std::optional<std::string>("6629fae49393a05397450978507c4ef1"));
    EXPECT_EQ(a.GetDecoded("opaque"), std::optional<std::string>("say \"hi\""));
}

TEST(Auth, AnySchemeParsesButNeedsParameters)
{
    AuthValue other = MustParse(AuthValue::Parse("NoOneKnowsThisScheme opaque-data=here"), "other");
    EXPECT_FALSE(other.IsDigest());
    EXPECT_EQ(other.Get("opaque-data"), OptSv("here"));
    EXPECT_TRUE(MustParse(AuthValue::Parse("digest realm=\"a\""), "lower").IsDigest());

    for (const char* bad : {"",
                            "Digest",
                            "Digest realm",
                            "Digest realm=",
                            "Digest realm=\"a\",",
                            "Digest realm=\"a\" nonce=\"b\"",
                            "Digest realm=\"unterminated",
                            "Digest ,realm=\"a\""})
    {
        EXPECT_FALSE(AuthValue::Parse(bad)) << "'" << bad << "' must be rejected";
    }
}

// ---------------- token *(;param) values ----------------

TEST(TokenParams, EventPackageWithParameters)
{
    TokenParamsValue e = MustParse(TokenParamsValue::Parse("presence;id=1234"), "event");
    EXPECT_EQ(e.value, "presence");
    EXPECT_EQ(e.params.Get("id"), OptSv("1234"));
    EXPECT_EQ(MustParse(TokenParamsValue::Parse("presence.winfo"), "template").value,
              "presence.winfo");
    // RFC 4235: a Call-ID with '@' is no token, so the dialog package quotes it.
    TokenParamsValue d =
        MustParse(TokenParamsValue::Parse("dialog;call-id=\"x@y\";from-tag=kkaz-"), "dialog");
    EXPECT_EQ(d.params.GetDecoded("call-id"), std::optional<std::string>("x@y"));
    EXPECT_EQ(d.params.Get("from-tag"), OptSv("kkaz-"));
    EXPECT_INVALID(HeaderId::kEvent, "dialog;call-id=x@y");
    EXPECT_INVALID(HeaderId::kEvent, "");
    EXPECT_INVALID(HeaderId::kEvent, "presence winfo");
    EXPECT_INVALID(HeaderId::kEvent, "presence;");
}

TEST(TokenParams, SubscriptionStateWithExpiresReasonRetryAfter)
{
    TokenParamsValue a = MustParse(TokenParamsValue::Parse("active; expires=7200"), "active");
    EXPECT_EQ(a.value, "active");
    EXPECT_EQ(a.params.Get("expires"), OptSv("7200"));
    TokenParamsValue t =
        MustParse(TokenParamsValue::Parse("terminated;reason=timeout;retry-after=60"), "t");
    EXPECT_EQ(t.value, "terminated");
    EXPECT_EQ(t.params.Get("reason"), OptSv("timeout"));
    EXPECT_EQ(t.params.Get("retry-after"), OptSv("60"));
    std::string out;
    a.Render(out);
    EXPECT_EQ(out, "active;expires=7200");
}

TEST(TokenParams, ReferSubIsTrueOrFalse)
{
    EXPECT_VALID(HeaderId::kReferSub, "true");
    EXPECT_VALID(HeaderId::kReferSub, "false");
    EXPECT_VALID(HeaderId::kReferSub,
                 "FALSE;x=1"); // refer-family.md: case-insensitive, ;params allowed
    EXPECT_INVALID(HeaderId::kReferSub, "");
}

// RFC 4488: refer-sub-value = "true" / "false"; refer-family.md B.2:
// "sipbed accepts true/false case-insensitively, followed by optional ;params".
// RFC 4488 4: refer-sub-value = "true" / "false".
TEST(TokenParams, ReferSubOtherThanTrueOrFalseIsRejected)
{
    EXPECT_INVALID(HeaderId::kReferSub, "maybe");
    EXPECT_INVALID(HeaderId::kReferSub, "yes;x=1");
}

TEST(TokenParams, TargetDialogCallIdWithLocalAndRemoteTag)
{
    TokenParamsValue td = MustParse(
        TokenParamsValue::Parse(
            "fa77as7dad8-sd98ajzz@host.example.com;local-tag=kkaz-;remote-tag=6544", true),
        "Target-Dialog");
    EXPECT_EQ(td.value, "fa77as7dad8-sd98ajzz@host.example.com");
    EXPECT_EQ(td.params.Get("local-tag"), OptSv("kkaz-"));
    EXPECT_EQ(td.params.Get("remote-tag"), OptSv("6544"));
    EXPECT_INVALID(HeaderId::kTargetDialog, "abc@");
    EXPECT_INVALID(HeaderId::kTargetDialog, "");
    EXPECT_INVALID(HeaderId::kTargetDialog, "a b;local-tag=1");
}

TEST(TokenParams, SipETagIsASingleToken)
{
    EXPECT_VALID(HeaderId::kSipETag, "dx200xyz");
    EXPECT_VALID(HeaderId::kSipIfMatch, "kwj449x");
    EXPECT_INVALID(HeaderId::kSipETag, "dx200xyz;p=1");
    EXPECT_INVALID(HeaderId::kSipETag, "a b");
    EXPECT_INVALID(HeaderId::kSipETag, "");
}

// ---------------- Identity-Info and Identity (RFC 4474) ----------------

TEST(Identity, IdentityInfoUriInBracketsAndAlg)
{
    IdentityInfoValue ii = MustParse(
        IdentityInfoValue::Parse("<https://atlanta.example.com/atlanta.cer>;alg=rsa-sha1"), "ii");
    EXPECT_EQ(ii.uri.GetScheme(), SipUri::Scheme::kOther);
    EXPECT_EQ(ii.uri.GetSchemeText(), "https");
    EXPECT_EQ(ii.uri.GetRaw(), "https://atlanta.example.com/atlanta.cer");
    EXPECT_EQ(ii.GetAlg(), OptSv("rsa-sha1"));
    EXPECT_INVALID(HeaderId::kIdentityInfo, "https://atlanta.example.com/atlanta.cer");
    EXPECT_INVALID(HeaderId::kIdentityInfo, "<https://atlanta.example.com/atlanta.cer");
    EXPECT_INVALID(HeaderId::kIdentityInfo, "<https://atlanta.example.com/a b>");
}

TEST(Identity, SignatureOfAFoldedQuotedValueIsTheBase64Alone)
{
    const std::string value =
        "\"ZYNBbHC00VMZr2kZt6VmCvPonWJMGvQTBDqghoWeLxJfzB2a1pxAr3VgrB0SsSAa\r\n"
        "    ifsRdiOPoQZYOy2wrVghuhcsMbHWUSFxI6p6q5TOQXHMmz6uEo3svJsSH49thyGnFVcnyaZ\r\n"
        "    ++yRlBYYQTLqWzJ+KVhPKbfU/pryhVn9Yc6U=\"";
    EXPECT_EQ(GetIdentitySignature(value),
              "ZYNBbHC00VMZr2kZt6VmCvPonWJMGvQTBDqghoWeLxJfzB2a1pxAr3VgrB0SsSAa"
              "ifsRdiOPoQZYOy2wrVghuhcsMbHWUSFxI6p6q5TOQXHMmz6uEo3svJsSH49thyGnFVcnyaZ"
              "++yRlBYYQTLqWzJ+KVhPKbfU/pryhVn9Yc6U=");
    EXPECT_EQ(GetIdentitySignature("abc def"), "abcdef"); // unquoted, as some peers send it
}

// ---------------- Call-ID and option tags ----------------

TEST(CallId, WordOptionallyAtWord)
{
    EXPECT_TRUE(IsValidCallId("f81d4fae-7dec-11d0-a765-00a0c91e6bf6@foo.bar.com"));
    EXPECT_TRUE(IsValidCallId("a84b4c76e66710"));
    EXPECT_TRUE(IsValidCallId("intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{"));
    for (const char* bad : {"", "a b", "abc@", "@abc", "a@b@c", "a;b", "a,b"})
    {
        EXPECT_FALSE(IsValidCallId(bad)) << "'" << bad << "' must be rejected";
    }
}

TEST(OptionTags, TokensSeparatedByCommas)
{
    EXPECT_TRUE(IsValidOptionTag("100rel"));
    EXPECT_FALSE(IsValidOptionTag(""));
    EXPECT_FALSE(IsValidOptionTag("a b"));
    EXPECT_VALID(HeaderId::kRequire, "nothingSupportsThis, nothingSupportsThisEither");
    EXPECT_VALID(HeaderId::kSupported, ""); // Supported may list nothing
    EXPECT_INVALID(HeaderId::kRequire, "a, b c");
    EXPECT_INVALID(HeaderId::kRequire, "a,");
}

// RFC 3261 25.1: Require, Proxy-Require and Unsupported list 1*option-tag;
// only Supported ("[option-tag *(COMMA option-tag)]") may be empty.
// RFC 3261 25.1: only Supported may list no option tag.
TEST(OptionTags, RequireProxyRequireAndUnsupportedNeedAtLeastOneTag)
{
    EXPECT_INVALID(HeaderId::kRequire, "");
    EXPECT_INVALID(HeaderId::kProxyRequire, "");
    EXPECT_INVALID(HeaderId::kUnsupported, " ");
}

// ---------------- numbers ----------------

TEST(Scalars, MaxForwardsExpiresAndContentLengthBounds)
{
    EXPECT_VALID(HeaderId::kMaxForwards, "0");
    EXPECT_VALID(HeaderId::kMaxForwards, "255");
    EXPECT_VALID(HeaderId::kMaxForwards, "0068");
    EXPECT_INVALID(HeaderId::kMaxForwards, "256");
    EXPECT_INVALID(HeaderId::kMaxForwards, "300");
    EXPECT_INVALID(HeaderId::kMaxForwards, "-1");
    EXPECT_INVALID(HeaderId::kMaxForwards, "70 x");
    EXPECT_INVALID(HeaderId::kMaxForwards, "");
    EXPECT_VALID(HeaderId::kExpires, "4294967295");
    EXPECT_INVALID(HeaderId::kExpires, "4294967296");
    EXPECT_INVALID(HeaderId::kExpires, "1" + std::string(100, '0'));
    EXPECT_VALID(HeaderId::kContentLength, "0");
    EXPECT_INVALID(HeaderId::kContentLength, "-999");
    EXPECT_INVALID(HeaderId::kContentLength, "abc");
    EXPECT_INVALID(HeaderId::kContentLength, "4294967296");
}

// ---------------- Date (RFC 3261 20.17) ----------------

TEST(Date, FormatAndParseAreInverse)
{
    EXPECT_EQ(FormatSipDate(1289690940), "Sat, 13 Nov 2010 23:29:00 GMT");
    EXPECT_EQ(ParseSipDate("Sat, 13 Nov 2010 23:29:00 GMT"), std::optional<int64_t>(1289690940));
    EXPECT_EQ(FormatSipDate(0), "Thu, 01 Jan 1970 00:00:00 GMT");
    EXPECT_EQ(ParseSipDate("Thu, 01 Jan 1970 00:00:00 GMT"), std::optional<int64_t>(0));
    EXPECT_EQ(ParseSipDate("Sat, 15 Oct 2005 04:44:56 GMT"), std::optional<int64_t>(1129351496));
    EXPECT_EQ(FormatSipDate(951782400), "Tue, 29 Feb 2000 00:00:00 GMT"); // leap day
    EXPECT_EQ(ParseSipDate("  Sat, 13 Nov 2010 23:29:00 GMT "), std::optional<int64_t>(1289690940));
    for (int64_t t = 0; t < 4102444800; t += 86400 * 37 + 12347)
    {
        std::string s = FormatSipDate(t);
        ASSERT_EQ(ParseSipDate(s), std::optional<int64_t>(t)) << s;
    }
}

TEST(Date, AnythingButRfc1123GmtReadsAsNoDate)
{
    for (const char* bad : {"Fri, 01 Jan 2010 16:00:00 EST",  // RFC 4475 baddate
                            "Fri, 20 June 2003 13:02:03 GMT", // e2m.md example
                            "Sat, 13 Nov 2010 23:29:00",
                            "Sat, 13 Nov 10 23:29:00 GMT",
                            "Sat 13 Nov 2010 23:29:00 GMT",
                            "Sat, 13 Nov 2010 24:00:00 GMT",
                            "Sat, 13 Nov 2010 23:60:00 GMT",
                            "Sat, 00 Nov 2010 23:29:00 GMT",
                            "Sat, 13 Foo 2010 23:29:00 GMT",
                            "Xyz, 13 Nov 2010 23:29:00 GMT",
                            "Saturday, 13-Nov-10 23:29:00 GMT",
                            ""})
    {
        EXPECT_EQ(ParseSipDate(bad), std::nullopt) << "'" << bad << "'";
    }
}

} // namespace
} // namespace sipbed
