// Cuts a byte stream (TCP, TLS) into SIP messages (RFC 3261 18.3): each
// message ends Content-Length octets after its empty line, wherever the
// segment boundaries fall. CRLF runs between messages are keepalives
// (outbound draft: CRLF; RFC 5626 3.5.1: CRLFCRLF ping, CRLF pong) and are
// reported, not treated as errors.
#ifndef SIPBED_STREAM_FRAMER_H
#define SIPBED_STREAM_FRAMER_H

#include "models/sip/sip-message.h"

#include <optional>
#include <string>
#include <string_view>

namespace sipbed
{

class StreamFramer
{
  public:
    struct Limits
    {
        size_t maxHeaderBytes = 64 * 1024; ///< start line + headers
        size_t maxBodyBytes = 1024 * 1024; ///< largest Content-Length accepted
    };

    enum class EventKind
    {
        kNeedMore,  ///< nothing complete is buffered
        kMessage,   ///< `message` holds the next message
        kKeepalive, ///< `keepaliveBytes` is 4 (CRLFCRLF) or 2 (CRLF)
        kError,     ///< `error` says what; `fatal` tells whether the stream is lost
    };

    struct Event
    {
        EventKind kind = EventKind::kNeedMore;
        std::optional<SipMessage> message;
        size_t keepaliveBytes = 0;
        ParseError error;
        /// A fatal error leaves the stream unframeable (no or bad
        /// Content-Length, oversized message): the connection should be
        /// closed; every later Next() repeats the error. A non-fatal one
        /// concerns one well-delimited message that was consumed; the
        /// stream goes on.
        bool fatal = false;
    };

    StreamFramer();
    explicit StreamFramer(Limits limits);

    /// Appends received bytes.
    void Feed(std::string_view data);

    /// The next message, keepalive or error; call until kNeedMore or a fatal kError.
    Event Next();

    /// Bytes buffered and not yet consumed.
    size_t Buffered() const
    {
        return m_buf.size() - m_start;
    }

    bool HasFailed() const
    {
        return m_failed.has_value();
    }

    /// Drops everything buffered and any failure (a new connection).
    void Reset();

  private:
    Event Fail(ParseError e);
    void Consume(size_t n);

    Limits m_limits;
    std::string m_buf;
    size_t m_start = 0;              ///< first unconsumed byte
    size_t m_scan = 0;               ///< where the search for the empty line resumes
    std::optional<size_t> m_bodyAt;  ///< body offset of the current message, once known
    size_t m_length = 0;             ///< its Content-Length
    std::optional<ParseError> m_failed;
};

} // namespace sipbed

#endif
