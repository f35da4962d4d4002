// sipbed._core: the C++ side of the Python package (analysis/sipbed). It runs
// scenarios in-process through the same ScenarioRunner as `sipbed run`, lists
// them with their parameters, and exposes the SIP parser. The Python package
// wraps these in sipbed.run / sipbed.scenarios / sipbed.parse.

#include "models/sip/sip-json.h"
#include "models/sip/sip-parser.h"
#include "scenarios/scenario-registry.h"
#include "scenarios/scenario-runner.h"

#include "sipbed-version.h"

#include <nlohmann/json.hpp>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <unistd.h>

#include <iostream>
#include <limits>
#include <optional>
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

/// A keyword argument as the runner's typed value: bool, int, float or str.
/// Anything else is a ValueError naming the parameter.
sipbed::CellValue
ToCellValue(const std::string& name, const py::handle& value)
{
    if (py::isinstance<py::bool_>(value))
    {
        return sipbed::CellValue(value.cast<bool>());
    }
    if (py::isinstance<py::int_>(value))
    {
        try
        {
            return sipbed::CellValue(value.cast<int64_t>());
        }
        catch (const py::cast_error&)
        {
            throw py::value_error("parameter '" + name + "': " + py::repr(value).cast<std::string>() +
                                  " is out of the 64-bit integer range");
        }
    }
    if (py::isinstance<py::float_>(value))
    {
        return sipbed::CellValue(value.cast<double>());
    }
    if (py::isinstance<py::str>(value))
    {
        return sipbed::CellValue(value.cast<std::string>());
    }
    throw py::value_error("parameter '" + name + "': a " +
                          py::str(py::type::handle_of(value).attr("__name__")).cast<std::string>() +
                          " is not a parameter value: expected bool, int, float or str");
}

/// The runner's seed from a Python int in [0, 2^64 - 1].
uint64_t
ToSeed(const py::int_& seed)
{
    if (PyObject_RichCompareBool(seed.ptr(), py::int_(0).ptr(), Py_LT) == 1 ||
        PyObject_RichCompareBool(seed.ptr(), py::int_(std::numeric_limits<uint64_t>::max()).ptr(), Py_GT) == 1)
    {
        throw py::value_error("seed: " + py::repr(seed).cast<std::string>() +
                              " is out of range: expected an integer in [0, 2^64 - 1]");
    }
    return seed.cast<uint64_t>();
}

/// The runner's options for \p params (keyword parameters); throws ValueError
/// for a value that is not a bool, int, float or str.
std::vector<sipbed::ParameterAssignment>
ToAssignments(const py::dict& params)
{
    std::vector<sipbed::ParameterAssignment> assignments;
    for (const auto& [key, value] : params)
    {
        const std::string parameter = py::str(key).cast<std::string>();
        assignments.push_back({parameter, ToCellValue(parameter, value), ""});
    }
    return assignments;
}

/// Check scenario \p name's parameters \p params without running it
/// (ScenarioRunner::ResolveInputs); ValueError naming the bad one.
void
CheckParameters(const std::string& name, const py::dict& params)
{
    sipbed::RunOptions options;
    options.parameters = ToAssignments(params);
    try
    {
        sipbed::ScenarioRunner::ResolveInputs(sipbed::ScenarioRunner::FindScenario(name), options);
    }
    catch (const sipbed::BadInputError& e)
    {
        throw py::value_error(e.what());
    }
}

/**
 * Run scenario \p name with the keyword parameters \p params. Holds the GIL
 * for the whole run (one run per process anyway) and polls for signals, so
 * that Ctrl-C raises KeyboardInterrupt after the runner has removed the
 * partial results directory.
 */
py::dict
RunScenario(const std::string& name,
            const py::dict& params,
            const std::optional<py::int_>& seed,
            const std::string& out,
            const std::string& configFile,
            bool pcap,
            bool progress)
{
    sipbed::RunOptions options;
    options.parameters = ToAssignments(params);
    if (seed)
    {
        options.seed = ToSeed(*seed);
    }
    options.outDir = out;
    options.configFile = configFile;
    options.pcap = pcap;
    if (progress)
    {
        options.progress = &std::cerr;
        options.progressIsTerminal = ::isatty(STDERR_FILENO) != 0;
    }
    bool interrupted = false;
    options.cancelRequested = [&interrupted] {
        if (!interrupted && PyErr_CheckSignals() != 0)
        {
            interrupted = true; // the KeyboardInterrupt (or other) is now pending
        }
        return interrupted;
    };

    sipbed::RunResult result;
    try
    {
        result = sipbed::ScenarioRunner::Run(name, options);
    }
    catch (const sipbed::BadInputError& e)
    {
        PyErr_Clear();
        throw py::value_error(e.what());
    }
    catch (const sipbed::RunCancelled& e)
    {
        if (interrupted && PyErr_Occurred() != nullptr)
        {
            throw py::error_already_set(); // KeyboardInterrupt, as Python raised it
        }
        PyErr_SetString(PyExc_KeyboardInterrupt, e.what());
        throw py::error_already_set();
    }
    catch (const sipbed::RunError& e)
    {
        throw std::runtime_error(e.what());
    }
    py::dict answer;
    answer["directory"] = result.directory.string();
    answer["config"] = result.config.dump();
    answer["summary"] = result.summary.dump();
    answer["simulated_s"] = result.simulatedSeconds;
    answer["wall_s"] = result.wallSeconds;
    answer["events_executed"] = result.eventCount;
    return answer;
}

/// Every registered scenario as JSON: name, summary, description, parameters.
std::string
ScenariosJson()
{
    nlohmann::json list = nlohmann::json::array();
    for (const sipbed::ScenarioInfo* info : sipbed::ScenarioRegistry::Get().List())
    {
        nlohmann::json parameters = nlohmann::json::array();
        for (const sipbed::ParameterSpec& spec : info->GetParameters().GetSpecs())
        {
            parameters.push_back(spec.ToJson());
        }
        list.push_back({{"name", info->GetName()},
                        {"summary", info->GetSummary()},
                        {"description", info->GetDescription()},
                        {"parameters", parameters}});
    }
    return list.dump();
}

} // namespace

PYBIND11_MODULE(_core, m)
{
    m.doc() = "sipbed C++ core (pybind11): the scenario runner, the scenario list and the SIP parser";
    m.def(
        "version",
        [] { return std::string(SIPBED_VERSION); },
        "The sipbed version (the CMake project version).");
    m.def(
        "git_revision",
        [] { return std::string(SIPBED_GIT_REVISION); },
        "The git revision the module was built from ('unknown' outside git).");
    m.def("parse",
          &ParseToJson,
          py::arg("data"),
          "Parse one SIP datagram and return its JSON view as a string.\n"
          "Raises ValueError with the parse error when the message is rejected.");
    m.def("run",
          &RunScenario,
          py::arg("name"),
          py::arg("params"),
          py::arg("seed") = py::none(),
          py::arg("out") = "",
          py::arg("config") = "",
          py::arg("pcap") = false,
          py::arg("progress") = false,
          "Run a scenario in-process; returns a dict: directory, config and summary (JSON text),\n"
          "simulated_s, wall_s, events_executed. Bad input raises ValueError naming the\n"
          "parameter (nothing written); a failure inside the run raises RuntimeError;\n"
          "Ctrl-C raises KeyboardInterrupt. Use sipbed.run, which returns a Result.");
    m.def("check",
          &CheckParameters,
          py::arg("name"),
          py::arg("params"),
          "Check a scenario's parameters without running it; ValueError naming a bad one.");
    m.def("scenarios", &ScenariosJson, "Every scenario with its parameters, as JSON text.");
}
