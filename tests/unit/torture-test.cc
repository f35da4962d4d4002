// RFC 4475 torture messages (shared/torture/*.dat): what every one of the 49
// messages must read back as. Accepted messages have their key fields
// written out from the .dat bytes; rejected ones their status, line and
// header. This table is the project's record of the parser's behaviour on
// the RFC 4475 corpus; expected.tsv decides which messages it must cover.

#include "models/sip/multipart.h"
#include "models/sip/sip-parser.h"

#include "test-support.h"

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace sipbed
{
namespace
{

using test::Hex;
using test::Repeat;
using test::TortureBytes;
using namespace std::string_literals;
using OptSv = std::optional<std::string_view>;

// ---- helpers: each checks one element and names it on failure ----

std::string
Str(std::string_view v)
{
    return std::string(v);
}

void
ExpectRequestLine(const SipMessage& m, std::string_view method, std::string_view rawUri)
{
    SCOPED_TRACE("request line");
    ASSERT_TRUE(m.IsRequest());
    EXPECT_EQ(m.GetMethod(), method);
    EXPECT_EQ(m.GetRequestUri().GetRaw(), rawUri);
    EXPECT_EQ(m.GetVersion(), "SIP/2.0");
}

void
ExpectStatusLine(const SipMessage& m, int code, std::string_view reason)
{
    SCOPED_TRACE("status line");
    ASSERT_TRUE(m.IsResponse());
    EXPECT_EQ(m.GetStatusCode(), code);
    EXPECT_EQ(m.GetReasonPhrase(), reason);
    EXPECT_EQ(m.GetVersion(), "SIP/2.0");
}

/// A SIP or SIPS URI: scheme, user (unescaped; "" when absent), host, port.
void
ExpectSipUri(const SipUri& u,
             std::string_view what,
             SipUri::Scheme scheme,
             std::string_view user,
             std::string_view host,
             int port)
{
    SCOPED_TRACE(Str(what));
    EXPECT_EQ(u.GetScheme(), scheme);
    EXPECT_EQ(u.GetUserUnescaped(), user);
    EXPECT_EQ(u.GetHost(), host);
    EXPECT_EQ(u.GetPort(), port);
}

/// From, To and the like: unquoted display name ("" when none), URI as
/// written, whether it was in < >, tag (nullopt when none).
void
ExpectAddress(const std::optional<NameAddr>& a,
              std::string_view what,
              std::string_view display,
              std::string_view uriRaw,
              bool bracketed,
              OptSv tag)
{
    SCOPED_TRACE(Str(what));
    ASSERT_TRUE(a.has_value()) << what << " is missing or unreadable";
    EXPECT_EQ(a->GetDisplayName(), display);
    EXPECT_EQ(a->GetDisplayNameRaw().empty(), display.empty());
    EXPECT_EQ(a->GetUri().GetRaw(), uriRaw);
    EXPECT_EQ(a->IsBracketed(), bracketed);
    EXPECT_EQ(a->GetTag(), tag);
}

void
ExpectVia(const Via& v,
          std::string_view what,
          std::string_view transport,
          std::string_view host,
          int port,
          OptSv branch)
{
    SCOPED_TRACE(Str(what));
    EXPECT_EQ(v.GetProtocolName(), "SIP");
    EXPECT_EQ(v.GetProtocolVersion(), "2.0");
    EXPECT_EQ(v.GetTransport(), transport);
    EXPECT_EQ(v.GetHost(), host);
    EXPECT_EQ(v.GetPort(), port);
    EXPECT_EQ(v.GetBranch(), branch);
}

/// The Via values in order: transport, host, port, branch.
struct ViaRow
{
    std::string_view transport;
    std::string_view host;
    int port;
    OptSv branch;
};

void
ExpectVias(const SipMessage& m, size_t fields, const std::vector<ViaRow>& rows)
{
    SCOPED_TRACE("Via");
    EXPECT_EQ(m.CountHeaders(HeaderId::kVia), fields);
    EXPECT_EQ(m.CountValues(HeaderId::kVia), rows.size());
    std::vector<Via> vias = m.GetVias();
    ASSERT_EQ(vias.size(), rows.size());
    for (size_t i = 0; i < rows.size(); ++i)
    {
        ExpectVia(vias[i],
                  "Via value " + std::to_string(i + 1),
                  rows[i].transport,
                  rows[i].host,
                  rows[i].port,
                  rows[i].branch);
    }
    auto top = m.GetTopVia();
    ASSERT_TRUE(top.has_value());
    EXPECT_EQ(top->GetHost(), rows.front().host);
}

void
ExpectCallIdAndCSeq(const SipMessage& m,
                    std::string_view callId,
                    uint32_t seq,
                    std::string_view method)
{
    SCOPED_TRACE("Call-ID / CSeq");
    EXPECT_EQ(m.GetCallId(), OptSv(callId));
    auto cseq = m.GetCSeq();
    ASSERT_TRUE(cseq.has_value());
    EXPECT_EQ(cseq->seq, seq);
    EXPECT_EQ(cseq->method, method);
}

void
ExpectMaxForwards(const SipMessage& m, std::optional<uint32_t> mf)
{
    SCOPED_TRACE("Max-Forwards");
    EXPECT_EQ(m.GetUint(HeaderId::kMaxForwards), mf);
}

void
ExpectContentType(const SipMessage& m, std::string_view type, std::string_view subtype)
{
    SCOPED_TRACE("Content-Type");
    auto ct = m.GetContentType();
    ASSERT_TRUE(ct.has_value());
    EXPECT_EQ(ct->type, type);
    EXPECT_EQ(ct->subtype, subtype);
}

/// Content-Length header value and body size (the body of a datagram is
/// exactly Content-Length octets).
void
ExpectLength(const SipMessage& m, std::optional<uint32_t> header, size_t body)
{
    SCOPED_TRACE("Content-Length / body");
    EXPECT_EQ(m.GetUint(HeaderId::kContentLength), header);
    EXPECT_EQ(m.GetBody().size(), body);
}

/// The torture SDP bodies: "v=0", the origin line naming `ip`, ...,
/// ending with the rtpmap line (and whatever the message adds after it).
void
ExpectSdpBody(const SipMessage& m,
              size_t size,
              std::string_view ip,
              const std::string& tail = "a=rtpmap:31 LPC\r\n")
{
    SCOPED_TRACE("SDP body");
    std::string_view b = m.GetBody();
    EXPECT_EQ(b.size(), size);
    std::string head = "v=0\r\no=mhandley 29739 7272939 IN IP4 " + Str(ip) + "\r\n";
    EXPECT_EQ(Str(b.substr(0, head.size())), head);
    ASSERT_GE(b.size(), tail.size());
    EXPECT_EQ(Str(b.substr(b.size() - tail.size())), tail);
}

void
ExpectSingleContact(const SipMessage& m, std::string_view uriRaw)
{
    SCOPED_TRACE("Contact");
    auto contacts = m.GetContacts();
    ASSERT_EQ(contacts.size(), 1u);
    EXPECT_FALSE(contacts[0].IsStar());
    EXPECT_EQ(contacts[0].GetUri().GetRaw(), uriRaw);
    EXPECT_TRUE(contacts[0].GetParams().Empty());
}

/// The names of the header fields as received, in order.
std::vector<std::string>
HeaderNames(const SipMessage& m)
{
    std::vector<std::string> out;
    for (const HeaderField& h : m.GetHeaders())
    {
        out.push_back(Str(h.name));
    }
    return out;
}

std::vector<std::string>
ToStrings(const std::vector<std::string_view>& v)
{
    return std::vector<std::string>(v.begin(), v.end());
}

// ---- the table ----

struct TortureCase
{
    std::string name;
    bool accept = true;
    int status = 0;     ///< rejected: ParseError.status
    int line = 0;       ///< rejected: ParseError.line
    std::string header; ///< rejected: ParseError.header ("" = start line)
    std::function<void(const SipMessage&)> check;
};

void
PrintTo(const TortureCase& c, std::ostream* os)
{
    *os << c.name;
}

TortureCase
Accept(std::string name, std::function<void(const SipMessage&)> check)
{
    TortureCase c;
    c.name = std::move(name);
    c.check = std::move(check);
    return c;
}

TortureCase
Reject(std::string name, int status, int line, std::string header)
{
    TortureCase c;
    c.name = std::move(name);
    c.accept = false;
    c.status = status;
    c.line = line;
    c.header = std::move(header);
    return c;
}

const std::vector<TortureCase>&
Cases()
{
    using S = SipUri::Scheme;
    static const std::vector<TortureCase> cases = {
        // ================= 3.1.1 valid messages =================

        // 3.1.1.1: LWS and folds everywhere, case-insensitive and compact
        // names, escaped quotes, unknown headers, odd parameter spacing.
        Accept("wsinv",
               [](const SipMessage& m) {
                   ExpectRequestLine(m, "INVITE", "sip:vivekg@chair-dnrc.example.com;unknownparam");
                   const SipUri& ru = m.GetRequestUri();
                   ExpectSipUri(ru, "Request-URI", S::kSip, "vivekg", "chair-dnrc.example.com", -1);
                   ASSERT_EQ(ru.GetParams().Size(), 1u);
                   EXPECT_EQ(ru.GetParams().Get("unknownparam"), OptSv(""));
                   EXPECT_FALSE(ru.GetParams().ToVector()[0].hasValue);

                   // Every field, as named on the wire, with the line it starts on.
                   const std::vector<std::pair<std::string, HeaderId>> order = {
                       {"TO", HeaderId::kTo},
                       {"from", HeaderId::kFrom},
                       {"MaX-fOrWaRdS", HeaderId::kMaxForwards},
                       {"Call-ID", HeaderId::kCallId},
                       {"Content-Length", HeaderId::kContentLength},
                       {"cseq", HeaderId::kCSeq},
                       {"Via", HeaderId::kVia},
                       {"s", HeaderId::kSubject},
                       {"NewFangledHeader", HeaderId::kUnknown},
                       {"UnknownHeaderWithUnusualValue", HeaderId::kUnknown},
                       {"Content-Type", HeaderId::kContentType},
                       {"Route", HeaderId::kRoute},
                       {"v", HeaderId::kVia},
                       {"m", HeaderId::kContact},
                   };
                   const std::vector<uint32_t> lines = {
                       2, 4, 7, 8, 9, 10, 12, 15, 16, 18, 19, 20, 22, 26};
                   const auto& hs = m.GetHeaders();
                   ASSERT_EQ(hs.size(), order.size());
                   for (size_t i = 0; i < hs.size(); ++i)
                   {
                       SCOPED_TRACE("header field " + std::to_string(i + 1));
                       EXPECT_EQ(hs[i].name, order[i].first);
                       EXPECT_EQ(hs[i].id, order[i].second);
                       EXPECT_EQ(hs[i].line, lines[i]);
                   }

                   ExpectAddress(m.GetTo(),
                                 "To",
                                 "",
                                 "sip:vivekg@chair-dnrc.example.com",
                                 false,
                                 OptSv("1918181833n"));
                   // "J Rosenberg \\\"" unquoted: the quoted-pairs \\ and \" give \ and ".
                   ExpectAddress(m.GetFrom(),
                                 "From",
                                 "J Rosenberg \\\"",
                                 "sip:jdrosen@example.com",
                                 true,
                                 OptSv("98asjd8"));
                   EXPECT_EQ(m.GetFrom()->GetDisplayNameRaw(), "\"J Rosenberg \\\\\\\"\"");
                   ExpectMaxForwards(m, 68);                                       // 0068
                   ExpectCallIdAndCSeq(m, "wsinv.ndaksdj@192.0.2.1", 9, "INVITE"); // 0009 folded
                   ExpectVias(m,
                              2,
                              {{"UDP", "192.0.2.2", -1, OptSv("390skdjuw")},
                               {"TCP", "spindle.example.com", -1, OptSv("z9hG4bK9ikj8")},
                               {"UDP", "192.168.255.111", -1, OptSv("z9hG4bK30239")}});
                   EXPECT_FALSE(m.GetTopVia()->HasRfc3261Branch());

                   const HeaderField* subject = m.FindHeader(HeaderId::kSubject);
                   ASSERT_NE(subject, nullptr);
                   EXPECT_EQ(subject->value, "");

                   // Unknown headers keep their value verbatim (the fold too)...
                   const HeaderField* nf = m.FindHeader("newfangledheader");
                   ASSERT_NE(nf, nullptr);
                   EXPECT_EQ(nf->value, "newfangled value\r\n continued newfangled value");
                   // ...and unfold to one line in canonical form.
                   EXPECT_EQ(RenderHeaderValue(HeaderId::kUnknown, nf->value),
                             "newfangled value continued newfangled value");
                   const HeaderField* uh = m.FindHeader("UnknownHeaderWithUnusualValue");
                   ASSERT_NE(uh, nullptr);
                   EXPECT_EQ(uh->value, ";;,,;;,;");

                   ExpectContentType(m, "application", "sdp");

                   auto routes = m.GetNameAddrs(HeaderId::kRoute);
                   ASSERT_EQ(routes.size(), 1u);
                   EXPECT_EQ(routes[0].GetUri().GetRaw(),
                             "sip:services.example.com;lr;unknownwith=value;unknown-no-value");
                   ExpectSipUri(
                       routes[0].GetUri(), "Route URI", S::kSip, "", "services.example.com", -1);
                   EXPECT_EQ(routes[0].GetUri().GetParams().Get("lr"), OptSv(""));
                   EXPECT_EQ(routes[0].GetUri().GetParams().Get("unknownwith"), OptSv("value"));
                   EXPECT_EQ(routes[0].GetUri().GetParams().Get("unknown-no-value"), OptSv(""));
                   EXPECT_TRUE(routes[0].GetParams().Empty());

                   auto contacts = m.GetContacts();
                   ASSERT_EQ(contacts.size(), 1u);
                   const ContactValue& c = contacts[0];
                   EXPECT_EQ(c.GetAddress().GetDisplayName(), "Quoted string \"\"");
                   EXPECT_EQ(c.GetUri().GetRaw(), "sip:jdrosen@example.com");
                   auto params = c.GetParams().ToVector();
                   ASSERT_EQ(params.size(), 3u);
                   EXPECT_EQ(params[0].name, "newparam");
                   EXPECT_EQ(params[0].value, "newvalue");
                   EXPECT_EQ(params[1].name, "secondparam");
                   EXPECT_FALSE(params[1].hasValue);
                   EXPECT_EQ(params[2].name, "q");
                   EXPECT_EQ(params[2].value, "0.33");
                   ASSERT_TRUE(c.GetQ().has_value());
                   EXPECT_DOUBLE_EQ(*c.GetQ(), 0.33);

                   ExpectLength(m, 150, 150);
                   EXPECT_EQ(m.GetBody(),
                             "v=0\r\no=mhandley 29739 7272939 IN IP4 192.0.2.3\r\ns=-\r\n"
                             "c=IN IP4 192.0.2.4\r\nt=0 0\r\nm=audio 49217 RTP/AVP 0 12\r\n"
                             "m=video 3227 RTP/AVP 31\r\na=rtpmap:31 LPC\r\n");
               }),

        // 3.1.1.2: every token character in method, header name, parameters.
        Accept(
            "intmeth",
            [](const SipMessage& m) {
                const std::string method = "!interesting-Method0123456789_*+`.%indeed'~";
                const std::string user = "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*";
                ExpectRequestLine(m,
                                  method,
                                  "sip:" + user +
                                      ":&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com");
                const SipUri& ru = m.GetRequestUri();
                ExpectSipUri(ru, "Request-URI", S::kSip, user, "example.com", -1);
                EXPECT_EQ(ru.GetUser(), user);
                EXPECT_TRUE(ru.HasPassword());
                EXPECT_EQ(ru.GetPassword(), "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
                EXPECT_TRUE(ru.GetParams().Empty()); // the ';' are in the user part

                ExpectVias(m, 1, {{"TCP", "host1.example.com", -1, OptSv("z9hG4bK-.!%66*_+`'~")}});
                EXPECT_TRUE(m.GetTopVia()->HasRfc3261Branch());

                // Quoted-pairs escape BEL, NUL and DEL.
                ExpectAddress(m.GetTo(),
                              "To",
                              "BEL:\x07 NUL:\x00 DEL:\x7f"s,
                              "sip:" + user + "@example.com",
                              true,
                              std::nullopt);
                ExpectSipUri(m.GetTo()->GetUri(), "To URI", S::kSip, user, "example.com", -1);

                ExpectAddress(m.GetFrom(),
                              "From",
                              "token1~` token2'+_ token3*%!.-",
                              "sip:mundane@example.com",
                              true,
                              OptSv("_token~1'+`*%!-."));
                const ParamList fp = m.GetFrom()->GetParams(); // a copy: GetFrom() returns a value
                ASSERT_EQ(fp.Size(), 2u);
                EXPECT_EQ(fp.ToVector()[0].name, "fromParam''~+*_!.-%");
                // "работающий" in UTF-8, quoted on the wire.
                const std::string working =
                    Hex("d180 d0b0 d0b1 d0be d182 d0b0 d18e d189 d0b8 d0b9");
                EXPECT_EQ(fp.Get("fromParam''~+*_!.-%"), OptSv("\"" + working + "\""));
                EXPECT_EQ(fp.GetDecoded("fromParam''~+*_!.-%"), working);

                ExpectCallIdAndCSeq(
                    m, "intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{", 139122385, method);
                ExpectMaxForwards(m, 255);

                // Unknown header with every token character in its name and a raw UTF-8 value
                // (BOM + U+5927 U+505C U+96FB).
                const HeaderField* ext = m.FindHeader("extensionHeader-!.%*+_`'~");
                ASSERT_NE(ext, nullptr);
                EXPECT_EQ(ext->id, HeaderId::kUnknown);
                EXPECT_EQ(ext->name, "extensionHeader-!.%*+_`'~");
                EXPECT_EQ(ext->value, Hex("efbbbf e5a4a7 e5819c e99bbb"));

                EXPECT_EQ(HeaderNames(m),
                          (std::vector<std::string>{"Via",
                                                    "To",
                                                    "From",
                                                    "Call-ID",
                                                    "CSeq",
                                                    "Max-Forwards",
                                                    "extensionHeader-!.%*+_`'~",
                                                    "Content-Length"}));
                ExpectLength(m, 0, 0);
            }),

        // 3.1.1.3: legal escapes; the Request-URI user is an escaped SIPS URI.
        Accept(
            "esc01",
            [](const SipMessage& m) {
                ExpectRequestLine(m, "INVITE", "sip:sips%3Auser%40example.com@example.net");
                const SipUri& ru = m.GetRequestUri();
                ExpectSipUri(
                    ru, "Request-URI", S::kSip, "sips:user@example.com", "example.net", -1);
                EXPECT_EQ(ru.GetUser(), "sips%3Auser%40example.com");

                ExpectAddress(m.GetTo(), "To", "", "sip:%75se%72@example.com", false, std::nullopt);
                ExpectSipUri(m.GetTo()->GetUri(), "To URI", S::kSip, "user", "example.com", -1);
                ExpectAddress(m.GetFrom(),
                              "From",
                              "",
                              "sip:I%20have%20spaces@example.net",
                              true,
                              OptSv("938"));
                ExpectSipUri(
                    m.GetFrom()->GetUri(), "From URI", S::kSip, "I have spaces", "example.net", -1);
                ExpectMaxForwards(m, 87);
                ExpectCallIdAndCSeq(m, "esc01.239409asdfakjkn23onasd0-3234", 234234, "INVITE");
                EXPECT_EQ(m.FindHeader(HeaderId::kCallId)->name, "i");
                ExpectVias(m, 1, {{"UDP", "host5.example.net", -1, OptSv("z9hG4bKkdjuw")}});
                ExpectContentType(m, "application", "sdp");
                EXPECT_EQ(m.FindHeader(HeaderId::kContentType)->name, "C");

                // Contact (folded onto its second line) with escaped user, parameter
                // names and values: equivalent to sip:caller@...;lr;name=value%41.
                auto contacts = m.GetContacts();
                ASSERT_EQ(contacts.size(), 1u);
                const SipUri& cu = contacts[0].GetUri();
                EXPECT_EQ(cu.GetRaw(),
                          "sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31");
                ExpectSipUri(cu, "Contact URI", S::kSip, "caller", "host5.example.net", -1);
                auto up = cu.GetParams().ToVector();
                ASSERT_EQ(up.size(), 2u);
                EXPECT_EQ(up[0].name, "%6C%72");
                EXPECT_EQ(text::Unescape(up[0].name), "lr");
                EXPECT_FALSE(up[0].hasValue);
                EXPECT_EQ(up[1].name, "n%61me");
                EXPECT_EQ(text::Unescape(up[1].name), "name");
                EXPECT_EQ(up[1].value, "v%61lue%25%34%31");
                EXPECT_EQ(cu.GetParams().GetDecoded("n%61me"), "value%41");
                EXPECT_TRUE(contacts[0].GetParams().Empty());

                ExpectLength(m, 150, 150);
                ExpectSdpBody(m, 150, "192.0.2.1");
            }),

        // 3.1.1.4: %00 in URIs.
        Accept("escnull",
               [](const SipMessage& m) {
                   ExpectRequestLine(m, "REGISTER", "sip:example.com");
                   ExpectSipUri(m.GetRequestUri(), "Request-URI", S::kSip, "", "example.com", -1);
                   const std::string nullUser("null-\0-null", 11);
                   ExpectAddress(
                       m.GetTo(), "To", "", "sip:null-%00-null@example.com", false, std::nullopt);
                   ExpectSipUri(
                       m.GetTo()->GetUri(), "To URI", S::kSip, nullUser, "example.com", -1);
                   ExpectAddress(m.GetFrom(),
                                 "From",
                                 "",
                                 "sip:null-%00-null@example.com",
                                 false,
                                 OptSv("839923423"));
                   ExpectSipUri(
                       m.GetFrom()->GetUri(), "From URI", S::kSip, nullUser, "example.com", -1);
                   ExpectMaxForwards(m, 70);
                   ExpectCallIdAndCSeq(
                       m, "escnull.39203ndfvkjdasfkq3w4otrq0adsfdfnavd", 14398234, "REGISTER");
                   ExpectVias(m, 1, {{"UDP", "host5.example.com", -1, OptSv("z9hG4bKkdjuw")}});
                   EXPECT_EQ(m.CountHeaders(HeaderId::kContact), 2u);
                   auto contacts = m.GetContacts();
                   ASSERT_EQ(contacts.size(), 2u);
                   EXPECT_EQ(contacts[0].GetUri().GetRaw(), "sip:%00@host5.example.com");
                   EXPECT_EQ(contacts[0].GetUri().GetUserUnescaped(), std::string(1, '\0'));
                   EXPECT_EQ(contacts[1].GetUri().GetRaw(), "sip:%00%00@host5.example.com");
                   EXPECT_EQ(contacts[1].GetUri().GetUserUnescaped(), std::string(2, '\0'));
                   EXPECT_EQ(m.FindHeader(HeaderId::kContentLength)->name, "L");
                   ExpectLength(m, 0, 0);
               }),

        // 3.1.1.5: a '%' that is no escape stays literal; C%6Fntact is not Contact.
        Accept(
            "esc02",
            [](const SipMessage& m) {
                ExpectRequestLine(m, "RE%47IST%45R", "sip:registrar.example.com");
                ExpectSipUri(
                    m.GetRequestUri(), "Request-URI", S::kSip, "", "registrar.example.com", -1);
                ExpectAddress(
                    m.GetTo(), "To", "%Z%45", "sip:resource@example.com", true, std::nullopt);
                EXPECT_EQ(m.GetTo()->GetDisplayNameRaw(), "\"%Z%45\"");
                ExpectAddress(m.GetFrom(),
                              "From",
                              "%Z%45",
                              "sip:resource@example.com",
                              true,
                              OptSv("f232jadfj23"));
                ExpectCallIdAndCSeq(
                    m, "esc02.asdfnqwo34rq23i34jrjasdcnl23nrlknsdf", 29344, "RE%47IST%45R");
                ExpectVias(m, 1, {{"TCP", "host.example.com", -1, OptSv("z9hG4bK209%fzsnel234")}});
                ExpectMaxForwards(m, 70);

                EXPECT_EQ(m.CountHeaders(HeaderId::kContact), 2u);
                auto contacts = m.GetContacts();
                ASSERT_EQ(contacts.size(), 2u);
                EXPECT_EQ(contacts[0].GetUri().GetRaw(), "sip:alias1@host1.example.com");
                EXPECT_EQ(contacts[1].GetUri().GetRaw(), "sip:alias3@host3.example.com");
                EXPECT_EQ(LookupHeader("C%6Fntact"), HeaderId::kUnknown);
                const HeaderField* odd = m.FindHeader("C%6Fntact");
                ASSERT_NE(odd, nullptr);
                EXPECT_EQ(odd->id, HeaderId::kUnknown);
                EXPECT_EQ(odd->value, "<sip:alias2@host2.example.com>");
                EXPECT_EQ(HeaderNames(m),
                          (std::vector<std::string>{"To",
                                                    "From",
                                                    "Call-ID",
                                                    "Via",
                                                    "CSeq",
                                                    "Max-Forwards",
                                                    "Contact",
                                                    "C%6Fntact",
                                                    "Contact",
                                                    "l"}));
                ExpectLength(m, 0, 0);
            }),

        // 3.1.1.6: no LWS between display name and '<'.
        Accept("lwsdisp",
               [](const SipMessage& m) {
                   ExpectRequestLine(m, "OPTIONS", "sip:user@example.com");
                   ExpectSipUri(
                       m.GetRequestUri(), "Request-URI", S::kSip, "user", "example.com", -1);
                   ExpectAddress(m.GetTo(), "To", "", "sip:user@example.com", false, std::nullopt);
                   ExpectAddress(
                       m.GetFrom(), "From", "caller", "sip:caller@example.com", true, OptSv("323"));
                   EXPECT_EQ(m.GetFrom()->GetDisplayNameRaw(), "caller");
                   ExpectMaxForwards(m, 70);
                   ExpectCallIdAndCSeq(m, "lwsdisp.1234abcd@funky.example.com", 60, "OPTIONS");
                   ExpectVias(m, 1, {{"UDP", "funky.example.com", -1, OptSv("z9hG4bKkdjuw")}});
                   ExpectLength(m, 0, 0);
               }),

        // 3.1.1.7: long values, 34 Via fields, long parameters.
        Accept("longreq",
               [](const SipMessage& m) {
                   ExpectRequestLine(m, "INVITE", "sip:user@example.com");
                   ExpectSipUri(
                       m.GetRequestUri(), "Request-URI", S::kSip, "user", "example.com", -1);

                   const std::string toUri = "sip:user@example.com:6000;unknownparam1=very" +
                                             Repeat("long", 20) + "value;longparam" +
                                             Repeat("name", 25) + "=shortvalue;very" +
                                             Repeat("long", 25) + "ParameterNameWithNoValue";
                   ExpectAddress(m.GetTo(),
                                 "To",
                                 "I have a user name of " + Repeat("extreme", 10) + " proportion",
                                 toUri,
                                 true,
                                 std::nullopt);
                   const SipUri tu = m.GetTo()->GetUri(); // a copy: GetTo() returns a value
                   ExpectSipUri(tu, "To URI", S::kSip, "user", "example.com", 6000);
                   auto tp = tu.GetParams().ToVector();
                   ASSERT_EQ(tp.size(), 3u);
                   EXPECT_EQ(tp[0].name, "unknownparam1");
                   EXPECT_EQ(tp[0].value, "very" + Repeat("long", 20) + "value");
                   EXPECT_EQ(tp[1].name, "longparam" + Repeat("name", 25));
                   EXPECT_EQ(tp[1].value, "shortvalue");
                   EXPECT_EQ(tp[2].name, "very" + Repeat("long", 25) + "ParameterNameWithNoValue");
                   EXPECT_FALSE(tp[2].hasValue);

                   // "F:" addr-spec: the parameters belong to the header.
                   const std::string caller = Repeat("amazinglylongcallername", 5);
                   ExpectAddress(m.GetFrom(),
                                 "From",
                                 "",
                                 "sip:" + caller + "@example.net",
                                 false,
                                 OptSv("1" + Repeat("298", 50) + "2424"));
                   EXPECT_EQ(m.FindHeader(HeaderId::kFrom)->name, "F");
                   auto fp = m.GetFrom()->GetParams().ToVector();
                   ASSERT_EQ(fp.size(), 3u);
                   EXPECT_EQ(fp[1].name, "unknownheaderparam" + Repeat("name", 20));
                   EXPECT_EQ(fp[1].value, "unknowheaderparam" + Repeat("value", 15));
                   EXPECT_EQ(fp[2].name, "unknownValueless" + Repeat("paramname", 10));
                   EXPECT_FALSE(fp[2].hasValue);

                   ExpectCallIdAndCSeq(
                       m, "longreq.one" + Repeat("really", 20) + "longcallid", 3882340, "INVITE");

                   const std::string unkName = "Unknown-" + Repeat("Long", 20) + "-Name";
                   const HeaderField* unk = m.FindHeader(unkName);
                   ASSERT_NE(unk, nullptr);
                   EXPECT_EQ(unk->id, HeaderId::kUnknown);
                   const std::string l20 = Repeat("long", 20);
                   EXPECT_EQ(unk->value,
                             "unknown-" + l20 + "-value; unknown-" + l20 +
                                 "-parameter-name = unknown-" + l20 + "-parameter-value");

                   // sip33 ... sip1 (no branch), then host.example.com; Via written in
                   // 17 spellings (Via, v, V, ViA, "V :", "v  :", "Via  :", ...).
                   std::vector<ViaRow> rows;
                   std::vector<std::string> hosts;
                   for (int i = 33; i >= 1; --i)
                   {
                       hosts.push_back("sip" + std::to_string(i) + ".example.com");
                   }
                   for (const std::string& h : hosts)
                   {
                       rows.push_back({"TCP", h, -1, std::nullopt});
                   }
                   const std::string branch = "very" + Repeat("long", 50) + "branchvalue";
                   rows.push_back({"TCP", "host.example.com", -1, OptSv(branch)});
                   ExpectVias(m, 34, rows);
                   EXPECT_EQ(m.GetVias().back().GetReceived(), OptSv("192.0.2.5"));

                   ExpectMaxForwards(m, 70);
                   ExpectSingleContact(m, "sip:" + caller + "@host5.example.net");
                   ExpectContentType(m, "application", "sdp");
                   EXPECT_EQ(m.FindHeader(HeaderId::kContentLength)->name, "l");
                   ExpectLength(m, 150, 150);
                   ExpectSdpBody(m, 150, "192.0.2.1");
               }),

        // 3.1.1.8: two requests in one datagram: only the first counts.
        Accept(
            "dblreq",
            [](const SipMessage& m) {
                ExpectRequestLine(m, "REGISTER", "sip:example.com");
                ExpectSipUri(m.GetRequestUri(), "Request-URI", S::kSip, "", "example.com", -1);
                ExpectAddress(m.GetTo(), "To", "", "sip:j.user@example.com", false, std::nullopt);
                ExpectAddress(
                    m.GetFrom(), "From", "", "sip:j.user@example.com", false, OptSv("43251j3j324"));
                ExpectMaxForwards(m, 8);
                ExpectCallIdAndCSeq(m, "dblreq.0ha0isndaksdj99sdfafnl3lk233412", 8, "REGISTER");
                EXPECT_EQ(m.FindHeader(HeaderId::kCallId)->name, "I");
                auto contacts = m.GetContacts();
                ASSERT_EQ(contacts.size(), 1u);
                EXPECT_EQ(contacts[0].GetUri().GetRaw(), "sip:j.user@host.example.com");
                EXPECT_FALSE(contacts[0].GetAddress().IsBracketed());
                ExpectVias(m, 1, {{"UDP", "192.0.2.125", -1, OptSv("z9hG4bKkdjuw23492")}});
                EXPECT_EQ(m.GetHeaders().size(), 8u); // nothing of the INVITE
                EXPECT_EQ(m.FindHeader(HeaderId::kContentType), nullptr);
                ExpectLength(m, 0, 0);
                EXPECT_EQ(m.GetBody(), "");
            }),

        // 3.1.1.9: semicolons in the user part.
        Accept("semiuri",
               [](const SipMessage& m) {
                   ExpectRequestLine(m, "OPTIONS", "sip:user;par=u%40example.net@example.com");
                   const SipUri& ru = m.GetRequestUri();
                   EXPECT_EQ(ru.GetUser(), "user;par=u%40example.net");
                   ExpectSipUri(
                       ru, "Request-URI", S::kSip, "user;par=u@example.net", "example.com", -1);
                   EXPECT_TRUE(ru.GetParams().Empty());
                   ExpectAddress(
                       m.GetTo(), "To", "", "sip:j_user@example.com", false, std::nullopt);
                   ExpectAddress(
                       m.GetFrom(), "From", "", "sip:caller@example.org", false, OptSv("33242"));
                   ExpectMaxForwards(m, 3);
                   ExpectCallIdAndCSeq(m, "semiuri.0ha0isndaksdj", 8, "OPTIONS");
                   // Accept folded over three lines.
                   auto accept = m.GetAccept();
                   ASSERT_EQ(accept.size(), 6u);
                   const std::vector<std::pair<std::string, std::string>> types = {
                       {"application", "sdp"},
                       {"application", "pkcs7-mime"},
                       {"multipart", "mixed"},
                       {"multipart", "signed"},
                       {"message", "sip"},
                       {"message", "sipfrag"}};
                   for (size_t i = 0; i < types.size(); ++i)
                   {
                       EXPECT_EQ(accept[i].type, types[i].first) << i;
                       EXPECT_EQ(accept[i].subtype, types[i].second) << i;
                   }
                   ExpectVias(m, 1, {{"UDP", "192.0.2.1", -1, OptSv("z9hG4bKkdjuw")}});
                   ExpectLength(m, 0, 0);
               }),

        // 3.1.1.10: known and unknown transports.
        Accept("transports",
               [](const SipMessage& m) {
                   ExpectRequestLine(m, "OPTIONS", "sip:user@example.com");
                   ExpectSipUri(
                       m.GetRequestUri(), "Request-URI", S::kSip, "user", "example.com", -1);
                   ExpectAddress(m.GetTo(), "To", "", "sip:user@example.com", false, std::nullopt);
                   ExpectAddress(
                       m.GetFrom(), "From", "", "sip:caller@example.com", true, OptSv("323"));
                   ExpectMaxForwards(m, 70);
                   ExpectCallIdAndCSeq(m, "transports.kijh4akdnaqjkwendsasfdj", 60, "OPTIONS");
                   ASSERT_EQ(m.GetAccept().size(), 1u);
                   EXPECT_TRUE(m.GetAccept()[0].Is("application", "sdp"));
                   ExpectVias(m,
                              5,
                              {{"UDP", "t1.example.com", -1, OptSv("z9hG4bKkdjuw")},
                               {"SCTP", "t2.example.com", -1, OptSv("z9hG4bKklasjdhf")},
                               {"TLS", "t3.example.com", -1, OptSv("z9hG4bK2980unddj")},
                               {"UNKNOWN", "t4.example.com", -1, OptSv("z9hG4bKasd0f3en")},
                               {"TCP", "t5.example.com", -1, OptSv("z9hG4bK0a9idfnee")}});
                   ExpectLength(m, 0, 0);
               }),

        // 3.1.1.11: multipart/mixed with a binary part.
        Accept(
            "mpart01",
            [](const SipMessage& m) {
                ExpectRequestLine(m, "MESSAGE", "sip:kumiko@example.org");
                ExpectSipUri(
                    m.GetRequestUri(), "Request-URI", S::kSip, "kumiko", "example.org", -1);
                ExpectVias(m,
                           1,
                           {{"UDP",
                             "127.0.0.1",
                             5070,
                             OptSv("z9hG4bK-d87543-4dade06d0bdb11ee-1--d87543-")}});
                EXPECT_TRUE(m.GetTopVia()->HasRport());
                EXPECT_EQ(m.GetTopVia()->GetRport(), std::nullopt);
                ExpectMaxForwards(m, 70);
                auto routes = m.GetNameAddrs(HeaderId::kRoute);
                ASSERT_EQ(routes.size(), 1u);
                ExpectSipUri(routes[0].GetUri(), "Route", S::kSip, "", "127.0.0.1", 5080);
                EXPECT_EQ(m.GetIdentity(),
                          "r5mwreLuyDRYBi/0TiPwEsY3rEVsk/G2WxhgTV1PF7hHuLIK0YWVKZhKv9Mj8UeXqkMVbnVq"
                          "37CD+813gvYjcBUaZngQmXc9WNZSDNGCzA+fWl9MEUHWIZo1CeJebdY/XlgKeTa0Olvq0r"
                          "t70Q5jiSfbqMJmQFteeivUhkMWYUA="s);
                ExpectSingleContact(m, "sip:fluffy@127.0.0.1:5070");
                ExpectAddress(m.GetTo(), "To", "", "sip:kumiko@example.org", true, std::nullopt);
                ExpectAddress(
                    m.GetFrom(), "From", "", "sip:fluffy@example.com", true, OptSv("2fb0dcc9"));
                ExpectCallIdAndCSeq(
                    m, "3d9485ad0c49859b@Zmx1ZmZ5LW1hYy0xNi5sb2NhbA..", 1, "MESSAGE");
                const HeaderField* cte = m.FindHeader(HeaderId::kContentTransferEncoding);
                ASSERT_NE(cte, nullptr);
                EXPECT_EQ(cte->value, "binary");
                ExpectContentType(m, "multipart", "mixed");
                EXPECT_EQ(m.GetContentType()->params.Get("boundary"), OptSv("7a9cbec02ceef655"));
                EXPECT_EQ(m.GetDate(),
                          std::optional<int64_t>(1129351496)); // Sat, 15 Oct 2005 04:44:56 GMT
                EXPECT_EQ(m.FindHeader(HeaderId::kUserAgent)->value, "SIPimp.org/0.2.5 (curses)");
                ExpectLength(m, 553, 553);

                auto parts = ParseMultipart(m);
                ASSERT_TRUE(parts) << parts.GetError().ToString();
                ASSERT_EQ(parts.GetValue().size(), 2u);
                const BodyPart& text = parts.GetValue()[0];
                ASSERT_TRUE(text.GetContentType().has_value());
                EXPECT_TRUE(text.GetContentType()->Is("text", "plain"));
                ASSERT_NE(text.FindHeader(HeaderId::kContentTransferEncoding), nullptr);
                EXPECT_EQ(text.FindHeader(HeaderId::kContentTransferEncoding)->value, "binary");
                EXPECT_EQ(text.body, "Hello");
                const BodyPart& bin = parts.GetValue()[1];
                ASSERT_TRUE(bin.GetContentType().has_value());
                EXPECT_TRUE(bin.GetContentType()->Is("application", "octet-stream"));
                // A DER SEQUENCE of 0x152 octets: 4 + 338 = 342 octets in all.
                ASSERT_EQ(bin.body.size(), 342u);
                EXPECT_EQ(Str(bin.body.substr(0, 4)), Hex("30820152"));
                EXPECT_EQ(Str(bin.body.substr(338)), Hex("bc99d005"));
            }),

        // 3.1.1.12: UTF-8 reason phrase, bytes kept exactly.
        Accept("unreason",
               [](const SipMessage& m) {
                   // "= 2**3 * 5**2 но сто девяносто девять - простое"
                   ExpectStatusLine(
                       m,
                       200,
                       "= 2**3 * 5**2 " +
                           Hex("d0bd d0be 20 d181 d182 d0be 20 d0b4 d0b5 d0b2 d18f d0bd "
                               "d0be d181 d182 d0be 20 d0b4 d0b5 d0b2 d18f d182 d18c 20 "
                               "2d 20 d0bf d180 d0be d181 d182 d0be d0b5"));
                   ExpectVias(m, 1, {{"UDP", "192.0.2.198", -1, OptSv("z9hG4bK1324923")}});
                   ExpectCallIdAndCSeq(m, "unreason.1234ksdfak3j2erwedfsASdf", 35, "INVITE");
                   ExpectAddress(
                       m.GetFrom(), "From", "", "sip:user@example.com", false, OptSv("11141343"));
                   ExpectAddress(m.GetTo(), "To", "", "sip:user@example.edu", false, OptSv("2229"));
                   ExpectContentType(m, "application", "sdp");
                   ExpectSingleContact(m, "sip:user@host198.example.com");
                   ExpectLength(m, 154, 154);
                   ExpectSdpBody(m, 154, "192.0.2.198");
               }),

        // 3.1.1.13: empty reason phrase ("SIP/2.0 100 " then CRLF).
        Accept("noreason",
               [](const SipMessage& m) {
                   ExpectStatusLine(m, 100, "");
                   ExpectVias(m, 1, {{"UDP", "192.0.2.105", -1, OptSv("z9hG4bK2398ndaoe")}});
                   ExpectCallIdAndCSeq(m, "noreason.asndj203insdf99223ndf", 35, "INVITE");
                   ExpectAddress(
                       m.GetFrom(), "From", "", "sip:user@example.com", true, OptSv("39ansfi3"));
                   ExpectAddress(
                       m.GetTo(), "To", "", "sip:user@example.edu", true, OptSv("902jndnke3"));
                   ExpectSingleContact(m, "sip:user@host105.example.com");
                   ExpectLength(m, 0, 0);
               }),

        // ================= 3.1.2 invalid messages =================
        // (status, line, header of the first error)
        Reject("badinv01", 400, 7, "Via"),          // Via: ...;;,;,,
        Reject("clerr", 400, 10, "Content-Length"), // 9999 > the 154 octets that follow
        Reject("ncl", 400, 10, "Content-Length"),   // -999
        Reject("scalar02", 400, 5, "CSeq"),         // the first overlarge scalar
        Reject("scalarlg", 0, 5, "CSeq"),           // a response: dropped
        Reject("quotbal", 400, 2, "To"),            // unterminated quoted string
        Reject("ltgtruri", 400, 1, ""),             // Request-URI in < >
        Reject("lwsruri", 400, 1, ""),              // "sip:user@example.com; lr"
        Reject("escruri", 400, 1, ""),              // ?Route= in a SIP Request-URI
        Reject("badaspec", 400, 5, "To"),           // "< sip:t.watson@example.org >"
        Reject("baddn", 400, 4, "From"),            // Bell, Alexander unquoted
        Reject("badvers", 505, 1, ""),              // SIP/7.0
        Reject("mismatch01", 400, 6, "CSeq"),       // OPTIONS vs CSeq INVITE
        Reject("mismatch02", 400, 6, "CSeq"),       // NEWMETHOD vs CSeq INVITE: 400, not 501
        Reject("bigcode", 0, 1, ""),                // status 4294967301: dropped

        // ================= 3.1.2 lenient messages (decided) =================

        // 3.1.2.9: accepted; method, URI and version recovered exactly.
        Accept("lwsstart",
               [](const SipMessage& m) {
                   ExpectRequestLine(m, "INVITE", "sip:user@example.com");
                   ExpectSipUri(
                       m.GetRequestUri(), "Request-URI", S::kSip, "user", "example.com", -1);
                   ExpectMaxForwards(m, 8);
                   ExpectAddress(m.GetTo(), "To", "", "sip:user@example.com", false, std::nullopt);
                   ExpectAddress(
                       m.GetFrom(), "From", "", "sip:caller@example.net", false, OptSv("8814"));
                   ExpectCallIdAndCSeq(
                       m, "lwsstart.dfknq234oi243099adsdfnawe3@example.com", 1893884, "INVITE");
                   ExpectVias(m, 1, {{"UDP", "host1.example.com", -1, OptSv("z9hG4bKkdjuw3923")}});
                   ExpectSingleContact(m, "sip:caller@host1.example.net");
                   ExpectContentType(m, "application", "sdp");
                   ExpectLength(m, 150, 150);
                   ExpectSdpBody(m, 150, "192.0.2.1");
               }),

        // 3.1.2.10: accepted; the trailing SP is not part of the version.
        Accept(
            "trws",
            [](const SipMessage& m) {
                ExpectRequestLine(m, "OPTIONS", "sip:remote-target@example.com");
                ExpectSipUri(
                    m.GetRequestUri(), "Request-URI", S::kSip, "remote-target", "example.com", -1);
                ExpectVias(m, 1, {{"TCP", "host1.examle.com", -1, OptSv("z9hG4bK299342093")}});
                ExpectAddress(
                    m.GetTo(), "To", "", "sip:remote-target@example.com", true, std::nullopt);
                ExpectAddress(m.GetFrom(),
                              "From",
                              "",
                              "sip:local-resource@example.com",
                              true,
                              OptSv("329429089"));
                ExpectCallIdAndCSeq(m, "trws.oicu34958239neffasdhr2345r", 238923, "OPTIONS");
                ExpectMaxForwards(m, 70);
                ExpectLength(m, 0, 0);
            }),

        // 3.1.2.12: accepted; the Date stays (a proxy forwards it) but reads as no date.
        Accept("baddate",
               [](const SipMessage& m) {
                   ExpectRequestLine(m, "INVITE", "sip:user@example.com");
                   ExpectSipUri(
                       m.GetRequestUri(), "Request-URI", S::kSip, "user", "example.com", -1);
                   ExpectAddress(m.GetTo(), "To", "", "sip:user@example.com", false, std::nullopt);
                   ExpectAddress(
                       m.GetFrom(), "From", "", "sip:caller@example.net", false, OptSv("2234923"));
                   ExpectMaxForwards(m, 70);
                   ExpectCallIdAndCSeq(
                       m, "baddate.239423mnsadf3j23lj42--sedfnm234", 1392934, "INVITE");
                   ExpectVias(m, 1, {{"UDP", "host.example.com", -1, OptSv("z9hG4bKkdjuw")}});
                   const HeaderField* date = m.FindHeader(HeaderId::kDate);
                   ASSERT_NE(date, nullptr);
                   EXPECT_EQ(date->value, "Fri, 01 Jan 2010 16:00:00 EST");
                   EXPECT_EQ(m.GetDate(), std::nullopt);
                   EXPECT_NE(m.Serialize().find("\r\nDate: Fri, 01 Jan 2010 16:00:00 EST\r\n"),
                             std::string::npos);
                   ExpectSingleContact(m, "sip:caller@host5.example.net");
                   ExpectLength(m, 150, 150);
                   ExpectSdpBody(m, 150, "192.0.2.5");
               }),

        // 3.1.2.13: rejected: URI headers in a bare addr-spec Contact.
        Reject("regbadct", 400, 8, "Contact"),

        // ================= 3.2 / 3.3 / 3.4: semantic, all parse =================

        // 3.2.1: the branch is only the magic cookie.
        Accept("badbranch",
               [](const SipMessage& m) {
                   ExpectRequestLine(m, "OPTIONS", "sip:user@example.com");
                   ExpectSipUri(
                       m.GetRequestUri(), "Request-URI", S::kSip, "user", "example.com", -1);
                   ExpectAddress(m.GetTo(), "To", "", "sip:user@example.com", false, std::nullopt);
                   ExpectAddress(
                       m.GetFrom(), "From", "", "sip:caller@example.org", false, OptSv("33242"));
                   ExpectMaxForwards(m, 3);
                   ExpectVias(m, 1, {{"UDP", "192.0.2.1", -1, OptSv("z9hG4bK")}});
                   EXPECT_FALSE(m.GetTopVia()->HasRfc3261Branch());
                   ExpectCallIdAndCSeq(m, "badbranch.sadonfo23i420jv0as0derf3j3n", 8, "OPTIONS");
                   ExpectLength(m, 0, 0);
               }),

        // 3.3.1: no Call-ID, From, To, Max-Forwards: parses; the UAS answers 400.
        Accept("insuf",
               [](const SipMessage& m) {
                   ExpectRequestLine(m, "INVITE", "sip:user@example.com");
                   ExpectSipUri(
                       m.GetRequestUri(), "Request-URI", S::kSip, "user", "example.com", -1);
                   EXPECT_EQ(m.GetCallId(), std::nullopt);
                   EXPECT_EQ(m.GetFrom(), std::nullopt);
                   EXPECT_EQ(m.GetTo(), std::nullopt);
                   ExpectMaxForwards(m, std::nullopt);
                   auto cseq = m.GetCSeq();
                   ASSERT_TRUE(cseq.has_value());
                   EXPECT_EQ(cseq->seq, 193942u);
                   EXPECT_EQ(cseq->method, "INVITE");
                   ExpectVias(m, 1, {{"UDP", "192.0.2.95", -1, OptSv("z9hG4bKkdj.insuf")}});
                   ExpectContentType(m, "application", "sdp");
                   ExpectLength(m, 152, 152);
                   ExpectSdpBody(m, 152, "192.0.2.95");
               }),

        // 3.3.2: unknown Request-URI scheme, kept opaque.
        Accept("unkscm",
               [](const SipMessage& m) {
                   ExpectRequestLine(m, "OPTIONS", "nobodyKnowsThisScheme:totallyopaquecontent");
                   const SipUri& ru = m.GetRequestUri();
                   EXPECT_EQ(ru.GetScheme(), S::kOther);
                   EXPECT_EQ(ru.GetSchemeText(), "nobodyKnowsThisScheme");
                   EXPECT_EQ(ru.GetOpaque(), "totallyopaquecontent");
                   ExpectAddress(m.GetTo(), "To", "", "sip:user@example.com", false, std::nullopt);
                   ExpectAddress(
                       m.GetFrom(), "From", "", "sip:caller@example.net", false, OptSv("384"));
                   ExpectMaxForwards(m, 3);
                   ExpectCallIdAndCSeq(m, "unkscm.nasdfasser0q239nwsdfasdkl34", 3923423, "OPTIONS");
                   ExpectVias(m, 1, {{"TCP", "host9.example.com", -1, OptSv("z9hG4bKkdjuw39234")}});
                   ExpectLength(m, 0, 0);
               }),

        // 3.3.3: known but atypical scheme.
        Accept("novelsc",
               [](const SipMessage& m) {
                   ExpectRequestLine(m, "OPTIONS", "soap.beep://192.0.2.103:3002");
                   const SipUri& ru = m.GetRequestUri();
                   EXPECT_EQ(ru.GetScheme(), S::kOther);
                   EXPECT_EQ(ru.GetSchemeText(), "soap.beep");
                   EXPECT_EQ(ru.GetOpaque(), "//192.0.2.103:3002");
                   ExpectAddress(m.GetTo(), "To", "", "sip:user@example.com", false, std::nullopt);
                   ExpectAddress(
                       m.GetFrom(), "From", "", "sip:caller@example.net", false, OptSv("384"));
                   ExpectMaxForwards(m, 3);
                   ExpectCallIdAndCSeq(m, "novelsc.asdfasser0q239nwsdfasdkl34", 3923423, "OPTIONS");
                   ExpectVias(m, 1, {{"TCP", "host9.example.com", -1, OptSv("z9hG4bKkdjuw39234")}});
                   ExpectLength(m, 0, 0);
               }),

        // 3.3.4: unknown schemes in To, From and Contact.
        Accept("unksm2",
               [](const SipMessage& m) {
                   ExpectRequestLine(m, "REGISTER", "sip:example.com");
                   ExpectSipUri(m.GetRequestUri(), "Request-URI", S::kSip, "", "example.com", -1);
                   ExpectAddress(m.GetTo(), "To", "", "isbn:2983792873", false, std::nullopt);
                   EXPECT_EQ(m.GetTo()->GetUri().GetScheme(), S::kOther);
                   EXPECT_EQ(m.GetTo()->GetUri().GetSchemeText(), "isbn");
                   EXPECT_EQ(m.GetTo()->GetUri().GetOpaque(), "2983792873");
                   ExpectAddress(
                       m.GetFrom(), "From", "", "http://www.example.com", true, OptSv("3234233"));
                   EXPECT_EQ(m.GetFrom()->GetUri().GetScheme(), S::kOther);
                   EXPECT_EQ(m.GetFrom()->GetUri().GetSchemeText(), "http");
                   EXPECT_EQ(m.GetFrom()->GetUri().GetOpaque(), "//www.example.com");
                   ExpectCallIdAndCSeq(
                       m, "unksm2.daksdj@hyphenated-host.example.com", 234902, "REGISTER");
                   ExpectMaxForwards(m, 70);
                   ExpectVias(m, 1, {{"UDP", "192.0.2.21", 5060, OptSv("z9hG4bKkdjuw")}});
                   ExpectSingleContact(m, "name:John_Smith");
                   EXPECT_EQ(m.GetContacts()[0].GetUri().GetScheme(), S::kOther);
                   EXPECT_EQ(m.GetContacts()[0].GetUri().GetSchemeText(), "name");
                   EXPECT_EQ(m.GetContacts()[0].GetUri().GetOpaque(), "John_Smith");
                   ExpectLength(m, 0, 0);
               }),

        // 3.3.5: unknown option tags (the UAS answers 420 listing them).
        Accept(
            "bext01",
            [](const SipMessage& m) {
                ExpectRequestLine(m, "OPTIONS", "sip:user@example.com");
                ExpectSipUri(m.GetRequestUri(), "Request-URI", S::kSip, "user", "example.com", -1);
                ExpectAddress(m.GetTo(), "To", "", "sip:j_user@example.com", false, std::nullopt);
                ExpectAddress(
                    m.GetFrom(), "From", "", "sip:caller@example.net", false, OptSv("242etr"));
                ExpectMaxForwards(m, 6);
                ExpectCallIdAndCSeq(m, "bext01.0ha0isndaksdj", 8, "OPTIONS");
                EXPECT_EQ(
                    ToStrings(m.GetOptionTags(HeaderId::kRequire)),
                    (std::vector<std::string>{"nothingSupportsThis", "nothingSupportsThisEither"}));
                EXPECT_EQ(ToStrings(m.GetOptionTags(HeaderId::kProxyRequire)),
                          (std::vector<std::string>{"noProxiesSupportThis",
                                                    "norDoAnyProxiesSupportThis"}));
                ExpectVias(
                    m, 1, {{"TLS", "fold-and-staple.example.com", -1, OptSv("z9hG4bKkdjuw")}});
                ExpectLength(m, 0, 0);
            }),

        // 3.3.6: unknown Content-Type (the UAS answers 415 with Accept).
        Accept(
            "invut",
            [](const SipMessage& m) {
                ExpectRequestLine(m, "INVITE", "sip:user@example.com");
                ExpectSipUri(m.GetRequestUri(), "Request-URI", S::kSip, "user", "example.com", -1);
                ExpectSingleContact(m, "sip:caller@host5.example.net");
                ExpectAddress(m.GetTo(), "To", "", "sip:j.user@example.com", false, std::nullopt);
                ExpectAddress(
                    m.GetFrom(), "From", "", "sip:caller@example.net", false, OptSv("8392034"));
                ExpectMaxForwards(m, 70);
                ExpectCallIdAndCSeq(m, "invut.0ha0isndaksdjadsfij34n23d", 235448, "INVITE");
                ExpectVias(m, 1, {{"UDP", "somehost.example.com", -1, OptSv("z9hG4bKkdjuw")}});
                ExpectContentType(m, "application", "unknownformat");
                ExpectLength(m, 40, 40);
                EXPECT_EQ(m.GetBody(), "<audio>\r\n <pcmu port=\"443\"/>\r\n</audio>\r\n");
            }),

        // 3.3.7: unknown Authorization scheme (a registrar challenges).
        Accept("regaut01",
               [](const SipMessage& m) {
                   ExpectRequestLine(m, "REGISTER", "sip:example.com");
                   ExpectSipUri(m.GetRequestUri(), "Request-URI", S::kSip, "", "example.com", -1);
                   ExpectAddress(
                       m.GetTo(), "To", "", "sip:j.user@example.com", false, std::nullopt);
                   ExpectAddress(m.GetFrom(),
                                 "From",
                                 "",
                                 "sip:j.user@example.com",
                                 false,
                                 OptSv("87321hj23128"));
                   ExpectMaxForwards(m, 8);
                   ExpectCallIdAndCSeq(m, "regaut01.0ha0isndaksdj", 9338, "REGISTER");
                   ExpectVias(m, 1, {{"TCP", "192.0.2.253", -1, OptSv("z9hG4bKkdjuw")}});
                   auto auth = m.GetAuth(HeaderId::kAuthorization);
                   ASSERT_EQ(auth.size(), 1u);
                   EXPECT_EQ(auth[0].GetScheme(), "NoOneKnowsThisScheme");
                   EXPECT_FALSE(auth[0].IsDigest());
                   EXPECT_EQ(auth[0].Get("opaque-data"), OptSv("here"));
                   ExpectLength(m, 0, 0); // "Content-Length:0"
               }),

        // 3.3.8: several values in single-value headers: all kept, first wins.
        Accept("multi01",
               [](const SipMessage& m) {
                   ExpectRequestLine(m, "INVITE", "sip:user@company.com");
                   ExpectSipUri(
                       m.GetRequestUri(), "Request-URI", S::kSip, "user", "company.com", -1);
                   EXPECT_EQ(m.CountHeaders(HeaderId::kCSeq), 2u);
                   EXPECT_EQ(m.CountHeaders(HeaderId::kCallId), 2u);
                   EXPECT_EQ(m.CountHeaders(HeaderId::kFrom), 2u);
                   EXPECT_EQ(m.CountHeaders(HeaderId::kTo), 2u);
                   EXPECT_EQ(m.CountHeaders(HeaderId::kMaxForwards), 2u);
                   EXPECT_EQ(m.CountHeaders(HeaderId::kContact), 2u);
                   EXPECT_EQ(m.CountHeaders(HeaderId::kVia), 1u);
                   EXPECT_EQ(ToStrings(m.GetValues(HeaderId::kCSeq)),
                             (std::vector<std::string>{"5 INVITE", "59 INVITE"}));
                   EXPECT_EQ(ToStrings(m.GetValues(HeaderId::kCallId)),
                             (std::vector<std::string>{"multi01.98asdh@192.0.2.1",
                                                       "multi01.98asdh@192.0.2.2"}));
                   ExpectCallIdAndCSeq(m, "multi01.98asdh@192.0.2.1", 5, "INVITE");
                   ExpectAddress(
                       m.GetFrom(), "From", "", "sip:caller@example.com", false, OptSv("3413415"));
                   ExpectAddress(m.GetTo(), "To", "", "sip:user@example.com", false, std::nullopt);
                   EXPECT_EQ(
                       ToStrings(m.GetValues(HeaderId::kTo)),
                       (std::vector<std::string>{"sip:user@example.com", "sip:other@example.net"}));
                   ExpectMaxForwards(m, 70);
                   auto contacts = m.GetContacts();
                   ASSERT_EQ(contacts.size(), 2u);
                   EXPECT_EQ(contacts[0].GetUri().GetRaw(), "sip:caller@host25.example.net");
                   EXPECT_EQ(contacts[1].GetUri().GetRaw(), "sip:caller@host36.example.net");
                   ExpectVias(m, 1, {{"UDP", "192.0.2.25", -1, OptSv("z9hG4bKkdjuw")}});
                   ExpectContentType(m, "application", "sdp");
                   ExpectLength(m, 154, 154);
                   // The body ends with an empty line, counted in the 154 octets.
                   ExpectSdpBody(m, 154, "192.0.2.25", "a=rtpmap:31 LPC\r\n\r\n");
               }),

        // 3.3.9: two Content-Length values: the first one frames the datagram.
        Accept("mcl01",
               [](const SipMessage& m) {
                   ExpectRequestLine(m, "OPTIONS", "sip:user@example.com");
                   ExpectSipUri(
                       m.GetRequestUri(), "Request-URI", S::kSip, "user", "example.com", -1);
                   ExpectVias(m, 1, {{"UDP", "host5.example.net", -1, OptSv("z9hG4bK293423")}});
                   ExpectAddress(m.GetTo(), "To", "", "sip:user@example.com", false, std::nullopt);
                   ExpectAddress(
                       m.GetFrom(), "From", "", "sip:other@example.net", false, OptSv("3923942"));
                   ExpectCallIdAndCSeq(m, "mcl01.fhn2323orihawfdoa3o4r52o3irsdf", 15932, "OPTIONS");
                   EXPECT_EQ(m.CountHeaders(HeaderId::kContentLength), 2u);
                   EXPECT_EQ(ToStrings(m.GetValues(HeaderId::kContentLength)),
                             (std::vector<std::string>{"13", "5"}));
                   ExpectMaxForwards(m, 60);
                   ExpectContentType(m, "text", "plain");
                   ExpectLength(m, 13, 13);
                   EXPECT_EQ(m.GetBody(), "There's no wa");
               }),

        // 3.3.10: a Via naming the broadcast address.
        Accept("bcast",
               [](const SipMessage& m) {
                   ExpectStatusLine(m, 200, "OK");
                   ExpectVias(m,
                              2,
                              {{"UDP", "192.0.2.198", -1, OptSv("z9hG4bK1324923")},
                               {"UDP", "255.255.255.255", -1, OptSv("z9hG4bK1saber23")}});
                   ExpectCallIdAndCSeq(m, "bcast.0384840201234ksdfak3j2erwedfsASdf", 35, "INVITE");
                   ExpectAddress(
                       m.GetFrom(), "From", "", "sip:user@example.com", false, OptSv("11141343"));
                   ExpectAddress(m.GetTo(), "To", "", "sip:user@example.edu", false, OptSv("2229"));
                   ExpectContentType(m, "application", "sdp");
                   ExpectSingleContact(m, "sip:user@host28.example.com");
                   ExpectLength(m, 154, 154);
                   ExpectSdpBody(m, 154, "192.0.2.198");
               }),

        // 3.3.11: Max-Forwards 0.
        Accept("zeromf",
               [](const SipMessage& m) {
                   ExpectRequestLine(m, "OPTIONS", "sip:user@example.com");
                   ExpectSipUri(
                       m.GetRequestUri(), "Request-URI", S::kSip, "user", "example.com", -1);
                   ExpectAddress(m.GetTo(), "To", "", "sip:user@example.com", false, std::nullopt);
                   ExpectAddress(
                       m.GetFrom(), "From", "", "sip:caller@example.net", false, OptSv("3ghsd41"));
                   ExpectCallIdAndCSeq(m, "zeromf.jfasdlfnm2o2l43r5u0asdfas", 39234321, "OPTIONS");
                   ExpectVias(m, 1, {{"UDP", "host1.example.com", -1, OptSv("z9hG4bKkdjuw2349i")}});
                   ExpectMaxForwards(m, 0);
                   ExpectLength(m, 0, 0);
               }),

        // 3.3.12: bare addr-spec Contact: ";unknownparam" is a Contact header parameter.
        Accept("cparam01",
               [](const SipMessage& m) {
                   ExpectRequestLine(m, "REGISTER", "sip:example.com");
                   ExpectSipUri(m.GetRequestUri(), "Request-URI", S::kSip, "", "example.com", -1);
                   ExpectVias(m, 1, {{"UDP", "saturn.example.com", 5060, OptSv("z9hG4bKkdjuw")}});
                   ExpectMaxForwards(m, 70);
                   ExpectAddress(m.GetFrom(),
                                 "From",
                                 "",
                                 "sip:watson@example.com",
                                 false,
                                 OptSv("DkfVgjkrtMwaerKKpe"));
                   ExpectAddress(
                       m.GetTo(), "To", "", "sip:watson@example.com", false, std::nullopt);
                   ExpectCallIdAndCSeq(m, "cparam01.70710@saturn.example.com", 2, "REGISTER");
                   auto contacts = m.GetContacts();
                   ASSERT_EQ(contacts.size(), 1u);
                   EXPECT_FALSE(contacts[0].GetAddress().IsBracketed());
                   EXPECT_EQ(contacts[0].GetUri().GetRaw(), "sip:+19725552222@gw1.example.net");
                   ExpectSipUri(contacts[0].GetUri(),
                                "Contact URI",
                                S::kSip,
                                "+19725552222",
                                "gw1.example.net",
                                -1);
                   EXPECT_TRUE(contacts[0].GetUri().GetParams().Empty());
                   EXPECT_EQ(contacts[0].GetParams().Size(), 1u);
                   EXPECT_EQ(contacts[0].GetParams().Get("unknownparam"), OptSv(""));
                   ExpectLength(m, 0, 0);
               }),

        // 3.3.13: the same parameter inside < >: a URI parameter.
        Accept("cparam02",
               [](const SipMessage& m) {
                   ExpectRequestLine(m, "REGISTER", "sip:example.com");
                   ExpectSipUri(m.GetRequestUri(), "Request-URI", S::kSip, "", "example.com", -1);
                   ExpectVias(m, 1, {{"UDP", "saturn.example.com", 5060, OptSv("z9hG4bKkdjuw")}});
                   ExpectMaxForwards(m, 70);
                   ExpectAddress(
                       m.GetFrom(), "From", "", "sip:watson@example.com", false, OptSv("838293"));
                   ExpectAddress(
                       m.GetTo(), "To", "", "sip:watson@example.com", false, std::nullopt);
                   ExpectCallIdAndCSeq(m, "cparam02.70710@saturn.example.com", 3, "REGISTER");
                   auto contacts = m.GetContacts();
                   ASSERT_EQ(contacts.size(), 1u);
                   EXPECT_TRUE(contacts[0].GetAddress().IsBracketed());
                   EXPECT_EQ(contacts[0].GetUri().GetRaw(),
                             "sip:+19725552222@gw1.example.net;unknownparam");
                   ExpectSipUri(contacts[0].GetUri(),
                                "Contact URI",
                                S::kSip,
                                "+19725552222",
                                "gw1.example.net",
                                -1);
                   EXPECT_EQ(contacts[0].GetUri().GetParams().Get("unknownparam"), OptSv(""));
                   EXPECT_TRUE(contacts[0].GetParams().Empty());
                   ExpectLength(m, 0, 0);
               }),

        // 3.3.14: escaped URI header in a Contact: kept, and returned unchanged.
        Accept(
            "regescrt",
            [](const SipMessage& m) {
                ExpectRequestLine(m, "REGISTER", "sip:example.com");
                ExpectSipUri(m.GetRequestUri(), "Request-URI", S::kSip, "", "example.com", -1);
                ExpectAddress(m.GetTo(), "To", "", "sip:user@example.com", false, std::nullopt);
                ExpectAddress(m.GetFrom(), "From", "", "sip:user@example.com", false, OptSv("8"));
                ExpectMaxForwards(m, 70);
                ExpectCallIdAndCSeq(m, "regescrt.k345asrl3fdbv@192.0.2.1", 14398234, "REGISTER");
                ExpectVias(m, 1, {{"UDP", "host5.example.com", -1, OptSv("z9hG4bKkdjuw")}});
                EXPECT_EQ(m.FindHeader(HeaderId::kContact)->name, "M");
                auto contacts = m.GetContacts();
                ASSERT_EQ(contacts.size(), 1u);
                const SipUri& cu = contacts[0].GetUri();
                EXPECT_EQ(cu.GetRaw(), "sip:user@example.com?Route=%3Csip:sip.example.com%3E");
                ExpectSipUri(cu, "Contact URI", S::kSip, "user", "example.com", -1);
                EXPECT_TRUE(cu.GetParams().Empty());
                EXPECT_EQ(cu.GetHeaders(), "Route=%3Csip:sip.example.com%3E");
                EXPECT_EQ(text::Unescape(cu.GetHeaders()), "Route=<sip:sip.example.com>");
                EXPECT_NE(
                    m.Serialize().find(
                        "\r\nContact: <sip:user@example.com?Route=%3Csip:sip.example.com%3E>\r\n"),
                    std::string::npos);
                ExpectLength(m, 0, 0);
            }),

        // 3.3.15: Accept does not allow the answer type (415/406 later).
        Accept(
            "sdp01",
            [](const SipMessage& m) {
                ExpectRequestLine(m, "INVITE", "sip:user@example.com");
                ExpectSipUri(m.GetRequestUri(), "Request-URI", S::kSip, "user", "example.com", -1);
                ExpectAddress(m.GetTo(), "To", "", "sip:j_user@example.com", false, std::nullopt);
                ExpectSingleContact(m, "sip:caller@host15.example.net");
                ExpectAddress(
                    m.GetFrom(), "From", "", "sip:caller@example.net", false, OptSv("234"));
                ExpectMaxForwards(m, 5);
                ExpectCallIdAndCSeq(m, "sdp01.ndaksdj9342dasdd", 8, "INVITE");
                auto accept = m.GetAccept();
                ASSERT_EQ(accept.size(), 1u);
                EXPECT_TRUE(accept[0].Is("text", "nobodyKnowsThis"));
                ExpectVias(m, 1, {{"UDP", "192.0.2.15", -1, OptSv("z9hG4bKkdjuw")}});
                ExpectContentType(m, "application", "sdp");
                ExpectLength(m, 150, 150);
                ExpectSdpBody(m, 150, "192.0.2.5");
            }),

        // 3.4.1: RFC 2543 style: no branch cookie, no tags, no Content-Length.
        Accept(
            "inv2543",
            [](const SipMessage& m) {
                ExpectRequestLine(m, "INVITE", "sip:UserB@example.com");
                ExpectSipUri(m.GetRequestUri(), "Request-URI", S::kSip, "UserB", "example.com", -1);
                ExpectVias(m, 1, {{"UDP", "iftgw.example.com", -1, std::nullopt}});
                EXPECT_FALSE(m.GetTopVia()->HasRfc3261Branch());
                ExpectAddress(m.GetFrom(),
                              "From",
                              "",
                              "sip:+13035551111@ift.client.example.net;user=phone",
                              true,
                              std::nullopt);
                EXPECT_EQ(m.GetFrom()->GetUri().GetParams().Get("user"), OptSv("phone"));
                auto rr = m.GetNameAddrs(HeaderId::kRecordRoute);
                ASSERT_EQ(rr.size(), 1u);
                EXPECT_EQ(rr[0].GetUri().GetRaw(), "sip:UserB@example.com;maddr=ss1.example.com");
                EXPECT_EQ(rr[0].GetUri().GetParams().Get("maddr"), OptSv("ss1.example.com"));
                // Bare addr-spec: ";user=phone" is a To header parameter (RFC 3261 20).
                ExpectAddress(
                    m.GetTo(), "To", "", "sip:+16505552222@ss1.example.net", false, std::nullopt);
                EXPECT_EQ(m.GetTo()->GetParams().Get("user"), OptSv("phone"));
                EXPECT_TRUE(m.GetTo()->GetUri().GetParams().Empty());
                ExpectCallIdAndCSeq(m, "inv2543.1717@ift.client.example.com", 56, "INVITE");
                ExpectMaxForwards(m, std::nullopt);
                ExpectContentType(m, "application", "sdp");
                ExpectLength(m, std::nullopt, 105); // the body runs to the end of the datagram
                EXPECT_EQ(m.GetBody(),
                          "v=0\r\no=mhandley 29739 7272939 IN IP4 192.0.2.5\r\ns=-\r\n"
                          "c=IN IP4 192.0.2.5\r\nt=0 0\r\nm=audio 49217 RTP/AVP 0\r\n");
            }),
    };
    return cases;
}

std::vector<TortureCase>
Select(bool accepted)
{
    std::vector<TortureCase> out;
    for (const TortureCase& c : Cases())
    {
        if (c.accept == accepted)
        {
            out.push_back(c);
        }
    }
    return out;
}

std::string
CaseName(const testing::TestParamInfo<TortureCase>& info)
{
    return info.param.name;
}

class TortureAccepted : public testing::TestWithParam<TortureCase>
{
};

class TortureRejected : public testing::TestWithParam<TortureCase>
{
};

TEST_P(TortureAccepted, ParsesAndEveryFieldReadsBackAsWritten)
{
    const TortureCase& c = GetParam();
    auto r = ParseDatagram(TortureBytes(c.name));
    ASSERT_TRUE(r) << c.name << ".dat must parse; got: " << r.GetError().ToString();
    c.check(r.GetValue());
}

TEST_P(TortureRejected, IsRejectedWithTheDecidedStatusLineAndHeader)
{
    const TortureCase& c = GetParam();
    auto r = ParseDatagram(TortureBytes(c.name));
    ASSERT_FALSE(r) << c.name << ".dat must be rejected";
    const ParseError& e = r.GetError();
    SCOPED_TRACE("error: " + e.ToString());
    EXPECT_EQ(e.status, c.status);
    EXPECT_EQ(e.line, c.line);
    EXPECT_EQ(e.header, c.header);
    EXPECT_FALSE(e.reason.empty());
    EXPECT_NE(e.ToString().find("line " + std::to_string(c.line)), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Rfc4475, TortureAccepted, testing::ValuesIn(Select(true)), CaseName);
INSTANTIATE_TEST_SUITE_P(Rfc4475, TortureRejected, testing::ValuesIn(Select(false)), CaseName);

TEST(TortureTable, CoversEveryRowOfExpectedTsvAndNothingElse)
{
    auto rows = test::LoadExpectedTsv();
    EXPECT_EQ(rows.size(), 49u) << "RFC 4475 has 49 torture messages";
    std::set<std::string> inTable;
    for (const TortureCase& c : Cases())
    {
        EXPECT_TRUE(inTable.insert(c.name).second) << c.name << " is in the table twice";
    }
    std::set<std::string> inTsv;
    for (const auto& row : rows)
    {
        inTsv.insert(row.name);
        EXPECT_TRUE(inTable.count(row.name))
            << "expected.tsv row '" << row.name << "' (" << row.section << ", " << row.cls
            << ") has no entry in the torture table";
        EXPECT_NO_THROW(TortureBytes(row.name)) << row.name << ".dat is missing";
    }
    for (const std::string& name : inTable)
    {
        EXPECT_TRUE(inTsv.count(name)) << name << " is in the table but not in expected.tsv";
    }
}

// valid -> parse; invalid -> 400 / 505 / drop (status 0); semantic -> parse
// (their response codes come later, from the element); lenient -> either,
// as the lead decided (lwsstart, trws, baddate accepted; regbadct 400).
TEST(TortureTable, OutcomesAgreeWithTheClassInExpectedTsv)
{
    std::map<std::string, const TortureCase*> byName;
    for (const TortureCase& c : Cases())
    {
        byName[c.name] = &c;
    }
    for (const auto& row : test::LoadExpectedTsv())
    {
        auto it = byName.find(row.name);
        if (it == byName.end())
        {
            continue; // reported by CoversEveryRowOfExpectedTsvAndNothingElse
        }
        const TortureCase& c = *it->second;
        SCOPED_TRACE(row.name + " (" + row.cls + ", expected " + row.expected + ")");
        if (row.cls == "valid" || row.cls == "semantic")
        {
            EXPECT_TRUE(c.accept);
        }
        else if (row.cls == "invalid")
        {
            if (c.accept)
            {
                ADD_FAILURE() << "an invalid message must be rejected";
                continue;
            }
            int status = row.expected == "drop" ? 0 : std::stoi(row.expected);
            EXPECT_EQ(c.status, status);
        }
        else if (row.cls == "lenient")
        {
            EXPECT_EQ(row.expected, "400-or-parse");
            EXPECT_TRUE(c.accept || c.status == 400);
        }
        else
        {
            ADD_FAILURE() << "unknown class " << row.cls;
        }
    }
}

} // namespace
} // namespace sipbed
