// CheckCertificateName: the TLS server name rule of sec-flows-01 section 8
// (003:1447-1457). dNSNames, when there are any, must match exactly and
// never by wildcard; only a certificate with no dNSName at all is matched by
// its most specific CN, exactly or by wildcard (RFC 2818 3.1). Certificates
// are built here with OpenSSL, so each case has exactly the names it tests.

#include "models/security/certificate-name-check.h"
#include "models/security/openssl-handles.h"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#ifndef SIPBED_SHARED_DIR
#    error "SIPBED_SHARED_DIR must name the shared/ folder (tests/CMakeLists.txt defines it)"
#endif

namespace sipbed
{
namespace
{

struct CertSpec
{
    /// subjectAltName entries: GEN_DNS or GEN_URI with their raw bytes.
    std::vector<std::pair<int, std::string>> altNames;
    /// Subject CNs, most general first (raw bytes, may hold a NUL).
    std::vector<std::string> commonNames;
    /// Add the subjectAltName extension a second time (malformed).
    bool duplicateAltNames = false;
};

EVP_PKEY*
SharedKey()
{
    // One key for every certificate: key generation is the slow part and
    // the name check never looks at it.
    static EvpPkeyPtr key(EVP_EC_gen("P-256"));
    return key.get();
}

X509Ptr
MakeCertificate(const CertSpec& spec)
{
    X509Ptr cert(X509_new());
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
    ASN1_TIME_set(X509_getm_notBefore(cert.get()), 1107456000);
    ASN1_TIME_set(X509_getm_notAfter(cert.get()), 1201996800);
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(
        name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("sipbed"), -1, -1, 0);
    for (const auto& cn : spec.commonNames)
    {
        X509_NAME_add_entry_by_NID(name,
                                   NID_commonName,
                                   V_ASN1_UTF8STRING,
                                   reinterpret_cast<const unsigned char*>(cn.data()),
                                   static_cast<int>(cn.size()),
                                   -1,
                                   0);
    }
    X509_set_issuer_name(cert.get(), name);
    X509_set_pubkey(cert.get(), SharedKey());
    if (!spec.altNames.empty())
    {
        GeneralNamesPtr names(sk_GENERAL_NAME_new_null());
        for (const auto& [type, value] : spec.altNames)
        {
            GENERAL_NAME* gn = GENERAL_NAME_new();
            ASN1_IA5STRING* text = ASN1_IA5STRING_new();
            ASN1_STRING_set(text, value.data(), static_cast<int>(value.size()));
            GENERAL_NAME_set0_value(gn, type, text);
            sk_GENERAL_NAME_push(names.get(), gn);
        }
        X509_add1_ext_i2d(cert.get(), NID_subject_alt_name, names.get(), 0, X509V3_ADD_APPEND);
        if (spec.duplicateAltNames)
        {
            X509_add1_ext_i2d(cert.get(), NID_subject_alt_name, names.get(), 0, X509V3_ADD_APPEND);
        }
    }
    X509_sign(cert.get(), SharedKey(), EVP_sha256());
    return cert;
}

X509Ptr
DnsCert(std::vector<std::string> dnsNames, std::vector<std::string> cns = {})
{
    CertSpec spec;
    for (auto& n : dnsNames)
    {
        spec.altNames.emplace_back(GEN_DNS, std::move(n));
    }
    spec.commonNames = std::move(cns);
    return MakeCertificate(spec);
}

X509Ptr
CnCert(std::vector<std::string> cns)
{
    CertSpec spec;
    spec.commonNames = std::move(cns);
    return MakeCertificate(spec);
}

X509Ptr
VectorCert(const std::string& file)
{
    std::ifstream in(SIPBED_SHARED_DIR "/vectors/sec-flows/" + file);
    std::ostringstream pem;
    pem << in.rdbuf();
    std::string text = pem.str();
    BioPtr bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
    return X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

bool
Matches(const X509Ptr& cert, const std::string& host)
{
    return CheckCertificateName(cert.get(), host).matched;
}

// --- dNSName present: exact match only ----------------------------------------

TEST(CertificateNameCheck, DnsNameMatchesExactlyIgnoringAsciiCase)
{
    X509Ptr cert = DnsCert({"Proxy.Example.NET"});
    CertificateNameCheckResult r = CheckCertificateName(cert.get(), "proxy.example.net");
    EXPECT_TRUE(r.matched);
    EXPECT_FALSE(r.usedCommonName);
    EXPECT_TRUE(r.reason.empty());
    EXPECT_EQ(r.presentedNames, std::vector<std::string>{"Proxy.Example.NET"});
    EXPECT_FALSE(Matches(cert, "proxy.example.ne"));
    EXPECT_FALSE(Matches(cert, "xproxy.example.net"));
    EXPECT_FALSE(Matches(cert, "example.net"));
}

TEST(CertificateNameCheck, AnyOfSeveralDnsNamesMatches)
{
    X509Ptr cert = DnsCert({"a.example.com", "b.example.com"});
    EXPECT_TRUE(Matches(cert, "a.example.com"));
    EXPECT_TRUE(Matches(cert, "b.example.com"));
    CertificateNameCheckResult r = CheckCertificateName(cert.get(), "c.example.com");
    EXPECT_FALSE(r.matched);
    EXPECT_EQ(
        r.reason,
        "name mismatch: expected c.example.com, certificate has a.example.com, b.example.com");
}

TEST(CertificateNameCheck, WildcardDnsNameIsRejected)
{
    X509Ptr cert = DnsCert({"*.example.com"});
    CertificateNameCheckResult r = CheckCertificateName(cert.get(), "sip.example.com");
    EXPECT_FALSE(r.matched);
    EXPECT_EQ(r.reason,
              "name mismatch: expected sip.example.com, certificate has *.example.com "
              "(wildcards are not allowed in dNSName)");
    // Not even a literal "*" host matches it: '*' is no host name character.
    EXPECT_FALSE(Matches(cert, "*.example.com"));
}

// "if there are no dNSName entries in the subjectAltName at all (which is
// not the same as there being no matching dNSName entries)".
TEST(CertificateNameCheck, CommonNameIsIgnoredWhenAnyDnsNameIsPresent)
{
    X509Ptr cert = DnsCert({"other.example.com"}, {"good.example.com"});
    CertificateNameCheckResult r = CheckCertificateName(cert.get(), "good.example.com");
    EXPECT_FALSE(r.matched);
    EXPECT_FALSE(r.usedCommonName);
    EXPECT_EQ(r.reason,
              "name mismatch: expected good.example.com, certificate has other.example.com");
}

TEST(CertificateNameCheck, EmbeddedNulInDnsNameNeverMatches)
{
    X509Ptr cert = DnsCert({std::string("good.example.com\0.evil.com", 26)});
    CertificateNameCheckResult r = CheckCertificateName(cert.get(), "good.example.com");
    EXPECT_FALSE(r.matched);
    EXPECT_EQ(
        r.reason,
        "name mismatch: expected good.example.com, certificate has good.example.com?.evil.com");
    EXPECT_FALSE(Matches(cert, "good.example.com.evil.com"));
}

TEST(CertificateNameCheck, DuplicateSubjectAltNameExtensionIsRefused)
{
    CertSpec spec;
    spec.altNames = {{GEN_DNS, "example.net"}};
    spec.duplicateAltNames = true;
    X509Ptr cert = MakeCertificate(spec);
    CertificateNameCheckResult r = CheckCertificateName(cert.get(), "example.net");
    EXPECT_FALSE(r.matched);
    EXPECT_EQ(r.reason, "certificate has more than one subjectAltName extension");
}

// --- no dNSName at all: the most specific CN ---------------------------------------

TEST(CertificateNameCheck, NoSubjectAltNameFallsBackToCommonName)
{
    X509Ptr cert = CnCert({"proxy.example.org"});
    CertificateNameCheckResult r = CheckCertificateName(cert.get(), "PROXY.example.org");
    EXPECT_TRUE(r.matched);
    EXPECT_TRUE(r.usedCommonName);
    EXPECT_EQ(r.presentedNames, std::vector<std::string>{"proxy.example.org"});
    r = CheckCertificateName(cert.get(), "good.example.com");
    EXPECT_FALSE(r.matched);
    EXPECT_EQ(r.reason,
              "name mismatch: expected good.example.com, certificate has CN proxy.example.org "
              "and no dNSName");
}

TEST(CertificateNameCheck, UriOnlySubjectAltNameFallsBackToCommonName)
{
    CertSpec spec;
    spec.altNames = {{GEN_URI, "sip:example.org"}};
    spec.commonNames = {"example.org"};
    X509Ptr cert = MakeCertificate(spec);
    CertificateNameCheckResult r = CheckCertificateName(cert.get(), "example.org");
    EXPECT_TRUE(r.matched);
    EXPECT_TRUE(r.usedCommonName);
}

TEST(CertificateNameCheck, WildcardCommonNameMatchesExactlyOneLabel)
{
    X509Ptr cert = CnCert({"*.example.com"});
    EXPECT_TRUE(Matches(cert, "sip.example.com"));
    EXPECT_TRUE(Matches(cert, "SIP.Example.Com"));
    EXPECT_FALSE(Matches(cert, "a.sip.example.com"));
    EXPECT_FALSE(Matches(cert, "example.com"));
    EXPECT_FALSE(Matches(cert, "sip.example.net"));
}

TEST(CertificateNameCheck, MostSpecificCommonNameIsTheLastOne)
{
    X509Ptr cert = CnCert({"example.com", "sip.example.com"});
    EXPECT_TRUE(Matches(cert, "sip.example.com"));
    CertificateNameCheckResult r = CheckCertificateName(cert.get(), "example.com");
    EXPECT_FALSE(r.matched);
    EXPECT_EQ(r.presentedNames, std::vector<std::string>{"sip.example.com"});
}

TEST(CertificateNameCheck, EmbeddedNulInCommonNameNeverMatches)
{
    X509Ptr cert = CnCert({std::string("good.example.com\0.evil.com", 26)});
    EXPECT_FALSE(Matches(cert, "good.example.com"));
    X509Ptr wildcard = CnCert({std::string("*.example.com\0", 14)});
    EXPECT_FALSE(Matches(wildcard, "sip.example.com"));
}

TEST(CertificateNameCheck, CertificateWithoutDnsNameOrCommonNameMatchesNothing)
{
    X509Ptr cert = CnCert({});
    CertificateNameCheckResult r = CheckCertificateName(cert.get(), "example.com");
    EXPECT_FALSE(r.matched);
    EXPECT_EQ(r.reason,
              "name mismatch: expected example.com, certificate has no dNSName and no CN");
}

// --- the CN wildcard rule on its own (RFC 2818 3.1) ----------------------------------

TEST(CertificateNameCheck, CommonNameWildcardRules)
{
    EXPECT_TRUE(CommonNameMatchesHost("example.com", "EXAMPLE.com"));
    EXPECT_TRUE(CommonNameMatchesHost("*.example.com", "a.example.com"));
    // RFC 2818: "f*.com matches foo.com" (here one level deeper, see below).
    EXPECT_TRUE(CommonNameMatchesHost("f*.example.com", "foo.example.com"));
    EXPECT_FALSE(CommonNameMatchesHost("f*.example.com", "bar.example.com"));
    EXPECT_TRUE(CommonNameMatchesHost("*o.example.com", "foo.example.com"));
    EXPECT_TRUE(CommonNameMatchesHost("f*o.example.com", "fooo.example.com"));
    EXPECT_FALSE(CommonNameMatchesHost("f*o.example.com", "fo.example.com"));
    // The '*' stands for at least one character, inside one label.
    EXPECT_FALSE(CommonNameMatchesHost("*.example.com", ".example.com"));
    EXPECT_FALSE(CommonNameMatchesHost("*.example.com", "a.b.example.com"));
    // Only in the leftmost label, only once, never for a whole TLD.
    EXPECT_FALSE(CommonNameMatchesHost("a.*.com", "a.example.com"));
    EXPECT_FALSE(CommonNameMatchesHost("**.example.com", "a.example.com"));
    EXPECT_FALSE(CommonNameMatchesHost("*.*.com", "a.example.com"));
    EXPECT_FALSE(CommonNameMatchesHost("*.com", "example.com"));
    EXPECT_FALSE(CommonNameMatchesHost("*", "localhost"));
    // Address literals are never named by a wildcard.
    EXPECT_FALSE(CommonNameMatchesHost("*.0.2.1", "192.0.2.1"));
    EXPECT_TRUE(CommonNameMatchesHost("192.0.2.1", "192.0.2.1"));
}

TEST(CertificateNameCheck, TrailingDotOfAbsoluteNameIsIgnored)
{
    X509Ptr cert = DnsCert({"example.net"});
    EXPECT_TRUE(Matches(cert, "example.net."));
    EXPECT_TRUE(CommonNameMatchesHost("*.example.net", "sip.example.net."));
}

TEST(CertificateNameCheck, ImplausibleExpectedHostNeverMatches)
{
    X509Ptr cert = DnsCert({"example.net"});
    for (const std::string& host : {std::string(""),
                                    std::string("."),
                                    std::string("example..net"),
                                    std::string("exa mple.net"),
                                    std::string("example.net\0", 12)})
    {
        CertificateNameCheckResult r = CheckCertificateName(cert.get(), host);
        EXPECT_FALSE(r.matched) << host;
        EXPECT_EQ(r.reason.rfind("invalid expected server name", 0), 0u) << r.reason;
    }
    EXPECT_FALSE(CheckCertificateName(nullptr, "example.net").matched);
}

// --- the sec-flows vectors --------------------------------------------------------

// SFV-5 / scenario 6: the host certificates carry DNS:example.com and
// DNS:example.net.
TEST(CertificateNameCheck, SecFlowsHostCertificatesNameTheirHost)
{
    X509Ptr com = VectorCert("examplecom_cert.pem");
    X509Ptr net = VectorCert("examplenet_cert.pem");
    ASSERT_TRUE(com && net);
    EXPECT_TRUE(Matches(com, "example.com"));
    EXPECT_TRUE(Matches(net, "example.net"));
    EXPECT_EQ(CheckCertificateName(net.get(), "example.com").reason,
              "name mismatch: expected example.com, certificate has example.net");
    EXPECT_FALSE(Matches(net, "evil.example.net"));
}

// fluffy's certificate has only URI names, so its CN (a T61String) is what
// a TLS client would check; it names a user, not a host.
TEST(CertificateNameCheck, SecFlowsUserCertificateFallsBackToItsT61CommonName)
{
    X509Ptr fluffy = VectorCert("fluffy_cert.pem");
    ASSERT_TRUE(fluffy);
    CertificateNameCheckResult r = CheckCertificateName(fluffy.get(), "example.com");
    EXPECT_FALSE(r.matched);
    EXPECT_TRUE(r.usedCommonName);
    EXPECT_EQ(r.presentedNames, std::vector<std::string>{"fluffy@example.com"});
}

} // namespace
} // namespace sipbed
