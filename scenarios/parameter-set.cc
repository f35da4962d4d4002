#include "parameter-set.h"

#include "models/sip/sip-text.h"
#include "sim/result-format.h"

#include "scenario-errors.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace sipbed
{

namespace
{

/// A whole decimal integer, optional sign. std::from_chars: no locale, no "0x", no spaces.
std::optional<int64_t>
ParseInt(const std::string& text)
{
    const char* begin = text.data();
    const char* end = text.data() + text.size();
    if (begin != end && *begin == '+')
    {
        ++begin;
    }
    int64_t value = 0;
    const auto result = std::from_chars(begin, end, value);
    if (result.ec != std::errc() || result.ptr != end || begin == end)
    {
        return std::nullopt;
    }
    return value;
}

/**
 * A finite real number at the start of [begin, end), locale-independent.
 *
 * \return the number and where it ended, or nothing.
 */
std::optional<std::pair<double, const char*>>
ParseRealPrefix(const char* begin, const char* end)
{
    if (begin != end && *begin == '+')
    {
        ++begin;
    }
    double value = 0;
    const auto result = std::from_chars(begin, end, value);
    if (result.ec != std::errc() || !std::isfinite(value))
    {
        return std::nullopt;
    }
    return std::make_pair(value, result.ptr);
}

std::optional<double>
ParseReal(const std::string& text)
{
    const char* end = text.data() + text.size();
    const auto parsed = ParseRealPrefix(text.data(), end);
    if (!parsed || parsed->second != end)
    {
        return std::nullopt;
    }
    return parsed->first;
}

/// A number of seconds, or a number followed by ns, us, ms, s, min or h.
std::optional<double>
ParseDuration(const std::string& text)
{
    const char* end = text.data() + text.size();
    const auto parsed = ParseRealPrefix(text.data(), end);
    if (!parsed)
    {
        return std::nullopt;
    }
    const std::string unit = std::string(text::Trim(std::string_view(parsed->second, end - parsed->second)));
    const double value = parsed->first;
    // Divide for sub-second units: 500 / 1000 is exactly 0.5, 500 * 0.001 is not.
    if (unit.empty() || unit == "s")
    {
        return value;
    }
    if (unit == "ms")
    {
        return value / 1e3;
    }
    if (unit == "us")
    {
        return value / 1e6;
    }
    if (unit == "ns")
    {
        return value / 1e9;
    }
    if (unit == "min")
    {
        return value * 60;
    }
    if (unit == "h")
    {
        return value * 3600;
    }
    return std::nullopt;
}

std::optional<bool>
ParseBool(const std::string& text)
{
    const std::string word = std::string(text::ToLower(text));
    if (word == "true" || word == "yes" || word == "on" || word == "1")
    {
        return true;
    }
    if (word == "false" || word == "no" || word == "off" || word == "0")
    {
        return false;
    }
    return std::nullopt;
}

/// How an offending input is shown in a message: text quoted, numbers plain.
std::string
ShowInput(const CellValue& input)
{
    switch (input.GetKind())
    {
    case CellValue::Kind::TEXT:
        return "'" + input.GetText() + "'";
    case CellValue::Kind::EMPTY:
        return "no value";
    default:
        return input.ToCsv();
    }
}

/// A range bound as text: integers for INT parameters.
std::string
ShowBound(double bound, ParameterType type)
{
    if (type == ParameterType::INT)
    {
        return FormatNumber(static_cast<int64_t>(bound));
    }
    return FormatNumber(bound);
}

/// The longest duration an ns-3 Time (int64 nanoseconds) holds, rounded down.
constexpr double kMaxDurationSeconds = 9.2e9;

bool
IsNumeric(ParameterType type)
{
    return type == ParameterType::INT || type == ParameterType::DOUBLE ||
           type == ParameterType::DURATION;
}

} // namespace

// --- ParameterSpec ----------------------------------------------------------

ParameterSpec::ParameterSpec(std::string name,
                             ParameterType type,
                             CellValue defaultValue,
                             std::string help)
    : m_name(std::move(name))
    , m_type(type)
    , m_default(std::move(defaultValue))
    , m_help(std::move(help))
    , m_unit(type == ParameterType::DURATION ? "s" : "")
{
    if (type == ParameterType::DURATION)
    {
        m_min = 0; // a negative duration is a mistake unless the scenario says otherwise
    }
}

ParameterSpec&
ParameterSpec::Range(double min, double max)
{
    m_min = min;
    m_max = max;
    return *this;
}

ParameterSpec&
ParameterSpec::Min(double min)
{
    m_min = min;
    return *this;
}

ParameterSpec&
ParameterSpec::Max(double max)
{
    m_max = max;
    return *this;
}

ParameterSpec&
ParameterSpec::Unit(std::string unit)
{
    if (m_type == ParameterType::DURATION && unit != "s")
    {
        throw std::logic_error("parameter '" + m_name + "': a duration's unit is always s");
    }
    m_unit = std::move(unit);
    return *this;
}

const std::string&
ParameterSpec::GetName() const
{
    return m_name;
}

ParameterType
ParameterSpec::GetType() const
{
    return m_type;
}

std::string
ParameterSpec::GetTypeName() const
{
    switch (m_type)
    {
    case ParameterType::INT:
        return "int";
    case ParameterType::DOUBLE:
        return "double";
    case ParameterType::BOOL:
        return "bool";
    case ParameterType::STRING:
        return "string";
    case ParameterType::ENUM:
        return "enum";
    case ParameterType::DURATION:
        return "duration";
    }
    return "?";
}

const CellValue&
ParameterSpec::GetDefault() const
{
    return m_default;
}

const std::string&
ParameterSpec::GetHelp() const
{
    return m_help;
}

const std::string&
ParameterSpec::GetUnit() const
{
    return m_unit;
}

std::optional<double>
ParameterSpec::GetMin() const
{
    return m_min;
}

std::optional<double>
ParameterSpec::GetMax() const
{
    return m_max;
}

const std::vector<std::string>&
ParameterSpec::GetChoices() const
{
    return m_choices;
}

void
ParameterSpec::Fail(const std::string& problem) const
{
    throw ParameterError(
        m_name, "parameter '" + m_name + "': " + problem + ": expected " + DescribeAccepted());
}

CellValue
ParameterSpec::Convert(const CellValue& input) const
{
    const CellValue::Kind kind = input.GetKind();
    const std::string invalid = "invalid value " + ShowInput(input);
    double number = 0; // numeric types: the value to range-check
    CellValue result;
    switch (m_type)
    {
    case ParameterType::INT: {
        std::optional<int64_t> value;
        if (kind == CellValue::Kind::TEXT)
        {
            value = ParseInt(input.GetText());
        }
        else if (kind == CellValue::Kind::INTEGER)
        {
            value = input.GetInteger();
        }
        else if (kind == CellValue::Kind::REAL)
        {
            // 2^63 is exactly representable; anything at or above overflows int64.
            const double real = input.GetReal();
            if (std::isfinite(real) && std::trunc(real) == real && std::fabs(real) < 0x1p63)
            {
                value = static_cast<int64_t>(real);
            }
        }
        if (!value)
        {
            Fail(invalid);
        }
        number = static_cast<double>(*value);
        result = *value;
        break;
    }
    case ParameterType::DOUBLE:
    case ParameterType::DURATION: {
        std::optional<double> value;
        if (kind == CellValue::Kind::TEXT)
        {
            value = m_type == ParameterType::DOUBLE ? ParseReal(input.GetText())
                                                    : ParseDuration(input.GetText());
        }
        else if (kind == CellValue::Kind::INTEGER || kind == CellValue::Kind::REAL)
        {
            value = input.GetReal();
        }
        if (!value || !std::isfinite(*value))
        {
            Fail(invalid);
        }
        number = *value;
        result = *value;
        break;
    }
    case ParameterType::BOOL: {
        std::optional<bool> value;
        if (kind == CellValue::Kind::TEXT)
        {
            value = ParseBool(input.GetText());
        }
        else if (kind == CellValue::Kind::BOOLEAN)
        {
            value = input.GetBoolean();
        }
        else if (kind == CellValue::Kind::INTEGER &&
                 (input.GetInteger() == 0 || input.GetInteger() == 1))
        {
            value = input.GetInteger() == 1;
        }
        if (!value)
        {
            Fail(invalid);
        }
        return *value;
    }
    case ParameterType::STRING:
        if (kind != CellValue::Kind::TEXT)
        {
            Fail(invalid);
        }
        return input;
    case ParameterType::ENUM:
        if (kind != CellValue::Kind::TEXT ||
            std::find(m_choices.begin(), m_choices.end(), input.GetText()) == m_choices.end())
        {
            Fail(invalid);
        }
        return input;
    }
    if ((m_min && number < *m_min) || (m_max && number > *m_max))
    {
        Fail(FormatValue(result) + " is out of range");
    }
    // ns-3 counts time in int64 nanoseconds: about +-292 years.
    if (m_type == ParameterType::DURATION && std::fabs(number) > kMaxDurationSeconds)
    {
        Fail(FormatValue(result) + " s is beyond ns-3's time range");
    }
    return result;
}

std::string
ParameterSpec::DescribeAccepted() const
{
    std::string text;
    switch (m_type)
    {
    case ParameterType::INT:
        text = "an integer";
        break;
    case ParameterType::DOUBLE:
        text = "a number";
        break;
    case ParameterType::DURATION:
        text = "a duration in seconds";
        break;
    case ParameterType::BOOL:
        return "true or false";
    case ParameterType::STRING:
        return "any text";
    case ParameterType::ENUM: {
        text = "one of: ";
        for (size_t i = 0; i < m_choices.size(); ++i)
        {
            text += (i == 0 ? "" : ", ") + m_choices[i];
        }
        return text;
    }
    }
    if (m_min && m_max)
    {
        text += " in [" + ShowBound(*m_min, m_type) + ", " + ShowBound(*m_max, m_type) + "]";
    }
    else if (m_min)
    {
        text += " >= " + ShowBound(*m_min, m_type);
    }
    else if (m_max)
    {
        text += " <= " + ShowBound(*m_max, m_type);
    }
    return text;
}

std::string
ParameterSpec::FormatValue(const CellValue& value) const
{
    if (value.GetKind() == CellValue::Kind::TEXT)
    {
        return value.GetText().empty() ? "\"\"" : value.GetText();
    }
    if (value.GetKind() == CellValue::Kind::BOOLEAN)
    {
        return value.GetBoolean() ? "true" : "false";
    }
    return value.ToCsv();
}

std::string
ParameterSpec::GetValueName() const
{
    switch (m_type)
    {
    case ParameterType::INT:
        return "N";
    case ParameterType::DOUBLE:
        return "X";
    case ParameterType::DURATION:
        return "SECONDS";
    case ParameterType::BOOL:
        return "true|false";
    case ParameterType::STRING:
        return "TEXT";
    case ParameterType::ENUM: {
        std::string text;
        for (const std::string& choice : m_choices)
        {
            text += (text.empty() ? "" : "|") + choice;
        }
        return text;
    }
    }
    return "VALUE";
}

nlohmann::json
ParameterSpec::ToJson() const
{
    nlohmann::json json = nlohmann::json::object();
    json["name"] = m_name;
    json["type"] = GetTypeName();
    json["default"] = m_default.ToJson();
    json["unit"] = m_unit;
    json["min"] = m_min ? nlohmann::json(*m_min) : nlohmann::json(nullptr);
    json["max"] = m_max ? nlohmann::json(*m_max) : nlohmann::json(nullptr);
    json["choices"] = m_choices;
    json["help"] = m_help;
    json["accepted"] = DescribeAccepted();
    return json;
}

void
ParameterSpec::CheckDeclaration() const
{
    const std::string where = "parameter '" + m_name + "': ";
    if (m_help.empty())
    {
        throw std::logic_error(where + "no help text");
    }
    if ((m_min || m_max) && !IsNumeric(m_type))
    {
        throw std::logic_error(where + "a range needs an int, double or duration parameter");
    }
    if (m_min && m_max && *m_min > *m_max)
    {
        throw std::logic_error(where + "empty range");
    }
    if (m_type == ParameterType::ENUM)
    {
        if (m_choices.empty())
        {
            throw std::logic_error(where + "an enum needs at least one value");
        }
        for (size_t i = 0; i < m_choices.size(); ++i)
        {
            if (m_choices[i].empty() || m_choices[i].find_first_of(" \t|,") != std::string::npos ||
                std::count(m_choices.begin(), m_choices.end(), m_choices[i]) != 1)
            {
                throw std::logic_error(where + "enum values must be distinct words");
            }
        }
    }
    try
    {
        Convert(m_default);
    }
    catch (const ParameterError& e)
    {
        throw std::logic_error(std::string("bad default: ") + e.what());
    }
}

// --- ParameterValues --------------------------------------------------------

const ParameterValues::Entry&
ParameterValues::Find(const std::string& name,
                      ParameterType type,
                      std::optional<ParameterType> other) const
{
    const auto it = m_values.find(name);
    if (it == m_values.end())
    {
        throw std::logic_error("the scenario read parameter '" + name +
                               "', which it does not declare");
    }
    if (it->second.type != type && (!other || it->second.type != *other))
    {
        throw std::logic_error("the scenario read parameter '" + name +
                               "' with a getter of the wrong type");
    }
    return it->second;
}

int64_t
ParameterValues::GetInt(const std::string& name) const
{
    return Find(name, ParameterType::INT).value.GetInteger();
}

double
ParameterValues::GetDouble(const std::string& name) const
{
    return Find(name, ParameterType::DOUBLE, ParameterType::DURATION).value.GetReal();
}

bool
ParameterValues::GetBool(const std::string& name) const
{
    return Find(name, ParameterType::BOOL).value.GetBoolean();
}

const std::string&
ParameterValues::GetString(const std::string& name) const
{
    return Find(name, ParameterType::STRING, ParameterType::ENUM).value.GetText();
}

ns3::Time
ParameterValues::GetTime(const std::string& name) const
{
    return ns3::Seconds(Find(name, ParameterType::DURATION).value.GetReal());
}

const CellValue&
ParameterValues::Get(const std::string& name) const
{
    const auto it = m_values.find(name);
    if (it == m_values.end())
    {
        throw std::logic_error("the scenario read parameter '" + name +
                               "', which it does not declare");
    }
    return it->second.value;
}

bool
ParameterValues::Has(const std::string& name) const
{
    return m_values.count(name) != 0;
}

nlohmann::json
ParameterValues::ToJson() const
{
    nlohmann::json json = nlohmann::json::object();
    for (const auto& [name, entry] : m_values)
    {
        json[name] = entry.value.ToJson();
    }
    return json;
}

// --- ParameterSet -----------------------------------------------------------

const std::vector<std::string>&
ParameterSet::ReservedNames()
{
    static const std::vector<std::string> names = {
        "help", "config", "seed", "out", "pcap", "progress", "quiet", "name"};
    return names;
}

ParameterSpec&
ParameterSet::Add(ParameterSpec spec)
{
    CheckSnakeCase(spec.GetName(), "parameter");
    const auto& reserved = ReservedNames();
    if (std::find(reserved.begin(), reserved.end(), spec.GetName()) != reserved.end())
    {
        throw std::logic_error("parameter name '" + spec.GetName() + "' is reserved");
    }
    if (Find(spec.GetName()))
    {
        throw std::logic_error("parameter '" + spec.GetName() + "' declared twice");
    }
    m_specs.push_back(std::move(spec));
    return m_specs.back();
}

ParameterSpec&
ParameterSet::AddInt(const std::string& name, int64_t defaultValue, const std::string& help)
{
    return Add(ParameterSpec(name, ParameterType::INT, defaultValue, help));
}

ParameterSpec&
ParameterSet::AddDouble(const std::string& name, double defaultValue, const std::string& help)
{
    return Add(ParameterSpec(name, ParameterType::DOUBLE, defaultValue, help));
}

ParameterSpec&
ParameterSet::AddBool(const std::string& name, bool defaultValue, const std::string& help)
{
    return Add(ParameterSpec(name, ParameterType::BOOL, defaultValue, help));
}

ParameterSpec&
ParameterSet::AddString(const std::string& name,
                        const std::string& defaultValue,
                        const std::string& help)
{
    return Add(ParameterSpec(name, ParameterType::STRING, defaultValue, help));
}

ParameterSpec&
ParameterSet::AddEnum(const std::string& name,
                      const std::string& defaultValue,
                      const std::vector<std::string>& choices,
                      const std::string& help)
{
    ParameterSpec spec(name, ParameterType::ENUM, defaultValue, help);
    spec.m_choices = choices;
    return Add(std::move(spec));
}

ParameterSpec&
ParameterSet::AddDuration(const std::string& name, double defaultSeconds, const std::string& help)
{
    return Add(ParameterSpec(name, ParameterType::DURATION, defaultSeconds, help));
}

const std::vector<ParameterSpec>&
ParameterSet::GetSpecs() const
{
    return m_specs;
}

const ParameterSpec*
ParameterSet::Find(const std::string& name) const
{
    for (const ParameterSpec& spec : m_specs)
    {
        if (spec.GetName() == name)
        {
            return &spec;
        }
    }
    return nullptr;
}

std::vector<std::string>
ParameterSet::GetNames() const
{
    std::vector<std::string> names;
    for (const ParameterSpec& spec : m_specs)
    {
        names.push_back(spec.GetName());
    }
    return names;
}

ParameterValues
ParameterSet::Defaults() const
{
    ParameterValues values;
    for (const ParameterSpec& spec : m_specs)
    {
        values.m_values[spec.GetName()] = {spec.GetType(), spec.Convert(spec.GetDefault())};
    }
    return values;
}

ParameterValues
ParameterSet::Resolve(const std::vector<ParameterAssignment>& assignments,
                      const std::string& scenario) const
{
    ParameterValues values = Defaults();
    for (const ParameterAssignment& assignment : assignments)
    {
        const std::string prefix = assignment.origin.empty() ? "" : assignment.origin + ": ";
        const ParameterSpec* spec = Find(assignment.name);
        if (!spec)
        {
            std::string known;
            for (const std::string& name : GetNames())
            {
                known += (known.empty() ? "" : ", ") + name;
            }
            throw ParameterError(assignment.name,
                                 prefix + "unknown parameter '" + assignment.name +
                                     "' for scenario '" + scenario +
                                     "' (parameters: " + (known.empty() ? "none" : known) + ")");
        }
        try
        {
            values.m_values[spec->GetName()].value = spec->Convert(assignment.value);
        }
        catch (const ParameterError& e)
        {
            if (prefix.empty())
            {
                throw;
            }
            throw ParameterError(e.GetParameter(), prefix + e.what());
        }
    }
    return values;
}

void
ParameterSet::CheckDeclarations() const
{
    for (const ParameterSpec& spec : m_specs)
    {
        spec.CheckDeclaration();
    }
}

} // namespace sipbed
