// sipbed run NAME [--param value ...] [--config FILE.ini] [--seed N] [--out DIR]
//                 [--pcap] [--progress|--quiet]

#include "cli.h"

#include <boost/program_options.hpp>

#include <cstdint>
#include <iostream>

namespace po = boost::program_options;

namespace sipbed
{

namespace
{

const char* const kRunUsage = "sipbed run NAME [--param value ...] [--config FILE.ini] "
                              "[--seed N] [--out DIR] [--pcap] [--progress|--quiet]";

/// The options every scenario takes; each scenario adds its own parameters.
po::options_description
CommonRunOptions()
{
    po::options_description options("Options common to every scenario");
    auto add = options.add_options();
    add("help,h", "print every parameter of the scenario and exit");
    add("config",
        po::value<std::string>()->value_name("FILE.ini"),
        "read parameters from an ini file (command-line values win)");
    add("seed", po::value<uint64_t>()->value_name("N"), "seed of every random stream");
    add("out", po::value<std::string>()->value_name("DIR"), "results directory");
    add("pcap", "write pcap traces into OUT/pcap/");
    add("progress", "show a progress bar");
    add("quiet", "print nothing but errors");
    return options;
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
                  "defaults,\nunits and meaning; 'sipbed list' lists the scenarios.",
                  CommonRunOptions());
        return kExitSuccess;
    }
    if (!name.empty() && name.front() == '-')
    {
        return UsageError(
            "sipbed run", kRunUsage, "expected a scenario name before '" + name + "'");
    }
    // The scenario registry is still empty: scenarios arrive with later issues.
    std::cerr << "sipbed: unknown scenario '" << name << "' (known: none yet)\n";
    return kExitBadInput;
}

} // namespace sipbed
