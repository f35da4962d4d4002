#ifndef SIPBED_SCENARIOS_SCENARIO_RUNNER_H
#define SIPBED_SCENARIOS_SCENARIO_RUNNER_H

#include "parameter-set.h"
#include "scenario-errors.h"
#include "scenario.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace sipbed
{

/// How to run a scenario: what `sipbed run` and `sipbed.run()` pass.
struct RunOptions
{
    /// Parameter values, applied after the config file's (a later one wins).
    std::vector<ParameterAssignment> parameters;
    /// An ini file of parameters (see ConfigFile); "" for none.
    std::string configFile;
    /// The seed; unset: the config file's `seed`, else 1.
    std::optional<uint64_t> seed;
    /// The results directory; "" for results/NAME-YYYYmmdd-HHMMSS-seedN. Must not exist.
    std::string outDir;
    /// Write pcap traces (RunContext::EnablePcap).
    bool pcap{false};
    /// Where progress lines go (ProgressMonitor), or nullptr for none.
    std::ostream* progress{nullptr};
    /// Whether \c progress is a terminal (lines are redrawn in place).
    bool progressIsTerminal{false};
    /**
     * Polled about ten times per second of wall time during the run; when it
     * returns true the run stops, its directory is removed and Run throws
     * RunCancelled. The command line sets it from SIGINT/SIGTERM; the Python
     * binding from PyErr_CheckSignals (KeyboardInterrupt).
     */
    std::function<bool()> cancelRequested;
};

/// What a finished run produced.
struct RunResult
{
    std::filesystem::path directory; //!< the results directory (final name)
    nlohmann::json config;           //!< config.json
    nlohmann::json summary;          //!< summary.json
    double simulatedSeconds{0};      //!< the stop time
    double wallSeconds{0};           //!< how long Simulator::Run took
    uint64_t eventCount{0};          //!< ns-3 events executed (runner's own included)
};

/// The checked inputs of a run.
struct ResolvedInputs
{
    ParameterValues parameters; //!< every parameter, defaults included
    uint64_t seed{1};           //!< the seed
};

/**
 * Runs one scenario and writes its results directory (DESIGN.md, "User
 * contract"):
 *
 * 1. Resolve the inputs: defaults < config file < RunOptions::parameters,
 *    then the scenario's validator; the seed. Any problem throws
 *    BadInputError (ParameterError, ConfigFileError) before anything is
 *    written. An existing results directory is bad input too.
 * 2. Reset ns-3's process-wide state (ResetSimulatorState), then seed it:
 *    RngSeedManager::SetSeed(1) and SetRun(seed). The seed selects the run
 *    number, ns-3's recommended way to get independent replications
 *    (MRG32k3a substreams that never overlap); stream numbers select the
 *    component, see StreamAllocator.
 * 3. Create the temporary directory, the Scenario object, the RunContext;
 *    Scenario::Setup.
 * 4. Give the ns-3 models that draw random numbers of their own (internet
 *    stacks: ARP and IPv6 jitter, global routing; CSMA back-off) fixed
 *    streams, starting at StreamAllocator::kDefaultLimit (2^40) in node id
 *    order, so that scenarios need not, and so that adding a stream to a
 *    scenario does not shift them. Only nodes and devices that exist when
 *    Setup returns are covered.
 * 5. Start the timeseries sampler and the ProgressMonitor (progress lines,
 *    cancellation), Simulator::Stop(stop time), Simulator::Run().
 * 6. Take the last sample, Scenario::Finish, write events.csv, timeseries.csv,
 *    summary.json, config.json and log.txt; Simulator::Destroy; rename the
 *    directory to its final name; reset ns-3's state again.
 *
 * Any exception during 3-6 removes the temporary directory and is rethrown
 * as RunError (RunCancelled, or BadInputError when the scenario threw a
 * ParameterError), with the simulated time at which it happened. One run at
 * a time per process (ns-3's simulator is process-wide): a nested or
 * concurrent Run throws RunError.
 */
class ScenarioRunner
{
  public:
    /**
     * Run \p scenario.
     *
     * \throw BadInputError bad input (nothing was written)
     * \throw RunError failure inside the run (nothing is left behind)
     */
    static RunResult Run(const ScenarioInfo& scenario, const RunOptions& options);

    /// Run the registered scenario \p name (BadInputError if there is none).
    static RunResult Run(const std::string& name, const RunOptions& options);

    /**
     * \return the registered scenario \p name
     * \throw BadInputError naming the known scenarios if there is none
     */
    static const ScenarioInfo& FindScenario(const std::string& name);

    /**
     * Check the inputs of a run without running it.
     *
     * \throw BadInputError
     */
    static ResolvedInputs ResolveInputs(const ScenarioInfo& scenario, const RunOptions& options);

    /// \return results/NAME-YYYYmmdd-HHMMSS-seedN (local time), "-2", "-3"... if taken.
    static std::filesystem::path DefaultOutputDirectory(const std::string& scenario, uint64_t seed);

    /// \return the seed in \p text (a decimal integer in [0, 2^64 - 1]), or nothing.
    static std::optional<uint64_t> ParseSeed(const std::string& text);

    /**
     * Reset what ns-3 keeps between simulations in one process:
     * Simulator::Destroy, Config::Reset (attribute defaults and global values),
     * Names::Clear, the IPv4/IPv6 address generators and the MAC address
     * allocation counters. Called before and after every run.
     */
    static void ResetSimulatorState();

    /// The seed when none is given.
    static constexpr uint64_t kDefaultSeed = 1;
};

} // namespace sipbed

#endif // SIPBED_SCENARIOS_SCENARIO_RUNNER_H
