#ifndef SIPBED_SIM_DISTRIBUTION_H
#define SIPBED_SIM_DISTRIBUTION_H

#include <nlohmann/json.hpp>

#include <cstdint>
#include <vector>

namespace sipbed
{

/**
 * The samples of one metric (delays, recovery times, ...), summarized the one
 * way every scenario writes a distribution into summary.json:
 *
 *     {"mean": ..., "p50": ..., "p95": ..., "max": ..., "n": ...}
 *
 * Percentiles are nearest-rank (the smallest sample such that at least p% of
 * the samples are less than or equal to it: the sample of rank ceil(p/100 * n)
 * in ascending order), so every reported percentile is a value that was
 * actually observed, with no interpolation choices to document per metric.
 * The mean is the sum in insertion order divided by n. With no samples, n is 0
 * and the other fields are null.
 *
 * Every sample is kept (8 bytes each), so percentiles are exact.
 */
class Distribution
{
  public:
    /// Add one sample. NaN is rejected (std::invalid_argument): it has no rank.
    void Add(double value);

    /// \return the number of samples.
    uint64_t GetCount() const;

    /// \return the mean, or NaN without samples.
    double GetMean() const;

    /// \return the largest sample, or NaN without samples.
    double GetMax() const;

    /// \return the smallest sample, or NaN without samples.
    double GetMin() const;

    /**
     * The nearest-rank percentile.
     *
     * \param percent in (0, 100]; 50 is the median (lower median for even n), 100 the max.
     * \return the sample of rank ceil(percent / 100 * n), or NaN without samples.
     */
    double GetPercentile(double percent) const;

    /// \return the samples, in insertion order.
    const std::vector<double>& GetSamples() const;

    /// \return {"mean","p50","p95","max","n"} as described above.
    nlohmann::json ToJson() const;

  private:
    /// Sort m_sorted if samples were added since the last sort.
    void Sort() const;

    std::vector<double> m_samples;        //!< in insertion order
    mutable std::vector<double> m_sorted; //!< ascending copy, rebuilt on demand
    mutable bool m_sortedValid{true};     //!< m_sorted matches m_samples
    double m_sum{0};                      //!< sum in insertion order
};

} // namespace sipbed

#endif // SIPBED_SIM_DISTRIBUTION_H
