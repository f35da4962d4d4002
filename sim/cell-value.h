#ifndef SIPBED_SIM_CELL_VALUE_H
#define SIPBED_SIM_CELL_VALUE_H

#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

namespace sipbed
{

/**
 * One value of a results file: nothing, an integer, a real number, a boolean
 * or text. Converts implicitly from any C++ arithmetic type and from strings,
 * so metric helpers can take `{"flow", 3}` or `{"cause", "timeout"}` without
 * casts; the variant's own converting constructor would be ambiguous for
 * types such as uint32_t or size_t.
 */
class CellValue
{
  public:
    /// The value's kind.
    enum class Kind
    {
        EMPTY,
        INTEGER,
        REAL,
        BOOLEAN,
        TEXT
    };

    /// An empty value (an empty CSV cell, JSON null).
    CellValue() = default;

    /// Any integer type but bool. Unsigned values above INT64_MAX become reals.
    template <typename T,
              std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int> = 0>
    CellValue(T value) // NOLINT(google-explicit-constructor): implicit on purpose
    {
        if constexpr (std::is_unsigned_v<T> && sizeof(T) >= sizeof(int64_t))
        {
            if (value > static_cast<T>(std::numeric_limits<int64_t>::max()))
            {
                m_value = static_cast<double>(value);
                return;
            }
        }
        m_value = static_cast<int64_t>(value);
    }

    /// Any floating-point type.
    template <typename T, std::enable_if_t<std::is_floating_point_v<T>, int> = 0>
    CellValue(T value) // NOLINT(google-explicit-constructor)
        : m_value(static_cast<double>(value))
    {
    }

    /// A boolean.
    template <typename T, std::enable_if_t<std::is_same_v<T, bool>, int> = 0>
    CellValue(T value) // NOLINT(google-explicit-constructor)
        : m_value(value)
    {
    }

    /// Text.
    CellValue(const char* text);      // NOLINT(google-explicit-constructor)
    CellValue(std::string text);      // NOLINT(google-explicit-constructor)
    CellValue(std::string_view text); // NOLINT(google-explicit-constructor)

    /// \return the kind of value held.
    Kind GetKind() const;

    /// \return the integer; throws std::logic_error unless GetKind() is INTEGER.
    int64_t GetInteger() const;
    /// \return the number as a double (INTEGER or REAL); throws std::logic_error otherwise.
    double GetReal() const;
    /// \return the boolean; throws std::logic_error unless GetKind() is BOOLEAN.
    bool GetBoolean() const;
    /// \return the text; throws std::logic_error unless GetKind() is TEXT.
    const std::string& GetText() const;

    /// \return the value as one CSV field (see result-format.h; empty gives "").
    std::string ToCsv() const;

    /// \return the value as JSON (empty gives null).
    nlohmann::json ToJson() const;

    /// \return "integer", "real", "boolean", "text" or "empty", for messages.
    static const char* KindName(Kind kind);

  private:
    std::variant<std::monostate, int64_t, double, bool, std::string> m_value;
};

} // namespace sipbed

#endif // SIPBED_SIM_CELL_VALUE_H
