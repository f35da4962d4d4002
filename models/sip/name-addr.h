// name-addr / addr-spec with header parameters (RFC 3261 20.10, 25.1): the
// value of From, To, Contact, Route, Record-Route, Path, Refer-To, ...
#ifndef SIPBED_NAME_ADDR_H
#define SIPBED_NAME_ADDR_H

#include "models/sip/sip-uri.h"

#include <optional>

namespace sipbed
{

class NameAddr
{
  public:
    NameAddr() = default;

    /// Parses one value at the scanner's position and stops after its
    /// parameters (before a ',' in a list, or at the end).
    static Result<NameAddr> ParseOne(text::Scanner& s);

    /// Parses a whole header value holding exactly one name-addr or addr-spec.
    static Result<NameAddr> Parse(std::string_view value);

    /// Display name as written: a quoted-string with its quotes, or the
    /// token sequence; empty when absent.
    std::string_view GetDisplayNameRaw() const
    {
        return m_display;
    }

    /// Display name with quotes removed and escapes decoded.
    std::string GetDisplayName() const;

    /// True when the URI was enclosed in < > (name-addr form).
    bool IsBracketed() const
    {
        return m_bracketed;
    }

    const SipUri& GetUri() const
    {
        return m_uri;
    }

    const ParamList& GetParams() const
    {
        return m_params;
    }

    std::optional<std::string_view> GetTag() const
    {
        return m_params.Get("tag");
    }

    /// Canonical form: [display-name SP] "<" URI ">" *(";" param). The angle
    /// brackets are always written, which is equivalent and unambiguous.
    void Render(std::string& out) const;

  private:
    std::string_view m_display;
    bool m_bracketed = false;
    SipUri m_uri;
    ParamList m_params;
};

/// One Contact value: "*" or a name-addr with contact-params (RFC 3261 20.10).
class ContactValue
{
  public:
    static Result<ContactValue> ParseOne(text::Scanner& s);

    bool IsStar() const
    {
        return m_star;
    }

    const NameAddr& GetAddress() const
    {
        return m_addr;
    }

    const SipUri& GetUri() const
    {
        return m_addr.GetUri();
    }

    const ParamList& GetParams() const
    {
        return m_addr.GetParams();
    }

    /// expires parameter (delta-seconds, at most 2^32-1), if present.
    std::optional<uint32_t> GetExpires() const;

    /// q parameter (qvalue 0..1), if present.
    std::optional<double> GetQ() const;

    /// +sip.instance value without the quotes and angle brackets, e.g. "urn:uuid:...".
    std::optional<std::string> GetInstance() const;

    void Render(std::string& out) const;

  private:
    bool m_star = false;
    NameAddr m_addr;
};

} // namespace sipbed

#endif
