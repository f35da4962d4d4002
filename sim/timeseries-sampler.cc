#include "timeseries-sampler.h"

#include "result-format.h"

#include "ns3/simulator.h"

#include <stdexcept>

namespace sipbed
{

TimeseriesSampler::TimeseriesSampler(std::ostream& out)
    : m_out(out)
    , m_interval(ns3::Seconds(1))
{
}

void
TimeseriesSampler::SetInterval(ns3::Time interval)
{
    if (m_started)
    {
        throw std::logic_error("TimeseriesSampler: SetInterval after the run started");
    }
    if (!interval.IsStrictlyPositive())
    {
        throw std::invalid_argument("TimeseriesSampler: the sample interval must be > 0");
    }
    m_interval = interval;
}

ns3::Time
TimeseriesSampler::GetInterval() const
{
    return m_interval;
}

void
TimeseriesSampler::AddProbe(const std::string& name, Probe probe)
{
    CheckSnakeCase(name, "timeseries column");
    if (m_started)
    {
        throw std::logic_error("TimeseriesSampler: probe '" + name +
                               "' added after the run started; add probes in Scenario::Setup");
    }
    if (name == "t_s")
    {
        throw std::logic_error("TimeseriesSampler: 't_s' is the time column");
    }
    for (const Column& column : m_columns)
    {
        if (column.name == name)
        {
            throw std::logic_error("TimeseriesSampler: probe '" + name + "' added twice");
        }
    }
    if (!probe)
    {
        throw std::invalid_argument("TimeseriesSampler: probe '" + name + "' is empty");
    }
    m_columns.push_back({name, std::move(probe), false});
}

void
TimeseriesSampler::AddRateProbe(const std::string& name, Probe cumulative)
{
    AddProbe(name, std::move(cumulative));
    m_columns.back().rate = true;
}

std::vector<std::string>
TimeseriesSampler::GetColumnNames() const
{
    std::vector<std::string> names{"t_s"};
    for (const Column& column : m_columns)
    {
        names.push_back(column.name);
    }
    return names;
}

uint64_t
TimeseriesSampler::GetRowCount() const
{
    return m_rows;
}

void
TimeseriesSampler::Start(ns3::Time stop)
{
    if (m_started)
    {
        throw std::logic_error("TimeseriesSampler: started twice");
    }
    m_started = true;
    m_stop = stop;
    std::string header;
    for (const std::string& name : GetColumnNames())
    {
        header += header.empty() ? "" : ",";
        header += name;
    }
    m_out << header << '\n';
    for (Column& column : m_columns)
    {
        if (column.rate)
        {
            column.previous = column.probe();
        }
    }
    const ns3::Time first = m_interval;
    if (first <= m_stop)
    {
        m_event = ns3::Simulator::Schedule(
            first - ns3::Simulator::Now(), &TimeseriesSampler::Sample, this);
    }
}

void
TimeseriesSampler::Sample()
{
    ++m_index;
    // Multiply rather than accumulate: sample times stay exact multiples of Δ.
    const ns3::Time now = m_interval * static_cast<int64_t>(m_index);
    const double intervalSeconds = m_interval.GetSeconds();
    std::string line = FormatNumber(now.GetSeconds());
    for (Column& column : m_columns)
    {
        double value = column.probe();
        if (column.rate)
        {
            const double cumulative = value;
            value = (cumulative - column.previous) / intervalSeconds;
            column.previous = cumulative;
        }
        line += ',';
        line += FormatNumber(value);
    }
    line += '\n';
    m_out << line;
    ++m_rows;

    const ns3::Time next = m_interval * static_cast<int64_t>(m_index + 1);
    if (next <= m_stop)
    {
        m_event = ns3::Simulator::Schedule(
            next - ns3::Simulator::Now(), &TimeseriesSampler::Sample, this);
    }
}

void
TimeseriesSampler::Finish()
{
    if (m_started && m_event.IsRunning())
    {
        const ns3::Time due = m_interval * static_cast<int64_t>(m_index + 1);
        ns3::Simulator::Cancel(m_event);
        if (due <= ns3::Simulator::Now())
        {
            Sample(); // schedules nothing more: the next time is past the stop
            ns3::Simulator::Cancel(m_event);
        }
    }
    m_out.flush();
}

} // namespace sipbed
