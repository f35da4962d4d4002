// A SIP request or response (RFC 3261 section 7).
//
// A parsed message keeps the received bytes and refers to them: start-line
// elements, header names and values and the body are views into that buffer
// until the code changes them. Changed or added values live in storage owned
// by the message (shared by its copies, never moved), so views stay valid
// while any copy exists.
//
// Invariant: every header value whose grammar sipbed knows (HeaderId other
// than kUnknown with a ValueKind other than kText) has been checked against
// that grammar, by the parser or by the setter; the typed getters therefore
// never fail on a value that is present.
#ifndef SIPBED_SIP_MESSAGE_H
#define SIPBED_SIP_MESSAGE_H

#include "models/sip/header-table.h"
#include "models/sip/header-values.h"
#include "models/sip/name-addr.h"
#include "models/sip/parse-error.h"
#include "models/sip/sip-uri.h"
#include "models/sip/via.h"

#include <forward_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sipbed
{

struct HeaderField
{
    HeaderId id = HeaderId::kUnknown;
    std::string_view name;  ///< as received (long or compact form) or as set
    std::string_view value; ///< trimmed; may contain line folds when received
    uint32_t line = 0;      ///< line number in the received message; 0 if set in code
};

/// First field with this id in a list of fields, or nullptr.
const HeaderField* FindHeaderIn(const std::vector<HeaderField>& headers, HeaderId id);

/// The first field with this id read with T::Parse; nullopt when absent.
/// Values in a message were checked when they entered it, so a present value
/// parses.
template <class T>
std::optional<T>
ParseFirst(const std::vector<HeaderField>& headers, HeaderId id)
{
    const HeaderField* h = FindHeaderIn(headers, id);
    if (!h)
    {
        return std::nullopt;
    }
    auto r = T::Parse(h->value);
    if (!r)
    {
        return std::nullopt;
    }
    return r.GetValue();
}

class SipMessage
{
  public:
    SipMessage();

    /// A new request "METHOD request-uri SIP/2.0" with no headers.
    static Result<SipMessage> MakeRequest(std::string_view method, std::string_view requestUri);

    /// A new response "SIP/2.0 code reason" with no headers. code: 100..699.
    static Result<SipMessage> MakeResponse(int code, std::string_view reason);

    // ---- start line ----
    bool IsRequest() const
    {
        return m_isRequest;
    }

    bool IsResponse() const
    {
        return !m_isRequest;
    }

    std::string_view GetMethod() const
    {
        return m_method;
    }

    const SipUri& GetRequestUri() const
    {
        return m_requestUri;
    }

    int GetStatusCode() const
    {
        return m_status;
    }

    std::string_view GetReasonPhrase() const
    {
        return m_reason;
    }

    /// Always "SIP/2.0": the only version accepted (compared case-insensitively).
    std::string_view GetVersion() const
    {
        return m_version;
    }

    Result<size_t> SetRequestUri(std::string_view uri);
    Result<size_t> SetStatus(int code, std::string_view reason);

    // ---- header fields, in order ----
    const std::vector<HeaderField>& GetHeaders() const
    {
        return m_headers;
    }

    /// First field with this id / name (long or compact, case-insensitive).
    const HeaderField* FindHeader(HeaderId id) const;
    const HeaderField* FindHeader(std::string_view name) const;

    /// Number of header fields (lines) with this id.
    size_t CountHeaders(HeaderId id) const;

    /// Calls f(std::string_view value) for every value of every field with this
    /// id, in order; list fields are split at top-level commas. Stops when f
    /// returns false.
    template <class F>
    void ForEachValue(HeaderId id, F f) const
    {
        const bool list = GetHeaderInfo(id).list;
        for (const HeaderField& h : m_headers)
        {
            if (h.id != id)
            {
                continue;
            }
            if (!list)
            {
                if (!f(h.value))
                {
                    return;
                }
                continue;
            }
            if (!ForEachListItem(h.value, f))
            {
                return;
            }
        }
    }

    /// All values of a field (list fields split), in order.
    std::vector<std::string_view> GetValues(HeaderId id) const;

    /// Number of values across all fields with this id.
    size_t CountValues(HeaderId id) const;

    // ---- typed access (nullopt / empty when the field is absent) ----
    std::optional<Via> GetTopVia() const;
    std::vector<Via> GetVias() const;
    std::optional<NameAddr> GetFrom() const
    {
        return GetNameAddr(HeaderId::kFrom);
    }
    std::optional<NameAddr> GetTo() const
    {
        return GetNameAddr(HeaderId::kTo);
    }
    /// First field of a single-address header (From, To, Refer-To, Referred-By, Reply-To).
    std::optional<NameAddr> GetNameAddr(HeaderId id) const;
    /// Every address of a list header (Route, Record-Route, Path), in order.
    std::vector<NameAddr> GetNameAddrs(HeaderId id) const;
    std::vector<ContactValue> GetContacts() const;
    std::optional<std::string_view> GetCallId() const;
    std::optional<CSeqValue> GetCSeq() const;
    /// Max-Forwards, Expires, Min-Expires, Content-Length, Flow-Timer.
    std::optional<uint32_t> GetUint(HeaderId id) const;
    std::optional<MediaType> GetContentType() const;
    std::vector<MediaType> GetAccept() const;
    std::optional<RetryAfterValue> GetRetryAfter() const;
    /// Option tags of Require, Supported, Unsupported or Proxy-Require.
    std::vector<std::string_view> GetOptionTags(HeaderId id) const;
    /// Every challenge or credentials field with this id (they do not combine).
    std::vector<AuthValue> GetAuth(HeaderId id) const;
    /// Event, Subscription-State, Refer-Sub, Target-Dialog.
    std::optional<TokenParamsValue> GetTokenParams(HeaderId id) const;
    /// SIP-ETag, SIP-If-Match.
    std::optional<std::string_view> GetToken(HeaderId id) const;
    std::optional<IdentityInfoValue> GetIdentityInfo() const;
    /// The Date header as seconds since the epoch; nullopt when absent or malformed.
    std::optional<int64_t> GetDate() const;
    /// The Identity signature with quotes and white space removed.
    std::optional<std::string> GetIdentity() const;

    std::string_view GetBody() const
    {
        return m_body;
    }

    // ---- changes (values are checked against the field's grammar) ----
    /// Appends a field; returns its index.
    Result<size_t> AddHeader(std::string_view name, std::string_view value);
    /// Inserts a field before the first field with the same name, or first
    /// of all when there is none (Via, Record-Route); returns its index.
    Result<size_t> PrependHeader(std::string_view name, std::string_view value);
    /// Replaces the first field with this name and removes the others; adds
    /// the field when absent. Returns its index.
    Result<size_t> SetHeader(std::string_view name, std::string_view value);
    /// Removes every field with this name; returns how many.
    size_t RemoveHeaders(std::string_view name);
    size_t RemoveHeaders(HeaderId id);
    /// Removes the first value of a list field ("Via: a, b" keeps "b");
    /// returns false when there is none.
    bool RemoveFirstValue(HeaderId id);
    /// Replaces the body. Content-Length is written from it on serialization;
    /// Content-Type is the caller's to set.
    void SetBody(std::string_view body);

    // ---- output ----
    /// Canonical wire form: long header names in their canonical spelling,
    /// values re-rendered from their grammar without extra white space or
    /// folds, fields in their order, Content-Length equal to the body size
    /// (written where the first Content-Length stood, else last).
    std::string Serialize() const;
    void SerializeTo(std::string& out) const;


    /// Equivalence: same start line, same header fields apart from
    /// Content-Length (by id, or by name for unknown fields) in the same
    /// order with the same canonical values, and the same body.
    bool operator==(const SipMessage& other) const;

    bool operator!=(const SipMessage& other) const
    {
        return !(*this == other);
    }

  private:
    friend class SipParser;

    struct Storage
    {
        std::string received;          ///< the bytes the message was parsed from
        /// Values set in code. A node list: nothing is allocated until a value
        /// is set, and a kept string never moves.
        std::forward_list<std::string> owned;
    };

    std::string_view Keep(std::string s);
    Result<HeaderField> MakeField(std::string_view name, std::string_view value);

  public:
    /// Next comma-separated item of a list value, skipping commas inside
    /// quoted strings and < >; trims white space. Empty items are skipped.
    static bool NextListItem(std::string_view value, size_t& pos, std::string_view& item);

  private:
    template <class F>
    static bool ForEachListItem(std::string_view value, F& f)
    {
        size_t pos = 0;
        std::string_view item;
        while (NextListItem(value, pos, item))
        {
            if (!f(item))
            {
                return false;
            }
        }
        return true;
    }

    std::shared_ptr<Storage> m_storage;
    bool m_isRequest = true;
    std::string_view m_method;
    SipUri m_requestUri;
    std::string_view m_version = "SIP/2.0";
    int m_status = 0;
    std::string_view m_reason;
    std::vector<HeaderField> m_headers;
    std::string_view m_body;
};

/// Canonical form of a header value: re-rendered from its grammar without
/// extra white space or folds (known fields), or unfolded and trimmed (others).
std::string RenderHeaderValue(HeaderId id, std::string_view value);
void RenderHeaderValue(HeaderId id, std::string_view value, std::string& out);

/// Checks `value` against the grammar of header `id`. Used by the parser and
/// by the setters; `list` values are checked item by item.
std::optional<ParseError> ValidateHeaderValue(HeaderId id, std::string_view value);

} // namespace sipbed

#endif
