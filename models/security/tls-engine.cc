#include "models/security/tls-engine.h"

#include "models/core/transport-address.h"
#include "models/security/certificate-name-check.h"
#include "models/security/openssl-error.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <ctime>

namespace sipbed
{
namespace
{

// Where an SSL object keeps the pointer back to its engine. Allocated once
// per process; function-local statics are initialised thread-safely.
int
EngineIndex()
{
    static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
    return index;
}

std::string
FormatUtc(const struct tm& tm)
{
    char buf[32];
    if (std::strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
    {
        return "?";
    }
    return buf;
}

std::string
FormatTime(time_t t)
{
    struct tm tm = {};
    if (gmtime_r(&t, &tm) == nullptr)
    {
        return "?";
    }
    return FormatUtc(tm);
}

std::string
FormatAsn1Time(const ASN1_TIME* t)
{
    struct tm tm = {};
    if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1)
    {
        return "?";
    }
    return FormatUtc(tm);
}

// "C=US, ST=California, L=San Jose, O=sipit, CN=example.net"
std::string
FormatName(const X509_NAME* name)
{
    if (name == nullptr)
    {
        return "?";
    }
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_ONELINE & ~XN_FLAG_SPC_EQ) < 0)
    {
        return "?";
    }
    char* data = nullptr;
    long n = BIO_get_mem_data(bio.get(), &data);
    return n > 0 ? std::string(data, static_cast<size_t>(n)) : std::string("(empty name)");
}

// The time the chain was checked at: the configured verification time, or
// the machine's clock.
time_t
CheckTime(X509_STORE_CTX* store)
{
    const X509_VERIFY_PARAM* param = store != nullptr ? X509_STORE_CTX_get0_param(store) : nullptr;
    if (param != nullptr && (X509_VERIFY_PARAM_get_flags(param) & X509_V_FLAG_USE_CHECK_TIME))
    {
        return X509_VERIFY_PARAM_get_time(param);
    }
    return std::time(nullptr);
}

// A verification error as a user reads it. `cert` (the certificate the
// error is about) and `store` add details when known.
TlsError
DescribeVerifyFailure(int error, X509* cert, X509_STORE_CTX* store)
{
    std::string subject = cert != nullptr ? FormatName(X509_get_subject_name(cert)) : "";
    std::string about = subject.empty() ? "" : " (" + subject + ")";
    switch (error)
    {
    case X509_V_ERR_CERT_HAS_EXPIRED:
        // sec-flows SF-3 and scenario 10: outside the validity period.
        return {TlsErrorKind::kCertificateExpired,
                "certificate expired" + (cert == nullptr
                                             ? std::string()
                                             : ": " + subject + " valid until " +
                                                   FormatAsn1Time(X509_get0_notAfter(cert)) +
                                                   ", checked at " + FormatTime(CheckTime(store)))};
    case X509_V_ERR_CERT_NOT_YET_VALID:
        return {TlsErrorKind::kCertificateNotYetValid,
                "certificate not yet valid" +
                    (cert == nullptr ? std::string()
                                     : ": " + subject + " valid from " +
                                           FormatAsn1Time(X509_get0_notBefore(cert)) +
                                           ", checked at " + FormatTime(CheckTime(store)))};
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
        // sec-flows scenario 9: the chain does not end at a trusted CA.
        return {TlsErrorKind::kUnknownCa,
                "unknown CA" + (cert == nullptr ? std::string()
                                                : ": \"" + subject + "\" is issued by \"" +
                                                      FormatName(X509_get_issuer_name(cert)) +
                                                      "\", which is not trusted")};
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
        return {TlsErrorKind::kUnknownCa,
                "unknown CA" + (cert == nullptr
                                    ? std::string()
                                    : ": self-signed \"" + subject + "\" is not trusted")};
    case X509_V_ERR_CERT_REVOKED:
        return {TlsErrorKind::kCertificateRevoked, "certificate revoked" + about};
    default:
        return {TlsErrorKind::kBadCertificate,
                std::string("certificate rejected: ") + X509_verify_cert_error_string(error) +
                    about};
    }
}

} // namespace

std::string_view
TlsErrorKindName(TlsErrorKind kind)
{
    switch (kind)
    {
    case TlsErrorKind::kNone:
        return "none";
    case TlsErrorKind::kNameMismatch:
        return "name_mismatch";
    case TlsErrorKind::kCertificateExpired:
        return "certificate_expired";
    case TlsErrorKind::kCertificateNotYetValid:
        return "certificate_not_yet_valid";
    case TlsErrorKind::kUnknownCa:
        return "unknown_ca";
    case TlsErrorKind::kCertificateRevoked:
        return "certificate_revoked";
    case TlsErrorKind::kBadCertificate:
        return "bad_certificate";
    case TlsErrorKind::kPeerAlert:
        return "peer_alert";
    case TlsErrorKind::kProtocol:
        return "protocol";
    case TlsErrorKind::kConnectionClosed:
        return "connection_closed";
    case TlsErrorKind::kConfiguration:
        return "configuration";
    }
    return "unknown";
}

TlsEngine::TlsEngine(const TlsContext& context, Role role, std::string expectedServerName)
    : m_role(role)
    , m_expectedServerName(std::move(expectedServerName))
{
    ERR_clear_error();
    m_ssl.reset(SSL_new(context.NativeHandle()));
    BioPtr in(BIO_new(BIO_s_mem()));
    BioPtr out(BIO_new(BIO_s_mem()));
    if (!m_ssl || !in || !out || EngineIndex() < 0)
    {
        m_setupError = "cannot create the TLS connection: " + TakeOpenSslError();
        m_ssl.reset();
        return;
    }
    // An empty input buffer means "nothing received yet" (retry later), not
    // end of stream: the transport's end comes through OnNetworkClosed().
    BIO_set_mem_eof_return(in.get(), -1);
    m_in = in.release();
    m_out = out.release();
    SSL* ssl = m_ssl.get();
    SSL_set_bio(ssl, m_in, m_out); // the SSL owns both from here on
    SSL_set_ex_data(ssl, EngineIndex(), this);
    SSL_set_info_callback(ssl, InfoCallback);

    int mode = SSL_VERIFY_NONE;
    if (m_role == Role::kClient)
    {
        SSL_set_connect_state(ssl);
        mode = context.VerifyServer() ? SSL_VERIFY_PEER : SSL_VERIFY_NONE;
        // RFC 6066 3: SNI carries a DNS name without the trailing dot, never
        // an address literal.
        std::string sni = m_expectedServerName;
        if (!sni.empty() && sni.back() == '.')
        {
            sni.pop_back();
        }
        uint32_t ip = 0;
        if (!sni.empty() && !ParseIpv4(sni, ip) && SSL_set_tlsext_host_name(ssl, sni.c_str()) != 1)
        {
            ERR_clear_error(); // SNI is a courtesy to the server; go on without it
        }
    }
    else
    {
        SSL_set_accept_state(ssl);
        if (!context.HasCertificate())
        {
            m_setupError = "the server's TLS context has no certificate";
        }
        if (context.RequireClientCertificate())
        {
            mode = SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
        }
    }
    // The callback adds the sec-flows name rule to OpenSSL's chain checks and
    // keeps the details of whatever fails.
    SSL_set_verify(ssl, mode, VerifyCallback);
    ERR_clear_error();
}

TlsEngine::~TlsEngine() = default;

void
TlsEngine::SetVerificationTime(int64_t unixSeconds)
{
    if (m_ssl)
    {
        X509_VERIFY_PARAM_set_time(SSL_get0_param(m_ssl.get()), static_cast<time_t>(unixSeconds));
    }
}

void
TlsEngine::SetHandshakeDoneCallback(std::function<void()> callback)
{
    m_onHandshakeDone = std::move(callback);
}

void
TlsEngine::SetApplicationDataCallback(std::function<void(std::string_view)> callback)
{
    m_onData = std::move(callback);
}

void
TlsEngine::SetErrorCallback(std::function<void(const TlsError&)> callback)
{
    m_onError = std::move(callback);
}

void
TlsEngine::SetClosedCallback(std::function<void()> callback)
{
    m_onClosed = std::move(callback);
}

void
TlsEngine::Start()
{
    if (m_state != State::kIdle)
    {
        return;
    }
    m_state = State::kHandshaking;
    if (!m_ssl || !m_setupError.empty())
    {
        Fail(TlsErrorKind::kConfiguration, m_setupError);
        return;
    }
    Drive();
}

void
TlsEngine::OnBytesFromNetwork(std::string_view data)
{
    if (m_state == State::kFailed || m_state == State::kClosed || !m_ssl)
    {
        if (m_state == State::kIdle)
        {
            Start(); // reports the setup error
        }
        return;
    }
    while (!data.empty())
    {
        size_t written = 0;
        // A memory BIO grows as needed; it only refuses when out of memory.
        if (BIO_write_ex(m_in, data.data(), data.size(), &written) != 1 || written == 0)
        {
            Fail(TlsErrorKind::kProtocol, "cannot buffer received bytes: " + TakeOpenSslError());
            return;
        }
        data.remove_prefix(written);
    }
    if (m_state == State::kIdle)
    {
        Start();
        return;
    }
    Drive();
}

void
TlsEngine::OnNetworkClosed()
{
    switch (m_state)
    {
    case State::kIdle:
        m_state = State::kClosed;
        return;
    case State::kHandshaking:
        Fail(TlsErrorKind::kConnectionClosed, "connection closed during the TLS handshake");
        return;
    case State::kEstablished:
    case State::kClosing:
        // Without the peer's close_notify the end of the data is not
        // authenticated (RFC 5246 7.2.1); ReceivedCloseNotify() tells.
        m_state = State::kClosed;
        if (m_onClosed)
        {
            m_onClosed();
        }
        return;
    case State::kClosed:
    case State::kFailed:
        return;
    }
}

std::string
TlsEngine::TakeBytesToNetwork()
{
    std::string out;
    if (m_out == nullptr)
    {
        return out;
    }
    out.resize(BIO_ctrl_pending(m_out));
    size_t read = 0;
    if (out.empty() || BIO_read_ex(m_out, out.data(), out.size(), &read) != 1)
    {
        read = 0;
    }
    out.resize(read);
    return out;
}

size_t
TlsEngine::PendingBytesToNetwork() const
{
    return m_out != nullptr ? BIO_ctrl_pending(m_out) : 0;
}

bool
TlsEngine::Write(std::string_view plaintext)
{
    switch (m_state)
    {
    case State::kIdle:
    case State::kHandshaking:
        m_pendingWrite.append(plaintext);
        return true;
    case State::kEstablished:
        return WriteNow(plaintext);
    case State::kClosing:
    case State::kClosed:
    case State::kFailed:
        return false;
    }
    return false;
}

std::string
TlsEngine::TakeApplicationBytes()
{
    std::string out;
    out.swap(m_appIn);
    return out;
}

void
TlsEngine::Close()
{
    switch (m_state)
    {
    case State::kIdle:
    case State::kHandshaking:
        m_pendingWrite.clear();
        m_state = State::kClosed;
        return;
    case State::kEstablished:
        // Queues our close_notify; the peer's comes in through
        // OnBytesFromNetwork(). The return value only says which of the
        // two has happened, and an error here changes nothing for the host.
        ERR_clear_error();
        SSL_shutdown(m_ssl.get());
        ERR_clear_error();
        m_state = State::kClosing;
        return;
    case State::kClosing:
    case State::kClosed:
    case State::kFailed:
        return;
    }
}

std::string
TlsEngine::GetProtocolVersion() const
{
    if (!m_ssl || !SSL_is_init_finished(m_ssl.get()))
    {
        return "";
    }
    return SSL_get_version(m_ssl.get());
}

std::string
TlsEngine::GetCipherName() const
{
    if (!m_ssl || !SSL_is_init_finished(m_ssl.get()))
    {
        return ""; // a failed handshake may have chosen one; it protects nothing
    }
    const SSL_CIPHER* cipher = SSL_get_current_cipher(m_ssl.get());
    return cipher != nullptr ? SSL_CIPHER_get_name(cipher) : "";
}

X509Ptr
TlsEngine::GetPeerCertificate() const
{
    return X509Ptr(m_ssl ? SSL_get1_peer_certificate(m_ssl.get()) : nullptr);
}

uint64_t
TlsEngine::BytesToNetwork() const
{
    return m_out != nullptr ? BIO_number_written(m_out) : 0;
}

uint64_t
TlsEngine::BytesFromNetwork() const
{
    return m_in != nullptr ? BIO_number_read(m_in) : 0;
}

void
TlsEngine::Drive()
{
    if (m_state == State::kHandshaking)
    {
        ERR_clear_error();
        int r = SSL_do_handshake(m_ssl.get());
        if (r != 1)
        {
            int e = SSL_get_error(m_ssl.get(), r);
            if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
            {
                return; // needs the peer's next flight
            }
            FailFromSsl(e);
            return;
        }
        m_state = State::kEstablished;
        m_handshakeBytesOut = BytesToNetwork();
        m_handshakeBytesIn = BytesFromNetwork();
        std::string queued;
        queued.swap(m_pendingWrite);
        if (!queued.empty() && !WriteNow(queued))
        {
            return;
        }
        if (m_onHandshakeDone)
        {
            m_onHandshakeDone();
        }
    }
    // Records that came with the last handshake flight (or after it).
    ReadRecords();
}

void
TlsEngine::ReadRecords()
{
    // One TLS record holds at most 2^14 plaintext bytes (RFC 8446 5.1).
    char buf[16384];
    while (m_state == State::kEstablished || m_state == State::kClosing)
    {
        size_t n = 0;
        ERR_clear_error();
        int r = SSL_read_ex(m_ssl.get(), buf, sizeof(buf), &n);
        if (r == 1)
        {
            if (m_onData)
            {
                m_onData(std::string_view(buf, n));
            }
            else
            {
                m_appIn.append(buf, n);
            }
            continue;
        }
        int e = SSL_get_error(m_ssl.get(), r);
        if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
        {
            return;
        }
        if (e == SSL_ERROR_ZERO_RETURN)
        {
            OnCloseNotify();
            return;
        }
        FailFromSsl(e);
        return;
    }
}

bool
TlsEngine::WriteNow(std::string_view plaintext)
{
    while (!plaintext.empty())
    {
        size_t written = 0;
        ERR_clear_error();
        int r = SSL_write_ex(m_ssl.get(), plaintext.data(), plaintext.size(), &written);
        if (r != 1)
        {
            // Memory BIOs never block and renegotiation is off, so any
            // failure here is final.
            FailFromSsl(SSL_get_error(m_ssl.get(), r));
            return false;
        }
        plaintext.remove_prefix(written);
    }
    return true;
}

void
TlsEngine::OnCloseNotify()
{
    m_closeNotifyReceived = true;
    if (m_state == State::kEstablished)
    {
        // RFC 5246 7.2.1, RFC 8446 6.1: answer with our own close_notify.
        ERR_clear_error();
        SSL_shutdown(m_ssl.get());
        ERR_clear_error();
    }
    m_state = State::kClosed;
    if (m_onClosed)
    {
        m_onClosed();
    }
}

void
TlsEngine::FailFromSsl(int sslError)
{
    // Read the whole queue: whether "certificate verify failed" is in it
    // decides how to explain the failure, and the oldest entry is the cause.
    unsigned long first = 0;
    bool verifyFailed = false;
    for (unsigned long code = ERR_get_error(); code != 0; code = ERR_get_error())
    {
        if (first == 0)
        {
            first = code;
        }
        if (ERR_GET_LIB(code) == ERR_LIB_SSL &&
            ERR_GET_REASON(code) == SSL_R_CERTIFICATE_VERIFY_FAILED)
        {
            verifyFailed = true;
        }
    }
    ERR_clear_error();
    if (verifyFailed)
    {
        TlsError e = m_verifyFailure;
        if (e.kind == TlsErrorKind::kNone)
        {
            e = DescribeVerifyFailure(
                static_cast<int>(SSL_get_verify_result(m_ssl.get())), nullptr, nullptr);
        }
        Fail(e.kind, e.reason);
        return;
    }
    if (!m_peerAlert.empty())
    {
        Fail(TlsErrorKind::kPeerAlert, "peer sent alert: " + m_peerAlert);
        return;
    }
    if (sslError == SSL_ERROR_SSL && first != 0)
    {
        Fail(TlsErrorKind::kProtocol, "TLS protocol error: " + OpenSslReason(first));
        return;
    }
    Fail(TlsErrorKind::kProtocol, "TLS failure (SSL_get_error " + std::to_string(sslError) + ")");
}

void
TlsEngine::Fail(TlsErrorKind kind, std::string reason)
{
    if (m_state == State::kFailed)
    {
        return;
    }
    m_state = State::kFailed;
    m_error.kind = kind;
    m_error.reason = std::move(reason);
    m_pendingWrite.clear();
    if (m_onError)
    {
        m_onError(m_error);
    }
}

int
TlsEngine::VerifyCallback(int preverifyOk, X509_STORE_CTX* store)
{
    auto* ssl =
        static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
    auto* self =
        ssl != nullptr ? static_cast<TlsEngine*>(SSL_get_ex_data(ssl, EngineIndex())) : nullptr;
    if (self == nullptr)
    {
        return preverifyOk;
    }
    X509* cert = X509_STORE_CTX_get_current_cert(store);
    if (!preverifyOk)
    {
        // Keep the first failure: it is the one that stops the chain.
        if (self->m_verifyFailure.kind == TlsErrorKind::kNone)
        {
            self->m_verifyFailure =
                DescribeVerifyFailure(X509_STORE_CTX_get_error(store), cert, store);
        }
        return 0;
    }
    bool verifying = (SSL_get_verify_mode(ssl) & SSL_VERIFY_PEER) != 0;
    if (self->m_role != Role::kClient || !verifying || X509_STORE_CTX_get_error_depth(store) != 0)
    {
        return 1;
    }
    // The chain is good up to the server's own certificate: now its name
    // (sec-flows-01 8, SF-4), in place of OpenSSL's X509_check_host().
    CertificateNameCheckResult check;
    if (self->m_expectedServerName.empty())
    {
        // Nothing to compare with: accepting would make any valid
        // certificate from the CA good enough, the man in the middle's too.
        check.reason = "no expected server name to check the certificate against";
    }
    else
    {
        check = CheckCertificateName(cert, self->m_expectedServerName);
    }
    if (check.matched)
    {
        return 1;
    }
    X509_STORE_CTX_set_error(store, X509_V_ERR_HOSTNAME_MISMATCH);
    self->m_verifyFailure = {TlsErrorKind::kNameMismatch, check.reason};
    return 0;
}

void
TlsEngine::InfoCallback(const SSL* ssl, int where, int ret)
{
    // SSL_CB_READ_ALERT is two flag bits; an alert we send sets only one of them.
    if ((where & SSL_CB_READ_ALERT) != SSL_CB_READ_ALERT)
    {
        return;
    }
    auto* self = static_cast<TlsEngine*>(SSL_get_ex_data(ssl, EngineIndex()));
    // `ret` is level << 8 | description (RFC 5246 7.2); a warning (e.g.
    // close_notify) is not a rejection.
    if (self != nullptr && (ret >> 8) == SSL3_AL_FATAL && self->m_peerAlert.empty())
    {
        self->m_peerAlert = SSL_alert_desc_string_long(ret);
    }
}

} // namespace sipbed
