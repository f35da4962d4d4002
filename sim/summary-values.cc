#include "summary-values.h"

#include "result-format.h"

namespace sipbed
{

void
SummaryValues::Set(const std::string& name, const CellValue& value)
{
    SetJson(name, value.ToJson());
}

void
SummaryValues::Set(const std::string& name, const Distribution& distribution)
{
    SetJson(name, distribution.ToJson());
}

void
SummaryValues::SetJson(const std::string& name, nlohmann::json value)
{
    CheckSnakeCase(name, "summary metric");
    m_values[name] = std::move(value);
}

bool
SummaryValues::Has(const std::string& name) const
{
    return m_values.contains(name);
}

const nlohmann::json&
SummaryValues::ToJson() const
{
    return m_values;
}

} // namespace sipbed
