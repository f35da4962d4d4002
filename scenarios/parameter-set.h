#ifndef SIPBED_SCENARIOS_PARAMETER_SET_H
#define SIPBED_SCENARIOS_PARAMETER_SET_H

#include "sim/cell-value.h"

#include "ns3/nstime.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sipbed
{

/// The type of a scenario parameter.
enum class ParameterType
{
    INT,      //!< a 64-bit integer, with an optional range
    DOUBLE,   //!< a finite real number, with an optional range and unit
    BOOL,     //!< true/false (also yes/no, on/off, 1/0 as text)
    STRING,   //!< free text
    ENUM,     //!< one of a fixed list of words
    DURATION, //!< a time in seconds (text may carry a unit: 500ms, 2min), >= 0 unless declared
};

/**
 * The declaration of one scenario parameter: name, type, default, unit,
 * accepted range or values, and a one-line meaning. Declared once, in the
 * scenario's ScenarioInfo; the command line (--NAME VALUE), config files
 * (NAME = VALUE), `sipbed run NAME --help`, config.json and the Python binding
 * (sipbed.run(name, NAME=value)) all use this declaration.
 *
 * Names are snake_case (they are Python keyword arguments and JSON keys).
 * Ranges are inclusive. Values are CellValues: INT holds an integer, DOUBLE
 * and DURATION a real (DURATION in seconds), BOOL a boolean, STRING and ENUM
 * text.
 */
class ParameterSpec
{
  public:
    /**
     * Use the ParameterSet::Add* methods rather than this constructor.
     *
     * \param name snake_case name
     * \param type the type
     * \param defaultValue the default (of the type's kind)
     * \param help the meaning, one line, no trailing period
     */
    ParameterSpec(std::string name, ParameterType type, CellValue defaultValue, std::string help);

    /// Accept only values in [\p min, \p max] (INT, DOUBLE, DURATION).
    ParameterSpec& Range(double min, double max);
    /// Accept only values >= \p min.
    ParameterSpec& Min(double min);
    /// Accept only values <= \p max.
    ParameterSpec& Max(double max);
    /// The unit, shown in --help ("UAs", "bytes", "1/s"). DURATION is always "s".
    ParameterSpec& Unit(std::string unit);

    /// \return the name.
    const std::string& GetName() const;
    /// \return the type.
    ParameterType GetType() const;
    /// \return "int", "double", "bool", "string", "enum" or "duration".
    std::string GetTypeName() const;
    /// \return the default value.
    const CellValue& GetDefault() const;
    /// \return the one-line meaning.
    const std::string& GetHelp() const;
    /// \return the unit ("" if none; "s" for DURATION).
    const std::string& GetUnit() const;
    /// \return the inclusive lower bound, if any.
    std::optional<double> GetMin() const;
    /// \return the inclusive upper bound, if any.
    std::optional<double> GetMax() const;
    /// \return the allowed values of an ENUM.
    const std::vector<std::string>& GetChoices() const;

    /**
     * Check a value and convert it to the parameter's type. Text is parsed
     * (this is how command-line and config-file values arrive); typed values
     * (from Python) are checked: an integral real is accepted for an INT, an
     * integer for a DOUBLE, 0 or 1 for a BOOL.
     *
     * \param input the value given
     * \return the value, of the type's kind
     * \throw ParameterError naming the parameter and what it accepts
     */
    CellValue Convert(const CellValue& input) const;

    /// \return what is accepted: "an integer in [1, 100000]", "one of: crlf, stun, none".
    std::string DescribeAccepted() const;

    /// \return \p value as --help shows it ("600", "0.25", "true", "crlf", "\"\"").
    std::string FormatValue(const CellValue& value) const;

    /// \return a placeholder for --help: N, X, SECONDS, true|false, TEXT, a|b|c.
    std::string GetValueName() const;

    /**
     * \return the declaration as JSON: name, type, default, unit, min, max,
     *         choices, help (for the Python binding and documentation tools).
     */
    nlohmann::json ToJson() const;

    /// Throw std::logic_error if the declaration is inconsistent (default out of range, ...).
    void CheckDeclaration() const;

  private:
    /// Throw a ParameterError "parameter 'NAME': PROBLEM: expected ACCEPTED".
    [[noreturn]] void Fail(const std::string& problem) const;

    std::string m_name;                 //!< snake_case name
    ParameterType m_type;               //!< type
    CellValue m_default;                //!< default value
    std::string m_help;                 //!< meaning
    std::string m_unit;                 //!< unit, may be empty
    std::optional<double> m_min;        //!< inclusive lower bound
    std::optional<double> m_max;        //!< inclusive upper bound
    std::vector<std::string> m_choices; //!< ENUM values

    friend class ParameterSet;
};

/**
 * One value given for a parameter, before checking: from the command line or
 * a config file (text), or from Python (typed).
 */
struct ParameterAssignment
{
    std::string name;   //!< the parameter's name
    CellValue value;    //!< text is parsed by the parameter's type
    std::string origin; //!< "FILE:LINE" for a config file, "" otherwise (for messages)
};

/**
 * The checked value of every parameter of one run, defaults included. What a
 * scenario reads in Setup and what config.json records.
 *
 * Asking for an undeclared name or with the wrong type is a bug in the
 * scenario: std::logic_error, which fails the run (exit status 1).
 */
class ParameterValues
{
  public:
    /// \return an INT parameter.
    int64_t GetInt(const std::string& name) const;
    /// \return a DOUBLE parameter, or a DURATION in seconds.
    double GetDouble(const std::string& name) const;
    /// \return a BOOL parameter.
    bool GetBool(const std::string& name) const;
    /// \return a STRING or ENUM parameter.
    const std::string& GetString(const std::string& name) const;
    /// \return a DURATION parameter as an ns-3 Time.
    ns3::Time GetTime(const std::string& name) const;
    /// \return any parameter's value.
    const CellValue& Get(const std::string& name) const;
    /// \return whether \p name is a parameter.
    bool Has(const std::string& name) const;

    /// \return {name: value} for every parameter (DURATION in seconds), sorted by name.
    nlohmann::json ToJson() const;

  private:
    /// One parameter's value and type.
    struct Entry
    {
        ParameterType type; //!< declared type
        CellValue value;    //!< checked value
    };

    /// \return the entry of \p name of type \p type (or \p other); throws std::logic_error.
    const Entry& Find(const std::string& name,
                      ParameterType type,
                      std::optional<ParameterType> other = std::nullopt) const;

    std::map<std::string, Entry> m_values; //!< by name

    friend class ParameterSet;
};

/**
 * The parameters of one scenario, in declaration order (the order of
 * --help). Each Add* returns the new declaration so that its range and unit
 * can be chained:
 *
 * \code
 *   ParameterSet& p = info.GetParameters();
 *   p.AddInt("uas", 10, "number of user agents").Range(1, 100000).Unit("UAs");
 *   p.AddDouble("loss", 0.0, "packet loss probability on the access links").Range(0, 1);
 *   p.AddDuration("duration", 600, "simulated time").Range(1, 86400);
 *   p.AddBool("tcp", false, "use TCP instead of UDP");
 *   p.AddEnum("keepalive", "crlf", {"crlf", "stun", "none"}, "keepalive mechanism");
 *   p.AddString("label", "", "free text copied into config.json");
 * \endcode
 *
 * Names must be snake_case and must not be one of the common run options
 * (help, config, seed, out, pcap, progress, quiet) or `name`.
 */
class ParameterSet
{
  public:
    /// Declare an INT parameter.
    ParameterSpec& AddInt(const std::string& name, int64_t defaultValue, const std::string& help);
    /// Declare a DOUBLE parameter.
    ParameterSpec& AddDouble(const std::string& name, double defaultValue, const std::string& help);
    /// Declare a BOOL parameter.
    ParameterSpec& AddBool(const std::string& name, bool defaultValue, const std::string& help);
    /// Declare a STRING parameter.
    ParameterSpec& AddString(const std::string& name,
                             const std::string& defaultValue,
                             const std::string& help);
    /// Declare an ENUM parameter; \p defaultValue must be one of \p choices.
    ParameterSpec& AddEnum(const std::string& name,
                           const std::string& defaultValue,
                           const std::vector<std::string>& choices,
                           const std::string& help);
    /// Declare a DURATION parameter, default in seconds.
    ParameterSpec& AddDuration(const std::string& name,
                               double defaultSeconds,
                               const std::string& help);

    /// \return the declarations, in order.
    const std::vector<ParameterSpec>& GetSpecs() const;

    /// \return the declaration of \p name, or nullptr.
    const ParameterSpec* Find(const std::string& name) const;

    /// \return the names, in declaration order.
    std::vector<std::string> GetNames() const;

    /**
     * Start from the defaults and apply \p assignments in order (a later one
     * wins: pass the config file's first, then the command line's).
     *
     * \param assignments the values given
     * \param scenario the scenario's name, for messages
     * \return every parameter's value
     * \throw ParameterError for an unknown name or a bad value
     */
    ParameterValues Resolve(const std::vector<ParameterAssignment>& assignments,
                            const std::string& scenario) const;

    /// \return the defaults alone.
    ParameterValues Defaults() const;

    /// Throw std::logic_error if a declaration is inconsistent.
    void CheckDeclarations() const;

    /// Names no parameter may take: the common run options, and Python's `name`.
    static const std::vector<std::string>& ReservedNames();

  private:
    /// Append a declaration after checking its name.
    ParameterSpec& Add(ParameterSpec spec);

    std::vector<ParameterSpec> m_specs; //!< in declaration order
};

} // namespace sipbed

#endif // SIPBED_SCENARIOS_PARAMETER_SET_H
