// TlsEngine: a real OpenSSL handshake between two engines whose bytes are
// pumped by hand, with the sec-flows vectors (RSA-1024, SHA-1, 2005-2008):
// what a peer sees on success (data both ways, in any segmentation) and on
// each certificate failure of sec-flows-01 section 8 (name, CA, validity),
// plus garbage on the wire.

#include "models/security/openssl-handles.h"
#include "models/security/tls-context.h"
#include "models/security/tls-engine.h"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#ifndef SIPBED_SHARED_DIR
#    error "SIPBED_SHARED_DIR must name the shared/ folder (tests/CMakeLists.txt defines it)"
#endif

namespace sipbed
{
namespace
{

using State = TlsEngine::State;

const std::string kVectors = SIPBED_SHARED_DIR "/vectors/sec-flows/";

// 2010-01-01 and 2004-01-01: after the host certificates expired
// (2008-02-03), and before they were issued (2005-02-03) but inside the
// CA's validity (2003-2013).
constexpr int64_t kAfterValidity = 1262304000;
constexpr int64_t kBeforeValidity = 1072915200;

std::string
ReadVector(const std::string& name)
{
    std::ifstream in(kVectors + name, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    EXPECT_TRUE(in.good() || in.eof()) << "cannot read " << kVectors + name;
    return out.str();
}

// The server of sec-flows 5.1: example.net's certificate followed by the CA
// certificate (the trace's 1477-octet Certificate message holds both).
TlsConfig
ExampleNetServerConfig()
{
    TlsConfig c;
    c.certificatePem = ReadVector("examplenet_cert.pem") + ReadVector("ca_cert.pem");
    c.privateKeyPem = ReadVector("examplenet_key.pem");
    c.verificationTime = kSecFlowsVerificationTime;
    return c;
}

TlsConfig
SipitClientConfig()
{
    TlsConfig c;
    c.trustedCaFiles.push_back(kVectors + "ca_cert.pem");
    c.verificationTime = kSecFlowsVerificationTime;
    return c;
}

std::unique_ptr<TlsContext>
MakeContext(const TlsConfig& config)
{
    std::string error;
    auto context = TlsContext::Create(config, &error);
    EXPECT_NE(context, nullptr) << error;
    return context;
}

struct PumpStats
{
    size_t clientToServer = 0;
    size_t serverToClient = 0;
    int flights = 0; ///< non-empty transfers, one per direction change
};

// Moves bytes both ways until neither engine has anything to send. With
// `chunk` > 0 every transfer is cut into pieces of that size, as small TCP
// segments would.
PumpStats
Pump(TlsEngine& client, TlsEngine& server, size_t chunk = 0)
{
    PumpStats stats;
    auto deliver = [chunk](const std::string& bytes, TlsEngine& to) {
        if (chunk == 0)
        {
            to.OnBytesFromNetwork(bytes);
            return;
        }
        for (size_t i = 0; i < bytes.size(); i += chunk)
        {
            to.OnBytesFromNetwork(std::string_view(bytes).substr(i, chunk));
        }
    };
    for (int round = 0; round < 100; ++round)
    {
        std::string c2s = client.TakeBytesToNetwork();
        if (!c2s.empty())
        {
            stats.clientToServer += c2s.size();
            ++stats.flights;
            deliver(c2s, server);
        }
        std::string s2c = server.TakeBytesToNetwork();
        if (!s2c.empty())
        {
            stats.serverToClient += s2c.size();
            ++stats.flights;
            deliver(s2c, client);
        }
        if (c2s.empty() && s2c.empty())
        {
            return stats;
        }
    }
    ADD_FAILURE() << "the engines keep talking";
    return stats;
}

// --- certificates minted for the failure cases --------------------------------

EvpPkeyPtr
NewEcKey()
{
    return EvpPkeyPtr(EVP_EC_gen("P-256"));
}

EvpPkeyPtr
SipitCaKey()
{
    std::string pem = ReadVector("ca_key_encrypted.pem");
    BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    // The sec-flows CA key is public on purpose (passphrase "password"), so
    // tests can mint the certificates section 8 needs from the same CA.
    char passphrase[] = "password";
    return EvpPkeyPtr(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, passphrase));
}

X509Ptr
LoadCertificate(const std::string& pem)
{
    BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    return X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

void
AddExtension(X509* cert, X509* issuer, int nid, const char* value)
{
    X509V3_CTX v3;
    X509V3_set_ctx(&v3, issuer != nullptr ? issuer : cert, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &v3, nid, value);
    ASSERT_NE(ext, nullptr) << value;
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
}

// A certificate for `key` with Subject CN `cn` and, if not empty,
// subjectAltName `san` ("DNS:a,DNS:b"), valid 2005-2008 like the vectors,
// signed by `issuer` (self-signed when null).
X509Ptr
Mint(EVP_PKEY* key,
     const std::string& cn,
     const std::string& san,
     bool isCa,
     X509* issuer,
     EVP_PKEY* issuerKey)
{
    X509Ptr cert(X509_new());
    X509_set_version(cert.get(), 2);
    static long serial = 1000;
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), ++serial);
    ASN1_TIME_set(X509_getm_notBefore(cert.get()), 1107456000); // 2005-02-03
    ASN1_TIME_set(X509_getm_notAfter(cert.get()), 1201996800);  // 2008-02-03
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(
        name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("sipbed test"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(
        name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
    X509_set_issuer_name(cert.get(), issuer != nullptr ? X509_get_subject_name(issuer) : name);
    X509_set_pubkey(cert.get(), key);
    AddExtension(cert.get(), issuer, NID_basic_constraints, isCa ? "critical,CA:TRUE" : "CA:FALSE");
    if (!san.empty())
    {
        AddExtension(cert.get(), issuer, NID_subject_alt_name, san.c_str());
    }
    X509_sign(cert.get(), issuerKey != nullptr ? issuerKey : key, EVP_sha256());
    return cert;
}

std::string
ToPem(X509* cert)
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_X509(bio.get(), cert);
    char* data = nullptr;
    long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<size_t>(n));
}

std::string
ToPem(EVP_PKEY* key)
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<size_t>(n));
}

// A server config for a certificate minted by the sipit CA (section 8's
// "generated with the published CA key").
TlsConfig
SipitMintedServerConfig(const std::string& cn, const std::string& san)
{
    EvpPkeyPtr caKey = SipitCaKey();
    X509Ptr caCert = LoadCertificate(ReadVector("ca_cert.pem"));
    EvpPkeyPtr key = NewEcKey();
    X509Ptr cert = Mint(key.get(), cn, san, false, caCert.get(), caKey.get());
    TlsConfig c;
    c.certificatePem = ToPem(cert.get());
    c.privateKeyPem = ToPem(key.get());
    c.verificationTime = kSecFlowsVerificationTime;
    return c;
}

// --- the connection under test --------------------------------------------------

struct Connection
{
    std::unique_ptr<TlsContext> clientContext;
    std::unique_ptr<TlsContext> serverContext;
    std::unique_ptr<TlsEngine> client;
    std::unique_ptr<TlsEngine> server;
    int clientDone = 0;
    int serverDone = 0;
    std::vector<TlsError> clientErrors;
    std::vector<TlsError> serverErrors;

    Connection(const TlsConfig& clientConfig,
               const TlsConfig& serverConfig,
               const std::string& expectedName)
        : clientContext(MakeContext(clientConfig))
        , serverContext(MakeContext(serverConfig))
    {
        if (!clientContext || !serverContext)
        {
            return;
        }
        client =
            std::make_unique<TlsEngine>(*clientContext, TlsEngine::Role::kClient, expectedName);
        server = std::make_unique<TlsEngine>(*serverContext, TlsEngine::Role::kServer);
        client->SetHandshakeDoneCallback([this] { ++clientDone; });
        server->SetHandshakeDoneCallback([this] { ++serverDone; });
        client->SetErrorCallback([this](const TlsError& e) { clientErrors.push_back(e); });
        server->SetErrorCallback([this](const TlsError& e) { serverErrors.push_back(e); });
    }

    PumpStats Handshake(size_t chunk = 0)
    {
        client->Start();
        return Pump(*client, *server, chunk);
    }
};

// --- success -------------------------------------------------------------------

class TlsEngineVersionTest : public testing::TestWithParam<TlsVersion>
{
};

// SFV-5: example.net's RSA-1024/SHA-1 certificate from the sipit CA verifies
// at level 0 with a 2006 clock, for TLS 1.2 and 1.3 alike.
TEST_P(TlsEngineVersionTest, ClientExpectingCertificateNameCompletesHandshakeAndDataFlowsBothWays)
{
    TlsConfig serverConfig = ExampleNetServerConfig();
    serverConfig.minVersion = serverConfig.maxVersion = GetParam();
    Connection c(SipitClientConfig(), serverConfig, "example.net");
    ASSERT_TRUE(c.client && c.server);
    c.Handshake();

    ASSERT_EQ(c.client->GetState(), State::kEstablished) << c.client->GetError().reason;
    ASSERT_EQ(c.server->GetState(), State::kEstablished) << c.server->GetError().reason;
    EXPECT_EQ(c.clientDone, 1);
    EXPECT_EQ(c.serverDone, 1);
    EXPECT_EQ(c.client->GetProtocolVersion(),
              GetParam() == TlsVersion::kTls1_3 ? "TLSv1.3" : "TLSv1.2");
    EXPECT_EQ(c.client->GetCipherName(), c.server->GetCipherName());
    X509Ptr peer = c.client->GetPeerCertificate();
    ASSERT_NE(peer, nullptr);
    EXPECT_EQ(X509_cmp(peer.get(), LoadCertificate(ReadVector("examplenet_cert.pem")).get()), 0);

    const std::string request =
        "MESSAGE sips:kumiko@example.net SIP/2.0\r\nContent-Length: 6\r\n\r\nHello!";
    const std::string response = "SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n";
    ASSERT_TRUE(c.client->Write(request));
    Pump(*c.client, *c.server);
    EXPECT_EQ(c.server->TakeApplicationBytes(), request);
    ASSERT_TRUE(c.server->Write(response));
    Pump(*c.client, *c.server);
    EXPECT_EQ(c.client->TakeApplicationBytes(), response);
    EXPECT_TRUE(c.clientErrors.empty());
    EXPECT_TRUE(c.serverErrors.empty());
}

// SF-4 under both versions: OpenSSL verifies at different points of the
// TLS 1.2 and 1.3 handshakes, and the name rule must run in both.
TEST_P(TlsEngineVersionTest, ServerCertificateForAnotherHostFailsWithNameMismatch)
{
    TlsConfig serverConfig = ExampleNetServerConfig();
    serverConfig.minVersion = serverConfig.maxVersion = GetParam();
    Connection c(SipitClientConfig(), serverConfig, "good.example.com");
    ASSERT_TRUE(c.client && c.server);
    c.Handshake();
    EXPECT_EQ(c.client->GetError().kind, TlsErrorKind::kNameMismatch);
    EXPECT_EQ(c.client->GetError().reason,
              "name mismatch: expected good.example.com, certificate has example.net");
    EXPECT_EQ(c.server->GetState(), State::kFailed);
}

INSTANTIATE_TEST_SUITE_P(TlsVersions,
                         TlsEngineVersionTest,
                         testing::Values(TlsVersion::kTls1_2, TlsVersion::kTls1_3),
                         [](const testing::TestParamInfo<TlsVersion>& info) {
                             return info.param == TlsVersion::kTls1_3 ? std::string("Tls13")
                                                                      : std::string("Tls12");
                         });

TEST(TlsEngine, RecordFedOneByteAtATimeIsDeliveredWhole)
{
    Connection c(SipitClientConfig(), ExampleNetServerConfig(), "example.net");
    ASSERT_TRUE(c.client && c.server);
    // The handshake itself, one byte per segment, too.
    c.Handshake(1);
    ASSERT_TRUE(c.client->IsEstablished()) << c.client->GetError().reason;
    ASSERT_TRUE(c.server->IsEstablished()) << c.server->GetError().reason;

    std::string received;
    int deliveries = 0;
    c.server->SetApplicationDataCallback([&](std::string_view data) {
        received.append(data);
        ++deliveries;
    });
    const std::string message = "OPTIONS sips:example.net SIP/2.0\r\nContent-Length: 0\r\n\r\n";
    ASSERT_TRUE(c.client->Write(message));
    std::string wire = c.client->TakeBytesToNetwork();
    ASSERT_GT(wire.size(), message.size()); // framed and authenticated, not plaintext
    EXPECT_EQ(wire.find("OPTIONS"), std::string::npos);
    for (size_t i = 0; i + 1 < wire.size(); ++i)
    {
        c.server->OnBytesFromNetwork(wire.substr(i, 1));
        EXPECT_TRUE(received.empty()) << "plaintext released before its record was complete";
    }
    c.server->OnBytesFromNetwork(wire.substr(wire.size() - 1));
    EXPECT_EQ(received, message);
    EXPECT_EQ(deliveries, 1);
    EXPECT_TRUE(c.server->TakeApplicationBytes().empty()); // the callback took it
}

TEST(TlsEngine, DataWrittenBeforeHandshakeCompletesIsSentRightAfter)
{
    Connection c(SipitClientConfig(), ExampleNetServerConfig(), "example.net");
    ASSERT_TRUE(c.client && c.server);
    ASSERT_TRUE(c.client->Write("REGISTER"));
    EXPECT_EQ(c.client->TakeBytesToNetwork().find("REGISTER"), std::string::npos);
    c.Handshake();
    ASSERT_TRUE(c.server->IsEstablished());
    EXPECT_EQ(c.server->TakeApplicationBytes(), "REGISTER");
}

TEST(TlsEngine, LargeWriteArrivesIntactAcrossManyRecords)
{
    Connection c(SipitClientConfig(), ExampleNetServerConfig(), "example.net");
    ASSERT_TRUE(c.client && c.server);
    c.Handshake();
    std::string big(100000, '\0');
    for (size_t i = 0; i < big.size(); ++i)
    {
        big[i] = static_cast<char>(i * 7 + 3);
    }
    ASSERT_TRUE(c.server->Write(big));
    Pump(*c.client, *c.server, 1460); // TCP segments of one Ethernet MSS
    EXPECT_EQ(c.client->TakeApplicationBytes(), big);
}

// sec-flows 7.2.1-style close: close_notify both ways, then nothing more.
TEST(TlsEngine, CloseNotifyEndsTheSessionOnBothSides)
{
    Connection c(SipitClientConfig(), ExampleNetServerConfig(), "example.net");
    ASSERT_TRUE(c.client && c.server);
    c.Handshake();
    int serverClosed = 0;
    int clientClosed = 0;
    c.server->SetClosedCallback([&] { ++serverClosed; });
    c.client->SetClosedCallback([&] { ++clientClosed; });

    ASSERT_TRUE(c.client->Write("last words"));
    c.client->Close();
    EXPECT_EQ(c.client->GetState(), State::kClosing);
    EXPECT_FALSE(c.client->Write("too late"));
    Pump(*c.client, *c.server);

    EXPECT_EQ(c.server->TakeApplicationBytes(), "last words");
    EXPECT_EQ(c.server->GetState(), State::kClosed);
    EXPECT_TRUE(c.server->ReceivedCloseNotify());
    EXPECT_EQ(c.client->GetState(), State::kClosed);
    EXPECT_TRUE(c.client->ReceivedCloseNotify());
    EXPECT_EQ(serverClosed, 1);
    EXPECT_EQ(clientClosed, 1);
    EXPECT_FALSE(c.server->Write("after close"));
    EXPECT_TRUE(c.clientErrors.empty());
    EXPECT_TRUE(c.serverErrors.empty());
}

TEST(TlsEngine, TransportClosedWithoutCloseNotifyIsReportedAsUnclean)
{
    Connection c(SipitClientConfig(), ExampleNetServerConfig(), "example.net");
    ASSERT_TRUE(c.client && c.server);
    c.Handshake();
    c.server->OnNetworkClosed();
    EXPECT_EQ(c.server->GetState(), State::kClosed);
    EXPECT_FALSE(c.server->ReceivedCloseNotify());
    EXPECT_TRUE(c.serverErrors.empty());
}

// SF-1: the trace's TLS 1.0 with TLS_RSA_WITH_AES_128_CBC_SHA still works at
// level 0 for interop experiments.
TEST(TlsEngine, Tls10WithRsaKeyExchangeWorksAtSecurityLevelZero)
{
    TlsConfig serverConfig = ExampleNetServerConfig();
    TlsConfig clientConfig = SipitClientConfig();
    for (TlsConfig* config : {&serverConfig, &clientConfig})
    {
        config->minVersion = config->maxVersion = TlsVersion::kTls1_0;
        config->cipherList = "AES128-SHA";
    }
    Connection c(clientConfig, serverConfig, "example.net");
    ASSERT_TRUE(c.client && c.server);
    c.Handshake();
    ASSERT_TRUE(c.client->IsEstablished()) << c.client->GetError().reason;
    EXPECT_EQ(c.client->GetProtocolVersion(), "TLSv1");
    EXPECT_EQ(c.client->GetCipherName(), "AES128-SHA");
}

// sec-flows scenario 7: no dNSName at all, the host name is the Subject CN.
TEST(TlsEngine, CertificateWithoutDnsNameIsMatchedByItsCommonName)
{
    Connection c(
        SipitClientConfig(), SipitMintedServerConfig("proxy.example.org", ""), "proxy.example.org");
    ASSERT_TRUE(c.client && c.server);
    c.Handshake();
    EXPECT_TRUE(c.client->IsEstablished()) << c.client->GetError().reason;
    EXPECT_TRUE(c.server->IsEstablished()) << c.server->GetError().reason;
}

// A client told not to verify accepts anything, even an expired certificate
// for another host (sec-flows 7: "many clients accepted them").
TEST(TlsEngine, ClientWithVerificationOffAcceptsAnyCertificate)
{
    TlsConfig clientConfig;
    clientConfig.verifyServer = false;
    clientConfig.verificationTime = kAfterValidity;
    Connection c(clientConfig, ExampleNetServerConfig(), "good.example.com");
    ASSERT_TRUE(c.client && c.server);
    c.Handshake();
    EXPECT_TRUE(c.client->IsEstablished()) << c.client->GetError().reason;
}

TEST(TlsEngine, ServerRequiringClientCertificateAcceptsOneFromTrustedCa)
{
    TlsConfig serverConfig = ExampleNetServerConfig();
    serverConfig.requireClientCertificate = true;
    serverConfig.trustedCaPem = ReadVector("ca_cert.pem");
    TlsConfig clientConfig = SipitClientConfig();
    clientConfig.certificateFile = kVectors + "examplecom_cert.pem";
    clientConfig.privateKeyFile = kVectors + "examplecom_key.pem";
    Connection c(clientConfig, serverConfig, "example.net");
    ASSERT_TRUE(c.client && c.server);
    c.Handshake();
    ASSERT_TRUE(c.server->IsEstablished()) << c.server->GetError().reason;
    X509Ptr peer = c.server->GetPeerCertificate();
    ASSERT_NE(peer, nullptr);
    EXPECT_EQ(X509_cmp(peer.get(), LoadCertificate(ReadVector("examplecom_cert.pem")).get()), 0);
}

// --- certificate failures (sec-flows-01 8, scenarios 8-10) ------------------------

// Scenario 8 / SF-4: connecting to good.example.com and getting a valid
// certificate for another host is an error, and the connection is not
// completed on either side.
TEST(TlsEngine, ServerCertificateForAnotherHostFailsWithNameMismatch)
{
    Connection c(SipitClientConfig(), ExampleNetServerConfig(), "good.example.com");
    ASSERT_TRUE(c.client && c.server);
    ASSERT_TRUE(c.client->Write("must never be sent"));
    c.Handshake();

    EXPECT_EQ(c.client->GetState(), State::kFailed);
    EXPECT_EQ(c.client->GetError().kind, TlsErrorKind::kNameMismatch);
    EXPECT_EQ(c.client->GetError().reason,
              "name mismatch: expected good.example.com, certificate has example.net");
    ASSERT_EQ(c.clientErrors.size(), 1u);
    EXPECT_EQ(c.clientErrors[0].reason, c.client->GetError().reason);
    EXPECT_EQ(c.clientDone, 0);
    // The client's alert tells the server, which fails too.
    EXPECT_EQ(c.server->GetState(), State::kFailed);
    EXPECT_EQ(c.server->GetError().kind, TlsErrorKind::kPeerAlert);
    EXPECT_EQ(c.server->GetError().reason.rfind("peer sent alert: ", 0), 0u)
        << c.server->GetError().reason;
    EXPECT_EQ(c.serverDone, 0);
    EXPECT_TRUE(c.server->TakeApplicationBytes().empty());
    EXPECT_FALSE(c.client->Write("still not"));
}

// sec-flows 8: wildcards never match a dNSName, even one that would.
TEST(TlsEngine, WildcardDnsNameInServerCertificateIsRejected)
{
    Connection c(SipitClientConfig(),
                 SipitMintedServerConfig("*.example.com", "DNS:*.example.com"),
                 "proxy.example.com");
    ASSERT_TRUE(c.client && c.server);
    c.Handshake();
    EXPECT_EQ(c.client->GetError().kind, TlsErrorKind::kNameMismatch);
    EXPECT_EQ(c.client->GetError().reason,
              "name mismatch: expected proxy.example.com, certificate has *.example.com "
              "(wildcards are not allowed in dNSName)");
    EXPECT_FALSE(c.server->IsEstablished());
}

TEST(TlsEngine, ClientWithoutExpectedServerNameRefusesTheServer)
{
    Connection c(SipitClientConfig(), ExampleNetServerConfig(), "");
    ASSERT_TRUE(c.client && c.server);
    c.Handshake();
    EXPECT_EQ(c.client->GetError().kind, TlsErrorKind::kNameMismatch);
    EXPECT_EQ(c.client->GetError().reason,
              "no expected server name to check the certificate against");
}

// Scenario 9: a man in the middle with a certificate for the right name from
// a CA the client does not trust.
TEST(TlsEngine, ServerCertificateFromUntrustedCaFailsWithUnknownCa)
{
    EvpPkeyPtr rogueCaKey = NewEcKey();
    X509Ptr rogueCa = Mint(rogueCaKey.get(), "Rogue CA", "", true, nullptr, nullptr);
    EvpPkeyPtr key = NewEcKey();
    X509Ptr cert =
        Mint(key.get(), "example.net", "DNS:example.net", false, rogueCa.get(), rogueCaKey.get());
    TlsConfig rogue;
    rogue.certificatePem = ToPem(cert.get()) + ToPem(rogueCa.get());
    rogue.privateKeyPem = ToPem(key.get());

    Connection c(SipitClientConfig(), rogue, "example.net");
    ASSERT_TRUE(c.client && c.server);
    c.Handshake();
    EXPECT_EQ(c.client->GetError().kind, TlsErrorKind::kUnknownCa);
    EXPECT_EQ(c.client->GetError().reason.rfind("unknown CA", 0), 0u)
        << c.client->GetError().reason;
    EXPECT_NE(c.client->GetError().reason.find("Rogue CA"), std::string::npos)
        << c.client->GetError().reason;
    EXPECT_FALSE(c.server->IsEstablished());
}

// Scenario 10 / SF-3: the verification time is after notAfter.
TEST(TlsEngine, VerificationTimeAfterValidityFailsWithCertificateExpired)
{
    TlsConfig clientConfig = SipitClientConfig();
    clientConfig.verificationTime = kAfterValidity;
    Connection c(clientConfig, ExampleNetServerConfig(), "example.net");
    ASSERT_TRUE(c.client && c.server);
    c.Handshake();
    EXPECT_EQ(c.client->GetError().kind, TlsErrorKind::kCertificateExpired);
    EXPECT_EQ(c.client->GetError().reason,
              "certificate expired: C=US, ST=California, L=San Jose, O=sipit, CN=example.net "
              "valid until 2008-02-03 18:49:11 UTC, checked at 2010-01-01 00:00:00 UTC");
    EXPECT_EQ(c.server->GetError().kind, TlsErrorKind::kPeerAlert);
    EXPECT_EQ(c.server->GetError().reason, "peer sent alert: certificate expired");
}

TEST(TlsEngine, VerificationTimeSetPerEngineOverridesTheContext)
{
    Connection c(SipitClientConfig(), ExampleNetServerConfig(), "example.net");
    ASSERT_TRUE(c.client && c.server);
    c.client->SetVerificationTime(kBeforeValidity);
    c.Handshake();
    EXPECT_EQ(c.client->GetError().kind, TlsErrorKind::kCertificateNotYetValid);
    EXPECT_EQ(c.client->GetError().reason.rfind("certificate not yet valid: ", 0), 0u)
        << c.client->GetError().reason;
}

// SFV-5: with the machine's clock every sec-flows certificate is expired.
TEST(TlsEngine, RealClockFindsSecFlowsCertificatesExpired)
{
    TlsConfig clientConfig = SipitClientConfig();
    clientConfig.verificationTime.reset();
    Connection c(clientConfig, ExampleNetServerConfig(), "example.net");
    ASSERT_TRUE(c.client && c.server);
    c.Handshake();
    EXPECT_EQ(c.client->GetError().kind, TlsErrorKind::kCertificateExpired);
}

// --- garbage and broken transports ------------------------------------------------

TEST(TlsEngine, GarbageInsteadOfClientHelloFailsTheServerCleanly)
{
    Connection c(SipitClientConfig(), ExampleNetServerConfig(), "example.net");
    ASSERT_TRUE(c.server);
    // A SIP request sent in clear to a TLS port, as a misconfigured UA would.
    c.server->OnBytesFromNetwork("REGISTER sip:example.net SIP/2.0\r\nVia: SIP/2.0/TCP x\r\n\r\n");
    EXPECT_EQ(c.server->GetState(), State::kFailed);
    EXPECT_EQ(c.server->GetError().kind, TlsErrorKind::kProtocol);
    EXPECT_EQ(c.server->GetError().reason.rfind("TLS protocol error: ", 0), 0u)
        << c.server->GetError().reason;
    ASSERT_EQ(c.serverErrors.size(), 1u);
    // Everything afterwards is ignored, without a second error.
    c.server->OnBytesFromNetwork(std::string(5000, '\x16'));
    EXPECT_FALSE(c.server->Write("x"));
    c.server->Close();
    c.server->OnNetworkClosed();
    EXPECT_EQ(c.serverErrors.size(), 1u);
    EXPECT_EQ(c.server->GetState(), State::kFailed);
}

TEST(TlsEngine, GarbageInsteadOfServerHelloFailsTheClientCleanly)
{
    Connection c(SipitClientConfig(), ExampleNetServerConfig(), "example.net");
    ASSERT_TRUE(c.client);
    c.client->Start();
    ASSERT_GT(c.client->TakeBytesToNetwork().size(), 0u);
    // Looks like a handshake record, then is not one.
    std::string garbage = std::string("\x16\x03\x03\x00\x30", 5) + std::string(0x30, '\x7f');
    c.client->OnBytesFromNetwork(garbage);
    EXPECT_EQ(c.client->GetState(), State::kFailed);
    EXPECT_EQ(c.client->GetError().kind, TlsErrorKind::kProtocol);
}

TEST(TlsEngine, RandomBytesAtEveryStageNeverCrash)
{
    uint32_t x = 12345;
    auto next = [&x] {
        x = x * 1103515245u + 12345u;
        return static_cast<char>(x >> 16);
    };
    for (int stage = 0; stage < 3; ++stage)
    {
        for (size_t length : {1u, 5u, 37u, 300u, 20000u})
        {
            Connection c(SipitClientConfig(), ExampleNetServerConfig(), "example.net");
            ASSERT_TRUE(c.client && c.server);
            if (stage >= 1)
            {
                c.client->Start();
                c.server->OnBytesFromNetwork(c.client->TakeBytesToNetwork());
            }
            if (stage == 2)
            {
                Pump(*c.client, *c.server);
                ASSERT_TRUE(c.server->IsEstablished());
            }
            std::string junk;
            for (size_t i = 0; i < length; ++i)
            {
                junk.push_back(next());
            }
            c.server->OnBytesFromNetwork(junk);
            c.server->OnBytesFromNetwork(junk);
            // Either still waiting for a complete record, or failed with a reason.
            if (c.server->HasFailed())
            {
                EXPECT_FALSE(c.server->GetError().reason.empty());
                EXPECT_LE(c.serverErrors.size(), 1u);
            }
        }
    }
}

TEST(TlsEngine, TamperedRecordAfterHandshakeFailsTheReceiver)
{
    Connection c(SipitClientConfig(), ExampleNetServerConfig(), "example.net");
    ASSERT_TRUE(c.client && c.server);
    c.Handshake();
    ASSERT_TRUE(c.client->Write("INVITE sips:bob@example.net SIP/2.0\r\n\r\n"));
    std::string wire = c.client->TakeBytesToNetwork();
    wire[wire.size() / 2] ^= 0x01;
    c.server->OnBytesFromNetwork(wire);
    EXPECT_EQ(c.server->GetState(), State::kFailed);
    EXPECT_EQ(c.server->GetError().kind, TlsErrorKind::kProtocol);
    EXPECT_TRUE(c.server->TakeApplicationBytes().empty());
}

TEST(TlsEngine, TransportClosedDuringHandshakeFailsWithConnectionClosed)
{
    Connection c(SipitClientConfig(), ExampleNetServerConfig(), "example.net");
    ASSERT_TRUE(c.client);
    c.client->Start();
    c.client->OnNetworkClosed();
    EXPECT_EQ(c.client->GetError().kind, TlsErrorKind::kConnectionClosed);
}

// --- configuration ------------------------------------------------------------------

// sec-flows 3: OpenSSL 3 refuses the vectors above level 0. Level 1 (80
// bits) still takes an RSA-1024 key but not its SHA-1 signature; level 2
// (112 bits) refuses the key itself.
TEST(TlsContext, SecFlowsCertificateIsRefusedAboveSecurityLevelZero)
{
    TlsConfig config = ExampleNetServerConfig();
    std::string error;
    config.securityLevel = 1;
    EXPECT_EQ(TlsContext::Create(config, &error), nullptr);
    EXPECT_EQ(error, "certificate: ca md too weak");
    config.securityLevel = 2;
    EXPECT_EQ(TlsContext::Create(config, &error), nullptr);
    EXPECT_EQ(error, "certificate: ee key too small");
}

TEST(TlsContext, KeyOfAnotherCertificateIsRefused)
{
    TlsConfig config = ExampleNetServerConfig();
    config.privateKeyPem = ReadVector("examplecom_key.pem");
    std::string error;
    EXPECT_EQ(TlsContext::Create(config, &error), nullptr);
    EXPECT_EQ(error, "private key does not match the certificate");
}

TEST(TlsContext, EncryptedKeyNeedsItsPassphraseAndNeverPrompts)
{
    TlsConfig config;
    config.certificateFile = kVectors + "ca_cert.pem";
    config.privateKeyFile = kVectors + "ca_key_encrypted.pem";
    std::string error;
    EXPECT_EQ(TlsContext::Create(config, &error), nullptr);
    EXPECT_EQ(error.rfind("private key: ", 0), 0u) << error;
    config.privateKeyPassphrase = "password";
    EXPECT_NE(TlsContext::Create(config, &error), nullptr) << error;
}

TEST(TlsContext, UnreadableFilesAndBadPemAreReportedNotFatal)
{
    TlsConfig config;
    config.trustedCaFiles.push_back("/nonexistent/ca.pem");
    std::string error;
    EXPECT_EQ(TlsContext::Create(config, &error), nullptr);
    EXPECT_EQ(error, "trusted CA: cannot read /nonexistent/ca.pem");

    config = TlsConfig();
    config.trustedCaPem =
        "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n";
    EXPECT_EQ(TlsContext::Create(config, &error), nullptr);
    EXPECT_EQ(error.rfind("trusted CA: ", 0), 0u) << error;

    config = TlsConfig();
    config.certificatePem = ReadVector("examplenet_cert.pem");
    EXPECT_EQ(TlsContext::Create(config, &error), nullptr);
    EXPECT_EQ(error, "certificate given without a private key");

    config = TlsConfig();
    config.minVersion = TlsVersion::kTls1_3;
    config.maxVersion = TlsVersion::kTls1_2;
    EXPECT_EQ(TlsContext::Create(config, &error), nullptr);
    EXPECT_EQ(error, "minimum TLS version is above the maximum");
}

TEST(TlsContext, ServerEngineWithoutCertificateFailsOnStart)
{
    auto context = MakeContext(SipitClientConfig());
    ASSERT_NE(context, nullptr);
    TlsEngine server(*context, TlsEngine::Role::kServer);
    std::vector<TlsError> errors;
    server.SetErrorCallback([&](const TlsError& e) { errors.push_back(e); });
    server.Start();
    EXPECT_EQ(server.GetError().kind, TlsErrorKind::kConfiguration);
    EXPECT_EQ(server.GetError().reason, "the server's TLS context has no certificate");
    EXPECT_EQ(errors.size(), 1u);
}

TEST(TlsContext, EnginesOutliveTheirContext)
{
    auto clientContext = MakeContext(SipitClientConfig());
    auto serverContext = MakeContext(ExampleNetServerConfig());
    ASSERT_TRUE(clientContext && serverContext);
    TlsEngine client(*clientContext, TlsEngine::Role::kClient, "example.net");
    TlsEngine server(*serverContext, TlsEngine::Role::kServer);
    clientContext.reset();
    serverContext.reset();
    client.Start();
    Pump(client, server);
    EXPECT_TRUE(client.IsEstablished()) << client.GetError().reason;
    EXPECT_TRUE(server.IsEstablished()) << server.GetError().reason;
}

} // namespace
} // namespace sipbed
