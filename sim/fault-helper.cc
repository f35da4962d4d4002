#include "sim/fault-helper.h"

#include "ns3/abort.h"
#include "ns3/channel.h"
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
AsP2p(Ptr<NetDevice> device)
{
    Ptr<PointToPointNetDevice> p2p = DynamicCast<PointToPointNetDevice>(device);
    NS_ABORT_MSG_IF(!p2p, "FaultHelper: device " << device->GetIfIndex() << " of node "
                                                 << device->GetNode()->GetId()
                                                 << " is not a point-to-point device");
    return p2p;
}

template <class F>
void
BothEnds(Ptr<NetDevice> oneEnd, F f)
{
    f(FaultHelper::Install(oneEnd));
    f(FaultHelper::Install(FaultHelper::Peer(oneEnd)));
}

} // namespace

Ptr<NetDevice>
FaultHelper::Peer(Ptr<NetDevice> device)
{
    Ptr<Channel> ch = AsP2p(device)->GetChannel();
    NS_ABORT_MSG_IF(!ch || ch->GetNDevices() != 2, "FaultHelper: link is not connected");
    return ch->GetDevice(0) == device ? ch->GetDevice(1) : ch->GetDevice(0);
}

Ptr<LinkFaultModel>
FaultHelper::Get(Ptr<NetDevice> device)
{
    PointerValue v;
    AsP2p(device)->GetAttribute("ReceiveErrorModel", v);
    return DynamicCast<LinkFaultModel>(v.Get<ErrorModel>());
}

Ptr<LinkFaultModel>
FaultHelper::Install(Ptr<NetDevice> device)
{
    if (Ptr<LinkFaultModel> existing = Get(device))
    {
        return existing;
    }
    Ptr<PointToPointNetDevice> p2p = AsP2p(device);
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
    BothEnds(oneEnd, [&](Ptr<LinkFaultModel> m) { m->AddDownWindow(start, duration); });
}

void
FaultHelper::SetBernoulliLoss(Ptr<NetDevice> oneEnd, double rate)
{
    BothEnds(oneEnd, [&](Ptr<LinkFaultModel> m) { m->SetBernoulliLoss(rate); });
}

void
FaultHelper::SetGilbertElliottLoss(Ptr<NetDevice> oneEnd,
                                   double pGoodToBad,
                                   double pBadToGood,
                                   double lossGood,
                                   double lossBad)
{
    BothEnds(oneEnd, [&](Ptr<LinkFaultModel> m) {
        m->SetGilbertElliottLoss(pGoodToBad, pBadToGood, lossGood, lossBad);
    });
}

void
FaultHelper::ClearLoss(Ptr<NetDevice> oneEnd)
{
    BothEnds(oneEnd, [](Ptr<LinkFaultModel> m) { m->ClearLoss(); });
}

void
FaultHelper::NodeDown(Ptr<Node> node)
{
    for (uint32_t d = 0; d < node->GetNDevices(); ++d)
    {
        Ptr<NetDevice> dev = node->GetDevice(d);
        if (DynamicCast<PointToPointNetDevice>(dev))
        {
            BothEnds(dev, [](Ptr<LinkFaultModel> m) { m->Down(); });
        }
    }
}

void
FaultHelper::NodeUp(Ptr<Node> node)
{
    for (uint32_t d = 0; d < node->GetNDevices(); ++d)
    {
        Ptr<NetDevice> dev = node->GetDevice(d);
        if (DynamicCast<PointToPointNetDevice>(dev))
        {
            BothEnds(dev, [](Ptr<LinkFaultModel> m) { m->Up(); });
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
