#ifndef SIPBED_SCENARIOS_CONFIG_FILE_H
#define SIPBED_SCENARIOS_CONFIG_FILE_H

#include "parameter-set.h"
#include "scenario-errors.h"

#include <optional>
#include <string>
#include <vector>

namespace sipbed
{

/// A config file that cannot be read or parsed; the message names the file and line.
class ConfigFileError : public BadInputError
{
  public:
    using BadInputError::BadInputError;
};

/**
 * A `--config FILE.ini` for one scenario run:
 *
 * \code{.ini}
 *   # presets/flow-recovery-small.ini
 *   seed = 7               ; top-level keys apply to any scenario
 *   [flow-recovery]        ; this section applies to `sipbed run flow-recovery`
 *   uas = 200
 *   failure = edge_crash   # inline comments start with whitespace then # or ;
 *   label = "two words"    ; quotes are optional and stripped
 *   [avalanche-restart]    ; sections of other known scenarios are skipped
 *   uas = 100000
 * \endcode
 *
 * Keys are parameter names, or `seed`. Top-level keys and keys of the
 * section named after the scenario are applied; a key given twice (even once
 * top-level and once in the section) is an error, as is a section that names
 * no known scenario. Values are checked later, by ParameterSet::Resolve, with
 * the origin "FILE:LINE" so that every message names file, line and key.
 *
 * Hand-written rather than Boost.Program_options' parse_config_file: that
 * parser reports no line numbers and has no notion of skipping the sections
 * of other scenarios.
 */
class ConfigFile
{
  public:
    /**
     * Read and parse \p path.
     *
     * \param path the file
     * \param scenario the scenario being run: its section applies
     * \param knownScenarios sections with these names are skipped
     * \throw ConfigFileError naming file and line
     */
    static ConfigFile Read(const std::string& path,
                           const std::string& scenario,
                           const std::vector<std::string>& knownScenarios);

    /// \return the parameter assignments, in file order, origin "FILE:LINE".
    const std::vector<ParameterAssignment>& GetAssignments() const;

    /// \return the `seed` key (as text, origin "FILE:LINE"), if present.
    const std::optional<ParameterAssignment>& GetSeed() const;

  private:
    std::vector<ParameterAssignment> m_assignments; //!< parameters
    std::optional<ParameterAssignment> m_seed;      //!< the seed key
};

} // namespace sipbed

#endif // SIPBED_SCENARIOS_CONFIG_FILE_H
