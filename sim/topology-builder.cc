#include "sim/topology-builder.h"

#include "sim/core-routing.h"
#include "sim/fault-helper.h"
#include "sim/nat-helper.h"

#include "ns3/abort.h"
#include "ns3/arp-cache.h"
#include "ns3/csma-helper.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-address-helper.h"
#include "ns3/ipv4-interface.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/ipv4.h"
#include "ns3/point-to-point-helper.h"
#include "ns3/string.h"

namespace sipbed
{

using namespace ns3;

namespace
{

constexpr uint32_t kMaxHostsPerSite = 64;   // /30s in a /24
constexpr uint32_t kMaxSites = 65536;       // 10.<s/256>.<s%256>.0/24
constexpr uint32_t kMaxEdgeProxies = 4;
constexpr uint32_t kMaxProxies = 16;

// The last two /30s of the server block 198.18.0.0/15 (see the header
// comment): the attacker's (its gateway .253, attacker .254) and, on a shared
// segment, the link from the core to the segment's gateway (core .249,
// gateway .250).
const Ipv4Address kAttackerNet("198.19.255.252");
const Ipv4Address kGatewayNet("198.19.255.248");
const Ipv4Mask kServerMask("255.255.255.252");

// Links next to the target server when an attacker is attached: a LAN, whose
// propagation delay is negligible next to the core's; the core's delay stays
// on the link from the core, so the server is as far away as without the
// attacker. (A function: a namespace-scope ns3::Time would be built before
// ns-3 fixes its time resolution.)
Time
ServerLanDelay()
{
    return Seconds(0);
}

Ipv4Address
Offset(Ipv4Address base, uint32_t n)
{
    return Ipv4Address(base.Get() + n);
}

// A point-to-point link between a and b on subnet `net`/30 or /29: a gets
// net+aHost, b gets net+bHost.
NetDeviceContainer
Link(Ptr<Node> a,
     Ptr<Node> b,
     DataRate rate,
     Time delay,
     Ipv4Address net,
     const char* mask,
     uint32_t aHost,
     uint32_t bHost)
{
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", DataRateValue(rate));
    p2p.SetChannelAttribute("Delay", TimeValue(delay));
    NetDeviceContainer d = p2p.Install(a, b);
    for (uint32_t i = 0; i < 2; ++i)
    {
        Ptr<Node> n = d.Get(i)->GetNode();
        Ptr<Ipv4> ipv4 = n->GetObject<Ipv4>();
        int32_t ifIndex = ipv4->AddInterface(d.Get(i));
        Ipv4Address addr = Offset(net, i == 0 ? aHost : bHost);
        ipv4->AddAddress(ifIndex, Ipv4InterfaceAddress(addr, Ipv4Mask(mask)));
        ipv4->SetMetric(ifIndex, 1);
        ipv4->SetUp(ifIndex);
    }
    return d;
}

// Adds `device` to its node's IPv4 with `addr`/30 (every subnet an attacker
// touches is a /30) and brings it up.
uint32_t
AddInterface(Ptr<NetDevice> device, Ipv4Address addr)
{
    Ptr<Ipv4> ipv4 = device->GetNode()->GetObject<Ipv4>();
    int32_t ifIndex = ipv4->AddInterface(device);
    ipv4->AddAddress(ifIndex, Ipv4InterfaceAddress(addr, kServerMask));
    ipv4->SetMetric(ifIndex, 1);
    ipv4->SetUp(ifIndex);
    return static_cast<uint32_t>(ifIndex);
}

uint32_t
InterfaceOf(Ptr<NetDevice> device)
{
    return static_cast<uint32_t>(
        device->GetNode()->GetObject<Ipv4>()->GetInterfaceForDevice(device));
}

// A permanent ARP entry on `from`'s interface: `neighbour` is at `to`'s MAC.
void
StaticArp(Ptr<NetDevice> from, Ipv4Address neighbour, Ptr<NetDevice> to)
{
    Ptr<Ipv4L3Protocol> ip = from->GetNode()->GetObject<Ipv4L3Protocol>();
    Ptr<ArpCache> cache = ip->GetInterface(InterfaceOf(from))->GetArpCache();
    NS_ABORT_MSG_IF(!cache, "TopologyBuilder: no ARP cache on a CSMA interface");
    ArpCache::Entry* entry = cache->Lookup(neighbour);
    if (!entry)
    {
        entry = cache->Add(neighbour);
    }
    entry->SetMacAddress(to->GetAddress());
    entry->MarkPermanent();
}

const char*
RoleName(ServerRole role)
{
    switch (role)
    {
    case ServerRole::kEdgeProxy:
        return "edge proxy";
    case ServerRole::kRegistrar:
        return "registrar";
    case ServerRole::kCredentialServer:
        return "credential server";
    case ServerRole::kProxy:
        return "proxy";
    }
    return "?";
}

bool
IsKnownRole(ServerRole role)
{
    switch (role)
    {
    case ServerRole::kEdgeProxy:
    case ServerRole::kRegistrar:
    case ServerRole::kCredentialServer:
    case ServerRole::kProxy:
        return true;
    }
    return false;
}

// How many servers of `role` the configuration builds.
uint32_t
ServerCount(const TopologyConfig& c, ServerRole role)
{
    switch (role)
    {
    case ServerRole::kEdgeProxy:
        return c.edgeProxies;
    case ServerRole::kRegistrar:
        return c.registrar ? 1 : 0;
    case ServerRole::kCredentialServer:
        return c.credentialServer ? 1 : 0;
    case ServerRole::kProxy:
        return c.proxies;
    }
    return 0;
}

uint32_t
OutsideInterface(Ptr<Node> nat, Ptr<NetDevice> dev)
{
    return static_cast<uint32_t>(nat->GetObject<Ipv4>()->GetInterfaceForDevice(dev));
}

} // namespace

std::string
TopologyBuilder::Validate(const TopologyConfig& c)
{
    if (c.sites < 1 || c.sites > kMaxSites)
    {
        return "sites must be from 1 to " + std::to_string(kMaxSites);
    }
    if (c.hostsPerSite < 1 || c.hostsPerSite > kMaxHostsPerSite)
    {
        return "hosts per site must be from 1 to " + std::to_string(kMaxHostsPerSite);
    }
    if (c.edgeProxies > kMaxEdgeProxies)
    {
        return "edge proxies must be from 0 to " + std::to_string(kMaxEdgeProxies);
    }
    if (c.proxies > kMaxProxies)
    {
        return "proxies must be from 0 to " + std::to_string(kMaxProxies);
    }
    for (const DataRate& r : {c.lanRate, c.accessRate, c.coreRate})
    {
        if (r.GetBitRate() == 0)
        {
            return "link rates must be positive";
        }
    }
    for (const Time& t : {c.lanDelay, c.accessDelay, c.coreDelay})
    {
        if (t.IsNegative())
        {
            return "link delays must not be negative";
        }
    }
    switch (c.attackerMode)
    {
    case AttackerMode::kNone:
        return "";
    case AttackerMode::kSharedSegment:
    case AttackerMode::kOnPath:
        break;
    default:
        return "attacker mode must be none, shared segment or on path";
    }
    const ServerRef& target = c.attackerTarget;
    if (!IsKnownRole(target.role))
    {
        return "attacker target role must be edge proxy, registrar, credential server or proxy";
    }
    const uint32_t n = ServerCount(c, target.role);
    const std::string role = RoleName(target.role);
    if (n == 0)
    {
        return "attacker target must be a server that is built (there is no " + role + ")";
    }
    if (target.index >= n)
    {
        return "attacker target " + role + " index must be from 0 to " + std::to_string(n - 1);
    }
    return "";
}

Topology
TopologyBuilder::Build(const TopologyConfig& c)
{
    std::string err = Validate(c);
    NS_ABORT_MSG_IF(!err.empty(), "TopologyBuilder: " << err);

    Topology t;
    t.core = CreateObject<Node>();
    t.allNodes.Add(t.core);

    auto makeServers = [&](uint32_t n) {
        std::vector<Server> v(n);
        for (Server& s : v)
        {
            s.node = CreateObject<Node>();
            t.allNodes.Add(s.node);
        }
        return v;
    };
    t.edgeProxies = makeServers(c.edgeProxies);
    if (c.registrar)
    {
        t.registrar = makeServers(1)[0];
    }
    if (c.credentialServer)
    {
        t.credentialServer = makeServers(1)[0];
    }
    t.proxies = makeServers(c.proxies);

    t.sites.resize(c.sites);
    for (Site& site : t.sites)
    {
        site.nat = CreateObject<Node>();
        site.hosts.Create(c.hostsPerSite);
        t.allNodes.Add(site.nat);
        t.allNodes.Add(site.hosts);
        t.allHosts.Add(site.hosts);
    }
    // Created last, so that every other node keeps its id with or without them.
    if (c.attackerMode != AttackerMode::kNone)
    {
        t.attacker.mode = c.attackerMode;
        t.attacker.target = c.attackerTarget;
        t.attacker.node = CreateObject<Node>();
        t.allNodes.Add(t.attacker.node);
        if (c.attackerMode == AttackerMode::kSharedSegment)
        {
            t.attacker.gateway = CreateObject<Node>();
            t.allNodes.Add(t.attacker.gateway);
        }
    }

    // Static routing only (see the header comment).
    InternetStackHelper stack;
    Ipv4StaticRoutingHelper staticRouting;
    stack.SetRoutingHelper(staticRouting);
    stack.Install(t.allNodes);

    // The core routes in constant time per packet (core-routing.h: ns-3's
    // static routing scans every interface and route, one per site); set
    // before its interfaces come up so that its static routes learn them.
    Ptr<CoreRouting> coreRoutingProtocol = CreateObject<CoreRouting>();
    t.core->GetObject<Ipv4>()->SetRoutingProtocol(coreRoutingProtocol);
    Ptr<Ipv4StaticRouting> coreRouting = coreRoutingProtocol->GetStaticRouting();
    Attacker& a = t.attacker;
    if (a.node)
    {
        // The attacker routes with its tap, which must be in place before its
        // interfaces come up so that its static routing learns them.
        a.tap = CreateObject<AttackerTap>();
        a.node->GetObject<Ipv4>()->SetRoutingProtocol(a.tap);
        a.node->AggregateObject(a.tap);
        a.address = Offset(kAttackerNet, 2);
    }

    // The target's link with the attacker on it (see the header comment).
    auto attachAttacker = [&](Server& s, Ipv4Address net) {
        const Ipv4Address attackerGateway = Offset(kAttackerNet, 1);
        if (a.mode == AttackerMode::kSharedSegment)
        {
            // core ==core link== gateway --segment-- server, attacker
            a.coreLink = Link(a.gateway,
                              t.core,
                              c.coreRate,
                              c.coreDelay,
                              kGatewayNet,
                              "255.255.255.252",
                              2,
                              1);
            const Ipv4Address toGateway = Offset(kGatewayNet, 2);
            const uint32_t coreIf = InterfaceOf(a.coreLink.Get(1));
            coreRouting->AddNetworkRouteTo(net, kServerMask, toGateway, coreIf);
            coreRouting->AddNetworkRouteTo(kAttackerNet, kServerMask, toGateway, coreIf);
            staticRouting.GetStaticRouting(a.gateway->GetObject<Ipv4>())
                ->SetDefaultRoute(Offset(kGatewayNet, 1), InterfaceOf(a.coreLink.Get(0)));

            CsmaHelper csma;
            csma.SetChannelAttribute("DataRate", DataRateValue(c.coreRate));
            csma.SetChannelAttribute("Delay", TimeValue(ServerLanDelay()));
            NodeContainer members;
            members.Add(s.node);
            members.Add(a.gateway);
            members.Add(a.node);
            a.segment = csma.Install(members);
            AddInterface(a.segment.Get(0), Offset(net, 2));
            const uint32_t gatewayIf = AddInterface(a.segment.Get(1), Offset(net, 1));
            a.gateway->GetObject<Ipv4>()->AddAddress(
                gatewayIf,
                Ipv4InterfaceAddress(attackerGateway, kServerMask));
            AddInterface(a.segment.Get(2), a.address);
            // Static neighbours: no ARP exchange (with its random jitter)
            // delays the first packet, nor one every ARP timeout, so the
            // segment times like a point-to-point link.
            StaticArp(a.segment.Get(0), Offset(net, 1), a.segment.Get(1));
            StaticArp(a.segment.Get(1), Offset(net, 2), a.segment.Get(0));
            StaticArp(a.segment.Get(1), a.address, a.segment.Get(2));
            StaticArp(a.segment.Get(2), attackerGateway, a.segment.Get(1));
            s.link.Add(a.segment.Get(0));
            s.link.Add(a.segment.Get(1));
            a.devices.Add(a.segment.Get(2));
        }
        else
        {
            // core ==core link== attacker --LAN-- server. The attacker takes
            // the core's place on the target's /30 (.1).
            a.coreLink = Link(a.node,
                              t.core,
                              c.coreRate,
                              c.coreDelay,
                              kAttackerNet,
                              "255.255.255.252",
                              2,
                              1);
            s.link = Link(s.node,
                          a.node,
                          c.coreRate,
                          ServerLanDelay(),
                          net,
                          "255.255.255.252",
                          2,
                          1);
            coreRouting->AddNetworkRouteTo(net,
                                           kServerMask,
                                           a.address,
                                           InterfaceOf(a.coreLink.Get(1)));
            a.devices.Add(a.coreLink.Get(0));
            a.devices.Add(s.link.Get(1));
        }
        a.tap->GetStaticRouting()->SetDefaultRoute(attackerGateway, InterfaceOf(a.devices.Get(0)));
        for (uint32_t i = 0; i < a.devices.GetN(); ++i)
        {
            a.tap->Watch(a.devices.Get(i));
        }
        a.targetAddress = Offset(net, 2);
    };

    // Servers: 198.18.0.0/15, one /30 each.
    uint32_t serverIndex = 0;
    auto attachServer = [&](Server& s, ServerRole role, uint32_t index) {
        Ipv4Address net = Offset(Ipv4Address("198.18.0.0"), 4 * serverIndex++);
        if (a.node && a.target.role == role && a.target.index == index)
        {
            attachAttacker(s, net);
        }
        else
        {
            s.link = Link(s.node, t.core, c.coreRate, c.coreDelay, net, "255.255.255.252", 2, 1);
        }
        s.address = Offset(net, 2);
        staticRouting.GetStaticRouting(s.node->GetObject<Ipv4>())
            ->SetDefaultRoute(Offset(net, 1), 1);
    };
    for (uint32_t i = 0; i < t.edgeProxies.size(); ++i)
    {
        attachServer(t.edgeProxies[i], ServerRole::kEdgeProxy, i);
    }
    if (t.registrar.node)
    {
        attachServer(t.registrar, ServerRole::kRegistrar, 0);
    }
    if (t.credentialServer.node)
    {
        attachServer(t.credentialServer, ServerRole::kCredentialServer, 0);
    }
    for (uint32_t i = 0; i < t.proxies.size(); ++i)
    {
        attachServer(t.proxies[i], ServerRole::kProxy, i);
    }

    NatHelper natHelper;
    for (const auto& [name, value] : c.natAttributes)
    {
        natHelper.SetAttribute(name, StringValue(value));
    }
    for (uint32_t si = 0; si < c.sites; ++si)
    {
        Site& site = t.sites[si];
        // Inside: one /30 per host link. Interfaces of the NAT come up first,
        // so the NAT's inner static routing learns them when it is installed.
        Ipv4Address inside(Ipv4Address("10.0.0.0").Get() + (si << 8));
        for (uint32_t h = 0; h < c.hostsPerSite; ++h)
        {
            Ipv4Address net = Offset(inside, 4 * h);
            NetDeviceContainer d = Link(site.hosts.Get(h),
                                        site.nat,
                                        c.lanRate,
                                        c.lanDelay,
                                        net,
                                        "255.255.255.252",
                                        2,
                                        1);
            site.lanLinks.push_back(d);
            site.hostAddresses.push_back(Offset(net, 2));
            staticRouting.GetStaticRouting(site.hosts.Get(h)->GetObject<Ipv4>())
                ->SetDefaultRoute(Offset(net, 1), 1);
        }
        // Access: 100.64.0.0/10, one /29 per site.
        Ipv4Address access = Offset(Ipv4Address("100.64.0.0"), 8 * si);
        site.accessLink = Link(site.nat,
                               t.core,
                               c.accessRate,
                               c.accessDelay,
                               access,
                               "255.255.255.248",
                               2,
                               1);
        site.publicAddress = Offset(access, 2);
        for (uint32_t k = 3; k <= 6; ++k)
        {
            site.sparePublicAddresses.push_back(Offset(access, k));
        }
        site.natRouting = natHelper.Install(site.nat,
                                            OutsideInterface(site.nat, site.accessLink.Get(0)),
                                            Offset(access, 1));
        site.natRouting->SetPublicAddress(site.publicAddress);
    }

    FaultHelper::InstallAll(t.allNodes);
    return t;
}

} // namespace sipbed
