// sipbed._core: the C++ side of the Python package. The scenario runner comes
// with a later issue; for now it exposes the version and the SIP parser.

#include "models/sip/sip-json.h"
#include "models/sip/sip-parser.h"

#include "sipbed-version.h"

#include <nlohmann/json.hpp>
#include <pybind11/pybind11.h>

#include <string>

namespace py = pybind11;

namespace
{

std::string
ParseToJson(const py::bytes& data)
{
    const std::string bytes = data;
    const sipbed::Result<sipbed::SipMessage> result = sipbed::ParseDatagram(bytes);
    if (!result.IsOk())
    {
        throw py::value_error(result.GetError().ToString());
    }
    // ToJson base64-encodes octets that are not UTF-8; `replace` is only a safety net.
    return sipbed::ToJson(result.GetValue())
        .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace

PYBIND11_MODULE(_core, m)
{
    m.doc() = "sipbed C++ core (pybind11): version and SIP parser";
    m.def(
        "version",
        [] { return std::string(SIPBED_VERSION); },
        "The sipbed version (the CMake project version).");
    m.def(
        "git_revision",
        [] { return std::string(SIPBED_GIT_REVISION); },
        "The git revision the module was configured from ('unknown' outside git).");
    m.def("parse",
          &ParseToJson,
          py::arg("data"),
          "Parse one SIP datagram and return its JSON view as a string.\n"
          "Raises ValueError with the parse error when the message is rejected.");
}
