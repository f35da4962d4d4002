#include "models/security/certificate-name-check.h"

#include "models/core/transport-address.h"
#include "models/security/openssl-handles.h"

#include <openssl/asn1.h>
#include <openssl/crypto.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdint>
#include <memory>

namespace sipbed
{
namespace
{

char
AsciiLower(char c)
{
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// DNS names compare case-insensitively in ASCII only (RFC 4343); no locale.
bool
EqualsIgnoreCase(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
    {
        return false;
    }
    for (size_t i = 0; i < a.size(); ++i)
    {
        if (AsciiLower(a[i]) != AsciiLower(b[i]))
        {
            return false;
        }
    }
    return true;
}

// "example.net." is the absolute form of "example.net" (RFC 1034 3.1).
std::string_view
StripTrailingDot(std::string_view name)
{
    if (!name.empty() && name.back() == '.')
    {
        name.remove_suffix(1);
    }
    return name;
}

// Letters, digits, '-' and '_' in non-empty dot-separated labels (RFC 1123
// 2.1, plus the '_' seen in service names). Anything else (a '*', a NUL,
// a space) cannot be a host the client resolved, so it never matches.
bool
IsPlausibleHost(std::string_view host)
{
    if (host.empty())
    {
        return false;
    }
    bool labelEmpty = true;
    for (char c : host)
    {
        if (c == '.')
        {
            if (labelEmpty)
            {
                return false;
            }
            labelEmpty = true;
            continue;
        }
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_';
        if (!ok)
        {
            return false;
        }
        labelEmpty = false;
    }
    return !labelEmpty;
}

// A name as taken from the certificate: `text` is what the reason strings
// show, `usable` is false when the raw bytes could not be a host name at all
// (an embedded NUL, as in the "good.example.com\0.evil.com" attack, or bytes
// outside printable ASCII).
struct PresentedName
{
    std::string raw;
    std::string text;
    bool usable = true;
};

PresentedName
MakePresentedName(const unsigned char* data, size_t length)
{
    PresentedName name;
    name.raw.assign(reinterpret_cast<const char*>(data), length);
    name.text.reserve(length);
    for (size_t i = 0; i < length; ++i)
    {
        unsigned char c = data[i];
        bool printable = c > 0x20 && c < 0x7f;
        name.usable = name.usable && printable;
        name.text.push_back(printable ? static_cast<char>(c) : '?');
    }
    return name;
}

std::string
JoinNames(const std::vector<std::string>& names)
{
    std::string out;
    for (const auto& n : names)
    {
        if (!out.empty())
        {
            out += ", ";
        }
        out += n;
    }
    return out;
}

// The last CN of the Subject: the Subject is ordered from the most general
// RDN to the most specific, and RFC 2818 3.1 asks for "the (most specific)
// Common Name field".
bool
MostSpecificCommonName(const X509* certificate, PresentedName& out)
{
    const X509_NAME* subject = X509_get_subject_name(certificate);
    if (subject == nullptr)
    {
        return false;
    }
    int last = -1;
    for (int i = -1; (i = X509_NAME_get_index_by_NID(subject, NID_commonName, i)) >= 0;)
    {
        last = i;
    }
    if (last < 0)
    {
        return false;
    }
    const ASN1_STRING* value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, last));
    // CNs come as PrintableString, T61String (sec-flows' user certificates),
    // UTF8String or BMPString: convert them all to UTF-8 before comparing.
    unsigned char* utf8 = nullptr;
    int length = ASN1_STRING_to_UTF8(&utf8, value);
    if (length < 0)
    {
        return false;
    }
    std::unique_ptr<unsigned char, void (*)(unsigned char*)> owner(
        utf8, [](unsigned char* p) { OPENSSL_free(p); });
    out = MakePresentedName(utf8, static_cast<size_t>(length));
    return true;
}

CertificateNameCheckResult
Mismatch(CertificateNameCheckResult result, std::string_view host, const std::string& has)
{
    result.matched = false;
    result.reason = "name mismatch: expected " + std::string(host) + ", certificate has " + has;
    return result;
}

} // namespace

bool
CommonNameMatchesHost(std::string_view pattern, std::string_view host)
{
    pattern = StripTrailingDot(pattern);
    host = StripTrailingDot(host);
    if (!IsPlausibleHost(host))
    {
        return false;
    }
    size_t star = pattern.find('*');
    if (star == std::string_view::npos)
    {
        return EqualsIgnoreCase(pattern, host);
    }
    // RFC 2818 3.1: one '*' stands for (part of) one label. Only the
    // leftmost label may hold it, as every CA and browser has it.
    size_t firstDot = pattern.find('.');
    if (pattern.find('*', star + 1) != std::string_view::npos ||
        firstDot == std::string_view::npos || star > firstDot)
    {
        return false;
    }
    std::string_view patternRest = pattern.substr(firstDot); // ".example.com"
    if (patternRest.find('.', 1) == std::string_view::npos)
    {
        return false; // "*.com"
    }
    uint32_t ip = 0;
    size_t hostDot = host.find('.');
    if (hostDot == std::string_view::npos || ParseIpv4(host, ip))
    {
        return false; // an address literal is never named by a wildcard
    }
    if (!EqualsIgnoreCase(patternRest, host.substr(hostDot)))
    {
        return false;
    }
    std::string_view prefix = pattern.substr(0, star);
    std::string_view suffix = pattern.substr(star + 1, firstDot - star - 1);
    std::string_view label = host.substr(0, hostDot);
    if (label.size() < prefix.size() + suffix.size() + 1)
    {
        return false; // the '*' stands for at least one character
    }
    return EqualsIgnoreCase(label.substr(0, prefix.size()), prefix) &&
           EqualsIgnoreCase(label.substr(label.size() - suffix.size()), suffix);
}

CertificateNameCheckResult
CheckCertificateName(const X509* certificate, std::string_view expectedHost)
{
    CertificateNameCheckResult result;
    std::string_view host = StripTrailingDot(expectedHost);
    if (certificate == nullptr)
    {
        result.reason = "no certificate to check the name of";
        return result;
    }
    if (!IsPlausibleHost(host))
    {
        result.reason =
            "invalid expected server name \"" +
            MakePresentedName(reinterpret_cast<const unsigned char*>(host.data()), host.size())
                .text +
            "\"";
        return result;
    }

    int critical = -1;
    GeneralNamesPtr sans(static_cast<GENERAL_NAMES*>(
        X509_get_ext_d2i(certificate, NID_subject_alt_name, &critical, nullptr)));
    if (!sans && critical == -2)
    {
        // RFC 5280 4.2: an extension appears at most once; guessing which one
        // the peer meant would make the check ambiguous.
        result.reason = "certificate has more than one subjectAltName extension";
        return result;
    }
    if (!sans && critical >= 0)
    {
        result.reason = "certificate has a malformed subjectAltName";
        return result;
    }

    // sec-flows-01 8: "an exact match in a dNSName entry ... if there are any
    // dNSNames" and "Wildcard matching is not allowed against these dNSName
    // entries".
    bool anyDnsName = false;
    bool anyWildcard = false;
    for (int i = 0; sans && i < sk_GENERAL_NAME_num(sans.get()); ++i)
    {
        const GENERAL_NAME* gn = sk_GENERAL_NAME_value(sans.get(), i);
        if (gn->type != GEN_DNS)
        {
            continue; // URI, IP address, e-mail ...: not a host name for TLS
        }
        anyDnsName = true;
        const ASN1_STRING* dns = gn->d.dNSName;
        PresentedName name = MakePresentedName(ASN1_STRING_get0_data(dns),
                                               static_cast<size_t>(ASN1_STRING_length(dns)));
        anyWildcard = anyWildcard || name.raw.find('*') != std::string::npos;
        result.presentedNames.push_back(name.text);
        if (name.usable && EqualsIgnoreCase(StripTrailingDot(name.raw), host))
        {
            result.matched = true;
        }
    }
    if (anyDnsName)
    {
        if (result.matched)
        {
            return result;
        }
        std::string has = JoinNames(result.presentedNames);
        result = Mismatch(std::move(result), host, has);
        if (anyWildcard)
        {
            result.reason += " (wildcards are not allowed in dNSName)";
        }
        return result;
    }

    // sec-flows-01 8: "the most specific CommonName in the Subject field if
    // there are no dNSName entries in the subjectAltName at all".
    result.usedCommonName = true;
    PresentedName cn;
    if (!MostSpecificCommonName(certificate, cn))
    {
        return Mismatch(std::move(result), host, "no dNSName and no CN");
    }
    result.presentedNames.push_back(cn.text);
    if (cn.usable && CommonNameMatchesHost(cn.raw, host))
    {
        result.matched = true;
        return result;
    }
    std::string has = "CN " + cn.text + " and no dNSName";
    return Mismatch(std::move(result), host, has);
}

} // namespace sipbed
