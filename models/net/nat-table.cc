#include "models/net/nat-table.h"

#include <algorithm>

namespace sipbed
{

std::string
ToString(NatBehavior b)
{
    switch (b)
    {
    case NatBehavior::kEndpointIndependent:
        return "endpoint-independent";
    case NatBehavior::kAddressDependent:
        return "address-dependent";
    case NatBehavior::kAddressAndPortDependent:
        return "address-and-port-dependent";
    }
    return "?";
}

bool
ParseNatBehavior(const std::string& s, NatBehavior& out)
{
    if (s == "endpoint-independent" || s == "eim" || s == "eif")
    {
        out = NatBehavior::kEndpointIndependent;
    }
    else if (s == "address-dependent" || s == "adm" || s == "adf")
    {
        out = NatBehavior::kAddressDependent;
    }
    else if (s == "address-and-port-dependent" || s == "apdm" || s == "apdf")
    {
        out = NatBehavior::kAddressAndPortDependent;
    }
    else
    {
        return false;
    }
    return true;
}

std::string
ToString(const Endpoint& e)
{
    return std::to_string(e.addr >> 24) + "." + std::to_string((e.addr >> 16) & 0xff) + "." +
           std::to_string((e.addr >> 8) & 0xff) + "." + std::to_string(e.addr & 0xff) + ":" +
           std::to_string(e.port);
}

std::string
ToString(NatTable::DropReason r)
{
    switch (r)
    {
    case NatTable::DropReason::kNone:
        return "none";
    case NatTable::DropReason::kNoMapping:
        return "no-mapping";
    case NatTable::DropReason::kFiltered:
        return "filtered";
    case NatTable::DropReason::kNoHairpinning:
        return "no-hairpinning";
    case NatTable::DropReason::kPortsExhausted:
        return "ports-exhausted";
    case NatTable::DropReason::kUnsolicitedTcp:
        return "unsolicited-tcp";
    case NatTable::DropReason::kTcpWithoutState:
        return "tcp-without-state";
    }
    return "?";
}

size_t
NatTable::OutKeyHash::operator()(const OutKey& k) const
{
    uint64_t a = (static_cast<uint64_t>(k.inAddr) << 32) | (static_cast<uint64_t>(k.inPort) << 8) |
                 k.proto;
    uint64_t b = (static_cast<uint64_t>(k.remAddr) << 16) | k.remPort;
    // 64-bit mix (splitmix64 finalizer) of both halves.
    uint64_t x = a * 0x9e3779b97f4a7c15ULL ^ (b + 0x632be59bd9b4e019ULL + (a << 6) + (a >> 2));
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return static_cast<size_t>(x);
}

NatTable::NatTable(NatConfig config, uint32_t publicAddress, NatRandom& random)
    : m_config(config),
      m_public(publicAddress),
      m_random(random)
{
}

NatTable::OutKey
NatTable::MakeOutKey(IpProto proto, Endpoint internal, Endpoint remote) const
{
    // RFC 4787 4.1: what a mapping is reused for depends on the mapping behaviour.
    OutKey k{static_cast<uint8_t>(proto), internal.addr, internal.port, 0, 0};
    if (m_config.mapping != NatBehavior::kEndpointIndependent)
    {
        k.remAddr = remote.addr;
    }
    if (m_config.mapping == NatBehavior::kAddressAndPortDependent)
    {
        k.remPort = remote.port;
    }
    return k;
}

bool
NatTable::Alive(const Mapping& m, TimeNs now) const
{
    // A mapping is gone from the instant its timer runs out.
    return m.live && now < m.expiry;
}

void
NatTable::Schedule(uint32_t id)
{
    Mapping& m = m_mappings[id];
    // One pending heap entry per mapping: a refresh only moves `expiry`; the
    // entry, when it comes up, re-arms itself at the new time.
    if (m.scheduledAt >= 0 && m.scheduledAt <= m.expiry)
    {
        return;
    }
    m.scheduledAt = m.expiry;
    m_heap.push(HeapEntry{m.expiry, id, m.generation});
}

void
NatTable::Remove(uint32_t id, bool expired, TimeNs when)
{
    Mapping& m = m_mappings[id];
    if (!m.live)
    {
        return;
    }
    Endpoint external{m_public, m.externalPort};
    m_byOut.erase(MakeOutKey(m.proto,
                             m.internal,
                             Endpoint{m.keyRemoteAddr, m.keyRemotePort}));
    m_byExt.erase(ExtKey(m.proto, m.externalPort));
    m.live = false;
    ++m.generation;
    m.permitted.clear();
    m.permitted.shrink_to_fit();
    m.conns.clear();
    m.conns.shrink_to_fit();
    m.scheduledAt = -1;
    m_free.push_back(id);
    if (expired)
    {
        ++m_counters.mappingsExpired;
        if (m_listener.expired)
        {
            m_listener.expired(m.proto, m.internal, external, when);
        }
    }
}

bool
NatTable::AllocatePort(IpProto proto, uint16_t wanted, uint16_t& port)
{
    auto free = [&](uint32_t p) { return m_byExt.find(ExtKey(proto, static_cast<uint16_t>(p))) == m_byExt.end(); };
    if (m_config.portPreservation && wanted >= m_config.portMin && wanted <= m_config.portMax &&
        free(wanted))
    {
        port = wanted;
        return true;
    }
    // Random external ports (RFC 4787 4.2.1 lets a NAT choose any), with a
    // linear walk from a random start once random picks keep colliding.
    const uint32_t lo = m_config.portMin;
    const uint32_t hi = m_config.portMax;
    for (int attempt = 0; attempt < 16; ++attempt)
    {
        uint32_t p = m_random.Uniform(lo, hi);
        if (free(p))
        {
            port = static_cast<uint16_t>(p);
            return true;
        }
    }
    uint32_t start = m_random.Uniform(lo, hi);
    for (uint32_t i = 0; i <= hi - lo; ++i)
    {
        uint32_t p = lo + (start - lo + i) % (hi - lo + 1);
        if (free(p))
        {
            port = static_cast<uint16_t>(p);
            return true;
        }
    }
    return false;
}

void
NatTable::Refresh(uint32_t id, TimeNs now)
{
    Mapping& m = m_mappings[id];
    if (m.proto == IpProto::kUdp)
    {
        m.expiry = now + m_config.udpTimeout;
    }
    else
    {
        TimeNs latest = 0;
        for (const TcpConn& c : m.conns)
        {
            latest = std::max(latest, c.expiry);
        }
        m.expiry = latest;
    }
    Schedule(id);
}

bool
NatTable::Permits(const Mapping& m, Endpoint remote) const
{
    // RFC 4787 5: which senders may use a mapping.
    switch (m_config.filtering)
    {
    case NatBehavior::kEndpointIndependent:
        return true;
    case NatBehavior::kAddressDependent:
        return std::any_of(m.permitted.begin(), m.permitted.end(), [&](const Endpoint& e) {
            return e.addr == remote.addr;
        });
    case NatBehavior::kAddressAndPortDependent:
        return std::find(m.permitted.begin(), m.permitted.end(), remote) != m.permitted.end();
    }
    return false;
}

NatTable::TcpConn*
NatTable::FindConn(Mapping& m, Endpoint remote, TimeNs now)
{
    // Connections whose timer ran out are forgotten first.
    m.conns.erase(std::remove_if(m.conns.begin(),
                                 m.conns.end(),
                                 [&](const TcpConn& c) { return c.expiry <= now; }),
                  m.conns.end());
    for (TcpConn& c : m.conns)
    {
        if (c.remote == remote)
        {
            return &c;
        }
    }
    return nullptr;
}

void
NatTable::UpdateTcp(Mapping& m, TcpConn& c, TcpFlags flags, bool outbound, TimeNs now)
{
    (void)m;
    if (flags.syn)
    {
        (outbound ? c.synOut : c.synIn) = true;
    }
    if (flags.fin)
    {
        (outbound ? c.finOut : c.finIn) = true;
    }
    if (flags.rst)
    {
        c.rst = true;
    }
    // RFC 5382 REQ-5: established = both SYNs seen and no FIN or RST yet;
    // anything else (half-open, closing, reset) is transitory.
    bool established = c.synOut && c.synIn && !c.finOut && !c.finIn && !c.rst;
    c.expiry = now + (established ? m_config.tcpEstablishedTimeout : m_config.tcpTransitoryTimeout);
}

void
NatTable::CountDrop(DropReason reason)
{
    switch (reason)
    {
    case DropReason::kNone:
        return;
    case DropReason::kNoMapping:
    case DropReason::kUnsolicitedTcp:
        ++m_counters.droppedNoMapping;
        return;
    case DropReason::kFiltered:
        ++m_counters.droppedFiltered;
        return;
    case DropReason::kNoHairpinning:
    case DropReason::kPortsExhausted:
    case DropReason::kTcpWithoutState:
        ++m_counters.droppedOther;
        return;
    }
}

NatTable::Result
NatTable::Outbound(IpProto proto, Endpoint src, Endpoint dst, TcpFlags flags, TimeNs now)
{
    Result r;
    const bool hairpin = dst.addr == m_public;
    if (hairpin && !m_config.hairpinning)
    {
        r.reason = DropReason::kNoHairpinning;
        ++m_counters.droppedOther;
        return r;
    }

    OutKey key = MakeOutKey(proto, src, dst);
    uint32_t id = 0;
    auto it = m_byOut.find(key);
    if (it != m_byOut.end() && !Alive(m_mappings[it->second], now))
    {
        Remove(it->second, true, m_mappings[it->second].expiry);
        it = m_byOut.end();
    }
    if (proto == IpProto::kTcp && m_config.tcpRequireSyn && !(flags.syn && !flags.ack) &&
        (it == m_byOut.end() || !FindConn(m_mappings[it->second], dst, now)))
    {
        r.reason = DropReason::kTcpWithoutState;
        ++m_counters.droppedOther;
        return r;
    }
    if (it == m_byOut.end())
    {
        uint16_t port = 0;
        if (!AllocatePort(proto, src.port, port))
        {
            r.reason = DropReason::kPortsExhausted;
            ++m_counters.droppedOther;
            return r;
        }
        if (m_free.empty())
        {
            id = static_cast<uint32_t>(m_mappings.size());
            m_mappings.emplace_back();
        }
        else
        {
            id = m_free.back();
            m_free.pop_back();
        }
        Mapping& m = m_mappings[id];
        m.proto = proto;
        m.live = true;
        m.internal = src;
        m.externalPort = port;
        m.keyRemoteAddr = key.remAddr;
        m.keyRemotePort = key.remPort;
        m.expiry = now;
        m.scheduledAt = -1;
        m_byOut.emplace(key, id);
        m_byExt.emplace(ExtKey(proto, port), id);
        ++m_counters.mappingsCreated;
        if (m_listener.created)
        {
            m_listener.created(proto, src, Endpoint{m_public, port}, now);
        }
    }
    else
    {
        id = it->second;
    }

    Mapping& m = m_mappings[id];
    if (std::find(m.permitted.begin(), m.permitted.end(), dst) == m.permitted.end())
    {
        m.permitted.push_back(dst);
    }
    if (proto == IpProto::kTcp)
    {
        TcpConn* c = FindConn(m, dst, now);
        if (!c)
        {
            m.conns.push_back(TcpConn{dst});
            c = &m.conns.back();
        }
        UpdateTcp(m, *c, flags, true, now);
    }
    Refresh(id, now);

    const Endpoint external{m_public, m.externalPort};
    if (hairpin)
    {
        // RFC 4787 6 (REQ-9): the hairpinned packet arrives with the
        // sender's external endpoint as its source.
        auto target = m_byExt.find(ExtKey(proto, dst.port));
        if (target == m_byExt.end() || !Alive(m_mappings[target->second], now))
        {
            r.reason = DropReason::kNoMapping;
            ++m_counters.droppedNoMapping;
            return r;
        }
        r = Deliver(target->second, proto, external, flags, now);
        if (r.verdict == Verdict::kForward)
        {
            r.towardsInside = true;
            ++m_counters.hairpinned;
            --m_counters.translatedIn; // counted as hairpinned, not inbound
        }
        return r;
    }
    r.verdict = Verdict::kForward;
    r.src = external;
    r.dst = dst;
    ++m_counters.translatedOut;
    return r;
}

NatTable::Result
NatTable::Deliver(uint32_t id, IpProto proto, Endpoint src, TcpFlags flags, TimeNs now)
{
    Result r;
    Mapping& m = m_mappings[id];
    if (proto == IpProto::kTcp)
    {
        TcpConn* c = FindConn(m, src, now);
        if (!c)
        {
            // RFC 5382 5 / 7.1: an inbound SYN may open a connection through a
            // mapping only where the filtering lets this sender in; anything
            // else that matches no connection is dropped silently.
            if (!(flags.syn && !flags.ack && Permits(m, src)))
            {
                r.reason = DropReason::kUnsolicitedTcp;
                ++m_counters.droppedNoMapping;
                return r;
            }
            m.conns.push_back(TcpConn{src});
            c = &m.conns.back();
        }
        UpdateTcp(m, *c, flags, false, now);
        Refresh(id, now);
    }
    else
    {
        if (!Permits(m, src))
        {
            r.reason = DropReason::kFiltered;
            ++m_counters.droppedFiltered;
            return r;
        }
        if (m_config.inboundRefreshesUdp)
        {
            Refresh(id, now);
        }
    }
    r.verdict = Verdict::kForward;
    r.src = src;
    r.dst = m.internal;
    ++m_counters.translatedIn;
    return r;
}

NatTable::Result
NatTable::Inbound(IpProto proto, Endpoint src, Endpoint dst, TcpFlags flags, TimeNs now)
{
    Result r;
    auto it = m_byExt.find(ExtKey(proto, dst.port));
    if (dst.addr != m_public || it == m_byExt.end() || !Alive(m_mappings[it->second], now))
    {
        if (it != m_byExt.end() && dst.addr == m_public)
        {
            Remove(it->second, true, m_mappings[it->second].expiry);
        }
        r.reason = DropReason::kNoMapping;
        ++m_counters.droppedNoMapping;
        return r;
    }
    return Deliver(it->second, proto, src, flags, now);
}

size_t
NatTable::ExpireUntil(TimeNs now)
{
    size_t n = 0;
    while (!m_heap.empty() && m_heap.top().at <= now)
    {
        HeapEntry e = m_heap.top();
        m_heap.pop();
        Mapping& m = m_mappings[e.id];
        if (!m.live || m.generation != e.generation)
        {
            continue; // a removed mapping's leftover entry
        }
        m.scheduledAt = -1;
        if (m.proto == IpProto::kTcp)
        {
            FindConn(m, Endpoint{}, e.at); // forget connections that ran out
            Refresh(e.id, now);            // expiry = latest remaining connection
        }
        if (m.expiry <= e.at)
        {
            Remove(e.id, true, e.at);
            ++n;
        }
        else
        {
            Schedule(e.id);
        }
    }
    return n;
}

TimeNs
NatTable::NextExpiry()
{
    while (!m_heap.empty())
    {
        const HeapEntry& e = m_heap.top();
        const Mapping& m = m_mappings[e.id];
        if (m.live && m.generation == e.generation)
        {
            return e.at;
        }
        m_heap.pop();
    }
    return -1;
}

void
NatTable::Reboot(TimeNs now, uint32_t newPublicAddress)
{
    (void)now;
    m_counters.mappingsLostInReboot += GetMappingCount();
    m_mappings.clear();
    m_free.clear();
    m_byOut.clear();
    m_byExt.clear();
    m_heap = decltype(m_heap)();
    if (newPublicAddress != 0)
    {
        m_public = newPublicAddress;
    }
}

bool
NatTable::LookupExternal(IpProto proto, Endpoint internal, Endpoint remote, TimeNs now,
                         Endpoint& external)
{
    auto it = m_byOut.find(MakeOutKey(proto, internal, remote));
    if (it == m_byOut.end() || !Alive(m_mappings[it->second], now))
    {
        return false;
    }
    external = Endpoint{m_public, m_mappings[it->second].externalPort};
    return true;
}

} // namespace sipbed
