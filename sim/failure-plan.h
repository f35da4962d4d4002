// The failure plan of one run: every failure a scenario schedules goes
// through here, so that each failure and each recovery is a row in
// events.csv (issue 3, DESIGN.md "Failures"), with the same kinds and
// columns in every scenario:
//
//   kind            node          detail
//   link_down       link name     what the link is ("access", ...)
//   link_up         link name
//   loss_start      link name     the loss model and its parameters
//   loss_end        link name
//   node_crash      node name     "silent" (no FIN/RST leaves the node)
//   node_restart    node name     applications started afresh
//   nat_reboot      NAT name      the public address after the reboot
//   power_cut       site name     how many hosts lost power
//   host_boot       host name     (one row per host, at its boot time)
//
// A crash takes every link of the node down (point-to-point, or off its
// CSMA segment; FaultHelper)
// and then crashes every RestartableApplication on it; a restart brings the
// links up and restarts them. A power cut crashes every host of a site at
// once and boots each one after `off` plus a uniform random delay in
// [0, bootSpread] (real devices do not all boot in the same second; the
// spread is what makes an avalanche restart realistic).
#ifndef SIPBED_FAILURE_PLAN_H
#define SIPBED_FAILURE_PLAN_H

#include "sim/event-table.h"
#include "sim/nat-routing.h"

#include "ns3/ipv4-address.h"
#include "ns3/net-device.h"
#include "ns3/node-container.h"
#include "ns3/node.h"
#include "ns3/nstime.h"
#include "ns3/random-variable-stream.h"

#include <functional>
#include <string>
#include <vector>

namespace sipbed
{

class FailurePlan
{
  public:
    /// Random loss on a link while a loss window is open.
    struct Loss
    {
        enum class Model
        {
            BERNOULLI,      //!< each packet lost with probability rate
            GILBERT_ELLIOTT //!< two-state bursts
        };
        Model model = Model::BERNOULLI;
        double rate = 0.0; ///< Bernoulli
        double pGoodToBad = 0.0;
        double pBadToGood = 1.0;
        double lossGood = 0.0;
        double lossBad = 1.0;

        /// For events.csv: "bernoulli rate=0.05", "gilbert-elliott p=... r=... ...".
        std::string Describe() const;
    };

    /// A failure or recovery as it happens (after it is applied and recorded).
    using Listener = std::function<void(const std::string& node, const std::string& kind)>;

    /// \param events where the rows go; declares a "detail" TEXT column if
    ///        it has none. Must outlive the plan's scheduled events.
    explicit FailurePlan(EventTable& events);

    /// Called on every failure and recovery (scenarios measure from these).
    void SetListener(Listener listener);

    /// Link down in both directions in [start, start + duration).
    void LinkDown(const std::string& link,
                  ns3::Ptr<ns3::NetDevice> oneEnd,
                  ns3::Time start,
                  ns3::Time duration,
                  const std::string& detail = "");

    /// Random loss on a link in [start, end) (end Time::Max(): to the end of the run).
    void LinkLoss(const std::string& link,
                  ns3::Ptr<ns3::NetDevice> oneEnd,
                  ns3::Time start,
                  ns3::Time end,
                  const Loss& loss);

    /// Silent crash at `at`; restart after `downFor` (Time::Max(): never).
    void NodeCrash(const std::string& node,
                   ns3::Ptr<ns3::Node> n,
                   ns3::Time at,
                   ns3::Time downFor = ns3::Time::Max());

    /// Every mapping lost at `at`; a new public address if one is given.
    void NatReboot(const std::string& nat,
                   ns3::Ptr<NatRouting> routing,
                   ns3::Time at,
                   ns3::Ipv4Address newPublic = ns3::Ipv4Address::GetAny());

    /// Every host of a site loses power at `at`; host i boots at
    /// at + off + U(0, bootSpread). hostNames[i] names hosts.Get(i).
    void PowerCut(const std::string& site,
                  const ns3::NodeContainer& hosts,
                  const std::vector<std::string>& hostNames,
                  ns3::Time at,
                  ns3::Time off,
                  ns3::Time bootSpread);

    /// ns-3 convention: fixed random stream for the boot delays.
    int64_t AssignStreams(int64_t stream);

    /// Crash and restart a node now (what NodeCrash schedules).
    static void CrashNow(ns3::Ptr<ns3::Node> node);
    static void RestartNow(ns3::Ptr<ns3::Node> node);

  private:
    void Record(const std::string& node, const std::string& kind, const std::string& detail);

    EventTable& m_events;
    Listener m_listener;
    ns3::Ptr<ns3::UniformRandomVariable> m_boot;
};

} // namespace sipbed

#endif
