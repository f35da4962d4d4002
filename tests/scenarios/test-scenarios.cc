#include "test-scenarios.h"

#include "scenarios/run-context.h"
#include "scenarios/scenario-registry.h"
#include "sim/sip-packet.h"

#include "ns3/config.h"
#include "ns3/csma-helper.h"
#include "ns3/double.h"
#include "ns3/error-model.h"
#include "ns3/inet-socket-address.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-address-helper.h"
#include "ns3/node-container.h"
#include "ns3/point-to-point-helper.h"
#include "ns3/pointer.h"
#include "ns3/random-variable-stream.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/string.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

#include <stdexcept>
#include <string>

namespace sipbed
{

namespace
{

using namespace ns3;

const uint16_t kEchoPort = 7;

class UdpEchoScenario : public Scenario
{
  public:
    void Setup(RunContext& context) override
    {
        const ParameterValues& p = context.GetParameters();
        context.SetStopTime(p.GetTime("duration"));
        m_events = &context.GetEvents();
        m_echo = p.GetBool("echo");
        m_payloadBytes = p.GetString("payload") == "large" ? 1000 : 20;

        m_nodes.Create(2);
        // CSMA, not point-to-point: its ARP requests are sent after a random
        // jitter drawn by ns-3 itself, which the runner must put on a fixed
        // stream for the determinism test to pass. DataRate stays at the ns-3
        // default on purpose: test-noise changes that default, and the
        // determinism test checks that Config::Reset undoes it.
        CsmaHelper link;
        link.SetChannelAttribute("Delay", StringValue("5ms"));
        NetDeviceContainer devices = link.Install(m_nodes);
        InternetStackHelper internet;
        internet.Install(m_nodes);
        Ipv4AddressHelper addresses("10.1.1.0", "255.255.255.0");
        Ipv4InterfaceContainer interfaces = addresses.Assign(devices);
        context.EnablePcap("link", devices);

        const double loss = p.GetDouble("loss");
        if (loss > 0)
        {
            Ptr<RateErrorModel> errors = CreateObject<RateErrorModel>();
            errors->SetUnit(RateErrorModel::ERROR_UNIT_PACKET);
            errors->SetRate(loss);
            context.GetStreams().Assign(
                "link-loss", [&](int64_t first) { return errors->AssignStreams(first); });
            devices.Get(1)->SetAttribute("ReceiveErrorModel", PointerValue(errors));
        }
        m_jitter = context.GetStreams().CreateVariable<UniformRandomVariable>("echo-jitter");
        m_jitter->SetAttribute("Min", DoubleValue(0));
        m_jitter->SetAttribute("Max", DoubleValue(p.GetDouble("jitter")));

        m_server = Socket::CreateSocket(m_nodes.Get(1), UdpSocketFactory::GetTypeId());
        m_server->Bind(InetSocketAddress(Ipv4Address::GetAny(), kEchoPort));
        m_server->SetRecvCallback(MakeCallback(&UdpEchoScenario::ServerReceive, this));
        m_client = Socket::CreateSocket(m_nodes.Get(0), UdpSocketFactory::GetTypeId());
        m_client->Bind();
        m_client->Connect(InetSocketAddress(interfaces.GetAddress(1), kEchoPort));
        m_client->SetRecvCallback(MakeCallback(&UdpEchoScenario::ClientReceive, this));

        const Time interval = p.GetTime("interval");
        const int64_t packets = p.GetInt("packets");
        for (int64_t seq = 1; seq <= packets; ++seq)
        {
            Simulator::Schedule(interval * seq, &UdpEchoScenario::Send, this, seq);
        }
        const Time failAt = p.GetTime("fail_at");
        if (failAt.IsStrictlyPositive())
        {
            if (p.GetString("fail_mode") == "throw")
            {
                ScheduleThrowingEvent(failAt);
            }
            else
            {
                RunContext* ctx = &context;
                Simulator::Schedule(failAt, [ctx] { ctx->Fail("injected failure (fail_at)"); });
            }
        }

        EventTable& events = context.GetEvents();
        events.DeclareColumn("seq", EventTable::ColumnType::INTEGER)
            .DeclareColumn("rtt_ms", EventTable::ColumnType::REAL)
            .DeclareColumn("delayed", EventTable::ColumnType::BOOLEAN)
            .DeclareColumn("note", EventTable::ColumnType::TEXT);
        events.Record("client", "start", {{"note", p.GetString("label")}});

        context.GetTimeseries().SetInterval(Seconds(0.5));
        context.GetTimeseries().AddProbe("sent_count", [this] { return m_sent; });
        context.GetTimeseries().AddRateProbe("echo_rate_pps", [this] { return m_echoes; });
        context.Log("two nodes, " + std::to_string(packets) + " packets");
    }

    void Finish(RunContext& context) override
    {
        SummaryValues& summary = context.GetSummary();
        summary.Set("sent_count", m_sent);
        summary.Set("echo_count", m_echoes);
        summary.Set("rtt_ms", m_rtt);
        summary.Set("loss_ratio", m_sent ? 1.0 - double(m_echoes) / double(m_sent) : 0.0);
        summary.Set("label", context.GetParameters().GetString("label"));
    }

  private:
    /**
     * An event that throws. ns-3 does not release an event that throws (a
     * 16-byte leak per call), which tests/sim/lsan-suppressions.txt names by
     * this function.
     */
    static void ScheduleThrowingEvent(Time at)
    {
        Simulator::Schedule(at, [] { throw std::runtime_error("injected failure (fail_at)"); });
    }

    void Send(int64_t seq)
    {
        std::string payload = "seq=" + std::to_string(seq) +
                              ";t=" + std::to_string(Simulator::Now().GetNanoSeconds()) + ";";
        payload.resize(m_payloadBytes, '.');
        m_client->Send(MakeSipPacket(payload));
        ++m_sent;
        m_events->Record("client", "sent", {{"seq", seq}});
    }

    static int64_t Field(const std::string& bytes, const std::string& key)
    {
        const size_t at = bytes.find(key + "=");
        return std::stoll(bytes.substr(at + key.size() + 1));
    }

    void ServerReceive(Ptr<Socket> socket)
    {
        Address from;
        while (Ptr<Packet> packet = socket->RecvFrom(from))
        {
            const std::string bytes = PacketBytes(packet);
            m_events->Record("server", "received", {{"seq", Field(bytes, "seq")}});
            if (m_echo)
            {
                const double delay = m_jitter->GetValue();
                Simulator::Schedule(Seconds(delay), [socket, bytes, from] {
                    socket->SendTo(MakeSipPacket(bytes), 0, from);
                });
            }
        }
    }

    void ClientReceive(Ptr<Socket> socket)
    {
        while (Ptr<Packet> packet = socket->Recv())
        {
            const std::string bytes = PacketBytes(packet);
            const double rttMs =
                (Simulator::Now() - NanoSeconds(Field(bytes, "t"))).GetSeconds() * 1000;
            ++m_echoes;
            m_rtt.Add(rttMs);
            m_events->Record(
                "client",
                "echo_received",
                {{"seq", Field(bytes, "seq")}, {"rtt_ms", rttMs}, {"delayed", rttMs > 20}});
        }
    }

    NodeContainer m_nodes;
    Ptr<Socket> m_server;
    Ptr<Socket> m_client;
    Ptr<UniformRandomVariable> m_jitter;
    EventTable* m_events{nullptr};
    bool m_echo{true};
    size_t m_payloadBytes{20};
    uint64_t m_sent{0};
    uint64_t m_echoes{0};
    Distribution m_rtt;
};

class NoiseScenario : public Scenario
{
  public:
    void Setup(RunContext& context) override
    {
        context.SetStopTime(Seconds(1));
        Config::SetDefault("ns3::CsmaChannel::DataRate", StringValue("1Mbps"));
        Config::SetDefault("ns3::RateErrorModel::ErrorRate", DoubleValue(0.5));
        // Automatic streams: advance ns-3's process-wide stream counter.
        Ptr<UniformRandomVariable> automatic = CreateObject<UniformRandomVariable>();
        for (int i = 0; i < 10; ++i)
        {
            automatic->GetValue();
        }
        NodeContainer nodes;
        nodes.Create(3);
        CsmaHelper lan;
        NetDeviceContainer devices = lan.Install(nodes);
        NetDeviceContainer link = PointToPointHelper().Install(nodes.Get(0), nodes.Get(1));
        InternetStackHelper().Install(nodes);
        Ipv4AddressHelper("10.1.1.0", "255.255.255.0").Assign(devices);
        Ipv4AddressHelper("10.1.2.0", "255.255.255.0").Assign(link);
        context.EnablePcap("lan", devices);
        context.EnablePcap("p2p", link);
        context.GetEvents().Record("noise", "done");
    }
};

} // namespace

ScenarioInfo
UdpEchoTestScenario()
{
    ScenarioInfo info("test-udp-echo", "test only: UDP echo over one link with random delays");
    info.SetDescription("A client sends numbered UDP packets to a server that echoes them\n"
                        "after a random delay. Used by the runner's tests.");
    ParameterSet& p = info.GetParameters();
    p.AddInt("packets", 20, "packets the client sends").Range(1, 100000).Unit("packets");
    p.AddDuration("interval", 0.1, "time between two packets").Range(0.001, 60);
    p.AddDouble("jitter", 0.02, "maximum echo delay, uniform in [0, jitter]").Range(0, 1).Unit("s");
    p.AddDouble("loss", 0, "probability that the link drops a packet").Range(0, 1);
    p.AddBool("echo", true, "whether the server echoes");
    p.AddEnum("payload", "small", {"small", "large"}, "payload size: 20 or 1000 bytes");
    p.AddString("label", "", "free text, recorded in events.csv and summary.json");
    p.AddDuration("fail_at", 0, "fail the run from a simulation event at this time (0: never)")
        .Range(0, 3600);
    p.AddEnum("fail_mode",
              "report",
              {"report", "throw"},
              "how fail_at fails: RunContext::Fail, or an exception from the event");
    p.AddDuration("duration", 5, "simulated time").Range(0.1, 3600);
    info.SetValidator([](const ParameterValues& values) {
        if (values.GetDouble("fail_at") > values.GetDouble("duration"))
        {
            throw ParameterError("fail_at", "parameter 'fail_at': must not exceed duration");
        }
    });
    info.SetFactory<UdpEchoScenario>();
    return info;
}

ScenarioInfo
NoiseTestScenario()
{
    ScenarioInfo info("test-noise", "test only: leaves process-wide ns-3 state behind");
    info.SetFactory<NoiseScenario>();
    return info;
}

void
RegisterTestScenarios()
{
    static const bool registered = [] {
        ScenarioRegistry::Get().Add(UdpEchoTestScenario());
        ScenarioRegistry::Get().Add(NoiseTestScenario());
        return true;
    }();
    (void) registered;
}

} // namespace sipbed
