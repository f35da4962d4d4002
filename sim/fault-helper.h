// Installs LinkFaultModels and applies failures: a link down for a while, random
// loss on a link, a node down (every link of the node: a silent crash on the
// wire).
//
// Point-to-point links: a fault acts on the link, both directions (both
// devices get a model). Random loss exists on point-to-point links only.
//
// CSMA segments (e.g. TopologyBuilder's shared segment): a fault acts on one
// device, which leaves the segment while the rest of it keeps working. For
// that device, a frame whose transmission starts while it is off the segment
// reaches no other device (not even a promiscuous one), and a frame another
// device starts then does not reach it; frames started before or after are
// untouched. This is the point-to-point rule (faults go by transmission start
// time), and it is done the same way: a LinkFaultModel as receive error
// model on every device of the segment, where the receiver drops a frame
// when it is down itself or when the frame's sender (the segment device
// whose MAC address is the frame's Ethernet source) was down.
//
// Why not CsmaNetDevice::SetSendEnable/SetReceiveEnable, or
// CsmaChannel::Detach: in ns-3.37 a device whose send side is disabled while
// it backs off (the medium was busy) drops the frame and stays in its
// backoff state for good: after re-enabling, it never transmits again.
// Neither they nor Detach empty the device queue, so the frames queued before
// the failure leave after recovery (a crash that delivers the dead host's
// last frames later). With the receive-side models the down device's
// transmitter keeps running: what it had queued, and whatever its stack
// sends while down, goes on the wire and is dropped by every receiver (a
// queue drains in about a millisecond at most at 1 Gbit/s; frames still
// queued when the device comes back are delivered, as on a point-to-point
// link). Those frames hold the medium for their transmission time (a few
// microseconds each); no one receives them.
//
// A segment's models are installed on its first fault (or Install), not by
// InstallAll: a run without CSMA faults is unchanged, and frames on a
// segment are checked only once a fault is planned there.
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
    /// Puts a LinkFaultModel on a device (once; later calls return the same
    /// model). Point-to-point: that device only (InstallOnLink for both).
    /// CSMA: every device of its segment, so that any of them can be taken
    /// off it. Returns the device's model. Aborts on other kinds of device.
    static ns3::Ptr<LinkFaultModel> Install(ns3::Ptr<ns3::NetDevice> device);
    static void InstallOnLink(const ns3::NetDeviceContainer& link);
    /// Every point-to-point device of every node (CSMA devices: see the
    /// header comment).
    static void InstallAll(const ns3::NodeContainer& nodes);

    /// The model on a point-to-point or CSMA device (after Install), or null.
    static ns3::Ptr<LinkFaultModel> Get(ns3::Ptr<ns3::NetDevice> device);

    /// Point-to-point: the link down in both directions from `start` for
    /// `duration`. CSMA: `oneEnd` off its segment for that window (nothing
    /// it starts sending reaches anyone, nothing started by another device
    /// reaches it); the other devices keep talking to each other.
    static void ScheduleLinkDown(ns3::Ptr<ns3::NetDevice> oneEnd, ns3::Time start, ns3::Time duration);

    /// Random loss on a point-to-point link, both directions (each direction
    /// its own stream). Aborts on a CSMA device.
    static void SetBernoulliLoss(ns3::Ptr<ns3::NetDevice> oneEnd, double rate);
    static void SetGilbertElliottLoss(ns3::Ptr<ns3::NetDevice> oneEnd,
                                      double pGoodToBad,
                                      double pBadToGood,
                                      double lossGood,
                                      double lossBad);

    /// No more random loss on the link (both directions).
    static void ClearLoss(ns3::Ptr<ns3::NetDevice> oneEnd);
    /// From now on nothing reaches or leaves the node on any of its
    /// point-to-point links (both directions of each) or CSMA segments (the
    /// node's devices leave them), until NodeUp. Applications are the
    /// caller's. Other kinds of device are left alone.
    static void NodeDown(ns3::Ptr<ns3::Node> node);
    static void NodeUp(ns3::Ptr<ns3::Node> node);

    /// Fixed random streams for every point-to-point model on these nodes,
    /// from `stream` on. CSMA models draw no random numbers and take none.
    static int64_t AssignStreams(const ns3::NodeContainer& nodes, int64_t stream);

    /// The device at the other end of a point-to-point device.
    static ns3::Ptr<ns3::NetDevice> Peer(ns3::Ptr<ns3::NetDevice> device);
};

} // namespace sipbed

#endif
