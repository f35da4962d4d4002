#include "scenario.h"

#include <stdexcept>

namespace sipbed
{

Scenario::~Scenario() = default;

void
Scenario::Finish(RunContext& /* context */)
{
}

ScenarioInfo::ScenarioInfo(std::string name, std::string summary)
    : m_name(std::move(name))
    , m_summary(std::move(summary))
{
}

ScenarioInfo&
ScenarioInfo::SetDescription(std::string description)
{
    m_description = std::move(description);
    return *this;
}

ScenarioInfo&
ScenarioInfo::SetFactory(Factory factory)
{
    m_factory = std::move(factory);
    return *this;
}

ScenarioInfo&
ScenarioInfo::SetValidator(Validator validator)
{
    m_validator = std::move(validator);
    return *this;
}

ParameterSet&
ScenarioInfo::GetParameters()
{
    return m_parameters;
}

const ParameterSet&
ScenarioInfo::GetParameters() const
{
    return m_parameters;
}

const std::string&
ScenarioInfo::GetName() const
{
    return m_name;
}

const std::string&
ScenarioInfo::GetSummary() const
{
    return m_summary;
}

const std::string&
ScenarioInfo::GetDescription() const
{
    return m_description;
}

ParameterValues
ScenarioInfo::Resolve(const std::vector<ParameterAssignment>& assignments) const
{
    ParameterValues values = m_parameters.Resolve(assignments, m_name);
    if (m_validator)
    {
        m_validator(values);
    }
    return values;
}

std::unique_ptr<Scenario>
ScenarioInfo::Create() const
{
    if (!m_factory)
    {
        throw std::logic_error("scenario '" + m_name + "' has no factory");
    }
    std::unique_ptr<Scenario> scenario = m_factory();
    if (!scenario)
    {
        throw std::logic_error("scenario '" + m_name + "': the factory returned nothing");
    }
    return scenario;
}

void
ScenarioInfo::CheckDeclaration() const
{
    bool kebab =
        !m_name.empty() && m_name.front() >= 'a' && m_name.front() <= 'z' && m_name.back() != '-';
    for (char c : m_name)
    {
        kebab = kebab && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');
    }
    if (!kebab)
    {
        throw std::logic_error("scenario name '" + m_name +
                               "' is not kebab-case (lowercase letters, digits, '-')");
    }
    if (m_summary.empty() || m_summary.find('\n') != std::string::npos)
    {
        throw std::logic_error("scenario '" + m_name + "': the summary must be one line");
    }
    if (!m_factory)
    {
        throw std::logic_error("scenario '" + m_name + "' has no factory (SetFactory)");
    }
    try
    {
        m_parameters.CheckDeclarations();
    }
    catch (const std::logic_error& e)
    {
        throw std::logic_error("scenario '" + m_name + "': " + e.what());
    }
}

} // namespace sipbed
