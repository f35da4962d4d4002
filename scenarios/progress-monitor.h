#ifndef SIPBED_SCENARIOS_PROGRESS_MONITOR_H
#define SIPBED_SCENARIOS_PROGRESS_MONITOR_H

#include "ns3/event-id.h"
#include "ns3/nstime.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>

namespace sipbed
{

/**
 * The heartbeat of a run: a self-rescheduling ns-3 event that, about ten
 * times per second of wall time, polls the cancellation callback and, about
 * once per second, prints a progress line:
 *
 *     nat-keepalive: sim 123.4/600 s (20.6%)  wall 0:12  1.05M events/s  ETA 0:46
 *
 * How often to wake up is adapted as the run goes: the next heartbeat is
 * scheduled after as much simulated time as should take 0.1 s of wall time
 * at the speed just measured (at most 10 times more than the previous step,
 * at least 1 ns), so the check stays cheap for fast runs and responsive for
 * slow ones. It reads the wall clock and Simulator::GetEventCount() (ns-3
 * 3.37 has it: events executed so far, the heartbeats included), nothing
 * else: it never touches the model, so where the heartbeats fall (which
 * depends on the machine's speed) cannot change a run's results.
 *
 * The ETA is the simulated time left divided by the average simulation speed
 * since the start. On a terminal the line is redrawn in place (\r); otherwise
 * each update is a new line.
 */
class ProgressMonitor
{
  public:
    /**
     * \param label printed first (the scenario's name)
     * \param stop the simulated stop time
     * \param out where progress lines go, or nullptr for none
     * \param terminal whether \p out is a terminal (redraw in place)
     * \param cancelRequested polled ~10 times per wall second; may be empty
     */
    ProgressMonitor(std::string label,
                    ns3::Time stop,
                    std::ostream* out,
                    bool terminal,
                    std::function<bool()> cancelRequested);

    /// Cancel the pending heartbeat; end a redrawn line left unfinished by a failed run.
    ~ProgressMonitor();

    ProgressMonitor(const ProgressMonitor&) = delete;
    ProgressMonitor& operator=(const ProgressMonitor&) = delete;

    /// Schedule the first heartbeat (at simulated time 0, before Simulator::Run).
    void Start();

    /// \return whether the run was stopped because cancellation was requested.
    bool WasCancelled() const;

    /// Cancel the pending heartbeat and print the final line (100%, or where it stopped).
    void Finish();

    /// \return the wall time since Start, in seconds.
    double GetWallSeconds() const;

  private:
    using Clock = std::chrono::steady_clock; //!< monotonic wall clock

    /// The heartbeat: poll cancellation, maybe print, reschedule.
    void Beat();

    /// Print the progress line for the current state.
    void Print(Clock::time_point now, bool final);

    std::string m_label;                     //!< line prefix
    ns3::Time m_stop;                        //!< simulated stop time
    std::ostream* m_out;                     //!< progress output, or nullptr
    bool m_terminal;                         //!< redraw in place
    std::function<bool()> m_cancelRequested; //!< polled
    bool m_cancelled{false};                 //!< stopped on request
    ns3::EventId m_event;                    //!< the next heartbeat
    int64_t m_stepNs{1000000};               //!< simulated time between heartbeats
    Clock::time_point m_start;               //!< wall time at Start
    Clock::time_point m_lastBeat;            //!< wall time at the previous heartbeat
    Clock::time_point m_lastPrint;           //!< wall time of the last printed line
    uint64_t m_eventsAtLastPrint{0};         //!< event count then
    bool m_lineOpen{false};                  //!< a redrawn line awaits its newline
};

} // namespace sipbed

#endif // SIPBED_SCENARIOS_PROGRESS_MONITOR_H
