// Parameter lists: ";name=value;flag" after a header value (generic-param,
// RFC 3261 25.1) or inside a SIP URI (uri-parameter, 19.1.1).
#ifndef SIPBED_PARAM_LIST_H
#define SIPBED_PARAM_LIST_H

#include "models/sip/sip-text.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sipbed
{

struct Param
{
    std::string_view name;  ///< as written (compare case-insensitively)
    std::string_view value; ///< as written, quotes included; empty when absent
    bool hasValue = false;  ///< "name=value" rather than a bare "name"
};

/// A view over the raw text of a parameter list; parameters are read on
/// demand, so holding one costs no allocation. Built only by Parse, so the
/// text it views is known to be valid.
class ParamList
{
  public:
    enum class Syntax
    {
        kHeader, ///< SEMI generic-param: LWS allowed around ';' and '=', quoted values
        kUri,    ///< ";" uri-parameter: no LWS, paramchar values
    };

    ParamList() = default;

    /// Consumes *(SEMI param) at the scanner's position (for kHeader, trailing
    /// SWS before a ';' too). On a malformed parameter returns false with error set.
    static bool Parse(text::Scanner& s, Syntax syntax, ParamList& out, const char*& error);

    /// Value of the first parameter named `name` (case-insensitive): the raw
    /// value, "" for a parameter without value, nullopt when absent.
    std::optional<std::string_view> Get(std::string_view name) const;

    bool Has(std::string_view name) const
    {
        return Get(name).has_value();
    }

    /// Value with quotes removed and quoted-pairs decoded (header syntax) or
    /// %HH escapes decoded (URI syntax).
    std::optional<std::string> GetDecoded(std::string_view name) const;

    /// Calls f(const Param&) for each parameter in order until f returns false.
    template <class F>
    void ForEach(F f) const
    {
        text::Scanner s(m_raw);
        Param p;
        while (Next(s, p))
        {
            if (!f(p))
            {
                return;
            }
        }
    }

    std::vector<Param> ToVector() const;

    size_t Size() const;

    bool Empty() const
    {
        return m_raw.empty();
    }

    /// The text as received, from the first ';' on.
    std::string_view Raw() const
    {
        return m_raw;
    }

    Syntax GetSyntax() const
    {
        return m_syntax;
    }

    /// Canonical form: ";name=value" for each, no white space.
    void Render(std::string& out) const;

  private:
    bool Next(text::Scanner& s, Param& p) const;

    std::string_view m_raw;
    Syntax m_syntax = Syntax::kHeader;
};

} // namespace sipbed

#endif
