// Shared helpers of the unit tests: the shared/ folder (RFC 4475 torture
// messages, spec notes), binary file reading, and the example SIP messages
// of the spec notes, normalized the same way for every test that uses them.
#ifndef SIPBED_TESTS_UNIT_TEST_SUPPORT_H
#define SIPBED_TESTS_UNIT_TEST_SUPPORT_H

#include "models/sip/sip-parser.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#ifndef SIPBED_SHARED_DIR
#    error \
        "SIPBED_SHARED_DIR must be the absolute path of shared/ (tests/CMakeLists.txt defines it)"
#endif

namespace sipbed
{
namespace test
{

inline std::string
SharedDir()
{
    return SIPBED_SHARED_DIR;
}

/// The whole file, byte for byte; throws (a test failure) when it cannot be read.
inline std::string
ReadFile(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        throw std::runtime_error("cannot read " + path.string());
    }
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// shared/torture/NAME.dat.
inline std::string
TortureBytes(const std::string& name)
{
    return ReadFile(std::filesystem::path(SharedDir()) / "torture" / (name + ".dat"));
}

/// One row of shared/torture/expected.tsv.
struct TortureRow
{
    std::string name;
    std::string section;  ///< RFC 4475 section
    std::string cls;      ///< valid | invalid | lenient | semantic
    std::string expected; ///< parse | 400 | 505 | drop | 400-or-parse | a response code
    std::string description;
};

inline std::vector<TortureRow>
LoadExpectedTsv()
{
    std::istringstream in(
        ReadFile(std::filesystem::path(SharedDir()) / "torture" / "expected.tsv"));
    std::vector<TortureRow> rows;
    std::string line;
    while (std::getline(in, line))
    {
        if (!line.empty() && line.back() == '\r')
        {
            line.pop_back();
        }
        if (line.empty() || line[0] == '#')
        {
            continue;
        }
        std::vector<std::string> cols;
        std::istringstream fields(line);
        std::string col;
        while (std::getline(fields, col, '\t'))
        {
            cols.push_back(col);
        }
        if (cols.size() < 5)
        {
            throw std::runtime_error("expected.tsv: fewer than 5 columns in: " + line);
        }
        rows.push_back({cols[0], cols[1], cols[2], cols[3], cols[4]});
    }
    return rows;
}

/// Bytes from a hex string ("30 82 01 52"); spaces are ignored.
/// The message `bytes` parse to; a test failure (and an empty message) if
/// they do not.
inline SipMessage
MustParse(const std::string& bytes)
{
    auto r = ParseDatagram(std::string_view(bytes));
    if (!r)
    {
        ADD_FAILURE() << "must parse: " << r.GetError().ToString() << "\n" << bytes;
        return SipMessage();
    }
    return r.GetValue();
}

inline std::string
Hex(std::string_view hex)
{
    std::string out;
    int high = -1;
    for (char c : hex)
    {
        int v = (c >= '0' && c <= '9')   ? c - '0'
                : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                         : -1;
        if (v < 0)
        {
            continue;
        }
        if (high < 0)
        {
            high = v;
        }
        else
        {
            out.push_back(static_cast<char>(high * 16 + v));
            high = -1;
        }
    }
    return out;
}

inline std::string
Repeat(std::string_view s, size_t n)
{
    std::string out;
    for (size_t i = 0; i < n; ++i)
    {
        out.append(s);
    }
    return out;
}

/// An example message of a spec note, normalized to wire form.
struct SpecExample
{
    std::string file;      ///< "gruu.md"
    int index = 0;         ///< 1-based, among the examples of that file
    int line = 0;          ///< line of the start line in the .md file
    std::string startLine; ///< as written in the note
    std::string bytes;     ///< the normalized message

    std::string Label() const
    {
        return file + " example " + std::to_string(index) + " (line " + std::to_string(line) +
               ": " + startLine + ")";
    }
};

/// True for `METHOD uri SIP/2.0` and `SIP/2.0 NNN ...`.
inline bool
IsStartLine(const std::string& line)
{
    static const std::regex kRequest(R"(^[A-Za-z0-9.!%*_+`'~-]+ [^ ]+ SIP/2\.0 *$)");
    static const std::regex kStatus(R"(^SIP/2\.0 [0-9]{3}( .*)?$)");
    return std::regex_match(line, kRequest) || std::regex_match(line, kStatus);
}

/// The example messages of shared/spec/*.md: every ``` block whose first line
/// is a request or status line, normalized as the roundtrip test documents:
/// LF -> CRLF; lines that are exactly "..." dropped; a missing empty line
/// after the headers added at the end; a Content-Length whose value is not a
/// number (`<to be computed>`, `<len>`, `--`) replaced by the body length.
inline std::vector<SpecExample>
ExtractSpecExamples()
{
    std::vector<std::filesystem::path> files;
    for (const auto& e :
         std::filesystem::directory_iterator(std::filesystem::path(SharedDir()) / "spec"))
    {
        if (e.path().extension() == ".md")
        {
            files.push_back(e.path());
        }
    }
    std::sort(files.begin(), files.end());

    static const std::regex kContentLength(R"(^(Content-Length|l)[ \t]*:[ \t]*(.*)$)",
                                           std::regex::icase);
    std::vector<SpecExample> out;
    for (const auto& path : files)
    {
        std::istringstream in(ReadFile(path));
        std::string line;
        int lineNo = 0;
        bool inBlock = false;
        int blockLine = 0;
        std::vector<std::string> block;
        int index = 0;
        while (std::getline(in, line))
        {
            ++lineNo;
            if (!line.empty() && line.back() == '\r')
            {
                line.pop_back();
            }
            if (line.compare(0, 3, "```") == 0)
            {
                if (!inBlock)
                {
                    inBlock = true;
                    blockLine = lineNo + 1;
                    block.clear();
                    continue;
                }
                inBlock = false;
                if (block.empty() || !IsStartLine(block[0]))
                {
                    continue;
                }
                SpecExample ex;
                ex.file = path.filename().string();
                ex.index = ++index;
                ex.line = blockLine;
                ex.startLine = block[0];

                std::vector<std::string> lines;
                for (const std::string& l : block)
                {
                    if (l != "...")
                    {
                        lines.push_back(l);
                    }
                }
                auto empty = std::find(lines.begin(), lines.end(), std::string());
                if (empty == lines.end())
                {
                    lines.push_back("");
                    empty = lines.end() - 1;
                }
                size_t headerCount = static_cast<size_t>(empty - lines.begin());
                std::string body;
                for (size_t i = headerCount + 1; i < lines.size(); ++i)
                {
                    body += lines[i] + "\r\n";
                }
                std::string bytes;
                for (size_t i = 0; i < headerCount; ++i)
                {
                    std::string l = lines[i];
                    std::smatch m;
                    if (i > 0 && std::regex_match(l, m, kContentLength))
                    {
                        std::string v = m[2].str();
                        while (!v.empty() && (v.back() == ' ' || v.back() == '\t'))
                        {
                            v.pop_back();
                        }
                        bool number = !v.empty() && std::all_of(v.begin(), v.end(), [](char c) {
                            return c >= '0' && c <= '9';
                        });
                        if (!number)
                        {
                            l = l.substr(0, static_cast<size_t>(m.position(2))) +
                                std::to_string(body.size());
                        }
                    }
                    bytes += l + "\r\n";
                }
                bytes += "\r\n" + body;
                ex.bytes = bytes;
                out.push_back(ex);
                continue;
            }
            if (inBlock)
            {
                block.push_back(line);
            }
        }
    }
    return out;
}

} // namespace test
} // namespace sipbed

#endif
