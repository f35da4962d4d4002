#include "models/roles/flow-token.h"

#include <cstdio>

namespace sipbed
{

namespace
{

const char kKinds[] = {'u', 't', 's'}; // UDP, TCP, TLS (s for secure)

} // namespace

std::string
EncodeFlowToken(const TransportAddress& flow)
{
    char buf[40];
    std::snprintf(buf,
                  sizeof(buf),
                  "f%c%08x%04x.%u",
                  kKinds[static_cast<int>(flow.kind)],
                  flow.ip,
                  flow.port,
                  flow.connection);
    return buf;
}

std::optional<TransportAddress>
DecodeFlowToken(std::string_view token)
{
    // f, kind, 8 + 4 hex digits, '.', 1..10 decimal digits
    if (token.size() < 16 || token.size() > 25 || token[0] != 'f' || token[14] != '.')
    {
        return std::nullopt;
    }
    TransportAddress flow;
    bool kindOk = false;
    for (int k = 0; k < 3; ++k)
    {
        if (token[1] == kKinds[k])
        {
            flow.kind = static_cast<TransportKind>(k);
            kindOk = true;
        }
    }
    uint64_t hex = 0;
    for (size_t i = 2; i < 14; ++i)
    {
        const char c = token[i];
        const int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (v < 0)
        {
            return std::nullopt;
        }
        hex = hex << 4 | static_cast<uint64_t>(v);
    }
    uint64_t connection = 0;
    for (size_t i = 15; i < token.size(); ++i)
    {
        if (token[i] < '0' || token[i] > '9')
        {
            return std::nullopt;
        }
        connection = connection * 10 + static_cast<uint64_t>(token[i] - '0');
    }
    if (!kindOk || connection > UINT32_MAX)
    {
        return std::nullopt;
    }
    flow.ip = static_cast<uint32_t>(hex >> 16);
    flow.port = static_cast<uint16_t>(hex & 0xffff);
    flow.connection = static_cast<ConnectionId>(connection);
    return flow;
}

} // namespace sipbed
