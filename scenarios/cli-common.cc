#include "cli.h"
#include "sipbed-version.h"

#include <iostream>

namespace sipbed
{

const std::vector<Subcommand>&
Subcommands()
{
    static const std::vector<Subcommand> commands = {
        {"list", "list the scenarios, one line each", &ListMain},
        {"run", "run a scenario: sipbed run NAME [--param value ...]", &RunMain},
        {"claims", "run the security-claims matrix", &ClaimsMain},
        {"parse", "parse raw SIP messages and print them canonically (or as JSON)", &ParseMain},
    };
    return commands;
}

std::string
VersionString()
{
    return std::string("sipbed ") + SIPBED_VERSION + " (git " + SIPBED_GIT_REVISION + ")";
}

int
UsageError(const std::string& command, const std::string& usage, const std::string& message)
{
    std::cerr << command << ": " << message << "\n"
              << "usage: " << usage << "\n"
              << "Try '" << command << " --help' for more information.\n";
    return kExitBadInput;
}

void
PrintHelp(const std::string& usage,
          const std::string& description,
          const boost::program_options::options_description& options)
{
    std::cout << "usage: " << usage << "\n\n" << description << "\n\n" << options;
}

} // namespace sipbed
