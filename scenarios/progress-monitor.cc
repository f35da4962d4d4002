#include "progress-monitor.h"

#include "ns3/simulator.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace sipbed
{

namespace
{

constexpr double kBeatSeconds = 0.1;  //!< target wall time between heartbeats
constexpr double kPrintSeconds = 1.0; //!< wall time between progress lines

/// "0:05", "12:34", "1:02:03".
std::string
FormatClock(double seconds)
{
    if (!std::isfinite(seconds) || seconds < 0)
    {
        return "?";
    }
    const auto total = static_cast<uint64_t>(seconds + 0.5);
    char text[32];
    if (total >= 3600)
    {
        std::snprintf(text,
                      sizeof(text),
                      "%llu:%02llu:%02llu",
                      static_cast<unsigned long long>(total / 3600),
                      static_cast<unsigned long long>(total / 60 % 60),
                      static_cast<unsigned long long>(total % 60));
    }
    else
    {
        std::snprintf(text,
                      sizeof(text),
                      "%llu:%02llu",
                      static_cast<unsigned long long>(total / 60),
                      static_cast<unsigned long long>(total % 60));
    }
    return text;
}

/// "950", "12.3k", "1.05M".
std::string
FormatRate(double rate)
{
    char text[32];
    if (rate >= 1e6)
    {
        std::snprintf(text, sizeof(text), "%.3gM", rate / 1e6);
    }
    else if (rate >= 1e3)
    {
        std::snprintf(text, sizeof(text), "%.3gk", rate / 1e3);
    }
    else
    {
        std::snprintf(text, sizeof(text), "%.0f", rate);
    }
    return text;
}

} // namespace

ProgressMonitor::ProgressMonitor(std::string label,
                                 ns3::Time stop,
                                 std::ostream* out,
                                 bool terminal,
                                 std::function<bool()> cancelRequested)
    : m_label(std::move(label))
    , m_stop(stop)
    , m_out(out)
    , m_terminal(terminal)
    , m_cancelRequested(std::move(cancelRequested))
{
}

ProgressMonitor::~ProgressMonitor()
{
    ns3::Simulator::Cancel(m_event);
    if (m_lineOpen)
    {
        *m_out << '\n' << std::flush; // so that an error message starts on its own line
    }
}

void
ProgressMonitor::Start()
{
    m_start = m_lastBeat = m_lastPrint = Clock::now();
    m_eventsAtLastPrint = ns3::Simulator::GetEventCount();
    m_event = ns3::Simulator::Schedule(ns3::NanoSeconds(m_stepNs), &ProgressMonitor::Beat, this);
}

bool
ProgressMonitor::WasCancelled() const
{
    return m_cancelled;
}

double
ProgressMonitor::GetWallSeconds() const
{
    return std::chrono::duration<double>(Clock::now() - m_start).count();
}

void
ProgressMonitor::Beat()
{
    const Clock::time_point now = Clock::now();
    if (m_cancelRequested && m_cancelRequested())
    {
        m_cancelled = true;
        ns3::Simulator::Stop();
        return;
    }
    if (m_out && std::chrono::duration<double>(now - m_lastPrint).count() >= kPrintSeconds)
    {
        Print(now, false);
    }

    // Aim the next heartbeat at kBeatSeconds of wall time from now, at the
    // speed of the last step; grow at most 10x per step (a slow step is
    // followed by a fast one more often than not), never below 1 ns.
    const double elapsed = std::chrono::duration<double>(now - m_lastBeat).count();
    m_lastBeat = now;
    double factor = elapsed > 0 ? kBeatSeconds / elapsed : 10.0;
    factor = std::clamp(factor, 0.01, 10.0);
    const double next = static_cast<double>(m_stepNs) * factor;
    m_stepNs = static_cast<int64_t>(std::clamp(next, 1.0, 1e18));
    m_event = ns3::Simulator::Schedule(ns3::NanoSeconds(m_stepNs), &ProgressMonitor::Beat, this);
}

void
ProgressMonitor::Print(Clock::time_point now, bool final)
{
    const double wall = std::chrono::duration<double>(now - m_start).count();
    const double sinceLast = std::chrono::duration<double>(now - m_lastPrint).count();
    const uint64_t events = ns3::Simulator::GetEventCount();
    const double rate =
        final ? (wall > 0 ? static_cast<double>(events) / wall : 0)
              : (sinceLast > 0 ? static_cast<double>(events - m_eventsAtLastPrint) / sinceLast : 0);
    const double sim = ns3::Simulator::Now().GetSeconds();
    const double stop = m_stop.GetSeconds();
    const double eta = sim > 0 ? (stop - sim) * wall / sim : NAN;

    char line[256];
    std::snprintf(line,
                  sizeof(line),
                  "%s: sim %.6g/%.6g s (%.1f%%)  wall %s  %s events/s  %s",
                  m_label.c_str(),
                  sim,
                  stop,
                  stop > 0 ? 100.0 * sim / stop : 100.0,
                  FormatClock(wall).c_str(),
                  FormatRate(rate).c_str(),
                  m_cancelled ? "cancelled"
                  : final     ? "done"
                              : ("ETA " + FormatClock(eta)).c_str());
    if (m_terminal)
    {
        *m_out << '\r' << line << "\033[K" << (final ? "\n" : "") << std::flush;
        m_lineOpen = !final;
    }
    else
    {
        *m_out << line << '\n' << std::flush;
    }
    m_lastPrint = now;
    m_eventsAtLastPrint = events;
}

void
ProgressMonitor::Finish()
{
    ns3::Simulator::Cancel(m_event);
    if (m_out)
    {
        Print(Clock::now(), true);
    }
}

} // namespace sipbed
