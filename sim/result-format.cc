#include "result-format.h"

#include <array>
#include <charconv>
#include <cmath>
#include <stdexcept>
#include <system_error>

namespace sipbed
{

std::string
FormatNumber(double value)
{
    // Integral values print as integers ("1000000", not to_chars' shorter
    // "1e+06"): still exact, and what a reader expects of counts.
    if (std::isfinite(value) && std::trunc(value) == value && std::fabs(value) < 1e15)
    {
        return FormatNumber(static_cast<int64_t>(value));
    }
    // to_chars without a format gives the shortest round-trip form (C++17,
    // libstdc++ >= 11), independent of the locale, unlike printf("%g").
    std::array<char, 64> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    if (result.ec != std::errc())
    {
        throw std::runtime_error("FormatNumber: cannot format a double");
    }
    return std::string(buffer.data(), result.ptr);
}

std::string
FormatNumber(int64_t value)
{
    std::array<char, 32> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    return std::string(buffer.data(), result.ptr);
}

std::string
CsvField(std::string_view text)
{
    if (text.find_first_of(",\"\r\n") == std::string_view::npos)
    {
        return std::string(text);
    }
    std::string quoted = "\"";
    for (char c : text)
    {
        if (c == '"')
        {
            quoted += '"';
        }
        quoted += c;
    }
    quoted += '"';
    return quoted;
}

bool
IsSnakeCase(std::string_view name)
{
    if (name.empty() || name.front() < 'a' || name.front() > 'z' || name.back() == '_')
    {
        return false;
    }
    char previous = '\0';
    for (char c : name)
    {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        if (!ok || (c == '_' && previous == '_'))
        {
            return false;
        }
        previous = c;
    }
    return true;
}

void
CheckSnakeCase(std::string_view name, std::string_view what)
{
    if (!IsSnakeCase(name))
    {
        throw std::invalid_argument(std::string(what) + " name '" + std::string(name) +
                                    "' is not snake_case (lowercase letters, digits and "
                                    "single underscores, starting with a letter)");
    }
}

} // namespace sipbed
