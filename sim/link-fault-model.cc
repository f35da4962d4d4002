#include "sim/link-fault-model.h"

#include "ns3/abort.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"

namespace sipbed
{

using namespace ns3;

NS_OBJECT_ENSURE_REGISTERED(LinkFaultModel);

TypeId
LinkFaultModel::GetTypeId()
{
    static TypeId tid =
        TypeId("sipbed::LinkFaultModel")
            .SetParent<ErrorModel>()
            .SetGroupName("Sipbed")
            .AddConstructor<LinkFaultModel>()
            .AddTraceSource("Drop",
                            "A packet was lost: reason \"down\" or \"loss\".",
                            MakeTraceSourceAccessor(&LinkFaultModel::m_dropTrace),
                            "sipbed::LinkFaultModel::DropTracedCallback");
    return tid;
}

LinkFaultModel::LinkFaultModel()
    : m_rate(DataRate("1Gbps")),
      m_uniform(CreateObject<UniformRandomVariable>())
{
}

void
LinkFaultModel::SetLink(Time delay, DataRate rate)
{
    m_delay = delay;
    m_rate = rate;
}

void
LinkFaultModel::AddDownWindow(Time start, Time duration)
{
    NS_ABORT_MSG_IF(duration.IsNegative(), "LinkFaultModel: negative down duration");
    m_windows.push_back(Window{start, start + duration});
}

void
LinkFaultModel::Down()
{
    if (!m_windows.empty() && m_windows.back().end == Time::Max())
    {
        return; // already down
    }
    m_windows.push_back(Window{Simulator::Now(), Time::Max()});
}

void
LinkFaultModel::Up()
{
    if (!m_windows.empty() && m_windows.back().end == Time::Max())
    {
        m_windows.back().end = Simulator::Now();
    }
}

bool
LinkFaultModel::IsDownAt(Time t) const
{
    for (const Window& w : m_windows)
    {
        if (t >= w.start && t < w.end)
        {
            return true;
        }
    }
    return false;
}

void
LinkFaultModel::SetSenderDown(SenderDownCallback senderDown)
{
    m_senderDown = std::move(senderDown);
}

void
LinkFaultModel::SetBernoulliLoss(double rate)
{
    NS_ABORT_MSG_IF(rate < 0 || rate > 1, "LinkFaultModel: loss rate " << rate << " outside [0, 1]");
    m_loss = LossKind::kBernoulli;
    m_rateLoss = rate;
}

void
LinkFaultModel::SetGilbertElliottLoss(double pGoodToBad,
                                      double pBadToGood,
                                      double lossGood,
                                      double lossBad)
{
    for (double p : {pGoodToBad, pBadToGood, lossGood, lossBad})
    {
        NS_ABORT_MSG_IF(p < 0 || p > 1, "LinkFaultModel: probability " << p << " outside [0, 1]");
    }
    m_loss = LossKind::kGilbertElliott;
    m_pGoodToBad = pGoodToBad;
    m_pBadToGood = pBadToGood;
    m_lossGood = lossGood;
    m_lossBad = lossBad;
    m_bad = false;
}

void
LinkFaultModel::ClearLoss()
{
    m_loss = LossKind::kNone;
}

int64_t
LinkFaultModel::AssignStreams(int64_t stream)
{
    m_uniform->SetStream(stream);
    return 1;
}

bool
LinkFaultModel::DoCorrupt(Ptr<Packet> p)
{
    // PointToPointNetDevice (and CsmaNetDevice): the last bit arrives delay +
    // transmission time after the first left.
    Time sent = Simulator::Now() - m_delay - m_rate.CalculateBytesTxTime(p->GetSize());
    if (IsDownAt(sent) || (m_senderDown && m_senderDown(p, sent)))
    {
        ++m_droppedDown;
        m_dropTrace(p, "down");
        return true;
    }
    bool lost = false;
    switch (m_loss)
    {
    case LossKind::kNone:
        break;
    case LossKind::kBernoulli:
        lost = m_uniform->GetValue() < m_rateLoss;
        break;
    case LossKind::kGilbertElliott:
        // Gilbert-Elliott: a two-state Markov chain stepped once per packet;
        // each state loses packets with its own probability.
        m_bad = m_bad ? m_uniform->GetValue() >= m_pBadToGood : m_uniform->GetValue() < m_pGoodToBad;
        lost = m_uniform->GetValue() < (m_bad ? m_lossBad : m_lossGood);
        break;
    }
    if (lost)
    {
        ++m_droppedLoss;
        m_dropTrace(p, "loss");
    }
    return lost;
}

void
LinkFaultModel::DoReset()
{
    m_bad = false;
}

} // namespace sipbed
