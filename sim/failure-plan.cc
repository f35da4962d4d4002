#include "sim/failure-plan.h"

#include "sim/fault-helper.h"
#include "sim/restartable-application.h"
#include "sim/result-format.h"

#include "ns3/simulator.h"

#include <memory>
#include <sstream>
#include <stdexcept>

namespace sipbed
{

using namespace ns3;

namespace
{

/// Failure times are absolute simulated times; a time already past is a
/// scenario bug, not something to shift silently.
Time
Delay(Time at, const char* what)
{
    if (at < Simulator::Now())
    {
        throw std::invalid_argument(std::string("FailurePlan: ") + what +
                                    " scheduled in the past");
    }
    return at - Simulator::Now();
}

} // namespace

std::string
FailurePlan::Loss::Describe() const
{
    if (model == Model::BERNOULLI)
    {
        return "bernoulli rate=" + FormatNumber(rate);
    }
    return "gilbert-elliott p_good_to_bad=" + FormatNumber(pGoodToBad) +
           " p_bad_to_good=" + FormatNumber(pBadToGood) + " loss_good=" + FormatNumber(lossGood) +
           " loss_bad=" + FormatNumber(lossBad);
}

FailurePlan::FailurePlan(EventTable& events)
    : m_events(events),
      m_boot(CreateObject<UniformRandomVariable>())
{
    if (!m_events.HasColumn("detail"))
    {
        m_events.DeclareColumn("detail", EventTable::ColumnType::TEXT);
    }
}

void
FailurePlan::SetListener(Listener listener)
{
    m_listener = std::move(listener);
}

int64_t
FailurePlan::AssignStreams(int64_t stream)
{
    m_boot->SetStream(stream);
    return 1;
}

void
FailurePlan::Record(const std::string& node, const std::string& kind, const std::string& detail)
{
    if (detail.empty())
    {
        m_events.Record(node, kind);
    }
    else
    {
        m_events.Record(node, kind, {{"detail", detail}});
    }
    if (m_listener)
    {
        m_listener(node, kind);
    }
}

void
FailurePlan::LinkDown(const std::string& link,
                      Ptr<NetDevice> oneEnd,
                      Time start,
                      Time duration,
                      const std::string& detail)
{
    // The drop decision itself is the LinkFaultModel's window (by
    // transmission start time); the events only report it.
    FaultHelper::ScheduleLinkDown(oneEnd, start, duration);
    Simulator::Schedule(Delay(start, "link down"),
                        [this, link, detail]() { Record(link, "link_down", detail); });
    if (duration != Time::Max())
    {
        Simulator::Schedule(Delay(start + duration, "link up"),
                            [this, link]() { Record(link, "link_up", ""); });
    }
}

void
FailurePlan::LinkLoss(const std::string& link,
                      Ptr<NetDevice> oneEnd,
                      Time start,
                      Time end,
                      const Loss& loss)
{
    if (FaultHelper::Get(oneEnd) == nullptr)
    {
        FaultHelper::InstallOnLink(NetDeviceContainer(oneEnd, FaultHelper::Peer(oneEnd)));
    }
    Simulator::Schedule(Delay(start, "loss start"), [this, link, oneEnd, loss]() {
        if (loss.model == Loss::Model::BERNOULLI)
        {
            FaultHelper::SetBernoulliLoss(oneEnd, loss.rate);
        }
        else
        {
            FaultHelper::SetGilbertElliottLoss(oneEnd,
                                               loss.pGoodToBad,
                                               loss.pBadToGood,
                                               loss.lossGood,
                                               loss.lossBad);
        }
        Record(link, "loss_start", loss.Describe());
    });
    if (end != Time::Max())
    {
        Simulator::Schedule(Delay(end, "loss end"), [this, link, oneEnd]() {
            FaultHelper::ClearLoss(oneEnd);
            Record(link, "loss_end", "");
        });
    }
}

void
FailurePlan::CrashNow(Ptr<Node> node)
{
    // Links first: whatever the dying sockets send must not leave the node.
    FaultHelper::NodeDown(node);
    for (uint32_t i = 0; i < node->GetNApplications(); ++i)
    {
        if (Ptr<RestartableApplication> app =
                DynamicCast<RestartableApplication>(node->GetApplication(i)))
        {
            app->Crash();
        }
    }
}

void
FailurePlan::RestartNow(Ptr<Node> node)
{
    FaultHelper::NodeUp(node);
    for (uint32_t i = 0; i < node->GetNApplications(); ++i)
    {
        if (Ptr<RestartableApplication> app =
                DynamicCast<RestartableApplication>(node->GetApplication(i)))
        {
            app->Restart();
        }
    }
}

void
FailurePlan::NodeCrash(const std::string& node, Ptr<Node> n, Time at, Time downFor)
{
    Simulator::Schedule(Delay(at, "node crash"), [this, node, n]() {
        CrashNow(n);
        Record(node, "node_crash", "silent");
    });
    if (downFor != Time::Max())
    {
        Simulator::Schedule(Delay(at + downFor, "node restart"), [this, node, n]() {
            RestartNow(n);
            Record(node, "node_restart", "");
        });
    }
}

void
FailurePlan::NatReboot(const std::string& nat, Ptr<NatRouting> routing, Time at, Ipv4Address newPublic)
{
    Simulator::Schedule(Delay(at, "NAT reboot"), [this, nat, routing, newPublic]() {
        routing->Reboot(newPublic);
        std::ostringstream address;
        routing->GetPublicAddress().Print(address);
        Record(nat, "nat_reboot", address.str());
    });
}

void
FailurePlan::PowerCut(const std::string& site,
                      const NodeContainer& hosts,
                      const std::vector<std::string>& hostNames,
                      Time at,
                      Time off,
                      Time bootSpread)
{
    if (hostNames.size() != hosts.GetN())
    {
        throw std::invalid_argument("FailurePlan::PowerCut: one name per host");
    }
    Simulator::Schedule(Delay(at, "power cut"), [this, site, hosts]() {
        for (uint32_t i = 0; i < hosts.GetN(); ++i)
        {
            CrashNow(hosts.Get(i));
        }
        Record(site, "power_cut", std::to_string(hosts.GetN()) + " hosts");
    });
    // Boot delays drawn now, in host order: the same seed gives the same
    // boot order whatever else draws random numbers during the run.
    for (uint32_t i = 0; i < hosts.GetN(); ++i)
    {
        const Time boot = at + off + Seconds(m_boot->GetValue(0, bootSpread.GetSeconds()));
        Ptr<Node> host = hosts.Get(i);
        const std::string name = hostNames[i];
        Simulator::Schedule(Delay(boot, "host boot"), [this, host, name]() {
            RestartNow(host);
            Record(name, "host_boot", "");
        });
    }
}

} // namespace sipbed
