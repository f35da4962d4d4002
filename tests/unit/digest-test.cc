// Digest authentication (RFC 2617, RFC 3261 22): the RFC 2617 example, a SIP
// REGISTER challenge and answer through real messages, and what a server
// does with wrong, stale, replayed and malformed credentials.
#include "models/net/time-ns.h"
#include "models/sip/digest-client.h"
#include "models/sip/digest-server.h"
#include "models/sip/digest.h"
#include "models/sip/sip-message.h"
#include "models/sip/sip-parser.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

using namespace sipbed;

namespace
{

/// A fixed sequence of 32-bit draws, different on every call.
DigestRandom
Counter(uint32_t seed = 1)
{
    return [n = seed]() mutable {
        n = n * 1664525u + 1013904223u;
        return n;
    };
}

DigestSecretLookup
Users(std::map<std::string, std::string> passwords)
{
    return [passwords](std::string_view user, std::string_view) -> std::optional<DigestSecret> {
        auto it = passwords.find(std::string(user));
        if (it == passwords.end())
        {
            return std::nullopt;
        }
        return DigestSecret::Password(it->second);
    };
}

DigestServerConfig
Registrar()
{
    DigestServerConfig c;
    c.realm = "example.com";
    return c;
}

const std::string kSecret = "0123456789abcdef0123456789abcdef";

SipMessage
Parse(const std::string& text)
{
    auto r = ParseDatagram(text);
    EXPECT_TRUE(r.IsOk()) << (r.IsOk() ? "" : r.GetError().ToString());
    return r.IsOk() ? r.GetValue() : SipMessage();
}

std::string
Register(int cseq, const std::string& authorization = "")
{
    std::string text = "REGISTER sip:example.com SIP/2.0\r\n"
                       "Via: SIP/2.0/UDP 10.0.1.1:5060;branch=z9hG4bK-" +
                       std::to_string(cseq) +
                       "\r\n"
                       "Max-Forwards: 70\r\n"
                       "From: Bob <sip:bob@example.com>;tag=7F94778B653B\r\n"
                       "To: Bob <sip:bob@example.com>\r\n"
                       "Call-ID: 16CB75F21C70@10.0.1.1\r\n"
                       "CSeq: " +
                       std::to_string(cseq) +
                       " REGISTER\r\n"
                       "Contact: <sip:bob@10.0.1.1;line=1>;expires=3600\r\n";
    if (!authorization.empty())
    {
        text += "Authorization: " + authorization + "\r\n";
    }
    return text + "Content-Length: 0\r\n\r\n";
}

} // namespace

// RFC 2617 3.5: the worked example, byte for byte.
TEST(DigestRfc2617, Section35ExampleIsReproducedExactly)
{
    EXPECT_EQ(DigestMd5Hex(""), "d41d8cd98f00b204e9800998ecf8427e"); // RFC 3261 22.4 item 7
    const std::string ha1 = DigestHa1("Mufasa", "testrealm@host.com", "Circle Of Life");
    EXPECT_EQ(DigestResponse(ha1,
                             "GET",
                             "/dir/index.html",
                             "dcd98b7102dd2f0e8b11d0f600bfb0c093",
                             DigestQop::kAuth,
                             "00000001",
                             "0a4f113b"),
              "6629fae49393a05397450978507c4ef1");

    // The challenge as printed in the RFC (folded lines), offering auth and auth-int.
    auto challenge =
        DigestChallenge::Parse("Digest\r\n"
                               "                 realm=\"testrealm@host.com\",\r\n"
                               "                 qop=\"auth,auth-int\",\r\n"
                               "                 nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\",\r\n"
                               "                 opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"");
    ASSERT_TRUE(challenge.IsOk()) << challenge.GetError().reason;
    EXPECT_EQ(challenge.GetValue().realm, "testrealm@host.com");
    EXPECT_TRUE(challenge.GetValue().qopAuth);
    EXPECT_EQ(challenge.GetValue().opaque,
              std::optional<std::string>("5ccc069c403ebaf9f0171e9517f40e41"));

    // The credentials the RFC prints, rebuilt from their parts.
    DigestCredentials c;
    c.username = "Mufasa";
    c.realm = "testrealm@host.com";
    c.nonce = "dcd98b7102dd2f0e8b11d0f600bfb0c093";
    c.uri = "/dir/index.html";
    c.qop = DigestQop::kAuth;
    c.nc = 1;
    c.cnonce = "0a4f113b";
    c.opaque = "5ccc069c403ebaf9f0171e9517f40e41";
    c.response = DigestResponse(ha1, "GET", c.uri, c.nonce, c.qop, DigestFormatNc(c.nc), c.cnonce);
    const std::string rfc =
        "Digest username=\"Mufasa\", realm=\"testrealm@host.com\", "
        "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"/dir/index.html\", "
        "qop=auth, nc=00000001, cnonce=\"0a4f113b\", "
        "response=\"6629fae49393a05397450978507c4ef1\", "
        "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"";
    EXPECT_EQ(c.Render(), rfc);

    // And read back: the fields, and a server that knows Mufasa's password
    // finds the digest right (stale only because the nonce is not its own).
    auto parsed = DigestCredentials::Parse(rfc);
    ASSERT_TRUE(parsed.IsOk()) << parsed.GetError().reason;
    EXPECT_EQ(parsed.GetValue().nc, 1u);
    EXPECT_EQ(parsed.GetValue().response, "6629fae49393a05397450978507c4ef1");
    DigestServerConfig config;
    config.realm = "testrealm@host.com";
    config.opaque = "5ccc069c403ebaf9f0171e9517f40e41";
    DigestServer server(config, kSecret, Users({{"Mufasa", "Circle Of Life"}}), Counter());
    DigestCheck check = server.Check(rfc, "GET", "/dir/index.html", 0);
    EXPECT_EQ(check.outcome, DigestOutcome::kStale) << check.reason;
    EXPECT_EQ(check.username, "Mufasa");
    DigestServer wrong(config, kSecret, Users({{"Mufasa", "Circle of Life"}}), Counter());
    EXPECT_EQ(wrong.Check(rfc, "GET", "/dir/index.html", 0).outcome,
              DigestOutcome::kWrongCredentials);
}

TEST(DigestServer, RegisterChallengeAndAnswerRoundTripThroughSipMessages)
{
    DigestServer registrar(Registrar(), kSecret, Users({{"bob", "zanzibar"}}), Counter(7));
    const TimeNs t0 = SecondsToNs(10);

    // 1. REGISTER without credentials -> 401 with a challenge.
    SipMessage first = Parse(Register(1));
    DigestCheck check = registrar.CheckRequest(first, t0);
    EXPECT_EQ(check.outcome, DigestOutcome::kNoCredentials);
    EXPECT_EQ(registrar.GetChallengeStatus(), 401);
    auto challengeResponse = SipMessage::MakeResponse(401, "Unauthorized");
    ASSERT_TRUE(challengeResponse.IsOk());
    SipMessage unauthorized = challengeResponse.GetValue();
    ASSERT_TRUE(
        unauthorized.AddHeader(registrar.GetChallengeHeader(), registrar.MakeChallenge(t0)).IsOk());
    // On the wire and back, as the UA would see it.
    SipMessage received401 = Parse(unauthorized.Serialize());
    const HeaderField* www = received401.FindHeader(HeaderId::kWwwAuthenticate);
    ASSERT_NE(www, nullptr);
    EXPECT_NE(std::string(www->value).find("qop=\"auth\""),
              std::string::npos); // RFC 3261 22.4 item 8
    EXPECT_NE(std::string(www->value).find("algorithm=MD5"), std::string::npos);

    // 2. The UA answers; the registrar accepts.
    DigestClient bob("bob", "zanzibar", Counter(99));
    auto answer = bob.Answer(www->value, "REGISTER", "sip:example.com");
    ASSERT_TRUE(answer.IsOk()) << answer.GetError().reason;
    EXPECT_NE(answer.GetValue().find("nc=00000001"), std::string::npos);
    EXPECT_NE(answer.GetValue().find("uri=\"sip:example.com\""), std::string::npos);
    SipMessage second = Parse(Register(2, answer.GetValue()));
    check = registrar.CheckRequest(second, t0 + SecondsToNs(0.2));
    EXPECT_EQ(check.outcome, DigestOutcome::kOk) << check.reason;
    EXPECT_EQ(check.username, "bob");

    // 3. A refresh under the same nonce counts on (RFC 2617 3.2.2).
    auto refresh = bob.Authorize("REGISTER", "sip:example.com");
    ASSERT_TRUE(refresh.has_value());
    EXPECT_NE(refresh->find("nc=00000002"), std::string::npos);
    check = registrar.CheckRequest(Parse(Register(3, *refresh)), t0 + SecondsToNs(100));
    EXPECT_EQ(check.outcome, DigestOutcome::kOk) << check.reason;
    EXPECT_EQ(registrar.GetTrackedNonceCount(), 1u);
}

TEST(DigestServer, WrongPasswordAndUnknownUserAreWrongCredentials)
{
    DigestServer registrar(Registrar(), kSecret, Users({{"bob", "zanzibar"}}), Counter());
    std::string challenge = registrar.MakeChallenge(0);
    DigestClient guess("bob", "zanzibaR", Counter(3));
    DigestCheck check =
        registrar.Check(guess.Answer(challenge, "REGISTER", "sip:example.com").GetValue(),
                        "REGISTER",
                        "sip:example.com",
                        SecondsToNs(1));
    EXPECT_EQ(check.outcome, DigestOutcome::kWrongCredentials);
    EXPECT_EQ(check.username, "bob");
    DigestClient mallory("mallory", "zanzibar", Counter(4));
    check = registrar.Check(mallory.Answer(challenge, "REGISTER", "sip:example.com").GetValue(),
                            "REGISTER",
                            "sip:example.com",
                            SecondsToNs(1));
    EXPECT_EQ(check.outcome, DigestOutcome::kWrongCredentials);
    // A wrong method breaks the digest too (A2 = Method ":" uri).
    DigestClient bob("bob", "zanzibar", Counter(5));
    check = registrar.Check(bob.Answer(challenge, "REGISTER", "sip:example.com").GetValue(),
                            "INVITE",
                            "sip:example.com",
                            SecondsToNs(1));
    EXPECT_EQ(check.outcome, DigestOutcome::kWrongCredentials);
    // Failed attempts leave no nonce-count history behind.
    EXPECT_EQ(registrar.GetTrackedNonceCount(), 0u);
}

TEST(DigestServer, NonceGoesStaleAfterItsLifetimeAndTheNewChallengeSaysSo)
{
    DigestServerConfig config = Registrar();
    config.nonceLifetime = SecondsToNs(300);
    DigestServer registrar(config, kSecret, Users({{"bob", "zanzibar"}}), Counter());
    DigestClient bob("bob", "zanzibar", Counter(11));
    auto first = bob.Answer(registrar.MakeChallenge(0), "REGISTER", "sip:example.com");
    ASSERT_TRUE(first.IsOk());
    EXPECT_EQ(
        registrar.Check(first.GetValue(), "REGISTER", "sip:example.com", SecondsToNs(299)).outcome,
        DigestOutcome::kOk);
    DigestCheck late = registrar.Check(*bob.Authorize("REGISTER", "sip:example.com"),
                                       "REGISTER",
                                       "sip:example.com",
                                       SecondsToNs(301));
    EXPECT_EQ(late.outcome, DigestOutcome::kStale) << late.reason;

    // RFC 2617 3.2.1: the new challenge carries stale=true; the client
    // answers it without a new password and starts counting again at 1.
    std::string again = registrar.MakeChallenge(SecondsToNs(301), true);
    EXPECT_NE(again.find("stale=true"), std::string::npos);
    auto parsed = DigestChallenge::Parse(again);
    ASSERT_TRUE(parsed.IsOk());
    EXPECT_TRUE(parsed.GetValue().stale);
    auto retry = bob.Answer(again, "REGISTER", "sip:example.com");
    ASSERT_TRUE(retry.IsOk());
    EXPECT_NE(retry.GetValue().find("nc=00000001"), std::string::npos);
    EXPECT_EQ(
        registrar.Check(retry.GetValue(), "REGISTER", "sip:example.com", SecondsToNs(302)).outcome,
        DigestOutcome::kOk);
}

TEST(DigestServer, ReplayedNonceCountIsRejectedAndReorderingWithinTheWindowIsNot)
{
    DigestServer registrar(Registrar(), kSecret, Users({{"bob", "zanzibar"}}), Counter());
    DigestClient bob("bob", "zanzibar", Counter(21));
    std::vector<std::string> sent;
    sent.push_back(
        bob.Answer(registrar.MakeChallenge(0), "REGISTER", "sip:example.com").GetValue());
    for (int i = 0; i < 99; ++i)
    {
        sent.push_back(*bob.Authorize("REGISTER", "sip:example.com")); // nc 2..100
    }
    auto check = [&](size_t index) {
        return registrar.Check(sent[index], "REGISTER", "sip:example.com", SecondsToNs(1)).outcome;
    };
    EXPECT_EQ(check(0), DigestOutcome::kOk);
    EXPECT_EQ(check(0), DigestOutcome::kReplayed); // the very same request again
    EXPECT_EQ(check(2), DigestOutcome::kOk);       // nc 3 before nc 2 (UDP reordering)
    EXPECT_EQ(check(1), DigestOutcome::kOk);
    EXPECT_EQ(check(1), DigestOutcome::kReplayed);
    EXPECT_EQ(check(2), DigestOutcome::kReplayed);
    EXPECT_EQ(check(99), DigestOutcome::kOk);       // nc 100
    EXPECT_EQ(check(40), DigestOutcome::kOk);       // nc 41: 59 below, inside the 64 window
    EXPECT_EQ(check(30), DigestOutcome::kReplayed); // nc 31: 69 below, outside it
    DigestCheck replay = registrar.Check(sent[99], "REGISTER", "sip:example.com", SecondsToNs(1));
    EXPECT_EQ(replay.outcome, DigestOutcome::kReplayed);
    EXPECT_EQ(replay.reason, "nonce-count 00000064 already used");
}

TEST(DigestServer, CredentialsWithoutQopServeOneRequest)
{
    DigestServerConfig config = Registrar();
    config.offerQop = false; // an RFC 2069 style server
    DigestServer registrar(config, kSecret, Users({{"bob", "zanzibar"}}), Counter());
    std::string challenge = registrar.MakeChallenge(0);
    EXPECT_EQ(challenge.find("qop"), std::string::npos);
    DigestClient bob("bob", "zanzibar", Counter(31));
    std::string answer = bob.Answer(challenge, "REGISTER", "sip:example.com").GetValue();
    EXPECT_EQ(answer.find("cnonce"), std::string::npos); // RFC 2617 3.2.2: not without qop
    EXPECT_EQ(answer.find("nc="), std::string::npos);
    EXPECT_EQ(registrar.Check(answer, "REGISTER", "sip:example.com", 1).outcome,
              DigestOutcome::kOk);
    EXPECT_EQ(registrar.Check(answer, "REGISTER", "sip:example.com", 2).outcome,
              DigestOutcome::kReplayed);

    // A server that insists on qop refuses such credentials (RFC 3261 22.4 item 8).
    DigestServerConfig strict = Registrar();
    strict.acceptNoQop = false;
    DigestServer strictServer(strict, kSecret, Users({{"bob", "zanzibar"}}), Counter());
    DigestChallenge noQop = DigestChallenge::Parse(strictServer.MakeChallenge(0)).GetValue();
    noQop.qopAuth = false;
    std::string answer2 = bob.Answer(noQop, "REGISTER", "sip:example.com").GetValue();
    EXPECT_EQ(strictServer.Check(answer2, "REGISTER", "sip:example.com", 1).outcome,
              DigestOutcome::kMalformed);
}

TEST(DigestServer, NoncesFromAnotherSecretOrTamperedAreStaleNotAccepted)
{
    DigestServer before(
        Registrar(), "secret-before-the-crash", Users({{"bob", "zanzibar"}}), Counter());
    DigestServer after(
        Registrar(), "secret-after-the-restart", Users({{"bob", "zanzibar"}}), Counter());
    DigestClient bob("bob", "zanzibar", Counter(41));
    std::string old = bob.Answer(before.MakeChallenge(0), "REGISTER", "sip:example.com").GetValue();
    DigestCheck check = after.Check(old, "REGISTER", "sip:example.com", 1);
    EXPECT_EQ(check.outcome, DigestOutcome::kStale);
    EXPECT_EQ(check.reason, "nonce not issued by this server");

    // One flipped digit of a genuine nonce (issue time pushed forward).
    DigestChallenge forged = DigestChallenge::Parse(after.MakeChallenge(0)).GetValue();
    forged.nonce[0] = forged.nonce[0] == '0' ? '1' : '0';
    std::string answer = bob.Answer(forged, "REGISTER", "sip:example.com").GetValue();
    EXPECT_EQ(after.Check(answer, "REGISTER", "sip:example.com", 1).outcome, DigestOutcome::kStale);
    // A nonce from the future (clock skew, forged time) is not accepted either.
    DigestChallenge future =
        DigestChallenge::Parse(after.MakeChallenge(SecondsToNs(50))).GetValue();
    EXPECT_EQ(after
                  .Check(bob.Answer(future, "REGISTER", "sip:example.com").GetValue(),
                         "REGISTER",
                         "sip:example.com",
                         SecondsToNs(10))
                  .outcome,
              DigestOutcome::kStale);
}

TEST(DigestServer, OpaqueUriCheckAndHa1Lookup)
{
    DigestServerConfig config = Registrar();
    config.opaque = "a1b2c3";
    config.requireUriMatch = true;
    const std::string ha1 = DigestHa1("bob", "example.com", "zanzibar");
    DigestServer registrar(
        config,
        kSecret,
        [ha1](std::string_view user, std::string_view realm) -> std::optional<DigestSecret> {
            if (user == "bob" && realm == "example.com")
            {
                return DigestSecret::Ha1(ha1);
            }
            return std::nullopt;
        },
        Counter());
    std::string challenge = registrar.MakeChallenge(0);
    EXPECT_NE(challenge.find("opaque=\"a1b2c3\""), std::string::npos);
    DigestClient bob("bob", "zanzibar", Counter(51));
    std::string answer = bob.Answer(challenge, "REGISTER", "sip:example.com").GetValue();
    EXPECT_NE(answer.find("opaque=\"a1b2c3\""), std::string::npos); // returned unchanged
    EXPECT_EQ(registrar.Check(answer, "REGISTER", "sip:example.com", 1).outcome,
              DigestOutcome::kOk);
    // RFC 2617 3.2.2.5: another URI than the Request-URI -> 400.
    std::string other = *bob.Authorize("REGISTER", "sip:other.example.com");
    EXPECT_EQ(registrar.Check(other, "REGISTER", "sip:example.com", 1).outcome,
              DigestOutcome::kMalformed);
    // A lost or altered opaque belongs to another challenge.
    DigestChallenge altered = DigestChallenge::Parse(challenge).GetValue();
    altered.opaque = "zzz";
    std::string withOtherOpaque = bob.Answer(altered, "REGISTER", "sip:example.com").GetValue();
    EXPECT_EQ(registrar.Check(withOtherOpaque, "REGISTER", "sip:example.com", 1).outcome,
              DigestOutcome::kStale);
}

TEST(DigestServer, ProxyChallengesWith407AndReadsItsOwnRealmsProxyAuthorization)
{
    DigestServerConfig config;
    config.realm = "edge.example.com";
    config.proxy = true;
    DigestServer proxy(config, kSecret, Users({{"bob", "zanzibar"}}), Counter());
    EXPECT_EQ(proxy.GetChallengeStatus(), 407);
    EXPECT_EQ(proxy.GetChallengeHeader(), "Proxy-Authenticate");
    EXPECT_EQ(proxy.GetCredentialsHeader(), "Proxy-Authorization");
    DigestClient bob("bob", "zanzibar", Counter(61));
    std::string mine =
        bob.Answer(proxy.MakeChallenge(0), "INVITE", "sip:alice@example.com").GetValue();
    DigestClient other("bob", "zanzibar", Counter(62));
    std::string theirs =
        other
            .Answer("Digest realm=\"upstream.example.net\", nonce=\"abc\", qop=\"auth\"",
                    "INVITE",
                    "sip:alice@example.com")
            .GetValue();
    std::string text = "INVITE sip:alice@example.com SIP/2.0\r\n"
                       "Via: SIP/2.0/UDP 10.0.1.1:5060;branch=z9hG4bK-inv\r\n"
                       "Max-Forwards: 70\r\n"
                       "From: <sip:bob@example.com>;tag=1\r\n"
                       "To: <sip:alice@example.com>\r\n"
                       "Call-ID: inv1@10.0.1.1\r\n"
                       "CSeq: 1 INVITE\r\n"
                       "Proxy-Authorization: " +
                       theirs +
                       "\r\n"
                       "Proxy-Authorization: " +
                       mine +
                       "\r\n"
                       "Authorization: " +
                       mine + "\r\nContent-Length: 0\r\n\r\n";
    DigestCheck check = proxy.CheckRequest(Parse(text), 1);
    EXPECT_EQ(check.outcome, DigestOutcome::kOk) << check.reason;
    // A registrar in the same realm reads Authorization, not Proxy-Authorization.
    DigestServerConfig uas = config;
    uas.proxy = false;
    DigestServer registrar(uas, kSecret, Users({{"bob", "zanzibar"}}), Counter());
    EXPECT_EQ(registrar.CheckRequest(Parse(text), 1).outcome, DigestOutcome::kOk);
    EXPECT_EQ(registrar.Check(theirs, "INVITE", "sip:alice@example.com", 1).outcome,
              DigestOutcome::kNoCredentials);
}

TEST(DigestServer, MalformedCredentialsAreRejectedCleanly)
{
    DigestServer registrar(Registrar(), kSecret, Users({{"bob", "zanzibar"}}), Counter());
    const std::string base =
        "username=\"bob\", realm=\"example.com\", nonce=\"n\", uri=\"sip:example.com\"";
    const std::string response = ", response=\"0123456789abcdef0123456789abcdef\"";
    const std::vector<std::string> bad = {
        "",
        "Digest",
        "Digest ",
        "Basic Ym9iOnphbnppYmFy", // RFC 3261 22.4: never Basic
        "Digest username=\"bob\"",
        "Digest " + base,                        // no response
        "Digest " + base + ", response=\"xyz\"", // not 32 hex
        "Digest " + base + ", response=\"0123456789abcdef0123456789abcdeg\"",
        "Digest " + base + response + ", qop=auth",               // no nc, no cnonce
        "Digest " + base + response + ", qop=auth, cnonce=\"c\"", // no nc
        "Digest " + base + response + ", qop=auth, nc=0000001, cnonce=\"c\"",
        "Digest " + base + response + ", qop=auth, nc=zzzzzzzz, cnonce=\"c\"",
        "Digest " + base + response + ", qop=auth, nc=00000000, cnonce=\"c\"",
        "Digest " + base + response + ", qop=auth, nc=00000001, cnonce=\"\"",
        "Digest " + base + response + ", qop=auth-int, nc=00000001, cnonce=\"c\"",
        "Digest " + base + response + ", nc=00000001", // nc without qop
        "Digest " + base + response + ", algorithm=SHA-256",
        "Digest " + base + response + ", algorithm=MD5-sess",
        "Digest " + base + response + response, // duplicate
        "Digest username=\"bob" + response,     // unterminated quote
        "Digest username=bob realm=x",
        "Digest ,,,,",
        std::string("Digest username=\"\0\xff\", realm", 26),
        "Digest " + std::string(10000, 'a') + "=" + std::string(10000, 'b'),
    };
    for (const std::string& value : bad)
    {
        DigestCheck check = registrar.Check(value, "REGISTER", "sip:example.com", 1);
        EXPECT_EQ(check.outcome, DigestOutcome::kMalformed) << value.substr(0, 120);
        EXPECT_FALSE(check.reason.empty());
    }
    EXPECT_EQ(registrar.GetTrackedNonceCount(), 0u);
    // Challenges sipbed cannot answer are refused by the client, not guessed at.
    DigestClient bob("bob", "zanzibar", Counter());
    for (const char* challenge : {"Basic realm=\"example.com\"",
                                  "Digest realm=\"example.com\"",
                                  "Digest nonce=\"abc\"",
                                  "Digest realm=\"example.com\", nonce=\"abc\", algorithm=MD5-sess",
                                  "Digest realm=\"example.com\", nonce=\"abc\", qop=\"auth-int\"",
                                  "Digest realm=\"a\", realm=\"b\", nonce=\"abc\"",
                                  "Digest realm=\"example.com\", nonce=\"abc"})
    {
        EXPECT_FALSE(bob.Answer(challenge, "REGISTER", "sip:example.com").IsOk()) << challenge;
    }
    EXPECT_FALSE(bob.HasChallenge());
    EXPECT_FALSE(bob.Authorize("REGISTER", "sip:example.com").has_value());
    DigestClient crlf("bob\r\nVia: x", "zanzibar", Counter());
    EXPECT_FALSE(crlf.Answer("Digest realm=\"x\", nonce=\"y\"", "REGISTER", "sip:x").IsOk());
}

TEST(DigestServer, NonceCountHistoryIsBoundedAndOldEntriesExpire)
{
    DigestServerConfig config = Registrar();
    config.maxTrackedNonces = 4;
    config.nonceLifetime = SecondsToNs(300);
    DigestServer registrar(config, kSecret, Users({{"bob", "zanzibar"}}), Counter());
    std::vector<DigestClient> clients;
    std::vector<std::string> challenges;
    for (int i = 0; i < 6; ++i)
    {
        clients.emplace_back("bob", "zanzibar", Counter(100 + i));
        challenges.push_back(registrar.MakeChallenge(SecondsToNs(i)));
    }
    for (int i = 0; i < 6; ++i)
    {
        std::string answer =
            clients[i].Answer(challenges[i], "REGISTER", "sip:example.com").GetValue();
        EXPECT_EQ(registrar.Check(answer, "REGISTER", "sip:example.com", SecondsToNs(10)).outcome,
                  DigestOutcome::kOk);
        EXPECT_LE(registrar.GetTrackedNonceCount(), 4u);
    }
    // The two oldest nonces lost their history: they are stale, not replayable.
    DigestCheck evicted = registrar.Check(*clients[0].Authorize("REGISTER", "sip:example.com"),
                                          "REGISTER",
                                          "sip:example.com",
                                          SecondsToNs(11));
    EXPECT_EQ(evicted.outcome, DigestOutcome::kStale);
    EXPECT_EQ(evicted.reason, "nonce history dropped (too many nonces in use)");
    EXPECT_EQ(registrar
                  .Check(*clients[5].Authorize("REGISTER", "sip:example.com"),
                         "REGISTER",
                         "sip:example.com",
                         SecondsToNs(11))
                  .outcome,
              DigestOutcome::kOk);
    // Once their nonces expire, the entries go.
    std::string fresh = registrar.MakeChallenge(SecondsToNs(400));
    DigestClient late("bob", "zanzibar", Counter(200));
    EXPECT_EQ(registrar
                  .Check(late.Answer(fresh, "REGISTER", "sip:example.com").GetValue(),
                         "REGISTER",
                         "sip:example.com",
                         SecondsToNs(400))
                  .outcome,
              DigestOutcome::kOk);
    EXPECT_EQ(registrar.GetTrackedNonceCount(), 1u);
}

TEST(DigestServer, SameInstantChallengesGetDistinctNonces)
{
    DigestServer registrar(Registrar(), kSecret, Users({}), Counter());
    auto a = DigestChallenge::Parse(registrar.MakeChallenge(5)).GetValue();
    auto b = DigestChallenge::Parse(registrar.MakeChallenge(5)).GetValue();
    EXPECT_NE(a.nonce, b.nonce);
    EXPECT_EQ(a.nonce.size(), 64u);
    EXPECT_EQ(DigestOutcomeName(DigestOutcome::kReplayed), "replayed");
}
