#include "sim/fault-helper.h"

#include "ns3/abort.h"
#include "ns3/channel.h"
#include "ns3/csma-channel.h"
#include "ns3/csma-net-device.h"
#include "ns3/ethernet-header.h"
#include "ns3/mac48-address.h"
#include "ns3/node-container.h"
#include "ns3/pointer.h"
#include "ns3/point-to-point-channel.h"
#include "ns3/point-to-point-net-device.h"
#include "ns3/simulator.h"

namespace sipbed
{

using namespace ns3;

namespace
{

Ptr<PointToPointNetDevice>
AsP2p(Ptr<NetDevice> device, const char* what)
{
    Ptr<PointToPointNetDevice> p2p = DynamicCast<PointToPointNetDevice>(device);
    NS_ABORT_MSG_IF(!p2p,
                    "FaultHelper: " << what << " needs a point-to-point device; device "
                                    << device->GetIfIndex() << " of node "
                                    << device->GetNode()->GetId() << " is "
                                    << (DynamicCast<CsmaNetDevice>(device)
                                            ? "a CSMA device (a segment has no link to "
                                              "lose packets on or peer at its other end)"
                                            : "of another kind"));
    return p2p;
}

bool
IsSupported(Ptr<NetDevice> device)
{
    return DynamicCast<PointToPointNetDevice>(device) || DynamicCast<CsmaNetDevice>(device);
}

void
CheckSupported(Ptr<NetDevice> device)
{
    NS_ABORT_MSG_IF(!IsSupported(device),
                    "FaultHelper: device " << device->GetIfIndex() << " of node "
                                           << device->GetNode()->GetId()
                                           << " is neither a point-to-point nor a CSMA device");
}

template <class F>
void
BothEnds(Ptr<NetDevice> oneEnd, const char* what, F f)
{
    AsP2p(oneEnd, what);
    f(FaultHelper::Install(oneEnd));
    f(FaultHelper::Install(FaultHelper::Peer(oneEnd)));
}

// A link fault on `device`: on both ends of a point-to-point link; on a CSMA
// device, on that device alone (it leaves the segment, see the header).
template <class F>
void
LinkOf(Ptr<NetDevice> device, F f)
{
    CheckSupported(device);
    if (DynamicCast<CsmaNetDevice>(device))
    {
        f(FaultHelper::Install(device));
    }
    else
    {
        BothEnds(device, "a link fault", f);
    }
}

// Whether the sender of `frame`, received by `receiver`, was off the segment
// at `start`. The sender is the segment's device with the frame's Ethernet
// source address (sipbed's devices send with their own address only). A raw
// pointer: the receiver's model holds this check, and the receiver holds
// its model.
bool
SenderDownAt(const CsmaNetDevice* receiver, Ptr<const Packet> frame, Time start)
{
    Ptr<Channel> channel = receiver->GetChannel();
    if (!channel)
    {
        return false;
    }
    EthernetHeader eth(false);
    frame->PeekHeader(eth);
    const Mac48Address source = eth.GetSource();
    for (std::size_t i = 0; i < channel->GetNDevices(); ++i)
    {
        Ptr<NetDevice> sender = channel->GetDevice(i);
        if (PeekPointer(sender) != receiver &&
            Mac48Address::ConvertFrom(sender->GetAddress()) == source)
        {
            Ptr<LinkFaultModel> m = FaultHelper::Get(sender);
            return m && m->IsDownAt(start);
        }
    }
    return false;
}

Ptr<LinkFaultModel>
InstallOne(Ptr<CsmaNetDevice> device, Ptr<CsmaChannel> channel)
{
    if (Ptr<LinkFaultModel> existing = FaultHelper::Get(device))
    {
        return existing;
    }
    // The channel sets every device's rate, and delays every frame alike.
    DataRateValue rate;
    channel->GetAttribute("DataRate", rate);
    TimeValue delay;
    channel->GetAttribute("Delay", delay);
    Ptr<LinkFaultModel> m = CreateObject<LinkFaultModel>();
    m->SetLink(delay.Get(), rate.Get());
    const CsmaNetDevice* receiver = PeekPointer(device);
    m->SetSenderDown([receiver](Ptr<const Packet> frame, Time start) {
        return SenderDownAt(receiver, frame, start);
    });
    device->SetAttribute("ReceiveErrorModel", PointerValue(m));
    return m;
}

// Every device of the segment gets a model: each receiver must check the
// sender of every frame, whichever device goes down.
Ptr<LinkFaultModel>
InstallSegment(Ptr<CsmaNetDevice> device)
{
    Ptr<CsmaChannel> channel = DynamicCast<CsmaChannel>(device->GetChannel());
    NS_ABORT_MSG_IF(!channel,
                    "FaultHelper: CSMA device " << device->GetIfIndex() << " of node "
                                                << device->GetNode()->GetId()
                                                << " is on no segment");
    for (std::size_t i = 0; i < channel->GetNDevices(); ++i)
    {
        InstallOne(channel->GetCsmaDevice(i), channel);
    }
    return FaultHelper::Get(device);
}

} // namespace

Ptr<NetDevice>
FaultHelper::Peer(Ptr<NetDevice> device)
{
    Ptr<Channel> ch = AsP2p(device, "Peer")->GetChannel();
    NS_ABORT_MSG_IF(!ch || ch->GetNDevices() != 2, "FaultHelper: link is not connected");
    return ch->GetDevice(0) == device ? ch->GetDevice(1) : ch->GetDevice(0);
}

Ptr<LinkFaultModel>
FaultHelper::Get(Ptr<NetDevice> device)
{
    CheckSupported(device);
    // Both kinds of device have this attribute.
    PointerValue v;
    device->GetAttribute("ReceiveErrorModel", v);
    return DynamicCast<LinkFaultModel>(v.Get<ErrorModel>());
}

Ptr<LinkFaultModel>
FaultHelper::Install(Ptr<NetDevice> device)
{
    if (Ptr<CsmaNetDevice> csma = DynamicCast<CsmaNetDevice>(device))
    {
        return InstallSegment(csma);
    }
    if (Ptr<LinkFaultModel> existing = Get(device))
    {
        return existing;
    }
    Ptr<PointToPointNetDevice> p2p = AsP2p(device, "Install");
    // The receiving device's model needs the sending side's rate (both ends
    // of a sipbed link run at the same rate) and the channel delay.
    DataRateValue rate;
    p2p->GetAttribute("DataRate", rate);
    TimeValue delay;
    p2p->GetChannel()->GetAttribute("Delay", delay);
    Ptr<LinkFaultModel> m = CreateObject<LinkFaultModel>();
    m->SetLink(delay.Get(), rate.Get());
    p2p->SetAttribute("ReceiveErrorModel", PointerValue(m));
    return m;
}

void
FaultHelper::InstallOnLink(const NetDeviceContainer& link)
{
    for (uint32_t i = 0; i < link.GetN(); ++i)
    {
        Install(link.Get(i));
    }
}

void
FaultHelper::InstallAll(const NodeContainer& nodes)
{
    for (uint32_t n = 0; n < nodes.GetN(); ++n)
    {
        Ptr<Node> node = nodes.Get(n);
        for (uint32_t d = 0; d < node->GetNDevices(); ++d)
        {
            if (DynamicCast<PointToPointNetDevice>(node->GetDevice(d)))
            {
                Install(node->GetDevice(d));
            }
        }
    }
}

void
FaultHelper::ScheduleLinkDown(Ptr<NetDevice> oneEnd, Time start, Time duration)
{
    LinkOf(oneEnd, [&](Ptr<LinkFaultModel> m) { m->AddDownWindow(start, duration); });
}

void
FaultHelper::SetBernoulliLoss(Ptr<NetDevice> oneEnd, double rate)
{
    BothEnds(oneEnd, "random loss", [&](Ptr<LinkFaultModel> m) { m->SetBernoulliLoss(rate); });
}

void
FaultHelper::SetGilbertElliottLoss(Ptr<NetDevice> oneEnd,
                                   double pGoodToBad,
                                   double pBadToGood,
                                   double lossGood,
                                   double lossBad)
{
    BothEnds(oneEnd, "random loss", [&](Ptr<LinkFaultModel> m) {
        m->SetGilbertElliottLoss(pGoodToBad, pBadToGood, lossGood, lossBad);
    });
}

void
FaultHelper::ClearLoss(Ptr<NetDevice> oneEnd)
{
    BothEnds(oneEnd, "random loss", [](Ptr<LinkFaultModel> m) { m->ClearLoss(); });
}

void
FaultHelper::NodeDown(Ptr<Node> node)
{
    for (uint32_t d = 0; d < node->GetNDevices(); ++d)
    {
        Ptr<NetDevice> dev = node->GetDevice(d);
        if (IsSupported(dev))
        {
            LinkOf(dev, [](Ptr<LinkFaultModel> m) { m->Down(); });
        }
    }
}

void
FaultHelper::NodeUp(Ptr<Node> node)
{
    for (uint32_t d = 0; d < node->GetNDevices(); ++d)
    {
        Ptr<NetDevice> dev = node->GetDevice(d);
        if (IsSupported(dev))
        {
            LinkOf(dev, [](Ptr<LinkFaultModel> m) { m->Up(); });
        }
    }
}

int64_t
FaultHelper::AssignStreams(const NodeContainer& nodes, int64_t stream)
{
    int64_t used = 0;
    for (uint32_t n = 0; n < nodes.GetN(); ++n)
    {
        Ptr<Node> node = nodes.Get(n);
        for (uint32_t d = 0; d < node->GetNDevices(); ++d)
        {
            Ptr<NetDevice> dev = node->GetDevice(d);
            if (!DynamicCast<PointToPointNetDevice>(dev))
            {
                continue;
            }
            if (Ptr<LinkFaultModel> m = Get(dev))
            {
                used += m->AssignStreams(stream + used);
            }
        }
    }
    return used;
}

} // namespace sipbed
