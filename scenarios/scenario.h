#ifndef SIPBED_SCENARIOS_SCENARIO_H
#define SIPBED_SCENARIOS_SCENARIO_H

#include "parameter-set.h"
#include "scenario-errors.h"

#include <functional>
#include <memory>
#include <string>

namespace sipbed
{

class RunContext;

/**
 * \file
 * How to write a scenario (the full guide, with the rules that keep runs
 * reproducible, is docs/scenarios.md).
 *
 * A scenario is one file, scenarios/NAME.cc, holding
 *
 * 1. a class derived from Scenario: Setup builds the topology, installs the
 *    applications, schedules the failures, declares the metrics and sets the
 *    stop time; Finish (optional) computes the headline metrics once the
 *    simulation has stopped. A new object is made for every run, so members
 *    hold the run's state;
 * 2. a function returning its ScenarioInfo: name, one-line summary, the
 *    parameters (declared once, with default, unit, range and meaning) and a
 *    factory;
 * 3. one line in scenarios/builtin-scenarios.cc that registers it.
 *
 * \code
 *   // scenarios/udp-echo.cc (an illustration)
 *   #include "scenarios/run-context.h"
 *   #include "scenarios/scenario.h"
 *   ...
 *   namespace sipbed
 *   {
 *   namespace
 *   {
 *
 *   class UdpEchoScenario : public Scenario
 *   {
 *     public:
 *       void Setup(RunContext& context) override
 *       {
 *           const ParameterValues& p = context.GetParameters();
 *           context.SetStopTime(p.GetTime("duration"));
 *           m_nodes.Create(2);
 *           // ... links, InternetStackHelper, addresses, sockets ...
 *           context.EnablePcap("link", devices); // no-op without --pcap
 *           m_jitter = context.GetStreams().CreateVariable<ns3::UniformRandomVariable>("jitter");
 *           m_jitter->SetAttribute("Max", ns3::DoubleValue(p.GetDouble("jitter")));
 *           context.GetEvents().DeclareColumn("seq", EventTable::ColumnType::INTEGER);
 *           context.GetTimeseries().AddRateProbe("received_pps", [this] { return m_received; });
 *           m_events = &context.GetEvents(); // valid until Finish returns
 *       }
 *
 *       void Finish(RunContext& context) override
 *       {
 *           context.GetSummary().Set("received_count", m_received);
 *           context.GetSummary().Set("rtt_ms", m_rtt); // a Distribution
 *       }
 *
 *     private:
 *       ns3::NodeContainer m_nodes;
 *       ns3::Ptr<ns3::UniformRandomVariable> m_jitter;
 *       EventTable* m_events{nullptr};
 *       uint64_t m_received{0};
 *       Distribution m_rtt;
 *   };
 *
 *   } // namespace
 *
 *   ScenarioInfo
 *   UdpEchoScenarioInfo()
 *   {
 *       ScenarioInfo info("udp-echo", "two nodes exchange UDP packets with random jitter");
 *       ParameterSet& p = info.GetParameters();
 *       p.AddInt("packets", 100, "packets to send").Range(1, 1000000);
 *       p.AddDouble("jitter", 0.01, "maximum echo delay").Range(0, 1).Unit("s");
 *       p.AddDuration("duration", 10, "simulated time").Range(0.001, 86400);
 *       p.AddEnum("size", "small", {"small", "large"}, "payload size class");
 *       info.SetFactory<UdpEchoScenario>();
 *       return info;
 *   }
 *
 *   } // namespace sipbed
 * \endcode
 */

/**
 * A scenario's behaviour for one run. Subclasses must not touch global state
 * other than through ns-3 (Config::SetDefault is fine: the runner resets it
 * between runs) and must draw every random number from a stream handed out
 * by RunContext::GetStreams().
 *
 * To fail the run: throw from Setup or Finish, or call RunContext::Fail from
 * a simulation event (throwing from an event works too, but ns-3 leaks the
 * event); exit status 1, temporary directory removed. Throw ParameterError
 * for a combination of parameters that is invalid (exit status 2). Do not use
 * NS_FATAL_ERROR or NS_ABORT for run-time failures: they end the process,
 * which also ends a Python session that runs scenarios in-process.
 */
class Scenario
{
  public:
    virtual ~Scenario();

    /**
     * Build the run, at simulated time 0: topology, applications, failures,
     * metric declarations (event columns, timeseries probes). Must call
     * RunContext::SetStopTime.
     */
    virtual void Setup(RunContext& context) = 0;

    /**
     * Called once the simulation has stopped (Simulator::Now() is the stop
     * time), before the results are written: set the summary metrics. The
     * default does nothing.
     */
    virtual void Finish(RunContext& context);
};

/**
 * What the registry knows about a scenario without running it: name,
 * summary, description, parameters, an optional cross-parameter check, and
 * how to make a Scenario object for a run.
 */
class ScenarioInfo
{
  public:
    /// Makes the Scenario object of one run.
    using Factory = std::function<std::unique_ptr<Scenario>()>;
    /// Checks combinations of parameters; throws ParameterError.
    using Validator = std::function<void(const ParameterValues&)>;

    /**
     * \param name kebab-case, as typed after `sipbed run` ("nat-keepalive")
     * \param summary one line for `sipbed list`, no trailing period
     */
    ScenarioInfo(std::string name, std::string summary);

    /// A longer description for `sipbed run NAME --help` (plain text, may span lines).
    ScenarioInfo& SetDescription(std::string description);

    /// Make runs with `std::make_unique<T>()`.
    template <typename T>
    ScenarioInfo& SetFactory()
    {
        return SetFactory([] { return std::unique_ptr<Scenario>(std::make_unique<T>()); });
    }

    /// Make runs with \p factory.
    ScenarioInfo& SetFactory(Factory factory);

    /**
     * Check parameter combinations the ranges cannot express (e.g. min <=
     * max). Runs before anything is written; throw ParameterError naming the
     * parameter at fault. The command line exits with status 2.
     */
    ScenarioInfo& SetValidator(Validator validator);

    /// \return the parameters, to declare them.
    ParameterSet& GetParameters();
    /// \return the parameters.
    const ParameterSet& GetParameters() const;

    /// \return the name.
    const std::string& GetName() const;
    /// \return the one-line summary.
    const std::string& GetSummary() const;
    /// \return the description ("" if none).
    const std::string& GetDescription() const;

    /**
     * The values of one run: defaults, then \p assignments in order, then
     * the validator.
     *
     * \throw ParameterError
     */
    ParameterValues Resolve(const std::vector<ParameterAssignment>& assignments) const;

    /// \return a new Scenario for one run.
    std::unique_ptr<Scenario> Create() const;

    /// Throw std::logic_error if the declaration is inconsistent (called on registration).
    void CheckDeclaration() const;

  private:
    std::string m_name;        //!< kebab-case name
    std::string m_summary;     //!< one line
    std::string m_description; //!< longer text
    ParameterSet m_parameters; //!< the parameters
    Factory m_factory;         //!< makes a Scenario
    Validator m_validator;     //!< optional cross-parameter check
};

} // namespace sipbed

#endif // SIPBED_SCENARIOS_SCENARIO_H
