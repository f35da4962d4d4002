// RFC 3261 17.1.2.2 inside ns-3: a UA whose REGISTER is never answered
// retransmits over UDP at T1, 2T1, 4T1, ... capped at T2, and gives up at
// 64*T1 (timer F), as the unit tests check on a manual clock. Here the
// REGISTERs cross the simulated NAT and links and are timed where they land.
#include "sim/sip-node-application.h"
#include "sim/topology-builder.h"

#include "models/roles/user-agent.h"

#include "ns3/core-module.h"
#include "ns3/internet-module.h"

#include <gtest/gtest.h>

using namespace ns3;
using namespace sipbed;

namespace
{

struct Failures : UaListener
{
    void OnRegistrationFailed(int status) override
    {
        failures.emplace_back(Simulator::Now().GetSeconds(), status);
    }
    std::vector<std::pair<double, int>> failures;
};

} // namespace

TEST(TransactionTimersSim, UnansweredRegisterIsRetransmittedAtT1DoublingToT2AndTimesOutAt64T1)
{
    TopologyConfig tc;
    tc.edgeProxies = 0;
    Topology topo = TopologyBuilder::Build(tc);
    std::vector<double> arrivals;
    Failures listener;
    {
        // A silent server: records when each datagram arrives, never answers.
        Ptr<Socket> sink = Socket::CreateSocket(topo.registrar.node, UdpSocketFactory::GetTypeId());
        sink->Bind(InetSocketAddress(Ipv4Address::GetAny(), 5060));
        sink->SetRecvCallback([&arrivals](Ptr<Socket> s) {
            while (s->Recv())
            {
                arrivals.push_back(Simulator::Now().GetSeconds());
            }
        });

        Ptr<SipNodeApplication> app = CreateObject<SipNodeApplication>();
        topo.sites[0].hosts.Get(0)->AddApplication(app);
        const uint32_t ip = topo.sites[0].hostAddresses[0].Get();
        const TransportAddress server{TransportKind::kUdp, topo.registrar.address.Get(), 5060, 0};
        app->AddElement({0, 0, 0},
                        [&](const ElementEnvironment& env, uint16_t port) {
                            ElementConfig e;
                            e.ip = ip;
                            e.port = port;
                            UaConfig uc;
                            uc.user = "alice";
                            uc.domain = "example.com";
                            uc.edgeProxy = server;
                            uc.registerRetry = SecondsToNs(1000); // one attempt in this run
                            return std::make_unique<UserAgent>(env, e, uc, &listener);
                        },
                        [](SipElement& e) { static_cast<UserAgent&>(e).Register(); });
        app->AssignStreams(1);
        app->SetStartTime(Seconds(1));
        Simulator::Stop(Seconds(60));
        Simulator::Run();
    }
    Simulator::Destroy();

    // Sent at 1 + {0, 0.5, 1.5, 3.5, 7.5, 11.5, ..., 31.5}: 11 transmissions.
    ASSERT_EQ(arrivals.size(), 11u);
    const std::vector<double> gaps = {0.5, 1, 2, 4, 4, 4, 4, 4, 4, 4};
    for (size_t i = 0; i < gaps.size(); ++i)
    {
        EXPECT_NEAR(arrivals[i + 1] - arrivals[i], gaps[i], 1e-6) << "gap " << i;
    }
    // Timer F: 64 * T1 = 32 s after the first transmission: a 408 for the UA.
    ASSERT_EQ(listener.failures.size(), 1u);
    EXPECT_NEAR(listener.failures[0].first, 33.0, 1e-6);
    EXPECT_EQ(listener.failures[0].second, 408);
}
