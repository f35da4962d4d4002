// The sipbed program: `sipbed [--help|--version] COMMAND [ARGS...]`.
// Global options come before the command; everything after the command name
// belongs to the subcommand (so `sipbed run NAME --help` reaches `run`).

#include "cli.h"

#include <boost/program_options.hpp>

#include <exception>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

namespace po = boost::program_options;

namespace
{

const char* const kUsage = "sipbed [--help] [--version] COMMAND [ARGS...]";

void
PrintTopLevelHelp(const po::options_description& options)
{
    std::cout << "usage: " << kUsage << "\n\n"
              << "sipbed: SIP simulation harness on ns-3.\n\n"
              << "Commands:\n";
    for (const auto& command : sipbed::Subcommands())
    {
        std::cout << "  " << std::left << std::setw(8) << command.name << command.summary << "\n";
    }
    std::cout << "\n"
              << options << "\n"
              << "Run 'sipbed COMMAND --help' for the options of a command.\n"
              << "Exit status: 0 success, 1 failure inside a run (or a message that does not\n"
              << "parse), 2 bad input (unknown scenario, option or value, unreadable file).\n";
}

int
Main(int argc, char** argv)
{
    std::vector<std::string> globalArgs;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; ++i)
    {
        globalArgs.emplace_back(argv[i]);
    }

    po::options_description options("Options");
    auto add = options.add_options();
    add("help,h", "print this help and exit");
    add("version,V", "print the version and the git revision it was built from, and exit");
    po::variables_map vm;
    try
    {
        po::store(po::command_line_parser(globalArgs).options(options).run(), vm);
        po::notify(vm);
    }
    catch (const po::error& e)
    {
        return sipbed::UsageError("sipbed", kUsage, e.what());
    }
    if (vm.count("help"))
    {
        PrintTopLevelHelp(options);
        return sipbed::kExitSuccess;
    }
    if (vm.count("version"))
    {
        std::cout << sipbed::VersionString() << "\n";
        return sipbed::kExitSuccess;
    }
    if (i >= argc)
    {
        return sipbed::UsageError("sipbed", kUsage, "no command given");
    }

    const std::string name = argv[i];
    const std::vector<std::string> args(argv + i + 1, argv + argc);
    for (const auto& command : sipbed::Subcommands())
    {
        if (name == command.name)
        {
            return command.main(args);
        }
    }
    return sipbed::UsageError("sipbed", kUsage, "unknown command '" + name + "'");
}

} // namespace

int
main(int argc, char** argv)
{
    try
    {
        return Main(argc, argv);
    }
    catch (const std::exception& e)
    {
        std::cerr << "sipbed: error: " << e.what() << "\n";
        return sipbed::kExitFailure;
    }
}
