#include "scenario-registry.h"

#include <stdexcept>

namespace sipbed
{

ScenarioRegistry&
ScenarioRegistry::Get()
{
    static ScenarioRegistry* registry = [] {
        auto* r = new ScenarioRegistry; // never destroyed: usable during static destruction
        RegisterBuiltinScenarios(*r);
        return r;
    }();
    return *registry;
}

void
ScenarioRegistry::Add(ScenarioInfo info)
{
    info.CheckDeclaration();
    const std::string name = info.GetName();
    if (!m_scenarios.emplace(name, std::move(info)).second)
    {
        throw std::logic_error("scenario '" + name + "' registered twice");
    }
}

const ScenarioInfo*
ScenarioRegistry::Find(const std::string& name) const
{
    const auto it = m_scenarios.find(name);
    return it == m_scenarios.end() ? nullptr : &it->second;
}

std::vector<const ScenarioInfo*>
ScenarioRegistry::List() const
{
    std::vector<const ScenarioInfo*> list;
    for (const auto& [name, info] : m_scenarios)
    {
        list.push_back(&info);
    }
    return list;
}

std::vector<std::string>
ScenarioRegistry::GetNames() const
{
    std::vector<std::string> names;
    for (const auto& [name, info] : m_scenarios)
    {
        names.push_back(name);
    }
    return names;
}

} // namespace sipbed
