// Scale and speed of the avalanche-restart design (issue 6): UAs over UDP
// with STUN keepalives behind NATs (UDP timeout 60 s), the registrar crashes
// at 5 min and restarts at 6 min. Prints wall time, peak memory, memory per
// UA, simulated SIP messages per wall second, and, in the same invocation,
// the raw ns-3 UDP packet rate on the same topology with no SIP processing
// (every host node sends datagrams to the registrar's node), so that the
// ratio shows what the SIP logic costs over ns-3 itself.
//
// usage: sipbed-bench-avalanche-scale [UAS [SIMULATED_SECONDS]]
//        (defaults 100000 and 3600: the run; 26 min of wall time and 1.35 GB here)
// Prints figures; not a test.
#include "scenarios/scenario-runner.h"
#include "sim/topology-builder.h"

#include "ns3/core-module.h"
#include "ns3/internet-module.h"

#include <sys/resource.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

using namespace ns3;
using namespace sipbed;

namespace
{

const uint32_t kUasPerHost = 10;
const uint32_t kUasPerNat = 40;

double
PeakRssMb()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss / 1024.0; // kB on Linux
}

/// Raw ns-3: the same sites, hosts and NATs; each host node sends one
/// 400-byte UDP datagram (a SIP-sized one) to the registrar's node every
/// `gap`, for `seconds`. Returns delivered datagrams per wall second.
double
RawUdpPacketsPerWallSecond(uint32_t uas, double seconds, double gap, uint64_t& delivered)
{
    TopologyConfig tc;
    tc.sites = (uas + kUasPerNat - 1) / kUasPerNat;
    tc.hostsPerSite = kUasPerNat / kUasPerHost;
    tc.edgeProxies = 1;
    Topology topo = TopologyBuilder::Build(tc);
    delivered = 0;
    Ptr<Socket> sink = Socket::CreateSocket(topo.registrar.node, UdpSocketFactory::GetTypeId());
    sink->Bind(InetSocketAddress(Ipv4Address::GetAny(), 5060));
    sink->SetRecvCallback([&delivered](Ptr<Socket> s) {
        while (s->Recv())
        {
            ++delivered;
        }
    });
    const InetSocketAddress to(topo.registrar.address, 5060);
    Ptr<UniformRandomVariable> phase = CreateObject<UniformRandomVariable>();
    phase->SetStream(1);
    std::vector<Ptr<Socket>> sockets;
    for (uint32_t h = 0; h < topo.allHosts.GetN(); ++h)
    {
        Ptr<Socket> s = Socket::CreateSocket(topo.allHosts.Get(h), UdpSocketFactory::GetTypeId());
        s->Bind();
        sockets.push_back(s);
        // A self-rescheduling sender per host.
        struct Sender
        {
            static void Fire(Ptr<Socket> s, InetSocketAddress to, double gap)
            {
                s->SendTo(Create<Packet>(400), 0, to);
                Simulator::Schedule(Seconds(gap), &Sender::Fire, s, to, gap);
            }
        };
        Simulator::Schedule(Seconds(phase->GetValue(0, gap)), &Sender::Fire, s, to, gap);
    }
    Simulator::Stop(Seconds(seconds));
    const auto t0 = std::chrono::steady_clock::now();
    Simulator::Run();
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    Simulator::Destroy();
    return delivered / wall;
}

/// \return argv[i] as a number in [min, max], or `fallback` when absent; exits 2 otherwise.
double
Argument(int argc, char** argv, int i, const char* name, double fallback, double min, double max)
{
    if (argc <= i)
    {
        return fallback;
    }
    char* end = nullptr;
    const double value = std::strtod(argv[i], &end);
    if (end == argv[i] || *end != '\0' || !(value >= min && value <= max))
    {
        std::fprintf(stderr,
                     "sipbed-bench-avalanche-scale: %s: '%s' is not a number in [%g, %g]\n"
                     "usage: sipbed-bench-avalanche-scale [UAS [SIMULATED_SECONDS]]\n",
                     name, argv[i], min, max);
        std::exit(2);
    }
    return value;
}

int
Bench(uint32_t uas, double seconds);

} // namespace

int
main(int argc, char** argv)
{
    // The registrar crashes at 300 s and is back at 360 s: the run must go past that.
    const auto uas = static_cast<uint32_t>(Argument(argc, argv, 1, "UAS", 100000, 40, 100000));
    const double seconds = Argument(argc, argv, 2, "SIMULATED_SECONDS", 3600, 361, 86400);
    try
    {
        return Bench(uas, seconds);
    }
    catch (const std::exception& e)
    {
        std::fprintf(stderr, "sipbed-bench-avalanche-scale: %s\n", e.what());
        return 1;
    }
}

namespace
{

int
Bench(uint32_t uas, double seconds)
{
    std::printf("avalanche-scale: %u UAs (%u per host node, %u per NAT), UDP + STUN, NAT UDP timeout 60 s,\n"
                "registrar crash at 300 s, restart at 360 s, %.0f s simulated\n",
                uas, kUasPerHost, kUasPerNat, seconds);
    const double rssBefore = PeakRssMb();

    RunOptions options;
    options.outDir = (std::filesystem::temp_directory_path() / ("sipbed-avalanche-scale-" + std::to_string(::getpid())))
                         .string();
    options.seed = 1;
    if (::isatty(STDERR_FILENO) != 0)
    {
        // A long run: simulated time, speed and ETA redrawn on the terminal
        // (nothing when stderr is a file, to keep logs short).
        options.progress = &std::cerr;
        options.progressIsTerminal = true;
    }
    for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
             {"uas", std::to_string(uas)},
             {"uas_per_host", std::to_string(kUasPerHost)},
             {"uas_per_nat", std::to_string(kUasPerNat)},
             {"failure", "registrar-crash"},
             {"failure_time", "300"},
             {"failure_duration", "60"},
             {"register_spread", "60"},
             {"register_expires", "3600"},
             {"duration", std::to_string(seconds)}})
    {
        options.parameters.push_back({name, CellValue(value), ""});
    }
    const RunResult r = ScenarioRunner::Run("avalanche-restart", options);
    const double rssAfter = PeakRssMb();
    const double messages = r.summary["sip_messages_sent_count"].get<double>();
    const double packets = r.summary["packets_sent_count"].get<double>();
    std::printf("SIP run: %.1f s wall, %llu ns-3 events (%.0f events/s), %.0f SIP messages sent "
                "(%.0f per wall second), %.0f packets with STUN and keepalives (%.0f per wall second)\n",
                r.wallSeconds,
                static_cast<unsigned long long>(r.eventCount),
                r.eventCount / r.wallSeconds,
                messages,
                messages / r.wallSeconds,
                packets,
                packets / r.wallSeconds);
    std::printf("peak memory: %.0f MB (%.0f MB before the run): %.1f kB per UA, nodes and links included\n",
                rssAfter,
                rssBefore,
                (rssAfter - rssBefore) * 1024 / uas);
    std::printf("registered at the end: %.3f; time to 90 %% after the restart: %s s\n",
                r.summary["registered_at_end_fraction"].get<double>(),
                r.summary["time_to_90_percent_s"].is_null() ? "-" : r.summary["time_to_90_percent_s"].dump().c_str());
    std::filesystem::remove_all(r.directory);

    // The same topology with plain datagrams: a host node sends one every
    // `gap` so that the offered packet rate matches the SIP run's.
    const double hosts = double((uas + kUasPerNat - 1) / kUasPerNat) * (kUasPerNat / kUasPerHost);
    const double rawSeconds = std::min(seconds, 300.0);
    const double sipRate = std::max(1.0, packets / seconds); // packets per simulated second
    const double gap = std::max(0.001, hosts / sipRate);
    uint64_t delivered = 0;
    const double raw = RawUdpPacketsPerWallSecond(uas, rawSeconds, gap, delivered);
    std::printf("raw ns-3 UDP on the same topology: %llu datagrams in %.0f s simulated, %.0f per wall second\n",
                static_cast<unsigned long long>(delivered),
                rawSeconds,
                raw);
    std::printf("SIP messages per wall second / raw datagrams per wall second: %.2f (target >= 0.5)\n",
                (messages / r.wallSeconds) / raw);
    std::printf("SIP-node packets per wall second / raw datagrams per wall second: %.2f\n",
                (packets / r.wallSeconds) / raw);
    return 0;
}

} // namespace
