// sipbed list: the scenarios, one line each.

#include "cli.h"

#include <boost/program_options.hpp>

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
        PrintHelp(usage, "List the scenarios that 'sipbed run' knows, one line each.", options);
        return kExitSuccess;
    }
    // The scenario registry is still empty: scenarios arrive with later issues.
    std::cerr << "sipbed list: no scenarios are registered yet\n";
    return kExitSuccess;
}

} // namespace sipbed
