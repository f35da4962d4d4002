// The translation state of a NAT (network address and port translator) for
// IPv4 UDP and TCP, after RFC 4787 (UDP behaviour) and RFC 5382 (TCP).
//
// Sans-IO: the table sees packets as 5-tuples with a time stamp and answers
// what to do with them; it keeps no clock and sends nothing. sim/nat-*
// feeds it from an ns-3 node and rewrites the packets.
//
// Written by hand: ns-3 3.37 (Debian) has no NAT model.
#ifndef SIPBED_NAT_TABLE_H
#define SIPBED_NAT_TABLE_H

#include "models/net/time-ns.h"

#include <cstdint>
#include <functional>
#include <queue>
#include <string>
#include <unordered_map>
#include <vector>

namespace sipbed
{

/// RFC 4787 4.1 (mapping) and 5 (filtering) behaviours.
enum class NatBehavior : uint8_t
{
    kEndpointIndependent,
    kAddressDependent,
    kAddressAndPortDependent,
};

std::string ToString(NatBehavior b);
/// "endpoint-independent", "address-dependent", "address-and-port-dependent"
/// (also "eim"/"eif", "adm"/"adf", "apdm"/"apdf"); false when unknown.
bool ParseNatBehavior(const std::string& s, NatBehavior& out);

enum class IpProto : uint8_t
{
    kTcp = 6,
    kUdp = 17,
};

/// An IPv4 address (host byte order) and port.
struct Endpoint
{
    uint32_t addr = 0;
    uint16_t port = 0;

    bool operator==(const Endpoint& o) const
    {
        return addr == o.addr && port == o.port;
    }
    bool operator!=(const Endpoint& o) const
    {
        return !(*this == o);
    }
};

/// "192.0.2.1:5060"
std::string ToString(const Endpoint& e);

struct TcpFlags
{
    bool syn = false;
    bool ack = false;
    bool fin = false;
    bool rst = false;
};

struct NatConfig
{
    NatBehavior mapping = NatBehavior::kEndpointIndependent;
    NatBehavior filtering = NatBehavior::kAddressAndPortDependent;
    /// Keep the internal port as the external port when it is free (RFC 4787 4.2.1).
    bool portPreservation = true;
    /// Let inside hosts reach each other through their external endpoints (RFC 4787 6).
    bool hairpinning = true;
    /// UDP mapping timeout. RFC 4787 REQ-5 asks for at least 2 minutes; 60 s is
    /// a common deployed value and the project's default (DESIGN.md).
    TimeNs udpTimeout = SecondsToNs(60);
    /// RFC 4787 REQ-6: outbound packets refresh a UDP mapping; inbound ones MAY.
    bool inboundRefreshesUdp = false;
    /// RFC 5382 REQ-5: established-connection idle timeout, at least 2 h 4 min.
    TimeNs tcpEstablishedTimeout = SecondsToNs(7440);
    /// RFC 5382 REQ-5: transitory (half-open or closing) timeout, at least 4 min.
    TimeNs tcpTransitoryTimeout = SecondsToNs(240);
    /// TCP state is created only by an outbound SYN; any other outbound TCP
    /// segment that matches no connection is dropped (as strict connection
    /// trackers do). When false, a mid-connection segment opens state too
    /// (Linux conntrack's loose mode), so a rebooted NAT can carry on an old
    /// connection unnoticed.
    bool tcpRequireSyn = true;
    /// External ports handed out when the internal one cannot be kept.
    uint16_t portMin = 1024;
    uint16_t portMax = 65535;
};

/// Source of random numbers (the simulator's streams, or a test's sequence).
class NatRandom
{
  public:
    virtual ~NatRandom() = default;
    /// Uniform integer in [lo, hi].
    virtual uint32_t Uniform(uint32_t lo, uint32_t hi) = 0;
};

class NatTable
{
  public:
    enum class Verdict : uint8_t
    {
        kForward, ///< send on with `src` and `dst` rewritten as given
        kDrop,    ///< discard silently; `reason` says why
    };

    enum class DropReason : uint8_t
    {
        kNone,
        kNoMapping,     ///< inbound packet to an external port with no mapping
        kFiltered,      ///< a mapping exists but its filter refuses this sender
        kNoHairpinning, ///< inside host addressed the external address, hairpinning off
        kPortsExhausted,
        kUnsolicitedTcp, ///< inbound TCP that matches no connection the inside opened
        kTcpWithoutState, ///< outbound non-SYN TCP segment with no connection (tcpRequireSyn)
    };

    struct Result
    {
        Verdict verdict = Verdict::kDrop;
        Endpoint src; ///< source after translation
        Endpoint dst; ///< destination after translation
        /// The packet goes back inside (hairpinning) rather than out.
        bool towardsInside = false;
        DropReason reason = DropReason::kNone;
    };

    struct Counters
    {
        uint64_t mappingsCreated = 0;
        uint64_t mappingsExpired = 0;
        uint64_t mappingsLostInReboot = 0;
        uint64_t translatedOut = 0;
        uint64_t translatedIn = 0;
        uint64_t hairpinned = 0;
        uint64_t droppedNoMapping = 0; ///< includes unsolicited TCP
        uint64_t droppedFiltered = 0;
        uint64_t droppedOther = 0;
    };

    /// Told about mappings appearing and disappearing (for traces and events).
    struct Listener
    {
        std::function<void(IpProto, Endpoint internal, Endpoint external, TimeNs)> created;
        std::function<void(IpProto, Endpoint internal, Endpoint external, TimeNs)> expired;
    };

    NatTable(NatConfig config, uint32_t publicAddress, NatRandom& random);

    /// A packet from an inside host. Creates or refreshes a mapping.
    Result Outbound(IpProto proto, Endpoint src, Endpoint dst, TcpFlags flags, TimeNs now);

    /// A packet that arrived on the outside, addressed to the public address.
    Result Inbound(IpProto proto, Endpoint src, Endpoint dst, TcpFlags flags, TimeNs now);

    /// Removes every mapping whose time is up (at or before `now`). Lookups
    /// ignore expired mappings anyway; this keeps counters and the listener
    /// on time. Returns how many expired.
    size_t ExpireUntil(TimeNs now);

    /// When the next mapping may expire (for scheduling ExpireUntil), or -1.
    TimeNs NextExpiry();

    /// Every mapping lost at once; optionally a new public address.
    void Reboot(TimeNs now, uint32_t newPublicAddress);

    uint32_t GetPublicAddress() const
    {
        return m_public;
    }

    size_t GetMappingCount() const
    {
        return m_mappings.size() - m_free.size();
    }

    const Counters& GetCounters() const
    {
        return m_counters;
    }

    /// Count a drop the caller decided outside the table (e.g. an inbound
    /// packet for an address that is no longer the NAT's after a reboot).
    void CountDrop(DropReason reason);

    const NatConfig& GetConfig() const
    {
        return m_config;
    }

    void SetListener(Listener l)
    {
        m_listener = std::move(l);
    }

    /// The external endpoint of the live mapping that `internal` would use to
    /// reach `remote`, if any (for tests and metrics).
    bool LookupExternal(IpProto proto, Endpoint internal, Endpoint remote, TimeNs now,
                        Endpoint& external);

  private:
    // TCP connection seen through a mapping (RFC 5382 5: per-connection state).
    struct TcpConn
    {
        Endpoint remote;
        bool synOut = false;
        bool synIn = false;
        bool finOut = false;
        bool finIn = false;
        bool rst = false;
        TimeNs expiry = 0;
    };

    struct Mapping
    {
        IpProto proto = IpProto::kUdp;
        bool live = false;
        uint32_t generation = 0;
        Endpoint internal;
        uint16_t externalPort = 0;
        uint32_t keyRemoteAddr = 0; ///< part of the mapping key (ADM, APDM)
        uint16_t keyRemotePort = 0; ///< part of the mapping key (APDM)
        TimeNs expiry = 0;          ///< UDP: last refresh + timeout; TCP: latest connection expiry
        TimeNs scheduledAt = -1;    ///< time of its pending entry in the expiry heap, -1 if none
        std::vector<Endpoint> permitted; ///< remotes this mapping sent to (filtering)
        std::vector<TcpConn> conns;      ///< TCP only
    };

    struct OutKey
    {
        uint8_t proto;
        uint32_t inAddr;
        uint16_t inPort;
        uint32_t remAddr;
        uint16_t remPort;
        bool operator==(const OutKey& o) const
        {
            return proto == o.proto && inAddr == o.inAddr && inPort == o.inPort &&
                   remAddr == o.remAddr && remPort == o.remPort;
        }
    };

    struct OutKeyHash
    {
        size_t operator()(const OutKey& k) const;
    };

    struct HeapEntry
    {
        TimeNs at;
        uint32_t id;
        uint32_t generation;
        bool operator>(const HeapEntry& o) const
        {
            return at > o.at || (at == o.at && id > o.id);
        }
    };

    OutKey MakeOutKey(IpProto proto, Endpoint internal, Endpoint remote) const;
    static uint32_t ExtKey(IpProto proto, uint16_t port)
    {
        return (static_cast<uint32_t>(proto) << 16) | port;
    }
    bool Alive(const Mapping& m, TimeNs now) const;
    /// Forgets a mapping; `when` is the time it ran out (for the listener).
    void Remove(uint32_t id, bool expired, TimeNs when);
    bool AllocatePort(IpProto proto, uint16_t wanted, uint16_t& port);
    void Refresh(uint32_t id, TimeNs now);
    void Schedule(uint32_t id);
    bool Permits(const Mapping& m, Endpoint remote) const;
    Result Deliver(uint32_t id, IpProto proto, Endpoint src, TcpFlags flags, TimeNs now);
    TcpConn* FindConn(Mapping& m, Endpoint remote, TimeNs now);
    void UpdateTcp(Mapping& m, TcpConn& c, TcpFlags flags, bool outbound, TimeNs now);

    NatConfig m_config;
    uint32_t m_public;
    NatRandom& m_random;
    Listener m_listener;
    Counters m_counters;
    std::vector<Mapping> m_mappings; ///< by id; ids of removed ones are reused
    std::vector<uint32_t> m_free;
    std::unordered_map<OutKey, uint32_t, OutKeyHash> m_byOut;
    std::unordered_map<uint32_t, uint32_t> m_byExt; ///< (proto, external port) -> id
    std::priority_queue<HeapEntry, std::vector<HeapEntry>, std::greater<HeapEntry>> m_heap;
};

std::string ToString(NatTable::DropReason r);

} // namespace sipbed

#endif
