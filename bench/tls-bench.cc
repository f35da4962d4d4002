// Cost of TLS through TlsEngine with the sec-flows vectors (example.net's
// RSA-1024 certificate, with or without the CA certificate in its chain,
// security level 0, a 2006 verification clock): bytes on the wire per handshake,
// CPU time per handshake (both ends, and the server end alone, to compare
// with the ~900 us per TLS handshake of shared/calibration.md), record
// layer cost for one SIP message, and heap held by an idle established
// engine (the per-UA memory budget of DESIGN.md is 20 KB).
//
//   sipbed-bench-tls-bench                 table, then the timings
//   sipbed-bench-tls-bench --table-only    table only
//
// Byte counts repeat from run to run (no resumption, fixed key sizes);
// timings do not.

#include "models/security/tls-context.h"
#include "models/security/tls-engine.h"

#include <benchmark/benchmark.h>
#include <openssl/crypto.h>
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#ifndef SIPBED_SHARED_DIR
#    error "SIPBED_SHARED_DIR must name the shared/ folder (bench/CMakeLists.txt defines it)"
#endif

using namespace sipbed;

namespace
{

// --- heap held by OpenSSL, through CRYPTO_set_mem_functions -----------------------
// Each block carries its size in front, so frees can be subtracted. Plain
// counters: the program is single-threaded.

long long g_liveBytes = 0;
long long g_highWater = 0;     ///< highest g_liveBytes since last reset
constexpr size_t kHeader = 16; // keeps the malloc alignment

void*
CountingMalloc(size_t n, const char*, int)
{
    auto* p = static_cast<unsigned char*>(std::malloc(n + kHeader));
    if (p == nullptr)
    {
        return nullptr;
    }
    std::memcpy(p, &n, sizeof(n));
    g_liveBytes += static_cast<long long>(n);
    g_highWater = std::max(g_highWater, g_liveBytes);
    return p + kHeader;
}

void
CountingFree(void* ptr, const char*, int)
{
    if (ptr == nullptr)
    {
        return;
    }
    auto* p = static_cast<unsigned char*>(ptr) - kHeader;
    size_t n = 0;
    std::memcpy(&n, p, sizeof(n));
    g_liveBytes -= static_cast<long long>(n);
    std::free(p);
}

void*
CountingRealloc(void* ptr, size_t n, const char* file, int line)
{
    if (ptr == nullptr)
    {
        return CountingMalloc(n, file, line);
    }
    if (n == 0)
    {
        CountingFree(ptr, file, line);
        return nullptr;
    }
    auto* p = static_cast<unsigned char*>(ptr) - kHeader;
    size_t old = 0;
    std::memcpy(&old, p, sizeof(old));
    auto* q = static_cast<unsigned char*>(std::realloc(p, n + kHeader));
    if (q == nullptr)
    {
        return nullptr;
    }
    std::memcpy(q, &n, sizeof(n));
    g_liveBytes += static_cast<long long>(n) - static_cast<long long>(old);
    g_highWater = std::max(g_highWater, g_liveBytes);
    return q + kHeader;
}

bool g_countingHeap = false;

// --- the connection -----------------------------------------------------------------

std::string
ReadVector(const std::string& name)
{
    std::ifstream in(SIPBED_SHARED_DIR "/vectors/sec-flows/" + name, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

struct Setup
{
    const char* name;
    TlsVersion version;
    const char* cipherList; ///< TLS 1.0-1.2 only; empty: default
    bool sendCaCertificate; ///< the server's chain holds the CA, as in the trace
};

const Setup kSetups[] = {
    {"TLS 1.3", TlsVersion::kTls1_3, "", true},
    {"TLS 1.3 leaf", TlsVersion::kTls1_3, "", false},
    {"TLS 1.2 ECDHE", TlsVersion::kTls1_2, "", true},
    {"TLS 1.2 RSA kx", TlsVersion::kTls1_2, "AES128-SHA", true},
    // sec-flows 5.1 / SF-1: what the 2005 trace negotiated.
    {"TLS 1.0 RSA kx", TlsVersion::kTls1_0, "AES128-SHA", true},
};
constexpr int kLastSetup = static_cast<int>(sizeof(kSetups) / sizeof(kSetups[0])) - 1;

struct Contexts
{
    std::unique_ptr<TlsContext> client;
    std::unique_ptr<TlsContext> server;
};

Contexts
MakeContexts(const Setup& setup)
{
    TlsConfig server;
    server.certificatePem = ReadVector("examplenet_cert.pem") +
                            (setup.sendCaCertificate ? ReadVector("ca_cert.pem") : "");
    server.privateKeyPem = ReadVector("examplenet_key.pem");
    TlsConfig client;
    client.trustedCaPem = ReadVector("ca_cert.pem");
    client.verificationTime = kSecFlowsVerificationTime;
    for (TlsConfig* c : {&server, &client})
    {
        c->minVersion = c->maxVersion = setup.version;
        c->cipherList = setup.cipherList;
    }
    std::string error;
    Contexts out;
    out.client = TlsContext::Create(client, &error);
    out.server = TlsContext::Create(server, &error);
    if (!out.client || !out.server)
    {
        std::fprintf(stderr, "tls-bench: %s\n", error.c_str());
        std::exit(1);
    }
    return out;
}

// CPU time of this thread: the server's share of a handshake, unaffected by
// other load on the machine (wall-clock time is).
double
ThreadCpuSeconds()
{
    struct timespec ts = {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct HandshakeFigures
{
    size_t clientToServer = 0;
    size_t serverToClient = 0;
    int flights = 0;
    double serverSeconds = 0; ///< CPU time spent inside the server engine's calls
};

// Runs one handshake to completion; false if it fails.
bool
Handshake(TlsEngine& client, TlsEngine& server, HandshakeFigures& f)
{
    client.Start();
    for (int round = 0; round < 20 && !(client.IsEstablished() && server.IsEstablished()); ++round)
    {
        std::string c2s = client.TakeBytesToNetwork();
        if (!c2s.empty())
        {
            f.clientToServer += c2s.size();
            ++f.flights;
            double t0 = ThreadCpuSeconds();
            server.OnBytesFromNetwork(c2s);
            f.serverSeconds += ThreadCpuSeconds() - t0;
        }
        double t0 = ThreadCpuSeconds();
        std::string s2c = server.TakeBytesToNetwork();
        f.serverSeconds += ThreadCpuSeconds() - t0;
        if (!s2c.empty())
        {
            f.serverToClient += s2c.size();
            ++f.flights;
            client.OnBytesFromNetwork(s2c);
        }
        if (client.HasFailed() || server.HasFailed())
        {
            return false;
        }
    }
    return client.IsEstablished() && server.IsEstablished();
}

void
BM_TlsHandshake(benchmark::State& state)
{
    const Setup& setup = kSetups[state.range(0)];
    state.SetLabel(setup.name);
    Contexts contexts = MakeContexts(setup);
    HandshakeFigures total;
    for (auto _ : state)
    {
        TlsEngine client(*contexts.client, TlsEngine::Role::kClient, "example.net");
        TlsEngine server(*contexts.server, TlsEngine::Role::kServer);
        if (!Handshake(client, server, total))
        {
            state.SkipWithError(client.GetError().reason.c_str());
            return;
        }
    }
    double n = static_cast<double>(state.iterations());
    state.counters["c2s_bytes"] = static_cast<double>(total.clientToServer) / n;
    state.counters["s2c_bytes"] = static_cast<double>(total.serverToClient) / n;
    state.counters["server_us"] = total.serverSeconds * 1e6 / n;
}
BENCHMARK(BM_TlsHandshake)->DenseRange(0, kLastSetup)->Unit(benchmark::kMicrosecond);

// One 500-byte SIP message written by the client and read by the server.
void
BM_TlsRecordOneMessage(benchmark::State& state)
{
    const Setup& setup = kSetups[state.range(0)];
    state.SetLabel(setup.name);
    Contexts contexts = MakeContexts(setup);
    TlsEngine client(*contexts.client, TlsEngine::Role::kClient, "example.net");
    TlsEngine server(*contexts.server, TlsEngine::Role::kServer);
    HandshakeFigures f;
    if (!Handshake(client, server, f))
    {
        state.SkipWithError("handshake failed");
        return;
    }
    const std::string message(500, 'x');
    size_t wire = 0;
    for (auto _ : state)
    {
        client.Write(message);
        std::string bytes = client.TakeBytesToNetwork();
        wire = bytes.size();
        server.OnBytesFromNetwork(bytes);
        benchmark::DoNotOptimize(server.TakeApplicationBytes());
    }
    state.counters["wire_bytes"] = static_cast<double>(wire);
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TlsRecordOneMessage)->DenseRange(0, kLastSetup);

void
PrintTable()
{
    std::printf("TLS with the sec-flows vectors (example.net RSA-1024, CA certificate in the "
                "chain unless \"leaf\", SECLEVEL 0)\n\n");
    std::printf("%-15s %-28s %6s %6s %7s %12s %13s %13s\n",
                "setup",
                "cipher",
                "c2s B",
                "s2c B",
                "flights",
                "peak heap B",
                "client idle B",
                "server idle B");
    for (const Setup& setup : kSetups)
    {
        Contexts contexts = MakeContexts(setup);
        long long base = g_liveBytes;
        g_highWater = base;
        auto client =
            std::make_unique<TlsEngine>(*contexts.client, TlsEngine::Role::kClient, "example.net");
        auto server = std::make_unique<TlsEngine>(*contexts.server, TlsEngine::Role::kServer);
        HandshakeFigures f;
        if (!Handshake(*client, *server, f))
        {
            std::printf(
                "%-15s handshake failed: %s\n", setup.name, client->GetError().reason.c_str());
            continue;
        }
        std::string cipher = client->GetCipherName();
        // What each idle established engine holds: destroy it and see what goes.
        long long before = g_liveBytes;
        client.reset();
        long long clientIdle = before - g_liveBytes;
        before = g_liveBytes;
        server.reset();
        long long serverIdle = before - g_liveBytes;
        auto heap = [](long long v) {
            return g_countingHeap ? std::to_string(v) : std::string("n/a");
        };
        std::printf("%-15s %-28s %6zu %6zu %7d %12s %13s %13s\n",
                    setup.name,
                    cipher.c_str(),
                    f.clientToServer,
                    f.serverToClient,
                    f.flights,
                    heap(g_highWater - base).c_str(),
                    heap(clientIdle).c_str(),
                    heap(serverIdle).c_str());
    }
    std::printf("\npeak heap: OpenSSL heap of both engines together at the worst moment of the "
                "handshake.\nidle: heap of one established engine with nothing in flight "
                "(SSL_MODE_RELEASE_BUFFERS).\n\n");
}

} // namespace

int
main(int argc, char** argv)
{
    // Must come before OpenSSL allocates anything, or it is refused.
    g_countingHeap = CRYPTO_set_mem_functions(CountingMalloc, CountingRealloc, CountingFree) == 1;
    bool tableOnly = false;
    for (int i = 1; i < argc; ++i)
    {
        if (std::strcmp(argv[i], "--table-only") == 0)
        {
            tableOnly = true;
        }
    }
    PrintTable();
    if (tableOnly)
    {
        return 0;
    }
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
