#include "config-file.h"

#include "models/sip/sip-text.h"
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace sipbed
{

namespace
{

/// Cut an inline comment: '#' or ';' at the start or after whitespace.
std::string
StripComment(const std::string& line)
{
    for (size_t i = 0; i < line.size(); ++i)
    {
        if ((line[i] == '#' || line[i] == ';') &&
            (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t'))
        {
            return line.substr(0, i);
        }
    }
    return line;
}

} // namespace

ConfigFile
ConfigFile::Read(const std::string& path,
                 const std::string& scenario,
                 const std::vector<std::string>& knownScenarios)
{
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
    {
        throw ConfigFileError(path + ": cannot read config file: it is a directory");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        throw ConfigFileError(path + ": cannot read config file: " + std::strerror(errno));
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    if (in.bad())
    {
        throw ConfigFileError(path + ": cannot read config file: " + std::strerror(errno));
    }
    std::string text = buffer.str();
    if (text.rfind("\xEF\xBB\xBF", 0) == 0)
    {
        text.erase(0, 3); // UTF-8 byte order mark, as some editors write it
    }

    ConfigFile config;
    std::map<std::string, int> firstLine; // key -> line, to reject duplicates
    enum class Section
    {
        TOP,
        OURS,
        SKIPPED
    } section = Section::TOP;

    std::istringstream lines(text);
    std::string raw;
    int number = 0;
    while (std::getline(lines, raw))
    {
        ++number;
        const std::string where = path + ":" + std::to_string(number);
        if (!raw.empty() && raw.back() == '\r')
        {
            raw.pop_back();
        }
        const std::string line = std::string(text::Trim(StripComment(raw)));
        if (line.empty())
        {
            continue;
        }
        if (line.front() == '[')
        {
            if (line.back() != ']')
            {
                throw ConfigFileError(where + ": malformed section header '" + line + "'");
            }
            const std::string name = std::string(text::Trim(line.substr(1, line.size() - 2)));
            if (name == scenario)
            {
                section = Section::OURS;
            }
            else if (std::find(knownScenarios.begin(), knownScenarios.end(), name) !=
                     knownScenarios.end())
            {
                section = Section::SKIPPED;
            }
            else
            {
                throw ConfigFileError(where + ": section [" + name +
                                      "] names no known scenario (this run is [" + scenario +
                                      "]; see 'sipbed list')");
            }
            continue;
        }
        const size_t equals = line.find('=');
        if (equals == std::string::npos)
        {
            throw ConfigFileError(where + ": expected 'key = value' or '[scenario]', got '" + line +
                                  "'");
        }
        const std::string key = std::string(text::Trim(line.substr(0, equals)));
        std::string value = std::string(text::Trim(line.substr(equals + 1)));
        if (key.empty())
        {
            throw ConfigFileError(where + ": missing key before '='");
        }
        if (section == Section::SKIPPED)
        {
            continue;
        }
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
        {
            value = value.substr(1, value.size() - 2);
        }
        const auto [it, inserted] = firstLine.emplace(key, number);
        if (!inserted)
        {
            throw ConfigFileError(where + ": key '" + key + "' is set twice (first on line " +
                                  std::to_string(it->second) + ")");
        }
        ParameterAssignment assignment{key, CellValue(value), where};
        if (key == "seed")
        {
            config.m_seed = std::move(assignment);
        }
        else
        {
            config.m_assignments.push_back(std::move(assignment));
        }
    }
    return config;
}

const std::vector<ParameterAssignment>&
ConfigFile::GetAssignments() const
{
    return m_assignments;
}

const std::optional<ParameterAssignment>&
ConfigFile::GetSeed() const
{
    return m_seed;
}

} // namespace sipbed
