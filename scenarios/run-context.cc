#include "run-context.h"

#include "sim/result-format.h"

#include "ns3/csma-helper.h"
#include "ns3/csma-net-device.h"
#include "ns3/point-to-point-helper.h"
#include "ns3/point-to-point-net-device.h"
#include "ns3/simulator.h"

#include <cstdio>
#include <stdexcept>

namespace sipbed
{

RunContext::RunContext(std::string scenario,
                       ParameterValues parameters,
                       uint64_t seed,
                       bool pcap,
                       std::filesystem::path directory,
                       std::ostream& events,
                       std::ostream& timeseries,
                       std::ostream& log)
    : m_scenario(std::move(scenario))
    , m_parameters(std::move(parameters))
    , m_seed(seed)
    , m_pcap(pcap)
    , m_directory(std::move(directory))
    , m_events(events)
    , m_timeseries(timeseries)
    , m_log(log)
{
}

const std::string&
RunContext::GetScenarioName() const
{
    return m_scenario;
}

const ParameterValues&
RunContext::GetParameters() const
{
    return m_parameters;
}

uint64_t
RunContext::GetSeed() const
{
    return m_seed;
}

StreamAllocator&
RunContext::GetStreams()
{
    return m_streams;
}

EventTable&
RunContext::GetEvents()
{
    return m_events;
}

TimeseriesSampler&
RunContext::GetTimeseries()
{
    return m_timeseries;
}

SummaryValues&
RunContext::GetSummary()
{
    return m_summary;
}

void
RunContext::SetStopTime(ns3::Time stop)
{
    if (!stop.IsStrictlyPositive())
    {
        throw std::invalid_argument("RunContext::SetStopTime: the stop time must be > 0");
    }
    m_stop = stop;
}

std::optional<ns3::Time>
RunContext::GetStopTime() const
{
    return m_stop;
}

bool
RunContext::IsPcapEnabled() const
{
    return m_pcap;
}

void
RunContext::EnablePcap(const std::string& prefix, const ns3::NetDeviceContainer& devices)
{
    if (!m_pcap)
    {
        return;
    }
    const std::filesystem::path folder = m_directory / "pcap";
    std::filesystem::create_directories(folder);
    for (uint32_t i = 0; i < devices.GetN(); ++i)
    {
        ns3::Ptr<ns3::NetDevice> device = devices.Get(i);
        const std::string file = (folder / (prefix + "-" + NodeLabel(device->GetNode()) + "-" +
                                            std::to_string(device->GetIfIndex()) + ".pcap"))
                                     .string();
        if (ns3::DynamicCast<ns3::PointToPointNetDevice>(device))
        {
            ns3::PointToPointHelper().EnablePcap(file, device, true, true);
        }
        else if (ns3::DynamicCast<ns3::CsmaNetDevice>(device))
        {
            ns3::CsmaHelper().EnablePcap(file, device, true, true);
        }
        else
        {
            throw std::invalid_argument("RunContext::EnablePcap: no pcap support for " +
                                        device->GetInstanceTypeId().GetName());
        }
    }
}

void
RunContext::Fail(const std::string& reason)
{
    if (!m_failure)
    {
        m_failure =
            "failed at t=" + FormatNumber(ns3::Simulator::Now().GetSeconds()) + " s: " + reason;
        m_log << "failure: " << *m_failure << '\n';
    }
    ns3::Simulator::Stop();
}

std::optional<std::string>
RunContext::GetFailure() const
{
    return m_failure;
}

void
RunContext::Log(const std::string& message)
{
    char stamp[48];
    std::snprintf(stamp, sizeof(stamp), "[%14.6f s] ", ns3::Simulator::Now().GetSeconds());
    m_log << stamp << message << '\n';
}

const std::filesystem::path&
RunContext::GetOutputDirectory() const
{
    return m_directory;
}

} // namespace sipbed
