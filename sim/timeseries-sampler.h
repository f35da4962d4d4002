#ifndef SIPBED_SIM_TIMESERIES_SAMPLER_H
#define SIPBED_SIM_TIMESERIES_SAMPLER_H

#include "ns3/event-id.h"
#include "ns3/nstime.h"

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace sipbed
{

/**
 * timeseries.csv: every interval Δ of simulated time, call each registered
 * probe and write one row, `t_s` first, then one column per probe in
 * registration order.
 *
 * Rows are written at the end of each interval: t_s = Δ, 2Δ, 3Δ, ... up to
 * the stop time included (the row at t_s covers (t_s - Δ, t_s]). There is no
 * row at t = 0. Two kinds of probe:
 *
 * - AddProbe: the value at the sample time (a gauge: registered UAs, queue
 *   length, open flows).
 * - AddRateProbe: the probe returns a cumulative count (messages sent so far);
 *   the column is its increase over the interval divided by Δ in seconds, a
 *   per-second rate (offered load in requests per second).
 *
 * Column names are snake_case with a unit suffix (`registered_uas`,
 * `offered_load_rps`). Probes are registered before the run starts (in
 * Scenario::Setup); the interval defaults to 1 s. Probes must only read
 * state: they run as ns-3 events, and drawing random numbers or scheduling
 * from them would change the run.
 *
 * \code
 *   TimeseriesSampler& series = context.GetTimeseries();
 *   series.SetInterval(ns3::Seconds(0.5));
 *   series.AddProbe("registered_uas", [this] { return m_registrar->GetBindingCount(); });
 *   series.AddRateProbe("offered_load_rps", [this] { return m_requestsReceived; });
 * \endcode
 */
class TimeseriesSampler
{
  public:
    /// A probe: returns the current value (or cumulative count for rate probes).
    using Probe = std::function<double()>;

    /**
     * \param out where the CSV goes; must outlive the sampler. The header is
     *        written by Start.
     */
    explicit TimeseriesSampler(std::ostream& out);

    /// Set the sample interval Δ (> 0); only before Start.
    void SetInterval(ns3::Time interval);

    /// \return the sample interval.
    ns3::Time GetInterval() const;

    /// Add a column holding the probe's value at each sample time.
    void AddProbe(const std::string& name, Probe probe);

    /// Add a column holding the per-second rate of the cumulative count \p probe returns.
    void AddRateProbe(const std::string& name, Probe cumulative);

    /// \return the header: t_s, then the probes' names.
    std::vector<std::string> GetColumnNames() const;

    /// \return the number of rows written so far.
    uint64_t GetRowCount() const;

    /**
     * Write the header and schedule the samples up to \p stop. Called by the
     * runner after Scenario::Setup, at simulated time 0.
     */
    void Start(ns3::Time stop);

    /**
     * Take the sample due at the current time if the simulation stopped
     * before it ran (the row at t = stop), cancel the rest, flush. Called by
     * the runner after Simulator::Run returns.
     */
    void Finish();

  private:
    /// One column.
    struct Column
    {
        std::string name;   //!< header name
        Probe probe;        //!< value source
        bool rate;          //!< per-second rate of a cumulative probe
        double previous{0}; //!< rate probes: cumulative value at the previous sample
    };

    /// Take the sample at m_next, schedule the next one.
    void Sample();

    std::ostream& m_out;           //!< the CSV output
    ns3::Time m_interval;          //!< Δ
    ns3::Time m_stop;              //!< last possible sample time
    std::vector<Column> m_columns; //!< probes, in order
    uint64_t m_index{0};           //!< samples taken; the next is at (m_index + 1) * Δ
    uint64_t m_rows{0};            //!< rows written
    ns3::EventId m_event;          //!< the pending sample
    bool m_started{false};         //!< Start was called
};

} // namespace sipbed

#endif // SIPBED_SIM_TIMESERIES_SAMPLER_H
