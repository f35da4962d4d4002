#ifndef SIPBED_SCENARIOS_SCENARIO_REGISTRY_H
#define SIPBED_SCENARIOS_SCENARIO_REGISTRY_H

#include "scenario.h"

#include <map>
#include <string>
#include <vector>

namespace sipbed
{

/**
 * The scenarios `sipbed list`, `sipbed run` and the Python binding know.
 *
 * Registration is an explicit list, RegisterBuiltinScenarios() in
 * builtin-scenarios.cc, called on the first Get(): one line per scenario.
 * Self-registering static objects would be simpler to write but are silently
 * dropped when the scenario's object file is linked from a static library
 * (sipbed-scenarios) and nothing else references it; WHOLE_ARCHIVE or an
 * OBJECT library would fix that for each consumer separately (the sipbed
 * program, the test programs, the pybind11 module) and break again for the
 * next one. The list references every scenario, so every consumer that links
 * the library gets all of them, and the order of registration is explicit.
 *
 * Tests add their own scenarios with Add() (they are then listed and runnable
 * in that test program only). Add before running anything; the registry is
 * not synchronized.
 */
class ScenarioRegistry
{
  public:
    /// \return the registry, with the built-in scenarios registered.
    static ScenarioRegistry& Get();

    /**
     * Register a scenario.
     *
     * \throw std::logic_error if the name is taken or the declaration is inconsistent
     */
    void Add(ScenarioInfo info);

    /// \return the scenario called \p name, or nullptr.
    const ScenarioInfo* Find(const std::string& name) const;

    /// \return every scenario, sorted by name.
    std::vector<const ScenarioInfo*> List() const;

    /// \return every scenario's name, sorted.
    std::vector<std::string> GetNames() const;

  private:
    ScenarioRegistry() = default;

    std::map<std::string, ScenarioInfo> m_scenarios; //!< by name
};

/// Register every scenario shipped with sipbed (builtin-scenarios.cc).
void RegisterBuiltinScenarios(ScenarioRegistry& registry);

} // namespace sipbed

#endif // SIPBED_SCENARIOS_SCENARIO_REGISTRY_H
