// Owning handles for OpenSSL objects: std::unique_ptr with one deleter that
// knows each type's free function, so every early return in the security
// code releases what it allocated (no leaks on error paths).
#ifndef SIPBED_OPENSSL_HANDLES_H
#define SIPBED_OPENSSL_HANDLES_H

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace sipbed
{

struct OpenSslFree
{
    void operator()(SSL_CTX* p) const
    {
        SSL_CTX_free(p);
    }

    void operator()(SSL* p) const
    {
        SSL_free(p);
    }

    void operator()(BIO* p) const
    {
        BIO_free_all(p);
    }

    void operator()(X509* p) const
    {
        X509_free(p);
    }

    void operator()(X509_NAME* p) const
    {
        X509_NAME_free(p);
    }

    void operator()(EVP_PKEY* p) const
    {
        EVP_PKEY_free(p);
    }

    void operator()(GENERAL_NAMES* p) const
    {
        GENERAL_NAMES_free(p);
    }
};

template <typename T>
using OpenSslPtr = std::unique_ptr<T, OpenSslFree>;

using SslCtxPtr = OpenSslPtr<SSL_CTX>;
using SslPtr = OpenSslPtr<SSL>;
using BioPtr = OpenSslPtr<BIO>;
using X509Ptr = OpenSslPtr<X509>;
using EvpPkeyPtr = OpenSslPtr<EVP_PKEY>;
using GeneralNamesPtr = OpenSslPtr<GENERAL_NAMES>;

} // namespace sipbed

#endif
