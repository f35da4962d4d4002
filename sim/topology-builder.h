// Builds the network every scenario runs on:
//
//   host --lan-- NAT ==access== core router ==core== edge proxies, registrar,
//   (per site)                               credential server, proxies
//
// Addressing (all IPv4, static routing everywhere; global routing does not
// scale to thousands of nodes, and private inside space must stay
// unroutable from the core):
// - site s, inside: 10.<s/256>.<s%256>.0/24, one /30 per host link
//   (host .4k+2, NAT .4k+1), so at most 64 hosts per site;
// - site s, access link: 100.64.0.0/10, one /29 per site (core .1, NAT .2;
//   .3 to .6 are free public addresses for a NAT that reboots with a new one);
// - server i (edge proxies first, then registrar, credential server,
//   proxies): 198.18.0.0/15, one /30 each (core .1, server .2).
#ifndef SIPBED_TOPOLOGY_BUILDER_H
#define SIPBED_TOPOLOGY_BUILDER_H

#include "sim/nat-routing.h"

#include "ns3/data-rate.h"
#include "ns3/ipv4-address.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/nstime.h"

#include <string>
#include <vector>

namespace sipbed
{

struct TopologyConfig
{
    uint32_t sites = 1;
    uint32_t hostsPerSite = 1; ///< 1..64; each host node may hold many UAs
    uint32_t edgeProxies = 1;  ///< 0..4
    bool registrar = true;
    bool credentialServer = false;
    uint32_t proxies = 0; ///< intermediate proxies
    /// Host to NAT link.
    ns3::DataRate lanRate = ns3::DataRate("100Mbps");
    ns3::Time lanDelay = ns3::MilliSeconds(1);
    /// NAT to core (a site's access link).
    ns3::DataRate accessRate = ns3::DataRate("10Mbps");
    ns3::Time accessDelay = ns3::MilliSeconds(10);
    /// Core router to each server.
    ns3::DataRate coreRate = ns3::DataRate("1Gbps");
    ns3::Time coreDelay = ns3::MilliSeconds(5);
    /// NatRouting attributes for every site's NAT (name, value as string).
    std::vector<std::pair<std::string, std::string>> natAttributes;
};

struct Site
{
    ns3::Ptr<ns3::Node> nat;
    ns3::Ptr<NatRouting> natRouting;
    ns3::NetDeviceContainer accessLink; ///< [0] NAT side, [1] core side
    ns3::Ipv4Address publicAddress;
    /// Spare public addresses on the access subnet (for a reboot with a new address).
    std::vector<ns3::Ipv4Address> sparePublicAddresses;
    ns3::NodeContainer hosts;
    std::vector<ns3::Ipv4Address> hostAddresses;
    std::vector<ns3::NetDeviceContainer> lanLinks; ///< [0] host side, [1] NAT side
};

struct Server
{
    ns3::Ptr<ns3::Node> node;
    ns3::Ipv4Address address;
    ns3::NetDeviceContainer link; ///< [0] server side, [1] core side
};

struct Topology
{
    ns3::Ptr<ns3::Node> core;
    std::vector<Site> sites;
    std::vector<Server> edgeProxies;
    Server registrar;        ///< node null when not built
    Server credentialServer; ///< node null when not built
    std::vector<Server> proxies;
    ns3::NodeContainer allNodes;
    ns3::NodeContainer allHosts;
};

class TopologyBuilder
{
  public:
    /// Checks the configuration; returns an empty string or what is wrong
    /// (naming the field and its accepted range).
    static std::string Validate(const TopologyConfig& config);

    /// Builds nodes, links, stacks, addresses, NATs, routes and fault models
    /// (every point-to-point link gets a LinkFaultModel). Aborts on an
    /// invalid configuration: call Validate first to report errors.
    static Topology Build(const TopologyConfig& config);
};

} // namespace sipbed

#endif
