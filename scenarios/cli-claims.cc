// sipbed claims [--out DIR]: the security-claims matrix.

#include "cli.h"

#include <boost/program_options.hpp>

#include <iostream>

namespace po = boost::program_options;

namespace sipbed
{

int
ClaimsMain(const std::vector<std::string>& args)
{
    const std::string usage = "sipbed claims [--out DIR]";
    po::options_description options("Options");
    auto add = options.add_options();
    add("help,h", "print this help and exit");
    add("out",
        po::value<std::string>()->value_name("DIR"),
        "write claims.json and claims.md into DIR");
    po::variables_map vm;
    try
    {
        po::store(po::command_line_parser(args).options(options).run(), vm);
        po::notify(vm);
    }
    catch (const po::error& e)
    {
        return UsageError("sipbed claims", usage, e.what());
    }
    if (vm.count("help"))
    {
        PrintHelp(usage,
                  "Run every security or behaviour claim of the seed drafts that a simulation\n"
                  "can test and print a verdict with the measured evidence.\n"
                  "Not implemented yet: it needs the scenarios, which arrive with later issues.",
                  options);
        return kExitSuccess;
    }
    std::cerr << "sipbed claims: not implemented yet (the claims matrix needs the scenarios, "
                 "which arrive with later issues)\n";
    return kExitBadInput;
}

} // namespace sipbed
