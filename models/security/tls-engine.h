// One TLS connection end, "sans-IO": a real OpenSSL handshake and record
// layer that reads and writes memory buffers instead of a socket, so the
// same bytes can travel in simulated TCP segments (sim/), over a real
// socket (testbed mode) or straight to another engine (unit tests).
//
// The host drives it:
//   bytes from the network  -> OnBytesFromNetwork(data)
//   bytes for the network   <- TakeBytesToNetwork() after every call
//   plaintext to send       -> Write(plaintext)
//   plaintext received      <- application-data callback, or TakeApplicationBytes()
//   TCP closed by the peer  -> OnNetworkClosed()
//
// The server certificate's name is checked with the sec-flows rule
// (certificate-name-check.h), not with OpenSSL's host name check.
//
// Callbacks run inside the call that caused them (OnBytesFromNetwork,
// Start, Write). They may call Write() or Close(), but must not destroy
// the engine.
#ifndef SIPBED_TLS_ENGINE_H
#define SIPBED_TLS_ENGINE_H

#include "models/security/openssl-handles.h"
#include "models/security/tls-context.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace sipbed
{

enum class TlsErrorKind : uint8_t
{
    kNone,
    kNameMismatch,           ///< the server certificate does not name the expected host
    kCertificateExpired,     ///< verification time after notAfter (sec-flows SF-3)
    kCertificateNotYetValid, ///< verification time before notBefore
    kUnknownCa,              ///< the chain does not end at a trusted CA
    kCertificateRevoked,
    kBadCertificate,   ///< any other verification failure (bad signature, too weak ...)
    kPeerAlert,        ///< the peer aborted with a fatal alert (it rejected us)
    kProtocol,         ///< malformed or unexpected bytes, no common version or cipher
    kConnectionClosed, ///< the transport closed before the handshake completed
    kConfiguration,    ///< e.g. a server context without a certificate
};

/// "name_mismatch", "certificate_expired" ...: for events.csv and logs.
std::string_view TlsErrorKindName(TlsErrorKind kind);

struct TlsError
{
    TlsErrorKind kind = TlsErrorKind::kNone;
    /// One line for a human: "name mismatch: expected good.example.com,
    /// certificate has example.net", "certificate expired: ...".
    std::string reason;
};

class TlsEngine
{
  public:
    enum class Role : uint8_t
    {
        kClient,
        kServer,
    };

    enum class State : uint8_t
    {
        kIdle,        ///< Start() not called and no bytes received yet
        kHandshaking, ///< handshake in progress
        kEstablished, ///< application data flows both ways
        kClosing,     ///< our close_notify is sent; the peer may still send data
        kClosed,      ///< both close_notify exchanged, or the transport closed
        kFailed,      ///< see GetError(); only a pending alert may still go out
    };

    /// `expectedServerName` (client only) is the host the client resolved
    /// (RFC 3263); it is checked against the server certificate and sent as
    /// SNI. Problems found here (a server context with no certificate) are
    /// reported by Start() as a kConfiguration error.
    TlsEngine(const TlsContext& context, Role role, std::string expectedServerName = {});
    ~TlsEngine();

    // OpenSSL keeps a pointer to the engine for its callbacks.
    TlsEngine(const TlsEngine&) = delete;
    TlsEngine& operator=(const TlsEngine&) = delete;
    TlsEngine(TlsEngine&&) = delete;
    TlsEngine& operator=(TlsEngine&&) = delete;

    /// Overrides the context's verification time for this connection, e.g.
    /// with a simulated clock mapped onto 2005-2007. Call before Start().
    void SetVerificationTime(int64_t unixSeconds);

    void SetHandshakeDoneCallback(std::function<void()> callback);
    /// When set, decrypted bytes go here instead of being buffered for
    /// TakeApplicationBytes().
    void SetApplicationDataCallback(std::function<void(std::string_view)> callback);
    /// Called once, when the engine fails.
    void SetErrorCallback(std::function<void(const TlsError&)> callback);
    /// Called when the session ends after being established: the peer's
    /// close_notify arrived, or the transport closed.
    void SetClosedCallback(std::function<void()> callback);

    /// Starts the handshake: a client queues its ClientHello; a server
    /// waits for one. Called implicitly by the first OnBytesFromNetwork().
    void Start();

    /// Bytes received from the peer, in order, in pieces of any size.
    /// Garbage fails the engine (kProtocol); it never throws or aborts.
    void OnBytesFromNetwork(std::string_view data);

    /// The transport closed (TCP FIN or RST from the peer).
    void OnNetworkClosed();

    /// Everything the engine has to send (handshake, records, alerts).
    std::string TakeBytesToNetwork();
    size_t PendingBytesToNetwork() const;

    /// Sends plaintext; before the handshake completes it is queued and sent
    /// right after. False when the engine can no longer send (closing,
    /// closed, failed).
    bool Write(std::string_view plaintext);

    /// Decrypted bytes received so far (when no data callback is set).
    std::string TakeApplicationBytes();

    /// Sends close_notify (RFC 8446 6.1, RFC 5246 7.2.1). During the
    /// handshake the connection is just abandoned, with queued writes.
    void Close();

    State GetState() const
    {
        return m_state;
    }

    bool IsEstablished() const
    {
        return m_state == State::kEstablished;
    }

    bool HasFailed() const
    {
        return m_state == State::kFailed;
    }

    const TlsError& GetError() const
    {
        return m_error;
    }

    Role GetRole() const
    {
        return m_role;
    }

    /// The peer's close_notify arrived (false if the transport just closed).
    bool ReceivedCloseNotify() const
    {
        return m_closeNotifyReceived;
    }

    /// "TLSv1.3", "TLSv1.2" ...; empty before the handshake completes.
    std::string GetProtocolVersion() const;
    /// OpenSSL's name of the negotiated cipher ("TLS_AES_256_GCM_SHA384");
    /// empty before the handshake completes.
    std::string GetCipherName() const;
    /// The peer's certificate, once received (null otherwise).
    X509Ptr GetPeerCertificate() const;

    /// Bytes produced for, and consumed from, the network so far.
    uint64_t BytesToNetwork() const;
    uint64_t BytesFromNetwork() const;
    /// The same counts at the moment the handshake completed (0 before):
    /// the handshake's cost on the wire, seen from this end.
    uint64_t HandshakeBytesToNetwork() const
    {
        return m_handshakeBytesOut;
    }

    uint64_t HandshakeBytesFromNetwork() const
    {
        return m_handshakeBytesIn;
    }

  private:
    static int VerifyCallback(int preverifyOk, X509_STORE_CTX* store);
    static void InfoCallback(const SSL* ssl, int where, int ret);

    void Drive();
    void ReadRecords();
    bool WriteNow(std::string_view plaintext);
    void OnCloseNotify();
    void FailFromSsl(int sslError);
    void Fail(TlsErrorKind kind, std::string reason);

    SslPtr m_ssl;
    BIO* m_in = nullptr;  ///< owned by m_ssl: network -> OpenSSL
    BIO* m_out = nullptr; ///< owned by m_ssl: OpenSSL -> network
    Role m_role;
    State m_state = State::kIdle;
    bool m_closeNotifyReceived = false;
    std::string m_expectedServerName;
    std::string m_setupError;   ///< reported by Start()
    std::string m_pendingWrite; ///< written before the handshake completed
    std::string m_appIn;        ///< received plaintext, without a data callback
    TlsError m_error;
    TlsError m_verifyFailure; ///< why the peer's certificate was refused
    std::string m_peerAlert;  ///< description of a fatal alert from the peer
    uint64_t m_handshakeBytesOut = 0;
    uint64_t m_handshakeBytesIn = 0;
    std::function<void()> m_onHandshakeDone;
    std::function<void(std::string_view)> m_onData;
    std::function<void(const TlsError&)> m_onError;
    std::function<void()> m_onClosed;
};

} // namespace sipbed

#endif
