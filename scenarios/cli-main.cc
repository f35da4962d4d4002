// The sipbed command line: `sipbed [--help|--version] COMMAND [ARGS...]`.
// Global options come before the command; everything after the command name
// belongs to the subcommand (so `sipbed run NAME --help` reaches `run`).
// main.cc only calls SipbedMain, so that test programs can register test-only
// scenarios first and then run the very same command line.

#include "cli.h"

#include <boost/program_options.hpp>

#include <exception>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

namespace sipbed
{

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
    for (const auto& command : Subcommands())
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
        return UsageError("sipbed", kUsage, e.what());
    }
    if (vm.count("help"))
    {
        PrintTopLevelHelp(options);
        return kExitSuccess;
    }
    if (vm.count("version"))
    {
        std::cout << VersionString() << "\n";
        return kExitSuccess;
    }
    if (i >= argc)
    {
        return UsageError("sipbed", kUsage, "no command given");
    }

    const std::string name = argv[i];
    const std::vector<std::string> args(argv + i + 1, argv + argc);
    for (const auto& command : Subcommands())
    {
        if (name == command.name)
        {
            return command.main(args);
        }
    }
    return UsageError("sipbed", kUsage, "unknown command '" + name + "'");
}

} // namespace

int
SipbedMain(int argc, char** argv)
{
    try
    {
        return Main(argc, argv);
    }
    catch (const std::exception& e)
    {
        std::cerr << "sipbed: error: " << e.what() << "\n";
        return kExitFailure;
    }
}

} // namespace sipbed
