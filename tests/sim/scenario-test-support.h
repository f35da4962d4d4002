// Shared by the scenario tests: a temporary folder per test and run options
// built from text parameters, as the command line passes them.
#ifndef SIPBED_TEST_SCENARIO_TEST_SUPPORT_H
#define SIPBED_TEST_SCENARIO_TEST_SUPPORT_H

#include "scenarios/scenario-runner.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

namespace sipbed
{
namespace test
{

using Params = std::vector<std::pair<std::string, std::string>>;

/// The whole file, bytes as they are ("" when it cannot be read).
inline std::string
ReadFile(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class ScenarioTest : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        std::string pattern = (std::filesystem::temp_directory_path() / "sipbed-scenario-test-XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        m_dir = pattern;
    }

    void TearDown() override
    {
        std::filesystem::remove_all(m_dir);
    }

    /// Options writing into m_dir/OUT with \p parameters (as text, like the command line).
    RunOptions Options(const std::string& out, const Params& parameters = {}, uint64_t seed = 1) const
    {
        RunOptions options;
        options.outDir = (m_dir / out).string();
        options.seed = seed;
        for (const auto& [name, value] : parameters)
        {
            options.parameters.push_back({name, CellValue(value), ""});
        }
        return options;
    }

    std::filesystem::path m_dir;
};

} // namespace test
} // namespace sipbed

#endif
