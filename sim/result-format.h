#ifndef SIPBED_SIM_RESULT_FORMAT_H
#define SIPBED_SIM_RESULT_FORMAT_H

#include <cstdint>
#include <string>
#include <string_view>

namespace sipbed
{

/**
 * \file
 * How numbers and text are written into results files, in one place so that
 * every file of a results directory agrees and stays byte-identical between
 * runs with the same parameters and seed.
 *
 * - CSV (timeseries.csv, events.csv): doubles in the shortest form that reads
 *   back to the same double (std::to_chars, C++17: "0.1", "1e-07", "nan",
 *   "inf"), except that integral values below 1e15 are written as integers
 *   ("12", "1000000"; -0 as "0"), integers in decimal, booleans as "true"/"false", text
 *   quoted after RFC 4180 when it holds a comma, a quote or a line break.
 * - JSON (config.json, summary.json): nlohmann-json's default serializer,
 *   which also prints the shortest round-trip form of a double ("0.1", "12.0")
 *   and writes NaN and infinities as null; objects have sorted keys.
 *
 * Both forms are locale-independent and exact: a value read back from a file
 * is the double that was written.
 */

/// The shortest decimal form of \p value that parses back to the same double.
std::string FormatNumber(double value);

/// \p value in decimal.
std::string FormatNumber(int64_t value);

/// \p text as one CSV field: unchanged, or quoted with inner quotes doubled (RFC 4180).
std::string CsvField(std::string_view text);

/**
 * Whether \p name is snake_case: a lowercase letter, then lowercase letters,
 * digits and single underscores, not ending with an underscore. Metric,
 * column and parameter names must be (they become Python identifiers,
 * pandas columns and JSON keys).
 */
bool IsSnakeCase(std::string_view name);

/**
 * Throw std::invalid_argument unless IsSnakeCase(\p name).
 *
 * \param name the name to check
 * \param what what it names, for the message ("metric", "event column", ...)
 */
void CheckSnakeCase(std::string_view name, std::string_view what);

} // namespace sipbed

#endif // SIPBED_SIM_RESULT_FORMAT_H
