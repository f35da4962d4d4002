// What went wrong while reading SIP text, and where.
#ifndef SIPBED_PARSE_ERROR_H
#define SIPBED_PARSE_ERROR_H

#include <string>
#include <utility>
#include <variant>

namespace sipbed
{

/// A rejected message or value. `status` is the response a UAS or proxy sends
/// when the rejected message is a request (400 Bad Request, 505 Version Not
/// Supported, 413 Request Entity Too Large); 0 means the message is a
/// response and is silently discarded (RFC 3261 18.1.2 / RFC 4475 3.1.2.5).
struct ParseError
{
    std::string reason; ///< what is wrong, in words
    int line = 0;       ///< 1-based line of the message it was found on; 0 if none
    std::string header; ///< header name as received; empty for the start line or body
    int status = 400;   ///< response to send for a request; 0 = drop

    /// "line 3, header To: unterminated quoted string"
    std::string ToString() const;
};

/// A value or the error that prevented it.
template <class T>
class Result
{
  public:
    Result(T value)
        : m_v(std::move(value))
    {
    }

    Result(ParseError error)
        : m_v(std::move(error))
    {
    }

    bool IsOk() const
    {
        return m_v.index() == 0;
    }

    explicit operator bool() const
    {
        return IsOk();
    }

    const T& GetValue() const
    {
        return std::get<0>(m_v);
    }

    T& GetValue()
    {
        return std::get<0>(m_v);
    }

    const ParseError& GetError() const
    {
        return std::get<1>(m_v);
    }

  private:
    std::variant<T, ParseError> m_v;
};

/// Error with no position yet; the message parser adds line and header.
inline ParseError
MakeError(std::string reason, int status = 400)
{
    ParseError e;
    e.reason = std::move(reason);
    e.status = status;
    return e;
}

} // namespace sipbed

#endif
