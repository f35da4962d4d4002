// Faults on a link, applied where the link delivers packets: down windows
// (the link carries nothing, both directions) and random loss (Bernoulli, or
// Gilbert-Elliott bursts).
//
// A down window drops exactly the packets whose transmission STARTED inside
// it. The model runs as the receiving device's receive error model, so it
// rebuilds the start time from the link's delay and data rate, as
// PointToPointNetDevice computed them: start = now - delay - bytes*8/rate.
// CsmaNetDevice and CsmaChannel deliver a frame at the same time after its
// start (transmission time at the channel's rate, then the channel's delay),
// so the same model serves a device on a CSMA segment. There the model's
// windows are those of its own device (off the segment), and a frame is also
// lost when its sender was off the segment as it started: the SenderDown
// callback says so (FaultHelper sets it; see sim/fault-helper.h).
#ifndef SIPBED_LINK_FAULT_MODEL_H
#define SIPBED_LINK_FAULT_MODEL_H

#include "ns3/data-rate.h"
#include "ns3/error-model.h"
#include "ns3/nstime.h"
#include "ns3/random-variable-stream.h"
#include "ns3/traced-callback.h"

#include <functional>
#include <string>
#include <vector>

namespace sipbed
{

class LinkFaultModel : public ns3::ErrorModel
{
  public:
    static ns3::TypeId GetTypeId();

    LinkFaultModel();

    /// The link this model sits on (needed to rebuild transmission start times).
    void SetLink(ns3::Time delay, ns3::DataRate rate);

    /// Down from `start` for `duration` (both directions when installed on
    /// both devices of the link, as FaultHelper does).
    void AddDownWindow(ns3::Time start, ns3::Time duration);
    /// Down from now until Up() (for crashes whose end is decided later).
    void Down();
    void Up();
    /// Whether a packet whose transmission starts at `t` is lost to a down window.
    bool IsDownAt(ns3::Time t) const;

    /// Whether the sender of `frame` (as received, link headers included) was
    /// down when the frame's transmission started at `start`. Only needed
    /// where one model does not cover the sender: on a point-to-point link
    /// the model of this end already holds the link's windows; on a shared
    /// segment each sender has its own model. Empty by default.
    using SenderDownCallback =
        std::function<bool(ns3::Ptr<const ns3::Packet> frame, ns3::Time start)>;
    void SetSenderDown(SenderDownCallback senderDown);

    /// Random loss: none, Bernoulli with probability `rate`, or Gilbert-Elliott
    /// with per-packet transitions good->bad `pGoodToBad`, bad->good
    /// `pBadToGood` and loss probabilities `lossGood`, `lossBad` in each state.
    void SetBernoulliLoss(double rate);
    void SetGilbertElliottLoss(double pGoodToBad, double pBadToGood, double lossGood, double lossBad);
    void ClearLoss();

    /// ns-3 convention: fixed random stream; returns how many streams were used.
    int64_t AssignStreams(int64_t stream);

    /// Trace signature of "Drop": the packet and "down" or "loss".
    typedef void (*DropTracedCallback)(ns3::Ptr<const ns3::Packet> p, const std::string& reason);

    uint64_t GetDroppedDown() const
    {
        return m_droppedDown;
    }
    uint64_t GetDroppedLoss() const
    {
        return m_droppedLoss;
    }

  private:
    bool DoCorrupt(ns3::Ptr<ns3::Packet> p) override;
    void DoReset() override;

    enum class LossKind
    {
        kNone,
        kBernoulli,
        kGilbertElliott,
    };

    struct Window
    {
        ns3::Time start;
        ns3::Time end; ///< Time::Max() while open-ended
    };

    ns3::Time m_delay;
    ns3::DataRate m_rate;
    std::vector<Window> m_windows;
    SenderDownCallback m_senderDown;
    LossKind m_loss = LossKind::kNone;
    double m_rateLoss = 0;
    double m_pGoodToBad = 0;
    double m_pBadToGood = 1;
    double m_lossGood = 0;
    double m_lossBad = 1;
    bool m_bad = false;
    ns3::Ptr<ns3::UniformRandomVariable> m_uniform;
    uint64_t m_droppedDown = 0;
    uint64_t m_droppedLoss = 0;
    ns3::TracedCallback<ns3::Ptr<const ns3::Packet>, const std::string&> m_dropTrace;
};

} // namespace sipbed

#endif
