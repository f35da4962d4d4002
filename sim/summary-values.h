#ifndef SIPBED_SIM_SUMMARY_VALUES_H
#define SIPBED_SIM_SUMMARY_VALUES_H

#include "cell-value.h"
#include "distribution.h"

#include <nlohmann/json.hpp>

#include <string>

namespace sipbed
{

/**
 * The headline metrics of a run: what summary.json holds.
 *
 * Names are snake_case with the unit as a suffix (`recovery_time_s`,
 * `peak_load_rps`, `probe_success_ratio`, `registrations_count`); a name that
 * is not snake_case is rejected (std::invalid_argument). Values are numbers,
 * booleans, text, or distributions written as {"mean","p50","p95","max","n"}
 * (see Distribution). Setting a name again replaces its value. The file is a
 * JSON object with sorted keys, so it is byte-identical for identical values.
 */
class SummaryValues
{
  public:
    /// Set a scalar metric (a number, a boolean or text).
    void Set(const std::string& name, const CellValue& value);

    /// Set a distribution metric: {"mean","p50","p95","max","n"}.
    void Set(const std::string& name, const Distribution& distribution);

    /// Set any JSON value (e.g. a small table); prefer the typed overloads.
    void SetJson(const std::string& name, nlohmann::json value);

    /// \return whether \p name was set.
    bool Has(const std::string& name) const;

    /// \return the metrics as one JSON object (sorted keys).
    const nlohmann::json& ToJson() const;

  private:
    nlohmann::json m_values = nlohmann::json::object(); //!< name -> value
};

} // namespace sipbed

#endif // SIPBED_SIM_SUMMARY_VALUES_H
