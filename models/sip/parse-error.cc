#include "models/sip/parse-error.h"

namespace sipbed
{

std::string
ParseError::ToString() const
{
    std::string out;
    if (line > 0)
    {
        out += "line " + std::to_string(line);
    }
    if (!header.empty())
    {
        out += out.empty() ? "header " : ", header ";
        out += header;
    }
    if (!out.empty())
    {
        out += ": ";
    }
    out += reason;
    return out;
}

} // namespace sipbed
