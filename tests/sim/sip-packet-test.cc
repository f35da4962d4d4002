// SIP bytes cross a simulated network unchanged: MakeSipPacket on the sender,
// PacketBytes on the receiver, UDP over an ns-3 point-to-point link.

#include "sim/sip-packet.h"

#include "ns3/inet-socket-address.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-address-helper.h"
#include "ns3/node-container.h"
#include "ns3/nstime.h"
#include "ns3/point-to-point-helper.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/string.h"
#include "ns3/udp-socket-factory.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace
{

using namespace ns3;

const uint16_t kSipPort = 5060;

std::string
ReadFile(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// Two nodes, one point-to-point link, a UDP receiver on node 1 that records
/// every datagram it gets.
class SipPacketLinkTest : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        m_nodes.Create(2);
        PointToPointHelper link;
        link.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
        link.SetChannelAttribute("Delay", StringValue("2ms"));
        NetDeviceContainer devices = link.Install(m_nodes);
        InternetStackHelper internet;
        internet.Install(m_nodes);
        Ipv4AddressHelper addresses("10.1.1.0", "255.255.255.0");
        m_interfaces = addresses.Assign(devices);

        m_receiver = Socket::CreateSocket(m_nodes.Get(1), UdpSocketFactory::GetTypeId());
        ASSERT_EQ(m_receiver->Bind(InetSocketAddress(Ipv4Address::GetAny(), kSipPort)), 0);
        m_receiver->SetRecvCallback(Callback<void, Ptr<Socket>>([this](Ptr<Socket> socket) {
            Address from;
            while (Ptr<Packet> packet = socket->RecvFrom(from))
            {
                m_received.push_back(sipbed::PacketBytes(packet));
            }
        }));

        m_sender = Socket::CreateSocket(m_nodes.Get(0), UdpSocketFactory::GetTypeId());
        ASSERT_EQ(m_sender->Connect(InetSocketAddress(m_interfaces.GetAddress(1), kSipPort)), 0);
    }

    void TearDown() override
    {
        Simulator::Destroy();
    }

    /// Send each datagram 10 ms apart, starting at t = 1 s, and run the simulation.
    void SendAll(const std::vector<std::string>& datagrams)
    {
        for (size_t i = 0; i < datagrams.size(); ++i)
        {
            Simulator::Schedule(Seconds(1) + MilliSeconds(10 * i), [this, bytes = datagrams[i]] {
                m_sender->Send(sipbed::MakeSipPacket(bytes));
            });
        }
        Simulator::Stop(Seconds(2) + MilliSeconds(10 * datagrams.size()));
        Simulator::Run();
    }

    NodeContainer m_nodes;
    Ipv4InterfaceContainer m_interfaces;
    Ptr<Socket> m_receiver;
    Ptr<Socket> m_sender;
    std::vector<std::string> m_received;
};

TEST(SipPacket, RoundTripsBytesWithoutANetwork)
{
    const std::string bytes("OPTIONS sip:a@b SIP/2.0\r\n\r\n\0\xff", 29);
    EXPECT_EQ(sipbed::PacketBytes(sipbed::MakeSipPacket(bytes)), bytes);
    EXPECT_EQ(sipbed::MakeSipPacket(bytes)->GetSize(), bytes.size());
    EXPECT_EQ(sipbed::PacketBytes(sipbed::MakeSipPacket("")), "");
    EXPECT_EQ(sipbed::PacketBytes(nullptr), "");
}

TEST_F(SipPacketLinkTest, TortureInviteArrivesByteForByte)
{
    const std::string bytes =
        ReadFile(std::filesystem::path(SIPBED_SHARED_DIR) / "torture" / "wsinv.dat");
    ASSERT_FALSE(bytes.empty()) << "cannot read " << SIPBED_SHARED_DIR << "/torture/wsinv.dat";

    SendAll({bytes});

    ASSERT_EQ(m_received.size(), 1U);
    EXPECT_EQ(m_received[0].size(), bytes.size());
    EXPECT_TRUE(m_received[0] == bytes) << "received bytes differ from wsinv.dat";
}

// Every RFC 4475 message, binary octets and the 3.5 KB longreq (IP fragments) included.
TEST_F(SipPacketLinkTest, EveryTortureMessageArrivesByteForByte)
{
    std::vector<std::filesystem::path> paths;
    for (const auto& entry :
         std::filesystem::directory_iterator(std::filesystem::path(SIPBED_SHARED_DIR) / "torture"))
    {
        if (entry.path().extension() == ".dat")
        {
            paths.push_back(entry.path());
        }
    }
    std::sort(paths.begin(), paths.end());
    ASSERT_GE(paths.size(), 49U);
    std::vector<std::string> datagrams;
    for (const auto& path : paths)
    {
        datagrams.push_back(ReadFile(path));
    }

    SendAll(datagrams);

    ASSERT_EQ(m_received.size(), datagrams.size());
    for (size_t i = 0; i < datagrams.size(); ++i)
    {
        EXPECT_TRUE(m_received[i] == datagrams[i]) << paths[i].filename() << " changed in transit";
    }
}

} // namespace
