#include "cell-value.h"

#include "result-format.h"

#include <stdexcept>

namespace sipbed
{

CellValue::CellValue(const char* text)
    : m_value(std::string(text))
{
}

CellValue::CellValue(std::string text)
    : m_value(std::move(text))
{
}

CellValue::CellValue(std::string_view text)
    : m_value(std::string(text))
{
}

CellValue::Kind
CellValue::GetKind() const
{
    return static_cast<Kind>(m_value.index());
}

const char*
CellValue::KindName(Kind kind)
{
    switch (kind)
    {
    case Kind::EMPTY:
        return "empty";
    case Kind::INTEGER:
        return "integer";
    case Kind::REAL:
        return "real";
    case Kind::BOOLEAN:
        return "boolean";
    case Kind::TEXT:
        return "text";
    }
    return "?";
}

int64_t
CellValue::GetInteger() const
{
    if (const auto* v = std::get_if<int64_t>(&m_value))
    {
        return *v;
    }
    throw std::logic_error(std::string("CellValue: not an integer but ") + KindName(GetKind()));
}

double
CellValue::GetReal() const
{
    if (const auto* v = std::get_if<double>(&m_value))
    {
        return *v;
    }
    if (const auto* v = std::get_if<int64_t>(&m_value))
    {
        return static_cast<double>(*v);
    }
    throw std::logic_error(std::string("CellValue: not a number but ") + KindName(GetKind()));
}

bool
CellValue::GetBoolean() const
{
    if (const auto* v = std::get_if<bool>(&m_value))
    {
        return *v;
    }
    throw std::logic_error(std::string("CellValue: not a boolean but ") + KindName(GetKind()));
}

const std::string&
CellValue::GetText() const
{
    if (const auto* v = std::get_if<std::string>(&m_value))
    {
        return *v;
    }
    throw std::logic_error(std::string("CellValue: not text but ") + KindName(GetKind()));
}

std::string
CellValue::ToCsv() const
{
    switch (GetKind())
    {
    case Kind::EMPTY:
        return "";
    case Kind::INTEGER:
        return FormatNumber(std::get<int64_t>(m_value));
    case Kind::REAL:
        return FormatNumber(std::get<double>(m_value));
    case Kind::BOOLEAN:
        return std::get<bool>(m_value) ? "true" : "false";
    case Kind::TEXT:
        return CsvField(std::get<std::string>(m_value));
    }
    return "";
}

nlohmann::json
CellValue::ToJson() const
{
    switch (GetKind())
    {
    case Kind::EMPTY:
        return nullptr;
    case Kind::INTEGER:
        return std::get<int64_t>(m_value);
    case Kind::REAL:
        return std::get<double>(m_value);
    case Kind::BOOLEAN:
        return std::get<bool>(m_value);
    case Kind::TEXT:
        return std::get<std::string>(m_value);
    }
    return nullptr;
}

} // namespace sipbed
