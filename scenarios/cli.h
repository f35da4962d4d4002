#ifndef SIPBED_SCENARIOS_CLI_H
#define SIPBED_SCENARIOS_CLI_H

#include <boost/program_options/options_description.hpp>

#include <string>
#include <vector>

namespace sipbed
{

// Exit status of the sipbed program (DESIGN.md, user contract).
constexpr int kExitSuccess = 0;  //!< success
constexpr int kExitFailure = 1;  //!< failure inside a run (or a message that does not parse)
constexpr int kExitBadInput = 2; //!< bad input: unknown scenario, option or value; unreadable file

/**
 * One subcommand of the sipbed program: `sipbed NAME ARGS...`.
 *
 * Each subcommand lives in its own file (cli-NAME.cc) and receives the
 * arguments that follow its name; it prints its own --help.
 */
struct Subcommand
{
    const char* name;                                  //!< the word after "sipbed"
    const char* summary;                               //!< one line for `sipbed --help`
    int (*main)(const std::vector<std::string>& args); //!< runs it, returns the exit status
};

/**
 * The whole command line: `sipbed [--help|--version] COMMAND [ARGS...]`.
 * main.cc calls it; test programs register test-only scenarios
 * (ScenarioRegistry::Add) and then call it too.
 *
 * \return the exit status
 */
int SipbedMain(int argc, char** argv);

/// All subcommands, in the order `sipbed --help` lists them.
const std::vector<Subcommand>& Subcommands();

int ListMain(const std::vector<std::string>& args);
int RunMain(const std::vector<std::string>& args);
int ClaimsMain(const std::vector<std::string>& args);
int ParseMain(const std::vector<std::string>& args);

/// "sipbed 0.1.0 (git abcdef123456)".
std::string VersionString();

/**
 * Report bad command-line input the same way everywhere: "sipbed CMD: MESSAGE",
 * the usage line and a pointer to --help, on stderr.
 *
 * \return kExitBadInput, so callers can `return UsageError (...)`.
 */
int UsageError(const std::string& command, const std::string& usage, const std::string& message);

/// Print "usage: ...", a blank line and the options to stdout (for --help).
void PrintHelp(const std::string& usage,
               const std::string& description,
               const boost::program_options::options_description& options);

} // namespace sipbed

#endif // SIPBED_SCENARIOS_CLI_H
