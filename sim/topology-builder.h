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
//
// Optionally, an attacker node attaches to the link of one server, the
// target (TopologyConfig::attackerTarget):
//
//   SharedSegment:  core ==core link== gateway --segment-- target server
//                                                   `----- attacker (sniffs)
//   OnPath:         core ==core link== attacker --LAN-- target server
//
// The core link keeps the core's rate and delay; the segment (CSMA, a hub
// or a mirrored switch port next to the server) and the LAN link run at the
// core's rate with no propagation delay, so the server is as far from
// everyone as without the attacker (plus one store-and-forward hop). The
// segment is not the core link itself made shared: an ns-3 CSMA channel is
// busy for a frame's transmission plus the propagation delay, so a 5 ms
// shared link would carry about 200 frames/s and hand every tied race
// (server and attacker answering at once) a 5 ms penalty.
//
// Every address above stays as it is. The target's /30 moves next to the
// server with the target (server .2; .1 is the segment's gateway, or the
// attacker on path, so the server's own gateway does not change). The rest
// comes from the last two /30s of the server block, which servers never
// reach (at most 22 of them):
// - 198.19.255.252/30: attacker .254 and its gateway .253 (the segment's
//   gateway, a second address on its segment interface; or the core, on
//   path, over the core link);
// - 198.19.255.248/30, shared segment only: the core link (core .249,
//   gateway .250).
// The core routes the target's /30 (and the attacker's /30) via the gateway
// or the attacker. On the segment, ARP entries are static.
#ifndef SIPBED_TOPOLOGY_BUILDER_H
#define SIPBED_TOPOLOGY_BUILDER_H

#include "sim/attacker-tap.h"
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

/// Where a rogue node attaches (see the header comment).
enum class AttackerMode : uint8_t
{
    kNone,          ///< no attacker node
    kSharedSegment, ///< sniffs a CSMA segment next to the target, promiscuously
    kOnPath,        ///< routes every packet to and from the target
};

/// The kinds of server the builder makes, in its order.
enum class ServerRole : uint8_t
{
    kEdgeProxy,
    kRegistrar,
    kCredentialServer,
    kProxy,
};

/// One server: its role and its index among the servers of that role
/// (e.g. {kProxy, 1} is Topology::proxies[1]; registrar and credential
/// server have index 0 only).
struct ServerRef
{
    ServerRole role = ServerRole::kProxy;
    uint32_t index = 0;
};

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
    /// The attacker's attachment; kNone builds exactly the network without it.
    AttackerMode attackerMode = AttackerMode::kNone;
    /// The server whose link the attacker attaches to (not read with kNone).
    /// It must be built: e.g. {kProxy, i} needs i < proxies.
    ServerRef attackerTarget;
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
    /// [0] server side, [1] the next hop's side: the core, or for the
    /// attacker's target the segment's gateway or the on-path attacker. On a
    /// shared segment these are CSMA devices, which carry no LinkFaultModel
    /// (FaultHelper handles point-to-point links only).
    ns3::NetDeviceContainer link;
};

struct Attacker
{
    AttackerMode mode = AttackerMode::kNone;
    ns3::Ptr<ns3::Node> node; ///< null with kNone
    ns3::Ipv4Address address; ///< 198.19.255.254
    /// kSharedSegment: the (honest) router between the core link and the
    /// segment; null on path, where the attacker is that router.
    ns3::Ptr<ns3::Node> gateway;
    /// The attacker node's routing protocol: sees, forwards, injects.
    ns3::Ptr<AttackerTap> tap;
    ServerRef target;
    ns3::Ipv4Address targetAddress;
    /// The attacker's own devices, all watched by the tap: kSharedSegment:
    /// [0] its segment device; kOnPath: [0] core side, [1] server side.
    ns3::NetDeviceContainer devices;
    /// kSharedSegment: every device on the segment: [0] server, [1] gateway,
    /// [2] attacker (e.g. for pcap).
    ns3::NetDeviceContainer segment;
    /// The core link: [0] the gateway's (kSharedSegment) or the attacker's
    /// (kOnPath) side, [1] the core's side. The link next to the server is
    /// the target's Server::link.
    ns3::NetDeviceContainer coreLink;
};

struct Topology
{
    ns3::Ptr<ns3::Node> core;
    std::vector<Site> sites;
    std::vector<Server> edgeProxies;
    Server registrar;        ///< node null when not built
    Server credentialServer; ///< node null when not built
    std::vector<Server> proxies;
    Attacker attacker;           ///< node null without an attacker
    ns3::NodeContainer allNodes; ///< attacker and gateway included (created last)
    ns3::NodeContainer allHosts;
};

class TopologyBuilder
{
  public:
    /// Checks the configuration; returns an empty string or what is wrong
    /// (naming the field and its accepted range).
    static std::string Validate(const TopologyConfig& config);

    /// Builds nodes, links, stacks, addresses, NATs, routes and fault models
    /// (every point-to-point link gets a LinkFaultModel), and the attacker
    /// when asked. Aborts on an invalid configuration: call Validate first
    /// to report errors.
    static Topology Build(const TopologyConfig& config);
};

} // namespace sipbed

#endif
