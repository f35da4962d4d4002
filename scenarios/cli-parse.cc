// sipbed parse [--json] FILE...: parse raw SIP messages (one datagram per file,
// '-' for standard input) and print their canonical re-serialization or a JSON view.

#include "models/sip/sip-json.h"
#include "models/sip/sip-parser.h"

#include "cli.h"

#include <boost/program_options.hpp>
#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <optional>

namespace po = boost::program_options;

namespace sipbed
{

namespace
{

const char* const kParseUsage = "sipbed parse [--json] FILE...";

/**
 * Read a whole file (or standard input for "-") as raw bytes: a SIP datagram
 * may hold any octet, NUL included.
 *
 * \return the bytes, or nothing with errno set.
 */
std::optional<std::string>
ReadAll(const std::string& path)
{
    const bool isStdin = (path == "-");
    const int fd = isStdin ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
    {
        return std::nullopt;
    }
    std::string bytes;
    char buffer[65536];
    for (;;)
    {
        const ssize_t n = ::read(fd, buffer, sizeof(buffer));
        if (n > 0)
        {
            bytes.append(buffer, static_cast<size_t>(n));
            continue;
        }
        if (n < 0 && errno == EINTR)
        {
            continue;
        }
        if (n < 0)
        {
            const int saved = errno;
            if (!isStdin)
            {
                ::close(fd);
            }
            errno = saved;
            return std::nullopt;
        }
        break;
    }
    if (!isStdin)
    {
        ::close(fd);
    }
    return bytes;
}

/// What a receiver does with the rejected message, from ParseError::status.
std::string
Consequence(const ParseError& error)
{
    if (error.status == 0)
    {
        return "response discarded";
    }
    return "a request gets " + std::to_string(error.status);
}

} // namespace

int
ParseMain(const std::vector<std::string>& args)
{
    po::options_description options("Options");
    auto add = options.add_options();
    add("help,h", "print this help and exit");
    add("json", "print a structured JSON view (2-space indent) instead of the canonical message");
    po::options_description hidden;
    hidden.add_options()("file", po::value<std::vector<std::string>>(), "input file");
    po::options_description all;
    all.add(options).add(hidden);
    po::positional_options_description positional;
    positional.add("file", -1);

    po::variables_map vm;
    try
    {
        po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
        po::notify(vm);
    }
    catch (const po::error& e)
    {
        return UsageError("sipbed parse", kParseUsage, e.what());
    }
    if (vm.count("help"))
    {
        PrintHelp(kParseUsage,
                  "Parse each FILE as one SIP datagram ('-' reads standard input) and print\n"
                  "its canonical re-serialization, or with --json a structured view. With\n"
                  "several files, each output is preceded by a line '==> FILE <=='.\n"
                  "A message that cannot be parsed prints 'FILE: error: <reason>' on stderr\n"
                  "and makes the exit status 1; an unreadable file makes it 2. The other\n"
                  "files are still processed.",
                  options);
        return kExitSuccess;
    }
    if (!vm.count("file"))
    {
        return UsageError("sipbed parse", kParseUsage, "no input file given");
    }

    const bool json = vm.count("json") > 0;
    const auto& files = vm["file"].as<std::vector<std::string>>();
    int status = kExitSuccess;
    bool printedAny = false;
    for (const auto& file : files)
    {
        const std::string label = (file == "-") ? "<stdin>" : file;
        const auto bytes = ReadAll(file);
        if (!bytes)
        {
            std::cout.flush(); // keep stdout and stderr in order when both go to one place
            std::cerr << label << ": error: cannot read: " << std::strerror(errno) << "\n";
            status = std::max(status, kExitBadInput);
            continue;
        }
        const Result<SipMessage> result = ParseDatagram(*bytes);
        if (!result.IsOk())
        {
            std::cout.flush();
            std::cerr << label << ": error: " << result.GetError().ToString() << " ("
                      << Consequence(result.GetError()) << ")\n";
            status = std::max(status, kExitFailure);
            continue;
        }
        if (files.size() > 1)
        {
            // As head(1) does: a blank line between outputs, which also ends a
            // body that has no final line break.
            std::cout << (printedAny ? "\n" : "") << "==> " << label << " <==\n";
        }
        printedAny = true;
        if (json)
        {
            // ToJson already base64-encodes octets that are not UTF-8 (RFC 4475
            // 3.1.1.11); `replace` is a safety net so that no string can abort the dump.
            std::cout << ToJson(result.GetValue())
                             .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
                      << "\n";
        }
        else
        {
            const std::string out = result.GetValue().Serialize();
            std::cout.write(out.data(), static_cast<std::streamsize>(out.size()));
        }
    }
    std::cout.flush();
    return status;
}

} // namespace sipbed
