#include "scenario-runner.h"

#include "sim/result-format.h"

#include "config-file.h"
#include "progress-monitor.h"
#include "results-directory.h"
#include "run-context.h"
#include "scenario-registry.h"
#include "sipbed-version.h"

#include "ns3/config.h"
#include "ns3/csma-net-device.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-address-generator.h"
#include "ns3/ipv6-address-generator.h"
#include "ns3/mac16-address.h"
#include "ns3/mac48-address.h"
#include "ns3/mac64-address.h"
#include "ns3/mac8-address.h"
#include "ns3/names.h"
#include "ns3/node-container.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/simulator.h"
#include "ns3/version-defines.h"

#include <atomic>
#include <charconv>
#include <chrono>
#include <ctime>
#include <fstream>
#include <memory>

namespace sipbed
{

namespace fs = std::filesystem;

namespace
{

/// ns-3's own seed; the run number carries --seed (see ScenarioRunner).
constexpr uint32_t kNs3Seed = 1;

/// Set while a run is in progress: ns-3's simulator is one per process.
std::atomic<bool> g_running{false};

/// Holds g_running for the duration of a run.
class RunGuard
{
  public:
    RunGuard()
    {
        if (g_running.exchange(true))
        {
            throw RunError("another scenario is already running in this process "
                           "(ns-3 has one simulator per process)");
        }
    }

    ~RunGuard()
    {
        g_running = false;
    }

    RunGuard(const RunGuard&) = delete;
    RunGuard& operator=(const RunGuard&) = delete;
};

std::string
Ns3Version()
{
    return std::to_string(NS3_VERSION_MAJOR) + "." + std::to_string(NS3_VERSION_MINOR) +
           (NS3_VERSION_PATCH != 0 ? "." + std::to_string(NS3_VERSION_PATCH) : "");
}

/// Write \p text to \p path, or throw RunError.
void
WriteFile(const fs::path& path, const std::string& text)
{
    std::ofstream out(path, std::ios::binary);
    out << text;
    out.close();
    if (!out)
    {
        throw RunError("cannot write '" + path.string() + "'");
    }
}

/// Open \p path for writing, or throw RunError.
std::unique_ptr<std::ofstream>
OpenOutput(const fs::path& path)
{
    auto out = std::make_unique<std::ofstream>(path, std::ios::binary);
    if (!*out)
    {
        throw RunError("cannot create '" + path.string() + "'");
    }
    return out;
}

/// Close \p out, or throw RunError naming \p path (a full disk shows up here).
void
CloseOutput(std::ofstream& out, const fs::path& path)
{
    out.close();
    if (!out)
    {
        throw RunError("cannot write '" + path.string() + "'");
    }
}

/**
 * Fixed streams for the ns-3 models that draw random numbers of their own,
 * from 2^40 up, node by node in id order.
 *
 * \return a line for log.txt
 */
std::string
AssignNs3Streams()
{
    const int64_t first = StreamAllocator::kDefaultLimit;
    int64_t next = first;
    ns3::NodeContainer all = ns3::NodeContainer::GetGlobal();
    for (uint32_t i = 0; i < all.GetN(); ++i)
    {
        ns3::Ptr<ns3::Node> node = all.Get(i);
        next += ns3::InternetStackHelper().AssignStreams(ns3::NodeContainer(node), next);
        for (uint32_t d = 0; d < node->GetNDevices(); ++d)
        {
            if (auto csma = ns3::DynamicCast<ns3::CsmaNetDevice>(node->GetDevice(d)))
            {
                next += csma->AssignStreams(next);
            }
        }
    }
    return "ns-3 models (internet stacks, CSMA): streams " + std::to_string(first) + ".." +
           std::to_string(next - 1) + " (" + std::to_string(next - first) + ")";
}

std::string
JsonText(const nlohmann::json& json)
{
    return json.dump(2) + "\n";
}

} // namespace

std::optional<uint64_t>
ScenarioRunner::ParseSeed(const std::string& text)
{
    uint64_t seed = 0;
    const char* end = text.data() + text.size();
    const auto result = std::from_chars(text.data(), end, seed);
    if (text.empty() || result.ec != std::errc() || result.ptr != end)
    {
        return std::nullopt;
    }
    return seed;
}

ResolvedInputs
ScenarioRunner::ResolveInputs(const ScenarioInfo& scenario, const RunOptions& options)
{
    std::vector<ParameterAssignment> assignments;
    std::optional<uint64_t> configSeed;
    if (!options.configFile.empty())
    {
        const ConfigFile config = ConfigFile::Read(
            options.configFile, scenario.GetName(), ScenarioRegistry::Get().GetNames());
        assignments = config.GetAssignments();
        if (const auto& seed = config.GetSeed())
        {
            configSeed = ParseSeed(seed->value.GetText());
            if (!configSeed)
            {
                throw ConfigFileError(seed->origin + ": key 'seed': invalid value '" +
                                      seed->value.GetText() +
                                      "': expected an integer in [0, 18446744073709551615]");
            }
        }
    }
    assignments.insert(assignments.end(), options.parameters.begin(), options.parameters.end());
    ResolvedInputs inputs{scenario.Resolve(assignments), kDefaultSeed};
    inputs.seed = options.seed ? *options.seed : configSeed.value_or(kDefaultSeed);
    return inputs;
}

fs::path
ScenarioRunner::DefaultOutputDirectory(const std::string& scenario, uint64_t seed)
{
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    char stamp[32];
    std::strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &local);
    const std::string base = scenario + "-" + stamp + "-seed" + std::to_string(seed);
    fs::path path = fs::path("results") / base;
    for (int n = 2; fs::exists(path); ++n)
    {
        path = fs::path("results") / (base + "-" + std::to_string(n));
    }
    return path;
}

void
ScenarioRunner::ResetSimulatorState()
{
    ns3::Simulator::Destroy();
    ns3::Config::Reset();
    ns3::Names::Clear();
    ns3::Ipv4AddressGenerator::Reset();
    ns3::Ipv6AddressGenerator::Reset();
    ns3::Mac8Address::ResetAllocationIndex();
    ns3::Mac16Address::ResetAllocationIndex();
    ns3::Mac48Address::ResetAllocationIndex();
    ns3::Mac64Address::ResetAllocationIndex();
}

const ScenarioInfo&
ScenarioRunner::FindScenario(const std::string& name)
{
    const ScenarioInfo* scenario = ScenarioRegistry::Get().Find(name);
    if (!scenario)
    {
        std::string known;
        for (const std::string& n : ScenarioRegistry::Get().GetNames())
        {
            known += (known.empty() ? "" : ", ") + n;
        }
        throw BadInputError("unknown scenario '" + name +
                            "' (known: " + (known.empty() ? "none" : known) + ")");
    }
    return *scenario;
}

RunResult
ScenarioRunner::Run(const std::string& name, const RunOptions& options)
{
    return Run(FindScenario(name), options);
}

RunResult
ScenarioRunner::Run(const ScenarioInfo& scenario, const RunOptions& options)
{
    scenario.CheckDeclaration();
    const ResolvedInputs inputs = ResolveInputs(scenario, options);

    fs::path final = options.outDir.empty()
                         ? DefaultOutputDirectory(scenario.GetName(), inputs.seed)
                         : fs::path(options.outDir).lexically_normal();
    if (!final.has_filename())
    {
        final = final.parent_path(); // "out/" -> "out"
    }
    if (final.empty() || final == "." || final == ".." || fs::exists(final))
    {
        throw BadInputError("results directory '" + final.string() +
                            "' already exists: remove it or choose another --out");
    }

    RunGuard guard;
    ResultsDirectory directory(final);
    const fs::path& tmp = directory.GetTemporaryPath();

    std::unique_ptr<std::ofstream> eventsOut;
    std::unique_ptr<std::ofstream> seriesOut;
    std::unique_ptr<std::ofstream> logOut;
    std::unique_ptr<RunContext> context;
    std::unique_ptr<Scenario> instance;
    // Tear down in the order a normal run does: simulator first (it may still
    // hold callbacks into the scenario), then the scenario, then its context.
    auto tearDown = [&] {
        try
        {
            ns3::Simulator::Destroy();
        }
        catch (...) // NOLINT(bugprone-empty-catch): already failing; report the first error
        {
        }
        instance.reset();
        context.reset();
        eventsOut.reset();
        seriesOut.reset();
        logOut.reset();
        ResetSimulatorState();
    };

    RunResult result;
    try
    {
        ResetSimulatorState();
        ns3::RngSeedManager::SetSeed(kNs3Seed);
        ns3::RngSeedManager::SetRun(inputs.seed);

        eventsOut = OpenOutput(tmp / "events.csv");
        seriesOut = OpenOutput(tmp / "timeseries.csv");
        logOut = OpenOutput(tmp / "log.txt");
        std::ostream& log = *logOut;
        log << "sipbed " << SIPBED_VERSION << " (git " << SIPBED_GIT_REVISION << "), ns-3 "
            << Ns3Version() << "\n"
            << "scenario " << scenario.GetName() << ", seed " << inputs.seed << " (ns-3 RngSeed "
            << kNs3Seed << ", RngRun " << inputs.seed << ")\n"
            << "parameters " << inputs.parameters.ToJson().dump() << "\n"
            << "results " << final.string() << " (written as " << tmp.string() << ")\n";

        context = std::make_unique<RunContext>(scenario.GetName(),
                                               inputs.parameters,
                                               inputs.seed,
                                               options.pcap,
                                               tmp,
                                               *eventsOut,
                                               *seriesOut,
                                               log);
        instance = scenario.Create();
        instance->Setup(*context);
        if (!context->GetStopTime())
        {
            throw RunError("scenario '" + scenario.GetName() +
                           "' did not set a stop time (RunContext::SetStopTime in Setup)");
        }
        const ns3::Time stop = *context->GetStopTime();

        for (const auto& a : context->GetStreams().GetAllocations())
        {
            log << "streams " << a.first << ".." << a.first + a.count - 1 << " (" << a.count
                << "): " << a.component << "\n";
        }
        log << AssignNs3Streams() << "\n";

        context->GetTimeseries().Start(stop);
        ProgressMonitor progress(scenario.GetName(),
                                 stop,
                                 options.progress,
                                 options.progressIsTerminal,
                                 options.cancelRequested);
        progress.Start();
        ns3::Simulator::Stop(stop - ns3::Simulator::Now());
        log << "run: until " << FormatNumber(stop.GetSeconds()) << " s\n";
        ns3::Simulator::Run();
        progress.Finish();
        result.wallSeconds = progress.GetWallSeconds();
        result.eventCount = ns3::Simulator::GetEventCount();
        if (const auto failure = context->GetFailure())
        {
            throw RunError("scenario '" + scenario.GetName() + "' " + *failure);
        }
        if (progress.WasCancelled())
        {
            throw RunCancelled(
                "cancelled at t=" + FormatNumber(ns3::Simulator::Now().GetSeconds()) + " s");
        }

        context->GetTimeseries().Finish();
        instance->Finish(*context);
        context->GetEvents().Finish();

        nlohmann::json config = nlohmann::json::object();
        config["scenario"] = scenario.GetName();
        config["parameters"] = inputs.parameters.ToJson();
        config["seed"] = inputs.seed;
        config["pcap"] = options.pcap;
        config["config_file"] = options.configFile.empty() ? nlohmann::json(nullptr)
                                                           : nlohmann::json(options.configFile);
        config["sipbed_version"] = SIPBED_VERSION;
        config["git_revision"] = SIPBED_GIT_REVISION;
        config["ns3_version"] = Ns3Version();
        config["rng"] = {
            {"generator", "MRG32k3a"}, {"ns3_seed", kNs3Seed}, {"ns3_run", inputs.seed}};
        config["stop_time_s"] = stop.GetSeconds();
        config["sample_interval_s"] = context->GetTimeseries().GetInterval().GetSeconds();
        result.config = config;
        result.summary = context->GetSummary().ToJson();
        WriteFile(tmp / "summary.json", JsonText(result.summary));
        WriteFile(tmp / "config.json", JsonText(config));
        result.simulatedSeconds = stop.GetSeconds();

        log << "done: " << context->GetEvents().GetRowCount() << " event rows, "
            << context->GetTimeseries().GetRowCount() << " timeseries rows, " << result.eventCount
            << " ns-3 events in " << result.wallSeconds << " s wall\n";

        // Destroy first: pcap files are closed when the devices are disposed.
        ns3::Simulator::Destroy();
        instance.reset();
        context.reset();
        CloseOutput(*eventsOut, tmp / "events.csv");
        CloseOutput(*seriesOut, tmp / "timeseries.csv");
        CloseOutput(*logOut, tmp / "log.txt");
        directory.Commit();
        ResetSimulatorState();
    }
    catch (const BadInputError&)
    {
        tearDown();
        throw;
    }
    catch (const RunError&)
    {
        tearDown();
        throw;
    }
    catch (const std::exception& e)
    {
        const double at = ns3::Simulator::Now().GetSeconds();
        tearDown();
        throw RunError("scenario '" + scenario.GetName() + "' failed at t=" + FormatNumber(at) +
                       " s: " + e.what());
    }
    catch (...)
    {
        tearDown();
        throw RunError("scenario '" + scenario.GetName() + "' failed: unknown exception");
    }
    result.directory = final;
    return result;
}

} // namespace sipbed
