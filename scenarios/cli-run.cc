// sipbed run NAME [--param value ...] [--config FILE.ini] [--seed N] [--out DIR]
//                 [--pcap] [--progress|--quiet]
// The command-line face of ScenarioRunner: parse, run, report.

#include "sim/result-format.h"

#include "cli.h"
#include "scenario-registry.h"
#include "scenario-runner.h"

#include <boost/program_options.hpp>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <iostream>
#include <sstream>

namespace po = boost::program_options;

namespace sipbed
{

namespace
{

const char* const kRunUsage = "sipbed run NAME [--PARAM VALUE ...] [--config FILE.ini] "
                              "[--seed N] [--out DIR] [--pcap] [--progress|--quiet]";

/// Set by SIGINT/SIGTERM; polled by the run's heartbeat.
volatile std::sig_atomic_t g_interrupted = 0;

extern "C" void
OnInterrupt(int signal)
{
    if (g_interrupted)
    {
        // Second Ctrl-C: the run did not stop (an event that never returns); die now.
        std::signal(signal, SIG_DFL);
        std::raise(signal);
        return;
    }
    g_interrupted = 1;
}

/// Installs OnInterrupt for SIGINT and SIGTERM while alive.
class InterruptHandler
{
  public:
    InterruptHandler()
    {
        g_interrupted = 0;
        struct sigaction action = {};
        action.sa_handler = &OnInterrupt;
        sigemptyset(&action.sa_mask);
        sigaction(SIGINT, &action, &m_oldInt);
        sigaction(SIGTERM, &action, &m_oldTerm);
    }

    ~InterruptHandler()
    {
        sigaction(SIGINT, &m_oldInt, nullptr);
        sigaction(SIGTERM, &m_oldTerm, nullptr);
    }

    InterruptHandler(const InterruptHandler&) = delete;
    InterruptHandler& operator=(const InterruptHandler&) = delete;

  private:
    struct sigaction m_oldInt = {};  //!< previous SIGINT action
    struct sigaction m_oldTerm = {}; //!< previous SIGTERM action
};

/// "a, b, c", or "none".
std::string
JoinNames(const std::vector<std::string>& names)
{
    std::string text;
    for (const std::string& name : names)
    {
        text += (text.empty() ? "" : ", ") + name;
    }
    return text.empty() ? "none" : text;
}

/// The options every scenario takes.
po::options_description
CommonRunOptions()
{
    po::options_description options("Options common to every scenario");
    auto add = options.add_options();
    add("help,h", "print every parameter of the scenario and exit");
    add("config",
        po::value<std::string>()->value_name("FILE.ini"),
        "read parameters from an ini file: NAME = VALUE lines, top-level or in a [SCENARIO] "
        "section, and optionally seed = N (command-line values win over the file's, the "
        "file's over the defaults)");
    add("seed",
        po::value<std::string>()->value_name("N"),
        "seed of the run, an integer in [0, 2^64 - 1] (default: the config file's, else 1); "
        "the same parameters and seed give byte-identical summary.json, timeseries.csv and "
        "events.csv");
    add("out",
        po::value<std::string>()->value_name("DIR"),
        "results directory, which must not exist (default: "
        "results/SCENARIO-YYYYmmdd-HHMMSS-seedN, local time)");
    add("pcap", po::bool_switch(), "write pcap traces into DIR/pcap/");
    add("progress",
        po::bool_switch(),
        "print progress on stderr about every second: simulated time, wall time, events per "
        "second, ETA (default when stderr is a terminal)");
    add("quiet", po::bool_switch(), "print nothing but errors (no progress, no summary)");
    return options;
}

/// "10 UAs", "600 s", "crlf".
std::string
DefaultText(const ParameterSpec& spec)
{
    std::string text = spec.FormatValue(spec.GetDefault());
    if (!spec.GetUnit().empty())
    {
        text += " " + spec.GetUnit();
    }
    return text;
}

/// The scenario's parameters as options (values as text, checked by ParameterSpec).
po::options_description
ScenarioOptions(const ScenarioInfo& scenario)
{
    po::options_description options(
        "Parameters of " + scenario.GetName() +
        " (--NAME VALUE on the command line, NAME = VALUE in a --config file)");
    for (const ParameterSpec& spec : scenario.GetParameters().GetSpecs())
    {
        std::string text = spec.GetHelp() + ". Default: " + DefaultText(spec) +
                           ". Accepted: " + spec.DescribeAccepted();
        if (spec.GetType() == ParameterType::DURATION)
        {
            text += " (or with a unit: ms, us, ns, min, h)";
        }
        text += ".";
        options.add_options()(spec.GetName().c_str(),
                              po::value<std::string>()->value_name(spec.GetValueName()),
                              text.c_str());
    }
    return options;
}

void
PrintScenarioHelp(const ScenarioInfo& scenario)
{
    std::cout << "usage: sipbed run " << scenario.GetName()
              << " [--PARAM VALUE ...] [--config FILE.ini] [--seed N] [--out DIR] [--pcap] "
                 "[--progress|--quiet]\n\n"
              << scenario.GetName() << ": " << scenario.GetSummary() << "\n";
    if (!scenario.GetDescription().empty())
    {
        std::cout << "\n" << scenario.GetDescription() << "\n";
    }
    std::cout << "\n";
    if (scenario.GetParameters().GetSpecs().empty())
    {
        std::cout << "This scenario has no parameters.\n\n";
    }
    else
    {
        std::cout << ScenarioOptions(scenario) << "\n";
    }
    std::cout << CommonRunOptions() << "\n"
              << "Results: DIR/config.json, summary.json, timeseries.csv, events.csv, log.txt\n"
              << "(and pcap/ with --pcap), written under a temporary name and renamed when "
                 "complete.\n"
              << "Exit status: 0 success, 1 failure inside the run, 2 bad input.\n";
}

/// One summary value on one line: distributions compactly.
std::string
SummaryText(const nlohmann::json& value)
{
    if (value.is_object() && value.contains("n") && value.contains("p50"))
    {
        std::ostringstream text;
        for (const char* key : {"mean", "p50", "p95", "max", "n"})
        {
            text << (key[0] == 'm' && key[1] == 'e' ? "" : "  ") << key << " "
                 << (value[key].is_number_float() ? FormatNumber(value[key].get<double>())
                                                  : value[key].dump());
        }
        return text.str();
    }
    if (value.is_number_float())
    {
        return FormatNumber(value.get<double>());
    }
    return value.dump();
}

void
PrintSummary(const RunResult& result, const std::string& name)
{
    std::cout << name << ": " << FormatNumber(result.simulatedSeconds) << " s simulated in "
              << FormatNumber(std::round(result.wallSeconds * 1000) / 1000) << " s ("
              << result.eventCount << " events)\n"
              << "results: " << result.directory.string() << "\n";
    size_t width = 0;
    for (const auto& item : result.summary.items())
    {
        width = std::max(width, item.key().size());
    }
    for (const auto& item : result.summary.items())
    {
        std::cout << "  " << item.key() << std::string(width - item.key().size() + 2, ' ')
                  << SummaryText(item.value()) << "\n";
    }
}

} // namespace

int
RunMain(const std::vector<std::string>& args)
{
    if (args.empty())
    {
        return UsageError("sipbed run", kRunUsage, "no scenario given (see 'sipbed list')");
    }
    const std::string& name = args.front();
    if (name == "--help" || name == "-h")
    {
        PrintHelp(kRunUsage,
                  "Run scenario NAME and write its results directory.\n"
                  "'sipbed run NAME --help' lists the scenario's own parameters with their "
                  "defaults,\nunits, accepted values and meaning; 'sipbed list' lists the "
                  "scenarios.",
                  CommonRunOptions());
        return kExitSuccess;
    }
    if (!name.empty() && name.front() == '-')
    {
        return UsageError(
            "sipbed run", kRunUsage, "expected a scenario name before '" + name + "'");
    }
    const ScenarioInfo* scenario = ScenarioRegistry::Get().Find(name);
    if (!scenario)
    {
        std::cerr << "sipbed run: unknown scenario '" << name
                  << "' (known: " << JoinNames(ScenarioRegistry::Get().GetNames()) << ")\n";
        return kExitBadInput;
    }

    const std::string command = "sipbed run " + name;
    const std::string usage = "sipbed run " + name + " [--PARAM VALUE ...] [options]";
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (std::find(rest.begin(), rest.end(), "--help") != rest.end() ||
        std::find(rest.begin(), rest.end(), "-h") != rest.end())
    {
        PrintScenarioHelp(*scenario);
        return kExitSuccess;
    }

    po::options_description all;
    all.add(ScenarioOptions(*scenario)).add(CommonRunOptions());
    po::variables_map vm;
    try
    {
        // No guessing of abbreviations: a new parameter must not change what
        // an existing command line means.
        const int style =
            po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
        po::store(po::command_line_parser(rest).options(all).style(style).run(), vm);
        po::notify(vm);
    }
    catch (const po::unknown_option& e)
    {
        std::string option = e.get_option_name();
        while (!option.empty() && option.front() == '-')
        {
            option.erase(0, 1);
        }
        return UsageError(command,
                          usage,
                          "unknown parameter '" + option + "' (parameters: " +
                              JoinNames(scenario->GetParameters().GetNames()) + ")");
    }
    catch (const po::error& e)
    {
        return UsageError(command, usage, e.what());
    }

    RunOptions options;
    for (const ParameterSpec& spec : scenario->GetParameters().GetSpecs())
    {
        if (vm.count(spec.GetName()))
        {
            options.parameters.push_back(
                {spec.GetName(), CellValue(vm[spec.GetName()].as<std::string>()), ""});
        }
    }
    if (vm.count("config"))
    {
        options.configFile = vm["config"].as<std::string>();
    }
    if (vm.count("seed"))
    {
        const std::string text = vm["seed"].as<std::string>();
        options.seed = ScenarioRunner::ParseSeed(text);
        if (!options.seed)
        {
            return UsageError(command,
                              usage,
                              "--seed: invalid value '" + text +
                                  "': expected an integer in [0, 18446744073709551615]");
        }
    }
    if (vm.count("out"))
    {
        options.outDir = vm["out"].as<std::string>();
    }
    options.pcap = vm["pcap"].as<bool>();
    const bool quiet = vm["quiet"].as<bool>();
    const bool progress = vm["progress"].as<bool>();
    if (quiet && progress)
    {
        return UsageError(command, usage, "--progress and --quiet exclude each other");
    }
    const bool terminal = ::isatty(STDERR_FILENO) == 1;
    if (progress || (terminal && !quiet))
    {
        options.progress = &std::cerr;
        options.progressIsTerminal = terminal;
    }

    InterruptHandler interrupts;
    options.cancelRequested = [] {
        return g_interrupted != 0;
    };
    try
    {
        const RunResult result = ScenarioRunner::Run(*scenario, options);
        if (!quiet)
        {
            PrintSummary(result, name);
        }
        return kExitSuccess;
    }
    catch (const ParameterError& e)
    {
        std::cerr << command << ": " << e.what() << "\n"
                  << "Try '" << command << " --help' for the parameters and their ranges.\n";
        return kExitBadInput;
    }
    catch (const BadInputError& e)
    {
        std::cerr << command << ": " << e.what() << "\n";
        return kExitBadInput;
    }
    catch (const RunCancelled& e)
    {
        std::cerr << command << ": interrupted (" << e.what() << "); no results written\n";
        return kExitFailure;
    }
    catch (const std::exception& e)
    {
        std::cerr << command << ": error: " << e.what() << "\n";
        return kExitFailure;
    }
}

} // namespace sipbed
