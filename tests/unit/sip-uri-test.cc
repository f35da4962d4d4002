// SIP, SIPS, tel and other URIs (RFC 3261 19.1 and 25.1, RFC 3966): what
// each part reads back as, where parameters and headers are allowed, and
// which texts are not URIs.

#include "models/sip/sip-json.h"
#include "models/sip/sip-uri.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>

namespace sipbed
{
namespace
{

using Ctx = SipUri::Context;
using Scheme = SipUri::Scheme;
using OptSv = std::optional<std::string_view>;

SipUri
MustParse(std::string_view text, Ctx ctx = Ctx::kBracketed)
{
    auto r = SipUri::Parse(text, ctx);
    if (!r)
    {
        ADD_FAILURE() << "'" << text << "' must parse: " << r.GetError().ToString();
        return SipUri();
    }
    return r.GetValue();
}

void
ExpectRejected(std::string_view text, Ctx ctx = Ctx::kBracketed)
{
    auto r = SipUri::Parse(text, ctx);
    EXPECT_FALSE(r) << "'" << text << "' must be rejected";
    if (!r)
    {
        EXPECT_FALSE(r.GetError().reason.empty());
    }
}

// RFC 3261 19.1.3 examples.
TEST(SipUri, UserPasswordHostAndParameters)
{
    SipUri u = MustParse("sip:alice:secretword@atlanta.com;transport=tcp");
    EXPECT_EQ(u.GetScheme(), Scheme::kSip);
    EXPECT_TRUE(u.IsSipOrSips());
    EXPECT_EQ(u.GetSchemeText(), "sip");
    EXPECT_EQ(u.GetUser(), "alice");
    EXPECT_TRUE(u.HasPassword());
    EXPECT_EQ(u.GetPassword(), "secretword");
    EXPECT_EQ(u.GetHost(), "atlanta.com");
    EXPECT_EQ(u.GetPort(), -1);
    EXPECT_EQ(u.GetParams().Get("transport"), OptSv("tcp"));
    EXPECT_EQ(u.GetHeaders(), "");
    EXPECT_EQ(u.GetRaw(), "sip:alice:secretword@atlanta.com;transport=tcp");
}

TEST(SipUri, TelephoneSubscriberUserWithPasswordAndUserParam)
{
    SipUri u = MustParse("sip:+1-212-555-1212:1234@gateway.com;user=phone");
    EXPECT_EQ(u.GetUser(), "+1-212-555-1212");
    EXPECT_EQ(u.GetPassword(), "1234");
    EXPECT_EQ(u.GetHost(), "gateway.com");
    EXPECT_EQ(u.GetParams().Get("user"), OptSv("phone"));
}

TEST(SipUri, SipsSchemeAndSchemeCaseIsInsensitive)
{
    SipUri s = MustParse("sips:1212@gateway.com");
    EXPECT_EQ(s.GetScheme(), Scheme::kSips);
    EXPECT_TRUE(s.IsSipOrSips());
    EXPECT_EQ(s.GetUser(), "1212");
    EXPECT_FALSE(s.HasPassword());

    SipUri upper = MustParse("SIP:User@Host.Example.COM");
    EXPECT_EQ(upper.GetScheme(), Scheme::kSip);
    EXPECT_EQ(upper.GetSchemeText(), "SIP"); // as written
    EXPECT_EQ(upper.GetUser(), "User");
    EXPECT_EQ(upper.GetHost(), "Host.Example.COM");
    EXPECT_EQ(MustParse("SiPs:a@b").GetScheme(), Scheme::kSips);
}

TEST(SipUri, HostOnlyIPv4AndEmptyPasswordAfterColon)
{
    SipUri v4 = MustParse("sip:alice@192.0.2.4");
    EXPECT_EQ(v4.GetHost(), "192.0.2.4");
    SipUri host = MustParse("sip:atlanta.com");
    EXPECT_EQ(host.GetUser(), "");
    EXPECT_EQ(host.GetHost(), "atlanta.com");
    // password = *( unreserved / escaped / ...): may be empty.
    SipUri emptyPw = MustParse("sip:user:@host");
    EXPECT_TRUE(emptyPw.HasPassword());
    EXPECT_EQ(emptyPw.GetPassword(), "");
}

TEST(SipUri, IPv6ReferenceKeepsItsBracketsAndTakesAPort)
{
    SipUri u = MustParse("sip:[2001:db8::1]:5060;transport=udp");
    EXPECT_EQ(u.GetHost(), "[2001:db8::1]");
    EXPECT_EQ(u.GetPort(), 5060);
    EXPECT_EQ(u.GetParams().Get("transport"), OptSv("udp"));
    SipUri withUser = MustParse("sips:alice@[2001:db8::10:1]");
    EXPECT_EQ(withUser.GetUser(), "alice");
    EXPECT_EQ(withUser.GetHost(), "[2001:db8::10:1]");
    EXPECT_EQ(withUser.GetPort(), -1);
    EXPECT_EQ(MustParse("sip:[::ffff:192.0.2.1]").GetHost(), "[::ffff:192.0.2.1]");
}

TEST(SipUri, PortIsZeroTo65535)
{
    EXPECT_EQ(MustParse("sip:host:0").GetPort(), 0);
    EXPECT_EQ(MustParse("sip:host:5061").GetPort(), 5061);
    EXPECT_EQ(MustParse("sip:host:65535").GetPort(), 65535);
    ExpectRejected("sip:host:65536");
    ExpectRejected("sip:host:70000");
    ExpectRejected("sip:host:99999999999999999999");
    ExpectRejected("sip:host:");
    ExpectRejected("sip:host:50a");
    ExpectRejected("sip:host:-1");
}

TEST(SipUri, ParametersWithAndWithoutValueNamesCaseInsensitive)
{
    SipUri u = MustParse("sip:proxy.example.com;lr;Transport=TCP;maddr=239.255.255.1;ttl=15");
    const ParamList& p = u.GetParams();
    EXPECT_EQ(p.Size(), 4u);
    EXPECT_EQ(p.Get("lr"), OptSv(""));
    EXPECT_FALSE(p.ToVector()[0].hasValue);
    EXPECT_EQ(p.Get("transport"), OptSv("TCP"));
    EXPECT_EQ(p.Get("TRANSPORT"), OptSv("TCP"));
    EXPECT_EQ(p.Get("maddr"), OptSv("239.255.255.1"));
    EXPECT_EQ(p.Get("ttl"), OptSv("15"));
    EXPECT_EQ(p.Get("method"), std::nullopt);
    EXPECT_EQ(p.Raw(), ";lr;Transport=TCP;maddr=239.255.255.1;ttl=15");
}

TEST(SipUri, ParameterValuesDecodeEscapes)
{
    SipUri u = MustParse("sip:host;foo=a%20b;opaque=urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6");
    EXPECT_EQ(u.GetParams().Get("foo"), OptSv("a%20b"));
    EXPECT_EQ(u.GetParams().GetDecoded("foo"), std::optional<std::string>("a b"));
    EXPECT_EQ(u.GetParams().Get("opaque"), OptSv("urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6"));
}

TEST(SipUri, HeadersAfterQuestionMarkInsideAngleBrackets)
{
    SipUri u = MustParse("sip:alice@atlanta.com?subject=project%20x&priority=urgent");
    EXPECT_EQ(u.GetHost(), "atlanta.com");
    EXPECT_TRUE(u.GetParams().Empty());
    EXPECT_EQ(u.GetHeaders(), "subject=project%20x&priority=urgent");

    SipUri both = MustParse("sip:atlanta.com;method=REGISTER?to=alice%40atlanta.com");
    EXPECT_EQ(both.GetParams().Get("method"), OptSv("REGISTER"));
    EXPECT_EQ(both.GetHeaders(), "to=alice%40atlanta.com");
}

// RFC 3261 19.1.1 table: no headers in a Request-URI; a bare addr-spec
// (no < >) can carry neither parameters nor headers (RFC 3261 20).
TEST(SipUri, WhereParametersAndHeadersAreAllowed)
{
    ExpectRejected("sip:user@example.com?Route=%3Csip:example.com%3E", Ctx::kRequestUri);
    EXPECT_EQ(MustParse("sip:user@example.com;lr", Ctx::kRequestUri).GetParams().Get("lr"),
              OptSv(""));
    ExpectRejected("sip:user@example.com;transport=tcp", Ctx::kAddrSpec);
    ExpectRejected("sip:user@example.com?Subject=x", Ctx::kAddrSpec);
    EXPECT_EQ(MustParse("sip:user@example.com", Ctx::kAddrSpec).GetHost(), "example.com");
}

TEST(SipUri, UserPartMayHoldSemicolonsAndUserUnreservedCharacters)
{
    SipUri u = MustParse("sip:alice;day=tuesday@atlanta.com");
    EXPECT_EQ(u.GetUser(), "alice;day=tuesday");
    EXPECT_EQ(u.GetHost(), "atlanta.com");
    EXPECT_TRUE(u.GetParams().Empty());
    EXPECT_EQ(MustParse("sip:a&b=c+d$e,f?g/h@host").GetUser(), "a&b=c+d$e,f?g/h");
}

TEST(SipUri, EscapesAreKeptAsWrittenAndDecodedOnRequest)
{
    SipUri u = MustParse("sip:%61lice%40home@atlanta.com");
    EXPECT_EQ(u.GetUser(), "%61lice%40home");
    EXPECT_EQ(u.GetUserUnescaped(), "alice@home");
    EXPECT_EQ(MustParse("sip:%00@h").GetUserUnescaped(), std::string(1, '\0'));
    EXPECT_EQ(MustParse("sip:a%2Fb%2fc@h").GetUserUnescaped(), "a/b/c"); // either hex case
}

TEST(SipUri, BadEscapesAreRejectedWhereverTheyStand)
{
    ExpectRejected("sip:us%zzer@host"); // user
    ExpectRejected("sip:user%2@host");  // truncated
    ExpectRejected("sip:user%@host");
    ExpectRejected("sip:user:pa%g1@host"); // password
    ExpectRejected("sip:host;a=%zz");      // parameter value
    ExpectRejected("sip:host;%zz=1");      // parameter name
    ExpectRejected("sip:host?a=%4");       // header
}

TEST(SipUri, EmptyHostOrUserIsRejected)
{
    ExpectRejected("sip:");
    ExpectRejected("sip:user@");
    ExpectRejected("sip:@host");
    ExpectRejected("sip:;lr");
    ExpectRejected("sip:user@;lr");
}

TEST(SipUri, WhiteSpaceIsNoPartOfAUri)
{
    ExpectRejected("sip:user@ho st");
    ExpectRejected("sip:user@host ");
    ExpectRejected(" sip:user@host");
    ExpectRejected("sip:us er@host");
    ExpectRejected("sip:user@host; lr");
    ExpectRejected("sip:user@host\t");
    ExpectRejected("sip:user@host\r\n");
}

TEST(SipUri, MalformedIPv6ReferenceIsRejected)
{
    ExpectRejected("sip:[2001:db8::1");
    ExpectRejected("sip:[]");
    ExpectRejected("sip:[2001:db8::g]");
    ExpectRejected("sip:[2001:db8::1]x");
}

TEST(SipUri, EmptyParameterOrHeaderPartIsRejected)
{
    ExpectRejected("sip:host;");
    ExpectRejected("sip:host;a=");
    ExpectRejected("sip:host;;lr");
    ExpectRejected("sip:host?");
}

TEST(SipUri, SchemeMustBeALetterThenSchemeCharactersThenColon)
{
    ExpectRejected("");
    ExpectRejected("abc");
    ExpectRejected(":x");
    ExpectRejected("1abc:x");
    ExpectRejected("<sip:a@b>");
    ExpectRejected("<sip:a@b>", Ctx::kRequestUri);
    ExpectRejected("sip user@host");
}

TEST(SipUri, UnescapedAtSignInTheHostPartIsRejected)
{
    ExpectRejected("sip:a@b@c");
    ExpectRejected("sip:user:p@ss@host");
}

// RFC 3966: the number is the user; parameters follow.
TEST(TelUri, NumberAndParameters)
{
    SipUri t = MustParse("tel:+1-201-555-0123;phone-context=example.com");
    EXPECT_EQ(t.GetScheme(), Scheme::kTel);
    EXPECT_FALSE(t.IsSipOrSips());
    EXPECT_EQ(t.GetUser(), "+1-201-555-0123");
    EXPECT_EQ(t.GetHost(), "");
    EXPECT_EQ(t.GetParams().Get("phone-context"), OptSv("example.com"));
    EXPECT_EQ(MustParse("tel:7042;phone-context=example.com").GetUser(), "7042");
    EXPECT_EQ(MustParse("TEL:+358-555-1234567").GetScheme(), Scheme::kTel);
    ExpectRejected("tel:");
    ExpectRejected("tel:+1 201");
    ExpectRejected("tel:+1@host");
}

// Any other absolute URI: only the scheme is read; the rest stays opaque.
TEST(OtherUri, SchemeIsReadAndTheRestIsOpaque)
{
    SipUri urn = MustParse("urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6");
    EXPECT_EQ(urn.GetScheme(), Scheme::kOther);
    EXPECT_EQ(urn.GetSchemeText(), "urn");
    EXPECT_EQ(urn.GetOpaque(), "uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6");
    EXPECT_EQ(urn.GetHost(), "");

    SipUri http = MustParse("https://atlanta.example.com/atlanta.cer");
    EXPECT_EQ(http.GetSchemeText(), "https");
    EXPECT_EQ(http.GetOpaque(), "//atlanta.example.com/atlanta.cer");

    EXPECT_EQ(MustParse("mailto:alice@atlanta.com").GetOpaque(), "alice@atlanta.com");
    EXPECT_EQ(MustParse("soap.beep://192.0.2.103:3002").GetSchemeText(), "soap.beep");
    EXPECT_EQ(MustParse("im:alice@atlanta.com", Ctx::kRequestUri).GetScheme(), Scheme::kOther);

    ExpectRejected("http:");
    ExpectRejected("http://www.example.com/a b");
    ExpectRejected("http://www.example.com/%zz");
    ExpectRejected("http://www.example.com/<x>");
}

TEST(SipUri, JsonViewNamesEveryPart)
{
    SipUri u = MustParse("sips:%61lice:pw@[2001:db8::1]:5061;transport=tls;lr?subject=hi");
    nlohmann::json j = ToJson(u);
    EXPECT_EQ(j["scheme"], "sips");
    EXPECT_EQ(j["user"], "alice");
    EXPECT_EQ(j["password"], "pw");
    EXPECT_EQ(j["host"], "[2001:db8::1]");
    EXPECT_EQ(j["port"], 5061);
    EXPECT_EQ(j["params"]["transport"], "tls");
    EXPECT_TRUE(j["params"]["lr"].is_null());
    EXPECT_EQ(j["headers"], "subject=hi");
    EXPECT_EQ(j["raw"], "sips:%61lice:pw@[2001:db8::1]:5061;transport=tls;lr?subject=hi");
}

} // namespace
} // namespace sipbed
