// One Via value (RFC 3261 20.42): sent-protocol, sent-by and via-params.
#ifndef SIPBED_VIA_H
#define SIPBED_VIA_H

#include "models/sip/param-list.h"
#include "models/sip/parse-error.h"

#include <optional>

namespace sipbed
{

class Via
{
  public:
    Via() = default;

    /// Parses one via-parm at the scanner's position; stops before ',' or the end.
    static Result<Via> ParseOne(text::Scanner& s);

    std::string_view GetProtocolName() const
    {
        return m_protocolName;
    }

    std::string_view GetProtocolVersion() const
    {
        return m_protocolVersion;
    }

    /// Transport as written (UDP, TCP, TLS, SCTP, or any token).
    std::string_view GetTransport() const
    {
        return m_transport;
    }

    /// sent-by host as written; an IPv6 reference keeps its brackets.
    std::string_view GetHost() const
    {
        return m_host;
    }

    /// sent-by port, or -1 when absent.
    int GetPort() const
    {
        return m_port;
    }

    const ParamList& GetParams() const
    {
        return m_params;
    }

    std::optional<std::string_view> GetBranch() const
    {
        return m_params.Get("branch");
    }

    /// True when the branch starts with the RFC 3261 magic cookie and has
    /// something after it (17.2.3); otherwise RFC 2543 matching applies.
    bool HasRfc3261Branch() const;

    std::optional<std::string_view> GetReceived() const
    {
        return m_params.Get("received");
    }

    bool HasRport() const
    {
        return m_params.Has("rport");
    }

    /// rport value when the parameter carries one (RFC 3581).
    std::optional<int> GetRport() const;

    /// Canonical form: "SIP/2.0/UDP host[:port]" followed by ";name=value" params.
    void Render(std::string& out) const;

  private:
    std::string_view m_protocolName;
    std::string_view m_protocolVersion;
    std::string_view m_transport;
    std::string_view m_host;
    int m_port = -1;
    ParamList m_params;
};

/// RFC 3261 8.1.1.7: branches of RFC 3261 elements start with this cookie.
constexpr std::string_view kBranchMagicCookie = "z9hG4bK";

} // namespace sipbed

#endif
