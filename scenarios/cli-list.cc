// sipbed list: the scenarios, one line each.

#include "cli.h"
#include "scenario-registry.h"

#include <boost/program_options.hpp>

#include <algorithm>
#include <iomanip>
#include <iostream>

namespace po = boost::program_options;

namespace sipbed
{

int
ListMain(const std::vector<std::string>& args)
{
    const std::string usage = "sipbed list";
    po::options_description options("Options");
    options.add_options()("help,h", "print this help and exit");
    po::variables_map vm;
    try
    {
        po::store(po::command_line_parser(args).options(options).run(), vm);
        po::notify(vm);
    }
    catch (const po::error& e)
    {
        return UsageError("sipbed list", usage, e.what());
    }
    if (vm.count("help"))
    {
        PrintHelp(usage,
                  "List the scenarios that 'sipbed run' knows, one line each: the name and a\n"
                  "summary. 'sipbed run NAME --help' lists a scenario's parameters.",
                  options);
        return kExitSuccess;
    }
    const auto scenarios = ScenarioRegistry::Get().List();
    if (scenarios.empty())
    {
        std::cerr << "sipbed list: no scenarios are registered yet\n";
        return kExitSuccess;
    }
    size_t width = 0;
    for (const ScenarioInfo* scenario : scenarios)
    {
        width = std::max(width, scenario->GetName().size());
    }
    for (const ScenarioInfo* scenario : scenarios)
    {
        std::cout << std::left << std::setw(static_cast<int>(width) + 2) << scenario->GetName()
                  << scenario->GetSummary() << "\n";
    }
    return kExitSuccess;
}

} // namespace sipbed
