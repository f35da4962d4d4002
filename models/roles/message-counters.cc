#include "models/roles/message-counters.h"

namespace sipbed
{

std::string
MessageCounters::KeyOf(std::string_view bytes)
{
    const size_t eol = bytes.find_first_of("\r\n");
    std::string_view line = bytes.substr(0, eol);
    if (line.substr(0, 8) != "SIP/2.0 ")
    {
        const size_t sp = line.find(' ');
        return sp == std::string_view::npos || sp == 0 ? "?" : std::string(line.substr(0, sp));
    }
    std::string key(line.substr(8, 3));
    if (key.size() != 3)
    {
        return "?";
    }
    // The CSeq method says what the response answers. Messages counted here
    // were serialized by sipbed: one "CSeq: n METHOD" line, canonical name.
    const size_t cseq = bytes.find("\r\nCSeq: ");
    if (cseq != std::string_view::npos)
    {
        std::string_view value = bytes.substr(cseq + 8);
        value = value.substr(0, value.find_first_of("\r\n"));
        const size_t sp = value.find(' ');
        if (sp != std::string_view::npos)
        {
            key += " ";
            key += value.substr(sp + 1);
        }
    }
    return key;
}

void
MessageCounters::CountSent(std::string_view bytes, bool retransmission)
{
    const std::string key = KeyOf(bytes);
    auto it = byKey.find(key);
    if (it == byKey.end())
    {
        it = byKey.emplace(std::string(key), Counts{}).first;
    }
    (retransmission ? it->second.retransmitted : it->second.sent) += 1;
    it->second.bytesSent += bytes.size();
}

void
MessageCounters::CountReceived(std::string_view key, size_t bytes)
{
    auto it = byKey.find(key);
    if (it == byKey.end())
    {
        it = byKey.emplace(std::string(key), Counts{}).first;
    }
    it->second.received += 1;
    it->second.bytesReceived += bytes;
}

MessageCounters::Counts
MessageCounters::Total() const
{
    Counts t;
    for (const auto& [key, c] : byKey)
    {
        t.sent += c.sent;
        t.retransmitted += c.retransmitted;
        t.received += c.received;
        t.bytesSent += c.bytesSent;
        t.bytesReceived += c.bytesReceived;
    }
    return t;
}

} // namespace sipbed
