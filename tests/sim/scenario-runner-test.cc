// The scenario runner as a scenario author and a Python caller see it: the
// results directory, bad input, config files, failures, cancellation, and
// byte-identical results whatever ran before in the same process. Uses the
// test-only scenarios of tests/scenarios/.

#include "scenarios/scenario-registry.h"
#include "scenarios/scenario-runner.h"

#include "tests/scenarios/test-scenarios.h"
#include "tests/sim/scenario-test-support.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace
{

namespace fs = std::filesystem;
using namespace sipbed;
using test::ReadFile;

/// Split one CSV line (RFC 4180 quoting) into fields.
std::vector<std::string>
CsvFields(const std::string& line)
{
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (size_t i = 0; i < line.size(); ++i)
    {
        const char c = line[i];
        if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"')
        {
            fields.back() += '"';
            ++i;
        }
        else if (c == '"')
        {
            quoted = !quoted;
        }
        else if (c == ',' && !quoted)
        {
            fields.emplace_back();
        }
        else
        {
            fields.back() += c;
        }
    }
    return fields;
}

std::vector<std::vector<std::string>>
ReadCsv(const fs::path& path)
{
    std::vector<std::vector<std::string>> rows;
    std::istringstream in(ReadFile(path));
    std::string line;
    while (std::getline(in, line))
    {
        rows.push_back(CsvFields(line));
    }
    return rows;
}

/// Every entry of \p dir, by name.
std::set<std::string>
Entries(const fs::path& dir)
{
    std::set<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir))
    {
        names.insert(entry.path().filename().string());
    }
    return names;
}

class ScenarioRunnerTest : public test::ScenarioTest
{
  protected:
    void SetUp() override
    {
        RegisterTestScenarios();
        test::ScenarioTest::SetUp();
    }
};

TEST_F(ScenarioRunnerTest, ResultsDirectoryHasEveryFileWithTheDocumentedColumns)
{
    const RunResult result =
        ScenarioRunner::Run("test-udp-echo", Options("run", {{"label", "x, \"y\""}}));
    EXPECT_EQ(result.directory, m_dir / "run");
    EXPECT_EQ(Entries(m_dir), std::set<std::string>{"run"}); // no temporary left
    EXPECT_EQ(Entries(m_dir / "run"),
              (std::set<std::string>{
                  "config.json", "summary.json", "timeseries.csv", "events.csv", "log.txt"}));

    // config.json: every parameter (defaults included), seed, version, revision.
    const auto config = nlohmann::json::parse(ReadFile(m_dir / "run" / "config.json"));
    EXPECT_EQ(config["scenario"], "test-udp-echo");
    EXPECT_EQ(config["seed"], 1);
    EXPECT_EQ(config["parameters"]["packets"], 20);
    EXPECT_EQ(config["parameters"]["interval"], 0.1);
    EXPECT_EQ(config["parameters"]["echo"], true);
    EXPECT_EQ(config["parameters"]["payload"], "small");
    EXPECT_EQ(config["parameters"]["label"], "x, \"y\"");
    EXPECT_EQ(config["parameters"].size(), 10U);
    EXPECT_EQ(config["sipbed_version"], "0.1.0");
    EXPECT_TRUE(config["git_revision"].is_string());
    EXPECT_EQ(config["stop_time_s"], 5.0);
    EXPECT_EQ(config, result.config);

    // summary.json: snake_case metrics; a distribution as mean/p50/p95/max/n.
    const auto summary = nlohmann::json::parse(ReadFile(m_dir / "run" / "summary.json"));
    EXPECT_EQ(summary["sent_count"], 20);
    EXPECT_EQ(summary["echo_count"], 20);
    ASSERT_TRUE(summary["rtt_ms"].is_object());
    for (const char* key : {"mean", "p50", "p95", "max", "n"})
    {
        EXPECT_TRUE(summary["rtt_ms"].contains(key)) << key;
    }
    EXPECT_EQ(summary["rtt_ms"]["n"], 20);
    // 5 ms each way, transmission at ns-3's default CSMA rate, at most 20 ms
    // of echo delay, and the first packet's ARP exchange.
    EXPECT_GT(summary["rtt_ms"]["p50"].get<double>(), 10);
    EXPECT_LT(summary["rtt_ms"]["max"].get<double>(), 100);

    // timeseries.csv: t_s first, a row per 0.5 s up to the stop time included.
    const auto series = ReadCsv(m_dir / "run" / "timeseries.csv");
    ASSERT_EQ(series.size(), 11U);
    EXPECT_EQ(series[0], (std::vector<std::string>{"t_s", "sent_count", "echo_rate_pps"}));
    EXPECT_EQ(series[1][0], "0.5");
    EXPECT_EQ(series[10][0], "5");
    EXPECT_EQ(series[4][1], "20"); // all sent by t = 2 s
    EXPECT_EQ(series[10][2], "0");

    // events.csv: t_s,node,kind then the declared columns, on every row.
    const auto events = ReadCsv(m_dir / "run" / "events.csv");
    ASSERT_EQ(
        events[0],
        (std::vector<std::string>{"t_s", "node", "kind", "seq", "rtt_ms", "delayed", "note"}));
    ASSERT_EQ(events.size(), 1U + 1 + 20 * 3);
    for (const auto& row : events)
    {
        EXPECT_EQ(row.size(), 7U);
    }
    EXPECT_EQ(events[1],
              (std::vector<std::string>{"0", "client", "start", "", "", "", "x, \"y\""}));
    EXPECT_EQ(events[2], (std::vector<std::string>{"0.1", "client", "sent", "1", "", "", ""}));

    // log.txt: the stream allocations are listed.
    EXPECT_NE(ReadFile(m_dir / "run" / "log.txt").find("echo-jitter"), std::string::npos);
}

TEST_F(ScenarioRunnerTest, PcapTracesEveryDeviceWhenAsked)
{
    RunOptions options = Options("run");
    options.pcap = true;
    ScenarioRunner::Run("test-udp-echo", options);
    EXPECT_EQ(Entries(m_dir / "run" / "pcap"),
              (std::set<std::string>{"link-node-0-0.pcap", "link-node-1-0.pcap"}));
    // 24-byte pcap header plus 20 packets of each direction.
    EXPECT_GT(fs::file_size(m_dir / "run" / "pcap" / "link-node-0-0.pcap"), 24U + 40 * 16);

    // Point-to-point devices too (test-noise has both kinds); none without --pcap.
    options.outDir = (m_dir / "noise").string();
    ScenarioRunner::Run("test-noise", options);
    EXPECT_EQ(Entries(m_dir / "noise" / "pcap"),
              (std::set<std::string>{"lan-node-0-0.pcap",
                                     "lan-node-1-0.pcap",
                                     "lan-node-2-0.pcap",
                                     "p2p-node-0-1.pcap",
                                     "p2p-node-1-1.pcap"}));
    ScenarioRunner::Run("test-noise", Options("no-pcap"));
    EXPECT_FALSE(fs::exists(m_dir / "no-pcap" / "pcap"));
}

TEST_F(ScenarioRunnerTest, SameParametersAndSeedGiveByteIdenticalResultsWhateverRanBefore)
{
    const std::vector<std::pair<std::string, std::string>> parameters = {{"loss", "0.2"},
                                                                         {"jitter", "0.05"}};
    ScenarioRunner::Run("test-udp-echo", Options("first", parameters, 1));
    ScenarioRunner::Run("test-udp-echo", Options("other-seed", parameters, 2));
    ScenarioRunner::Run("test-noise", Options("noise"));
    EXPECT_THROW(ScenarioRunner::Run("test-udp-echo", Options("failed", {{"fail_at", "1"}})),
                 RunError);
    // An exception thrown through ns-3's event loop leaves nothing behind either.
    EXPECT_THROW(ScenarioRunner::Run("test-udp-echo",
                                     Options("thrown", {{"fail_at", "1"}, {"fail_mode", "throw"}})),
                 RunError);
    ScenarioRunner::Run("test-udp-echo", Options("again", parameters, 1));

    for (const char* file : {"summary.json", "timeseries.csv", "events.csv"})
    {
        const std::string first = ReadFile(m_dir / "first" / file);
        EXPECT_FALSE(first.empty()) << file;
        EXPECT_EQ(first, ReadFile(m_dir / "again" / file)) << file;
    }
    // The seed does matter: other losses and delays.
    EXPECT_NE(ReadFile(m_dir / "first" / "events.csv"),
              ReadFile(m_dir / "other-seed" / "events.csv"));
}

TEST_F(ScenarioRunnerTest, BadParametersNameTheParameterAndItsRangeAndWriteNothing)
{
    const fs::path parent = m_dir / "results";
    struct Case
    {
        std::string name;
        std::string value;
        std::string expected; // in the message
    };
    const std::vector<Case> cases = {
        {"packets",
         "0",
         "parameter 'packets': 0 is out of range: expected an integer in [1, 100000]"},
        {"packets", "many", "parameter 'packets': invalid value 'many': expected an integer"},
        {"packets", "2.5", "parameter 'packets': invalid value '2.5'"},
        {"loss", "1.5", "parameter 'loss': 1.5 is out of range: expected a number in [0, 1]"},
        {"loss", "nan", "parameter 'loss': invalid value 'nan'"},
        {"echo", "maybe", "parameter 'echo': invalid value 'maybe': expected true or false"},
        {"payload",
         "huge",
         "parameter 'payload': invalid value 'huge': expected one of: small, large"},
        {"interval", "5 parsecs", "parameter 'interval': invalid value '5 parsecs'"},
        {"interval", "2min", "parameter 'interval': 120 is out of range"},
        {"no_such", "1", "unknown parameter 'no_such' for scenario 'test-udp-echo'"},
    };
    for (const Case& c : cases)
    {
        RunOptions options = Options("results/run", {{c.name, c.value}});
        try
        {
            ScenarioRunner::Run("test-udp-echo", options);
            ADD_FAILURE() << c.name << "=" << c.value << " was accepted";
        }
        catch (const ParameterError& e)
        {
            EXPECT_EQ(e.GetParameter(), c.name);
            EXPECT_NE(std::string(e.what()).find(c.expected), std::string::npos)
                << "message: " << e.what();
        }
        EXPECT_FALSE(fs::exists(parent)) << c.name << "=" << c.value;
    }
    // The validator (fail_at <= duration) runs before anything is written, too.
    EXPECT_THROW(
        ScenarioRunner::Run("test-udp-echo",
                            Options("results/run", {{"fail_at", "10"}, {"duration", "5"}})),
        ParameterError);
    EXPECT_FALSE(fs::exists(parent));
    // So does an unknown scenario.
    EXPECT_THROW(ScenarioRunner::Run("no-such-scenario", Options("results/run")), BadInputError);
    EXPECT_FALSE(fs::exists(parent));
}

TEST_F(ScenarioRunnerTest, TypedValuesFromPythonAreCheckedLikeText)
{
    RunOptions options = Options("run");
    options.parameters = {{"packets", int64_t{5}, ""},
                          {"jitter", 0, ""}, // an integer for a double
                          {"echo", true, ""},
                          {"interval", 0.25, ""}};
    const RunResult result = ScenarioRunner::Run("test-udp-echo", options);
    EXPECT_EQ(result.config["parameters"]["packets"], 5);
    EXPECT_EQ(result.config["parameters"]["jitter"], 0.0);
    EXPECT_EQ(result.config["parameters"]["interval"], 0.25);

    RunOptions bad = Options("bad");
    bad.parameters = {{"packets", 2.5, ""}};
    EXPECT_THROW(ScenarioRunner::Run("test-udp-echo", bad), ParameterError);
    bad.parameters = {{"echo", int64_t{2}, ""}};
    EXPECT_THROW(ScenarioRunner::Run("test-udp-echo", bad), ParameterError);
    bad.parameters = {{"payload", int64_t{1}, ""}};
    EXPECT_THROW(ScenarioRunner::Run("test-udp-echo", bad), ParameterError);
    EXPECT_FALSE(fs::exists(m_dir / "bad"));
}

TEST_F(ScenarioRunnerTest, CommandLineWinsOverConfigFileWhichWinsOverDefaults)
{
    const fs::path ini = m_dir / "preset.ini";
    std::ofstream(ini) << "# a preset\n"
                          "seed = 7\n"
                          "packets = 3        ; top-level keys apply to every scenario\n"
                          "[test-noise]\n"
                          "whatever = 1\n"
                          "[test-udp-echo]\n"
                          "jitter = 0.5\n"
                          "payload = large\n"
                          "label = \"two words\"\n";
    RunOptions options = Options("run", {{"packets", "9"}});
    options.seed.reset();
    options.configFile = ini.string();
    const RunResult result = ScenarioRunner::Run("test-udp-echo", options);
    EXPECT_EQ(result.config["parameters"]["packets"], 9);  // command line
    EXPECT_EQ(result.config["parameters"]["jitter"], 0.5); // config file
    EXPECT_EQ(result.config["parameters"]["payload"], "large");
    EXPECT_EQ(result.config["parameters"]["label"], "two words");
    EXPECT_EQ(result.config["parameters"]["loss"], 0.0); // default
    EXPECT_EQ(result.config["seed"], 7);                 // config file
    options.seed = 8;
    options.outDir = (m_dir / "run2").string();
    EXPECT_EQ(ScenarioRunner::Run("test-udp-echo", options).config["seed"], 8);
}

TEST_F(ScenarioRunnerTest, ConfigFileErrorsNameFileLineAndKey)
{
    struct Case
    {
        std::string text;
        std::string expected;
    };
    const std::vector<Case> cases = {
        {"packets = 3\nbogus = 1\n", "preset.ini:2: unknown parameter 'bogus'"},
        {"\n[test-udp-echo]\npackets = lots\n",
         "preset.ini:3: parameter 'packets': invalid value 'lots': expected an integer in [1, "
         "100000]"},
        {"seed = -3\n", "preset.ini:1: key 'seed': invalid value '-3'"},
        {"[no-such-scenario]\n",
         "preset.ini:1: section [no-such-scenario] names no known scenario"},
        {"packets = 3\n[test-udp-echo]\npackets = 4\n", "preset.ini:3: key 'packets' is set twice"},
        {"just words\n", "preset.ini:1: expected 'key = value'"},
    };
    for (const Case& c : cases)
    {
        const fs::path ini = m_dir / "preset.ini";
        std::ofstream(ini) << c.text;
        RunOptions options = Options("results/run");
        options.configFile = ini.string();
        try
        {
            ScenarioRunner::Run("test-udp-echo", options);
            ADD_FAILURE() << "accepted: " << c.text;
        }
        catch (const BadInputError& e)
        {
            EXPECT_NE(std::string(e.what()).find(c.expected), std::string::npos)
                << "message: " << e.what();
        }
        EXPECT_FALSE(fs::exists(m_dir / "results"));
    }
    RunOptions options = Options("results/run");
    options.configFile = (m_dir / "missing.ini").string();
    EXPECT_THROW(ScenarioRunner::Run("test-udp-echo", options), BadInputError);
    options.configFile = m_dir.string(); // a directory
    EXPECT_THROW(ScenarioRunner::Run("test-udp-echo", options), BadInputError);
    EXPECT_FALSE(fs::exists(m_dir / "results"));
}

TEST_F(ScenarioRunnerTest, FailingRunLeavesNothingBehindAndSaysWhenItFailed)
{
    // RunContext::Fail from an event, an exception from an event.
    for (const char* mode : {"report", "throw"})
    {
        try
        {
            ScenarioRunner::Run(
                "test-udp-echo",
                Options("results/deeper/run", {{"fail_at", "1.5"}, {"fail_mode", mode}}));
            ADD_FAILURE() << mode << ": the run did not fail";
        }
        catch (const RunError& e)
        {
            EXPECT_NE(std::string(e.what()).find(
                          "scenario 'test-udp-echo' failed at t=1.5 s: injected failure (fail_at)"),
                      std::string::npos)
                << e.what();
        }
        // Neither the directory, nor a temporary one, nor the parents it created.
        EXPECT_TRUE(Entries(m_dir).empty()) << mode;
    }
}

TEST_F(ScenarioRunnerTest, ExistingResultsDirectoryIsBadInputAndIsLeftAlone)
{
    fs::create_directories(m_dir / "run");
    std::ofstream(m_dir / "run" / "mine.txt") << "keep me";
    EXPECT_THROW(ScenarioRunner::Run("test-udp-echo", Options("run")), BadInputError);
    EXPECT_EQ(Entries(m_dir / "run"), std::set<std::string>{"mine.txt"});
}

TEST_F(ScenarioRunnerTest, CancellationStopsTheRunAndRemovesItsDirectory)
{
    RunOptions options = Options("run", {{"duration", "3600"}, {"interval", "0.001"}});
    int polls = 0;
    options.cancelRequested = [&polls] {
        return ++polls >= 3;
    };
    EXPECT_THROW(ScenarioRunner::Run("test-udp-echo", options), RunCancelled);
    EXPECT_GE(polls, 3);
    EXPECT_TRUE(Entries(m_dir).empty());
    // The process can run again afterwards.
    ScenarioRunner::Run("test-udp-echo", Options("after"));
    EXPECT_TRUE(fs::exists(m_dir / "after" / "summary.json"));
}

TEST_F(ScenarioRunnerTest, ProgressLinesShowSimulatedTimeAndRate)
{
    std::ostringstream progress;
    RunOptions options = Options("run");
    options.progress = &progress;
    ScenarioRunner::Run("test-udp-echo", options);
    EXPECT_NE(progress.str().find("test-udp-echo: sim 5/5 s (100.0%)"), std::string::npos)
        << progress.str();
    EXPECT_NE(progress.str().find("events/s"), std::string::npos);
}

TEST_F(ScenarioRunnerTest, RegistryListsScenariosSortedAndRejectsBadDeclarations)
{
    const auto names = ScenarioRegistry::Get().GetNames();
    EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
    EXPECT_NE(ScenarioRegistry::Get().Find("test-udp-echo"), nullptr);
    EXPECT_THROW(ScenarioRegistry::Get().Add(UdpEchoTestScenario()), std::logic_error); // twice

    ScenarioInfo badDefault("bad-default", "x");
    badDefault.GetParameters().AddInt("n", 0, "a count").Range(1, 10);
    badDefault.SetFactory([] { return std::unique_ptr<Scenario>(); });
    EXPECT_THROW(ScenarioRegistry::Get().Add(badDefault), std::logic_error);

    ScenarioInfo noHelp("no-help", "x");
    noHelp.GetParameters().AddBool("flag", false, "");
    noHelp.SetFactory([] { return std::unique_ptr<Scenario>(); });
    EXPECT_THROW(ScenarioRegistry::Get().Add(noHelp), std::logic_error);

    ScenarioInfo reserved("reserved", "x");
    EXPECT_THROW(reserved.GetParameters().AddInt("seed", 1, "a seed"), std::logic_error);
    EXPECT_THROW(reserved.GetParameters().AddInt("NotSnake", 1, "x"), std::invalid_argument);
    EXPECT_THROW(ScenarioRegistry::Get().Add(ScenarioInfo("Not_Kebab", "x")), std::logic_error);
}

} // namespace
