#include "distribution.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace sipbed
{

void
Distribution::Add(double value)
{
    if (std::isnan(value))
    {
        throw std::invalid_argument("Distribution::Add: NaN is not a sample");
    }
    m_samples.push_back(value);
    m_sum += value;
    m_sortedValid = false;
}

uint64_t
Distribution::GetCount() const
{
    return m_samples.size();
}

double
Distribution::GetMean() const
{
    if (m_samples.empty())
    {
        return std::numeric_limits<double>::quiet_NaN();
    }
    return m_sum / static_cast<double>(m_samples.size());
}

double
Distribution::GetMax() const
{
    return GetPercentile(100);
}

double
Distribution::GetMin() const
{
    if (m_samples.empty())
    {
        return std::numeric_limits<double>::quiet_NaN();
    }
    Sort();
    return m_sorted.front();
}

double
Distribution::GetPercentile(double percent) const
{
    if (!(percent > 0 && percent <= 100))
    {
        throw std::invalid_argument("Distribution::GetPercentile: percent must be in (0, 100]");
    }
    if (m_samples.empty())
    {
        return std::numeric_limits<double>::quiet_NaN();
    }
    Sort();
    // percent * n is exact for integral percents, so ceil() sees the exact rank.
    const double n = static_cast<double>(m_sorted.size());
    auto rank = static_cast<size_t>(std::ceil(percent * n / 100.0));
    rank = std::clamp<size_t>(rank, 1, m_sorted.size());
    return m_sorted[rank - 1];
}

const std::vector<double>&
Distribution::GetSamples() const
{
    return m_samples;
}

nlohmann::json
Distribution::ToJson() const
{
    nlohmann::json json = nlohmann::json::object();
    json["n"] = GetCount();
    if (m_samples.empty())
    {
        json["mean"] = nullptr;
        json["p50"] = nullptr;
        json["p95"] = nullptr;
        json["max"] = nullptr;
        return json;
    }
    json["mean"] = GetMean();
    json["p50"] = GetPercentile(50);
    json["p95"] = GetPercentile(95);
    json["max"] = GetMax();
    return json;
}

void
Distribution::Sort() const
{
    if (!m_sortedValid)
    {
        m_sorted = m_samples;
        std::sort(m_sorted.begin(), m_sorted.end());
        m_sortedValid = true;
    }
}

} // namespace sipbed
