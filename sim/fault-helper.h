// Installs LinkFaultModels on point-to-point links and applies failures:
// a link down for a while (both directions), random loss on a link, a node
// down (every link of the node, both directions: a silent crash on the wire).
#ifndef SIPBED_FAULT_HELPER_H
#define SIPBED_FAULT_HELPER_H

#include "sim/link-fault-model.h"

#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/node.h"

namespace sipbed
{

class FaultHelper
{
  public:
    /// Puts a LinkFaultModel on both devices of a point-to-point link (once;
    /// later calls return the same models). Returns the model of each device.
    static ns3::Ptr<LinkFaultModel> Install(ns3::Ptr<ns3::NetDevice> device);
    static void InstallOnLink(const ns3::NetDeviceContainer& link);
    /// Every point-to-point device of every node.
    static void InstallAll(const ns3::NodeContainer& nodes);

    /// The model on a device (after Install), or null.
    static ns3::Ptr<LinkFaultModel> Get(ns3::Ptr<ns3::NetDevice> device);

    /// Link down in both directions from `start` for `duration`.
    static void ScheduleLinkDown(ns3::Ptr<ns3::NetDevice> oneEnd, ns3::Time start, ns3::Time duration);

    /// Random loss on a link, both directions (each direction its own stream).
    static void SetBernoulliLoss(ns3::Ptr<ns3::NetDevice> oneEnd, double rate);
    static void SetGilbertElliottLoss(ns3::Ptr<ns3::NetDevice> oneEnd,
                                      double pGoodToBad,
                                      double pBadToGood,
                                      double lossGood,
                                      double lossBad);

    /// No more random loss on the link (both directions).
    static void ClearLoss(ns3::Ptr<ns3::NetDevice> oneEnd);
    /// From now on nothing reaches or leaves the node on any of its
    /// point-to-point links, until NodeUp. Applications are the caller's.
    static void NodeDown(ns3::Ptr<ns3::Node> node);
    static void NodeUp(ns3::Ptr<ns3::Node> node);

    /// Fixed random streams for every model on these nodes, from `stream` on.
    static int64_t AssignStreams(const ns3::NodeContainer& nodes, int64_t stream);

    /// The device at the other end of a point-to-point device.
    static ns3::Ptr<ns3::NetDevice> Peer(ns3::Ptr<ns3::NetDevice> device);
};

} // namespace sipbed

#endif
