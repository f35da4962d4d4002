#include "sim/topology-builder.h"

#include "sim/fault-helper.h"
#include "sim/nat-helper.h"

#include "ns3/abort.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-address-helper.h"
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
    if (c.proxies > 16)
    {
        return "proxies must be from 0 to 16";
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

    // Static routing only (see the header comment).
    InternetStackHelper stack;
    Ipv4StaticRoutingHelper staticRouting;
    stack.SetRoutingHelper(staticRouting);
    stack.Install(t.allNodes);

    // Servers: 198.18.0.0/15, one /30 each.
    uint32_t serverIndex = 0;
    auto attachServer = [&](Server& s) {
        Ipv4Address net = Offset(Ipv4Address("198.18.0.0"), 4 * serverIndex++);
        s.link = Link(s.node, t.core, c.coreRate, c.coreDelay, net, "255.255.255.252", 2, 1);
        s.address = Offset(net, 2);
        staticRouting.GetStaticRouting(s.node->GetObject<Ipv4>())
            ->SetDefaultRoute(Offset(net, 1), 1);
    };
    for (Server& s : t.edgeProxies)
    {
        attachServer(s);
    }
    if (t.registrar.node)
    {
        attachServer(t.registrar);
    }
    if (t.credentialServer.node)
    {
        attachServer(t.credentialServer);
    }
    for (Server& s : t.proxies)
    {
        attachServer(s);
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
