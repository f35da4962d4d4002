// Memory per UA (DESIGN.md: under 20 KB per UA including its transactions
// and timers). Builds N UAs on a loopback network with one edge proxy and a
// registrar, and reads the heap in use (glibc mallinfo2) at three points:
//   idle   : N UAs constructed (element, transport and transaction layers,
//            digest client), nothing sent yet;
//   UA side: after all registered, the UAs' own share (heap growth minus
//            the growth measured on the servers' side, see below);
//   system : after all registered, everything per UA (binding at the
//            registrar, connections and TLS engines on both ends).
// The servers' share is measured by a second run in which the UAs are
// destroyed after registering: what remains is the servers'.
// Prints figures; not a test.
#include "models/roles/edge-proxy.h"
#include "models/roles/registrar.h"
#include "models/roles/user-agent.h"
#include "models/security/sec-flows-tls.h"
#include "models/security/tls-stream-filter.h"
#include "tests/unit/loopback-network.h"

#include <malloc.h>

#include <cstdio>
#include <memory>
#include <vector>

using namespace sipbed;
using sipbed::test::LoopbackNetwork;

namespace
{

size_t
HeapInUse()
{
    return mallinfo2().uordblks;
}

struct Figures
{
    uint32_t registered;
    double idle;
    double system;
    double servers;
};

Figures
Measure(TransportKind kind, uint32_t n)
{
    LoopbackNetwork net(SecondsToNs(0.001));
    SeededRandom random(1);
    const uint16_t port = kind == TransportKind::kTls ? 5061 : 5060;
    const std::string certs = std::string(SIPBED_SHARED_DIR) + "/vectors/sec-flows";
    std::shared_ptr<TlsContext> serverTls;
    std::shared_ptr<TlsContext> clientTls;
    if (kind == TransportKind::kTls)
    {
        std::string error;
        serverTls = MakeSecFlowsTlsContext(certs, "examplecom", &error);
        clientTls = MakeSecFlowsTlsContext(certs, "", &error);
    }
    auto element = [&](uint32_t ip, bool server) {
        ElementConfig c;
        c.ip = ip;
        c.port = port;
        c.transport = kind;
        if (kind == TransportKind::kTls)
        {
            c.tls = MakeTlsFilterFactory(server ? serverTls : clientTls, "example.com");
        }
        return c;
    };
    const uint32_t registrarIp = 0xC6120002; // 198.18.0.2
    const uint32_t edgeIp = 0xC6120006;      // 198.18.0.6
    LoopbackNetwork::Io& regIo = net.AddEndpoint(registrarIp, port);
    RegistrarConfig rc;
    rc.password = [](std::string_view) -> std::optional<std::string> { return std::string("pw"); };
    Registrar registrar(ElementEnvironment{net.Clock(), random, regIo, nullptr}, element(registrarIp, true), rc);
    regIo.transport = &registrar.GetTransport();
    LoopbackNetwork::Io& edgeIo = net.AddEndpoint(edgeIp, port);
    EdgeProxy edge(ElementEnvironment{net.Clock(), random, edgeIo, nullptr},
                   element(edgeIp, true),
                   EdgeProxyConfig{TransportAddress{kind, registrarIp, port, 0}});
    edgeIo.transport = &edge.GetTransport();

    std::vector<LoopbackNetwork::Io*> ios;
    for (uint32_t i = 0; i < n; ++i)
    {
        ios.push_back(&net.AddEndpoint(0x0A000000 + i + 2, port));
    }
    const size_t before = HeapInUse();
    std::vector<std::unique_ptr<UserAgent>> uas;
    for (uint32_t i = 0; i < n; ++i)
    {
        UaConfig uc;
        uc.user = "ua" + std::to_string(i);
        uc.domain = "example.com";
        uc.password = "pw";
        uc.edgeProxy = TransportAddress{kind, edgeIp, port, 0};
        uas.push_back(std::make_unique<UserAgent>(ElementEnvironment{net.Clock(), random, *ios[i], nullptr},
                                                  element(0x0A000000 + i + 2, false),
                                                  uc,
                                                  nullptr));
        ios[i]->transport = &uas.back()->GetTransport();
    }
    const size_t idle = HeapInUse();
    for (auto& ua : uas)
    {
        ua->Register();
    }
    net.Clock().Advance(SecondsToNs(60)); // registered, transactions ended
    const size_t registered = HeapInUse();
    uint32_t ok = 0;
    for (auto& ua : uas)
    {
        ok += ua->IsRegistered();
    }
    for (uint32_t i = 0; i < n; ++i)
    {
        ios[i]->transport = nullptr;
    }
    uas.clear();
    const size_t serversOnly = HeapInUse();
    return Figures{ok,
                   double(idle - before) / n,
                   double(registered - before) / n,
                   double(serversOnly > before ? serversOnly - before : 0) / n};
}

} // namespace

int
main()
{
    const uint32_t n = 500;
    std::printf("heap per UA, %u UAs registered through one edge proxy (bytes)\n", n);
    std::printf("%-5s %10s %10s %10s %10s %11s\n", "", "idle UA", "UA side", "servers", "system", "registered");
    for (auto [kind, name] : {std::pair{TransportKind::kUdp, "udp"},
                              std::pair{TransportKind::kTcp, "tcp"},
                              std::pair{TransportKind::kTls, "tls"}})
    {
        const Figures f = Measure(kind, n);
        std::printf("%-5s %10.0f %10.0f %10.0f %10.0f %11u\n",
                    name,
                    f.idle,
                    f.system - f.servers,
                    f.servers,
                    f.system,
                    f.registered);
    }
    return 0;
}
