#ifndef SIPBED_SCENARIOS_RUN_CONTEXT_H
#define SIPBED_SCENARIOS_RUN_CONTEXT_H

#include "sim/distribution.h"
#include "sim/event-table.h"
#include "sim/stream-allocator.h"
#include "sim/summary-values.h"
#include "sim/timeseries-sampler.h"

#include "parameter-set.h"

#include "ns3/net-device-container.h"
#include "ns3/nstime.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>

namespace sipbed
{

/**
 * Everything a scenario gets from the runner for one run: its parameter
 * values and seed, the random stream allocator, the metric writers (events,
 * timeseries, summary), pcap tracing and the run log. Made by ScenarioRunner;
 * valid from Scenario::Setup until Scenario::Finish returns, so a scenario
 * may keep a pointer to it (or to its EventTable) for its event handlers.
 */
class RunContext
{
  public:
    /**
     * Made by ScenarioRunner.
     *
     * \param scenario the scenario's name
     * \param parameters the checked parameter values
     * \param seed the run's seed
     * \param pcap whether --pcap was given
     * \param directory the (temporary) results directory
     * \param events where events.csv goes
     * \param timeseries where timeseries.csv goes
     * \param log where log.txt goes
     */
    RunContext(std::string scenario,
               ParameterValues parameters,
               uint64_t seed,
               bool pcap,
               std::filesystem::path directory,
               std::ostream& events,
               std::ostream& timeseries,
               std::ostream& log);

    RunContext(const RunContext&) = delete;
    RunContext& operator=(const RunContext&) = delete;

    /// \return the scenario's name.
    const std::string& GetScenarioName() const;

    /// \return every parameter's value (defaults included).
    const ParameterValues& GetParameters() const;

    /**
     * \return the run's seed (--seed). Random numbers come from GetStreams(),
     *         never from this number directly; it is here for the log.
     */
    uint64_t GetSeed() const;

    /// \return the stream allocator: every random variable gets its stream here.
    StreamAllocator& GetStreams();

    /// \return events.csv.
    EventTable& GetEvents();

    /// \return timeseries.csv.
    TimeseriesSampler& GetTimeseries();

    /// \return summary.json.
    SummaryValues& GetSummary();

    /// Stop the simulation at \p stop (> 0). Setup must call it.
    void SetStopTime(ns3::Time stop);

    /// \return the stop time, if set.
    std::optional<ns3::Time> GetStopTime() const;

    /// \return whether --pcap was given.
    bool IsPcapEnabled() const;

    /**
     * With --pcap, trace every device of \p devices into
     * pcap/PREFIX-NODE-DEVICE.pcap (NODE is NodeLabel() of its node, DEVICE
     * its index on the node); without --pcap, do nothing. Point-to-point and
     * CSMA devices are supported (ns-3's own pcap helpers, promiscuous, so a
     * device sees what crosses its link); other device types throw
     * std::invalid_argument. Call it in Setup, after installing the devices.
     *
     * \param prefix names this group of devices ("access", "core")
     * \param devices the devices to trace
     */
    void EnablePcap(const std::string& prefix, const ns3::NetDeviceContainer& devices);

    /**
     * Fail the run from inside the simulation (an event handler): stop the
     * simulation now; the run then fails with \p reason and the current
     * simulated time (exit status 1, nothing written). The first call wins.
     *
     * Prefer this to throwing from an event handler. Throwing works too (the
     * runner catches it the same way), but ns-3 does not release the event
     * that threw: a small leak per failed run, reported by the sanitizer build.
     */
    void Fail(const std::string& reason);

    /// \return "failed at t=T s: REASON" if Fail was called.
    std::optional<std::string> GetFailure() const;

    /**
     * Append a line to log.txt, prefixed with the simulated time. For what a
     * reader of a failed or surprising run wants to know (the topology built,
     * a failure injected); log.txt is not compared between runs.
     */
    void Log(const std::string& message);

    /**
     * \return the results directory while the run is in progress (a temporary
     *         name, renamed at the end): a scenario may write extra files here.
     */
    const std::filesystem::path& GetOutputDirectory() const;

  private:
    std::string m_scenario;               //!< name
    ParameterValues m_parameters;         //!< values
    uint64_t m_seed;                      //!< --seed
    bool m_pcap;                          //!< --pcap
    std::filesystem::path m_directory;    //!< temporary results directory
    StreamAllocator m_streams;            //!< scenario streams, [0, 2^40)
    EventTable m_events;                  //!< events.csv
    TimeseriesSampler m_timeseries;       //!< timeseries.csv
    SummaryValues m_summary;              //!< summary.json
    std::ostream& m_log;                  //!< log.txt
    std::optional<ns3::Time> m_stop;      //!< stop time
    std::optional<std::string> m_failure; //!< set by Fail
};

} // namespace sipbed

#endif // SIPBED_SCENARIOS_RUN_CONTEXT_H
