#include "models/core/transport-address.h"

#include "models/sip/sip-text.h"

namespace sipbed
{

std::string_view
TransportName(TransportKind kind)
{
    switch (kind)
    {
    case TransportKind::kUdp:
        return "UDP";
    case TransportKind::kTcp:
        return "TCP";
    case TransportKind::kTls:
        return "TLS";
    }
    return "UDP";
}

bool
ParseTransportName(std::string_view name, TransportKind& kind)
{
    for (TransportKind k : {TransportKind::kUdp, TransportKind::kTcp, TransportKind::kTls})
    {
        if (text::IEquals(name, TransportName(k)))
        {
            kind = k;
            return true;
        }
    }
    return false;
}

std::string
FormatIpv4(uint32_t ip)
{
    return std::to_string(ip >> 24) + "." + std::to_string((ip >> 16) & 0xff) + "." +
           std::to_string((ip >> 8) & 0xff) + "." + std::to_string(ip & 0xff);
}

bool
ParseIpv4(std::string_view text, uint32_t& ip)
{
    uint32_t result = 0;
    for (int octet = 0; octet < 4; ++octet)
    {
        if (octet > 0)
        {
            if (text.empty() || text.front() != '.')
            {
                return false;
            }
            text.remove_prefix(1);
        }
        size_t digits = 0;
        while (digits < text.size() && digits < 4 && text[digits] >= '0' && text[digits] <= '9')
        {
            ++digits;
        }
        uint64_t value = 0;
        if (digits == 0 || digits > 3 || !text::ParseUint(text.substr(0, digits), 255, value))
        {
            return false;
        }
        result = (result << 8) | static_cast<uint32_t>(value);
        text.remove_prefix(digits);
    }
    if (!text.empty())
    {
        return false;
    }
    ip = result;
    return true;
}

std::string
TransportAddress::ToString() const
{
    std::string s = std::string(TransportName(kind)) + " " + FormatIpv4(ip) + ":" +
                    std::to_string(port);
    if (connection != 0)
    {
        s += "#" + std::to_string(connection);
    }
    return s;
}

} // namespace sipbed
