// A NAT for ns-3: the routing protocol of a node with an inside and an
// outside side. Every IPv4 packet the node receives passes RouteInput, where
// the sans-IO NatTable (models/net/nat-table.h) decides; UDP and TCP headers
// and the IPv4 addresses are rewritten here and the packet is forwarded with
// an inner Ipv4StaticRouting.
//
// ns-3 3.37 has no NAT model (nor netfilter hooks); taking the node's routing
// slot is the one place where every forwarded packet can be seen and changed
// (StaticRoutingWrapper holds the inner routing). The static routes are the
// routes used after translation: connected routes appear by themselves; add
// the default route towards the outside with GetStaticRouting(). Traffic of
// the NAT box itself is routed by them untranslated.
//
// Requirements: ns-3 checksums off (the default; the NAT does not recompute
// UDP/TCP checksums). IP fragments are translated: the first carries the
// ports, later ones follow the translation of the first (by IP id).
#ifndef SIPBED_NAT_ROUTING_H
#define SIPBED_NAT_ROUTING_H

#include "models/net/nat-table.h"
#include "sim/static-routing-wrapper.h"

#include "ns3/nstime.h"
#include "ns3/random-variable-stream.h"
#include "ns3/traced-callback.h"
#include "ns3/traced-value.h"

#include <map>
#include <tuple>
#include <memory>

namespace sipbed
{

class NatRouting : public StaticRoutingWrapper
{
  public:
    static ns3::TypeId GetTypeId();

    NatRouting();
    ~NatRouting() override;

    /// Which interface faces the outside, and the public address (by default
    /// the address of that interface, set when Start() is called).
    void SetOutsideInterface(uint32_t interface);
    void SetPublicAddress(ns3::Ipv4Address address);
    ns3::Ipv4Address GetPublicAddress() const;

    /// Every mapping lost at once (the box rebooted); with a non-zero
    /// address, the NAT comes back with that public address.
    void Reboot(ns3::Ipv4Address newPublic = ns3::Ipv4Address::GetAny());

    const NatTable::Counters& GetCounters() const;
    uint32_t GetMappingCount() const;

    /// The external endpoint currently mapped for `internal` towards `remote` (tests, metrics).
    bool LookupExternal(IpProto proto, Endpoint internal, Endpoint remote, Endpoint& external);

    /// ns-3 convention: use fixed random streams from `stream` on; returns how many.
    int64_t AssignStreams(int64_t stream);

    // Ipv4RoutingProtocol (the rest is StaticRoutingWrapper's)
    bool RouteInput(ns3::Ptr<const ns3::Packet> p,
                    const ns3::Ipv4Header& header,
                    ns3::Ptr<const ns3::NetDevice> idev,
                    UnicastForwardCallback ucb,
                    MulticastForwardCallback mcb,
                    LocalDeliverCallback lcb,
                    ErrorCallback ecb) override;

    /// Trace signatures: protocol (6 or 17), internal and external endpoints as
    /// "a.b.c.d:port" strings; a drop carries its reason ("no-mapping", ...).
    typedef void (*MappingTracedCallback)(uint8_t proto,
                                          const std::string& internal,
                                          const std::string& external);
    typedef void (*DropTracedCallback)(const std::string& reason);

  protected:
    void DoDispose() override;

  private:
    class Random;

    NatTable& Table();
    NatConfig MakeConfig() const;
    void ScheduleExpiry();
    void OnExpiryTimer();
    void Drop(NatTable::DropReason reason);
    bool Forward(ns3::Ptr<ns3::Packet> packet,
                 ns3::Ipv4Header header,
                 const UnicastForwardCallback& ucb);

    struct FragmentKey
    {
        uint32_t src;
        uint32_t dst;
        uint16_t id;
        uint8_t proto;
        bool operator<(const FragmentKey& o) const
        {
            return std::tie(src, dst, id, proto) < std::tie(o.src, o.dst, o.id, o.proto);
        }
    };
    struct FragmentTranslation
    {
        uint32_t newSrc;
        uint32_t newDst;
        bool drop;
        int64_t until;
    };

    // Attributes
    int m_mappingBehavior;   ///< NatBehavior (ns-3's EnumValue stores an int)
    int m_filteringBehavior; ///< NatBehavior
    bool m_portPreservation;
    bool m_hairpinning;
    ns3::Time m_udpTimeout;
    bool m_inboundRefresh;
    bool m_tcpRequireSyn;
    ns3::Time m_tcpEstablishedTimeout;
    ns3::Time m_tcpTransitoryTimeout;

    uint32_t m_outside = 1;
    ns3::Ipv4Address m_public;
    std::unique_ptr<Random> m_random;
    std::unique_ptr<NatTable> m_table;
    ns3::EventId m_expiryEvent;
    int64_t m_expiryAt = -1;
    std::map<FragmentKey, FragmentTranslation> m_fragments;

    ns3::TracedValue<uint32_t> m_current;
    ns3::TracedCallback<uint8_t, const std::string&, const std::string&> m_createdTrace;
    ns3::TracedCallback<uint8_t, const std::string&, const std::string&> m_expiredTrace;
    ns3::TracedCallback<const std::string&> m_dropTrace;
};

} // namespace sipbed

#endif
