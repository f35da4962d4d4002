// NAT translation table: RFC 4787 mapping and filtering behaviours, UDP and
// TCP (RFC 5382) timeouts, hairpinning, port preservation and reboot.
#include "models/net/nat-table.h"

#include <gtest/gtest.h>

#include <deque>

using namespace sipbed;

namespace
{

constexpr uint32_t
Ip(uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
    return (a << 24) | (b << 16) | (c << 8) | d;
}

const uint32_t kPublic = Ip(203, 0, 113, 1);
const Endpoint kHost{Ip(10, 0, 0, 2), 5060};
const Endpoint kHost2{Ip(10, 0, 0, 3), 5060};
const Endpoint kServer1{Ip(198, 51, 100, 1), 3478};
const Endpoint kServer1OtherPort{Ip(198, 51, 100, 1), 3479};
const Endpoint kServer2{Ip(198, 51, 100, 2), 3478};
const TcpFlags kNone{};
const TcpFlags kSyn{true, false, false, false};
const TcpFlags kSynAck{true, true, false, false};
const TcpFlags kAck{false, true, false, false};
const TcpFlags kFin{false, true, true, false};
const TcpFlags kRst{false, false, false, true};

// Deterministic "random" ports: a fixed sequence, then counting up.
class SequenceRandom : public NatRandom
{
  public:
    std::deque<uint32_t> next;
    uint32_t fallback = 40000;

    uint32_t Uniform(uint32_t lo, uint32_t hi) override
    {
        uint32_t v = fallback++;
        if (!next.empty())
        {
            v = next.front();
            next.pop_front();
        }
        return std::min(std::max(v, lo), hi);
    }
};

TimeNs
S(double s)
{
    return SecondsToNs(s);
}

struct BehaviorRow
{
    NatBehavior mapping;
    NatBehavior filtering;
    // Is the external port reused when the host sends to another port of the
    // same server / to another server? (RFC 4787 4.1)
    bool samePortOtherServerPort;
    bool samePortOtherServer;
    // Does an inbound packet reach the host from the server it sent to, from
    // another port of that server, from another server? (RFC 4787 5)
    bool passFromServer;
    bool passFromServerOtherPort;
    bool passFromOtherServer;
};

class NatBehaviorTable : public ::testing::TestWithParam<BehaviorRow>
{
};

} // namespace

TEST_P(NatBehaviorTable, MappingReuseAndFilteringFollowRfc4787)
{
    const BehaviorRow& row = GetParam();
    NatConfig cfg;
    cfg.mapping = row.mapping;
    cfg.filtering = row.filtering;
    SequenceRandom rnd;
    NatTable nat(cfg, kPublic, rnd);

    auto first = nat.Outbound(IpProto::kUdp, kHost, kServer1, kNone, S(1));
    ASSERT_EQ(first.verdict, NatTable::Verdict::kForward);
    EXPECT_EQ(first.src.addr, kPublic);
    EXPECT_EQ(first.dst, kServer1);

    // Filtering is judged on the mapping of the first packet only: ask it
    // before any other packet widens what the host has sent to.
    auto in = [&](Endpoint from) {
        return nat.Inbound(IpProto::kUdp, from, first.src, kNone, S(2)).verdict ==
               NatTable::Verdict::kForward;
    };
    EXPECT_EQ(in(kServer1), row.passFromServer);
    EXPECT_EQ(in(kServer1OtherPort), row.passFromServerOtherPort);
    EXPECT_EQ(in(kServer2), row.passFromOtherServer);
    auto delivered = nat.Inbound(IpProto::kUdp, kServer1, first.src, kNone, S(2));
    EXPECT_EQ(delivered.dst, kHost); // translated back to the inside host

    auto second = nat.Outbound(IpProto::kUdp, kHost, kServer1OtherPort, kNone, S(3));
    auto third = nat.Outbound(IpProto::kUdp, kHost, kServer2, kNone, S(4));
    EXPECT_EQ(second.src == first.src, row.samePortOtherServerPort);
    EXPECT_EQ(third.src == first.src, row.samePortOtherServer);
}

INSTANTIATE_TEST_SUITE_P(
    Rfc4787,
    NatBehaviorTable,
    ::testing::Values(
        //           mapping                                filtering                              same port: srv port, other srv   pass: srv, srv port, other srv
        BehaviorRow{NatBehavior::kEndpointIndependent, NatBehavior::kEndpointIndependent, true, true, true, true, true},
        BehaviorRow{NatBehavior::kEndpointIndependent, NatBehavior::kAddressDependent, true, true, true, true, false},
        BehaviorRow{NatBehavior::kEndpointIndependent, NatBehavior::kAddressAndPortDependent, true, true, true, false, false},
        BehaviorRow{NatBehavior::kAddressDependent, NatBehavior::kEndpointIndependent, true, false, true, true, true},
        BehaviorRow{NatBehavior::kAddressDependent, NatBehavior::kAddressDependent, true, false, true, true, false},
        BehaviorRow{NatBehavior::kAddressDependent, NatBehavior::kAddressAndPortDependent, true, false, true, false, false},
        BehaviorRow{NatBehavior::kAddressAndPortDependent, NatBehavior::kEndpointIndependent, false, false, true, true, true},
        BehaviorRow{NatBehavior::kAddressAndPortDependent, NatBehavior::kAddressDependent, false, false, true, true, false},
        BehaviorRow{NatBehavior::kAddressAndPortDependent, NatBehavior::kAddressAndPortDependent, false, false, true, false, false}),
    [](const ::testing::TestParamInfo<BehaviorRow>& info) {
        auto name = [](NatBehavior b) {
            return b == NatBehavior::kEndpointIndependent ? std::string("Ei")
                   : b == NatBehavior::kAddressDependent  ? std::string("Ad")
                                                          : std::string("Apd");
        };
        return name(info.param.mapping) + "Mapping" + name(info.param.filtering) + "Filtering";
    });

TEST(NatPorts, FirstHostKeepsItsPortTheSecondGetsAnother)
{
    SequenceRandom rnd;
    rnd.next = {50000};
    NatTable nat(NatConfig(), kPublic, rnd);
    auto a = nat.Outbound(IpProto::kUdp, kHost, kServer1, kNone, S(0));
    auto b = nat.Outbound(IpProto::kUdp, kHost2, kServer1, kNone, S(0));
    EXPECT_EQ(a.src.port, 5060); // port preservation (RFC 4787 4.2.1)
    EXPECT_EQ(b.src.port, 50000);
    // UDP and TCP port spaces are separate.
    auto t = nat.Outbound(IpProto::kTcp, kHost2, kServer1, kSyn, S(0));
    EXPECT_EQ(t.src.port, 5060);
}

TEST(NatPorts, WithoutPreservationPortsAreRandom)
{
    NatConfig cfg;
    cfg.portPreservation = false;
    SequenceRandom rnd;
    rnd.next = {31337};
    NatTable nat(cfg, kPublic, rnd);
    EXPECT_EQ(nat.Outbound(IpProto::kUdp, kHost, kServer1, kNone, S(0)).src.port, 31337);
}

TEST(NatPorts, ARandomCollisionMovesOn)
{
    NatConfig cfg;
    cfg.portPreservation = false;
    SequenceRandom rnd;
    rnd.next = {2000, 2000, 2001};
    NatTable nat(cfg, kPublic, rnd);
    EXPECT_EQ(nat.Outbound(IpProto::kUdp, kHost, kServer1, kNone, S(0)).src.port, 2000);
    EXPECT_EQ(nat.Outbound(IpProto::kUdp, kHost2, kServer1, kNone, S(0)).src.port, 2001);
}

TEST(NatPorts, ExhaustedPortRangeDropsNewFlows)
{
    NatConfig cfg;
    cfg.portPreservation = false;
    cfg.portMin = 2000;
    cfg.portMax = 2001;
    SequenceRandom rnd;
    NatTable nat(cfg, kPublic, rnd);
    EXPECT_EQ(nat.Outbound(IpProto::kUdp, Endpoint{Ip(10, 0, 0, 2), 1}, kServer1, kNone, S(0)).verdict,
              NatTable::Verdict::kForward);
    EXPECT_EQ(nat.Outbound(IpProto::kUdp, Endpoint{Ip(10, 0, 0, 3), 1}, kServer1, kNone, S(0)).verdict,
              NatTable::Verdict::kForward);
    auto r = nat.Outbound(IpProto::kUdp, Endpoint{Ip(10, 0, 0, 4), 1}, kServer1, kNone, S(0));
    EXPECT_EQ(r.verdict, NatTable::Verdict::kDrop);
    EXPECT_EQ(r.reason, NatTable::DropReason::kPortsExhausted);
}

TEST(NatUdpTimeout, MappingLivesUntilTimeoutAfterTheLastOutboundPacket)
{
    SequenceRandom rnd;
    NatTable nat(NatConfig(), kPublic, rnd); // 60 s
    auto out = nat.Outbound(IpProto::kUdp, kHost, kServer1, kNone, S(0));
    EXPECT_EQ(nat.Inbound(IpProto::kUdp, kServer1, out.src, kNone, S(59.999)).verdict,
              NatTable::Verdict::kForward);
    auto late = nat.Inbound(IpProto::kUdp, kServer1, out.src, kNone, S(60));
    EXPECT_EQ(late.verdict, NatTable::Verdict::kDrop);
    EXPECT_EQ(late.reason, NatTable::DropReason::kNoMapping);
    EXPECT_EQ(nat.GetCounters().mappingsExpired, 1u);
    EXPECT_EQ(nat.GetCounters().droppedNoMapping, 1u);
    EXPECT_EQ(nat.GetMappingCount(), 0u);
}

TEST(NatUdpTimeout, OutboundPacketsRefreshInboundOnesDoNotByDefault)
{
    SequenceRandom rnd;
    NatTable nat(NatConfig(), kPublic, rnd);
    auto out = nat.Outbound(IpProto::kUdp, kHost, kServer1, kNone, S(0));
    nat.Inbound(IpProto::kUdp, kServer1, out.src, kNone, S(50)); // does not refresh
    nat.Outbound(IpProto::kUdp, kHost, kServer1, kNone, S(30));  // refreshes: until 90 s
    EXPECT_EQ(nat.Inbound(IpProto::kUdp, kServer1, out.src, kNone, S(89)).verdict,
              NatTable::Verdict::kForward);
    EXPECT_EQ(nat.Inbound(IpProto::kUdp, kServer1, out.src, kNone, S(90)).verdict,
              NatTable::Verdict::kDrop);
}

TEST(NatUdpTimeout, InboundRefreshWhenConfigured)
{
    NatConfig cfg;
    cfg.inboundRefreshesUdp = true;
    SequenceRandom rnd;
    NatTable nat(cfg, kPublic, rnd);
    auto out = nat.Outbound(IpProto::kUdp, kHost, kServer1, kNone, S(0));
    nat.Inbound(IpProto::kUdp, kServer1, out.src, kNone, S(50)); // refreshes: until 110 s
    EXPECT_EQ(nat.Inbound(IpProto::kUdp, kServer1, out.src, kNone, S(109)).verdict,
              NatTable::Verdict::kForward);
}

TEST(NatUdpTimeout, ExpiryIsReportedAtTheTimeTheTimerRanOut)
{
    SequenceRandom rnd;
    NatTable nat(NatConfig(), kPublic, rnd);
    std::vector<TimeNs> expiredAt;
    NatTable::Listener l;
    l.expired = [&](IpProto, Endpoint, Endpoint, TimeNs t) { expiredAt.push_back(t); };
    nat.SetListener(l);
    nat.Outbound(IpProto::kUdp, kHost, kServer1, kNone, S(0));
    nat.Outbound(IpProto::kUdp, kHost2, kServer1, kNone, S(10));
    nat.Outbound(IpProto::kUdp, kHost, kServer1, kNone, S(20)); // refresh: until 80 s
    EXPECT_EQ(nat.NextExpiry(), S(60)); // the first host's old timer, stale by now
    EXPECT_EQ(nat.ExpireUntil(S(69)), 0u);
    EXPECT_EQ(nat.NextExpiry(), S(70)); // the second host
    EXPECT_EQ(nat.ExpireUntil(S(100)), 2u);
    ASSERT_EQ(expiredAt.size(), 2u);
    EXPECT_EQ(expiredAt[0], S(70));
    EXPECT_EQ(expiredAt[1], S(80));
    EXPECT_EQ(nat.GetMappingCount(), 0u);
    EXPECT_EQ(nat.NextExpiry(), -1);
}

TEST(NatTcp, ConnectionOpenedFromInsideIsEstablishedAndIdlesOutAfter7440s)
{
    SequenceRandom rnd;
    NatTable nat(NatConfig(), kPublic, rnd);
    auto syn = nat.Outbound(IpProto::kTcp, kHost, kServer1, kSyn, S(0));
    ASSERT_EQ(syn.verdict, NatTable::Verdict::kForward);
    EXPECT_EQ(nat.Inbound(IpProto::kTcp, kServer1, syn.src, kSynAck, S(0.05)).verdict,
              NatTable::Verdict::kForward);
    nat.Outbound(IpProto::kTcp, kHost, kServer1, kAck, S(0.1));
    EXPECT_EQ(nat.Inbound(IpProto::kTcp, kServer1, syn.src, kAck, S(7440.099)).verdict,
              NatTable::Verdict::kForward);
    // Idle for the established timeout (RFC 5382 REQ-5): the state is gone.
    auto late = nat.Inbound(IpProto::kTcp, kServer1, syn.src, kAck, S(7440.099 + 7440));
    EXPECT_EQ(late.verdict, NatTable::Verdict::kDrop);
}

TEST(NatTcp, HalfOpenConnectionUsesTheTransitoryTimeout)
{
    SequenceRandom rnd;
    NatTable nat(NatConfig(), kPublic, rnd);
    auto syn = nat.Outbound(IpProto::kTcp, kHost, kServer1, kSyn, S(0));
    EXPECT_EQ(nat.Inbound(IpProto::kTcp, kServer1, syn.src, kSynAck, S(239)).verdict,
              NatTable::Verdict::kForward);
    // The SYN-ACK made it established: now the long timeout applies.
    EXPECT_EQ(nat.Inbound(IpProto::kTcp, kServer1, syn.src, kAck, S(239 + 1000)).verdict,
              NatTable::Verdict::kForward);

    auto syn2 = nat.Outbound(IpProto::kTcp, kHost2, kServer1, kSyn, S(0));
    EXPECT_EQ(nat.Inbound(IpProto::kTcp, kServer1, syn2.src, kSynAck, S(240)).verdict,
              NatTable::Verdict::kDrop);
}

TEST(NatTcp, FinOrRstMakesTheConnectionTransitory)
{
    for (TcpFlags closing : {kFin, kRst})
    {
        SequenceRandom rnd;
        NatTable nat(NatConfig(), kPublic, rnd);
        auto syn = nat.Outbound(IpProto::kTcp, kHost, kServer1, kSyn, S(0));
        nat.Inbound(IpProto::kTcp, kServer1, syn.src, kSynAck, S(1));
        nat.Outbound(IpProto::kTcp, kHost, kServer1, closing, S(10));
        EXPECT_EQ(nat.Inbound(IpProto::kTcp, kServer1, syn.src, kAck, S(249)).verdict,
                  NatTable::Verdict::kForward);
        auto r = nat.Inbound(IpProto::kTcp, kServer1, syn.src, kAck, S(249 + 240));
        EXPECT_EQ(r.verdict, NatTable::Verdict::kDrop);
    }
}

TEST(NatTcp, UnsolicitedInboundSegmentsAreDroppedSilently)
{
    SequenceRandom rnd;
    NatTable nat(NatConfig(), kPublic, rnd); // APDF
    auto syn = nat.Outbound(IpProto::kTcp, kHost, kServer1, kSyn, S(0));
    auto fromOther = nat.Inbound(IpProto::kTcp, kServer2, syn.src, kSyn, S(1));
    EXPECT_EQ(fromOther.verdict, NatTable::Verdict::kDrop);
    EXPECT_EQ(fromOther.reason, NatTable::DropReason::kUnsolicitedTcp);
    auto noMapping =
        nat.Inbound(IpProto::kTcp, kServer1, Endpoint{kPublic, 9999}, kSyn, S(1));
    EXPECT_EQ(noMapping.reason, NatTable::DropReason::kNoMapping);
}

TEST(NatTcp, InboundSynThroughEndpointIndependentFilteringOpensAConnection)
{
    NatConfig cfg;
    cfg.filtering = NatBehavior::kEndpointIndependent;
    SequenceRandom rnd;
    NatTable nat(cfg, kPublic, rnd);
    auto syn = nat.Outbound(IpProto::kTcp, kHost, kServer1, kSyn, S(0));
    auto r = nat.Inbound(IpProto::kTcp, kServer2, syn.src, kSyn, S(1));
    EXPECT_EQ(r.verdict, NatTable::Verdict::kForward);
    EXPECT_EQ(r.dst, kHost);
}

TEST(NatReboot, EveryMappingIsLostAndTheNewAddressIsUsed)
{
    SequenceRandom rnd;
    NatTable nat(NatConfig(), kPublic, rnd);
    auto a = nat.Outbound(IpProto::kUdp, kHost, kServer1, kNone, S(0));
    nat.Outbound(IpProto::kTcp, kHost2, kServer1, kSyn, S(0));
    EXPECT_EQ(nat.GetMappingCount(), 2u);
    const uint32_t newPublic = Ip(203, 0, 113, 99);
    nat.Reboot(S(5), newPublic);
    EXPECT_EQ(nat.GetMappingCount(), 0u);
    EXPECT_EQ(nat.GetCounters().mappingsLostInReboot, 2u);
    EXPECT_EQ(nat.Inbound(IpProto::kUdp, kServer1, Endpoint{newPublic, a.src.port}, kNone, S(6))
                  .reason,
              NatTable::DropReason::kNoMapping);
    auto b = nat.Outbound(IpProto::kUdp, kHost, kServer1, kNone, S(7));
    EXPECT_EQ(b.src.addr, newPublic);
    EXPECT_EQ(nat.GetCounters().mappingsExpired, 0u); // lost, not expired
}

TEST(NatHairpinning, InsideHostReachesAnotherThroughItsExternalEndpoint)
{
    NatConfig cfg;
    cfg.filtering = NatBehavior::kEndpointIndependent;
    SequenceRandom rnd;
    NatTable nat(cfg, kPublic, rnd);
    auto a = nat.Outbound(IpProto::kUdp, kHost, kServer1, kNone, S(0));
    auto r = nat.Outbound(IpProto::kUdp, kHost2, a.src, kNone, S(1));
    ASSERT_EQ(r.verdict, NatTable::Verdict::kForward);
    EXPECT_TRUE(r.towardsInside);
    EXPECT_EQ(r.dst, kHost);
    // RFC 4787 REQ-9: the source is the sender's external endpoint.
    EXPECT_EQ(r.src.addr, kPublic);
    Endpoint ext2;
    ASSERT_TRUE(nat.LookupExternal(IpProto::kUdp, kHost2, a.src, S(1), ext2));
    EXPECT_EQ(r.src, ext2);
    EXPECT_EQ(nat.GetCounters().hairpinned, 1u);
}

TEST(NatHairpinning, FilteringAppliesToHairpinnedPackets)
{
    SequenceRandom rnd;
    NatTable nat(NatConfig(), kPublic, rnd); // APDF
    auto a = nat.Outbound(IpProto::kUdp, kHost, kServer1, kNone, S(0));
    auto r = nat.Outbound(IpProto::kUdp, kHost2, a.src, kNone, S(1));
    EXPECT_EQ(r.verdict, NatTable::Verdict::kDrop);
    EXPECT_EQ(r.reason, NatTable::DropReason::kFiltered);
}

TEST(NatHairpinning, OffMeansDropped)
{
    NatConfig cfg;
    cfg.hairpinning = false;
    cfg.filtering = NatBehavior::kEndpointIndependent;
    SequenceRandom rnd;
    NatTable nat(cfg, kPublic, rnd);
    auto a = nat.Outbound(IpProto::kUdp, kHost, kServer1, kNone, S(0));
    auto r = nat.Outbound(IpProto::kUdp, kHost2, a.src, kNone, S(1));
    EXPECT_EQ(r.verdict, NatTable::Verdict::kDrop);
    EXPECT_EQ(r.reason, NatTable::DropReason::kNoHairpinning);
}

TEST(NatScale, TenThousandHostsEachWithAMapping)
{
    SequenceRandom rnd;
    NatTable nat(NatConfig(), kPublic, rnd);
    for (uint32_t i = 0; i < 10000; ++i)
    {
        Endpoint h{Ip(10, 0, 0, 0) + i, 5060};
        ASSERT_EQ(nat.Outbound(IpProto::kUdp, h, kServer1, kNone, S(0)).verdict,
                  NatTable::Verdict::kForward);
    }
    EXPECT_EQ(nat.GetMappingCount(), 10000u);
    EXPECT_EQ(nat.ExpireUntil(S(60)), 10000u);
    EXPECT_EQ(nat.GetMappingCount(), 0u);
}

TEST(NatBehaviorNames, ParseAndPrint)
{
    NatBehavior b;
    ASSERT_TRUE(ParseNatBehavior("address-dependent", b));
    EXPECT_EQ(b, NatBehavior::kAddressDependent);
    ASSERT_TRUE(ParseNatBehavior("apdf", b));
    EXPECT_EQ(ToString(b), "address-and-port-dependent");
    EXPECT_FALSE(ParseNatBehavior("full-cone", b));
}

TEST(NatTcp, StrictTrackingDropsAMidConnectionSegmentAfterAReboot)
{
    SequenceRandom rnd;
    NatTable nat(NatConfig(), kPublic, rnd); // tcpRequireSyn by default
    auto syn = nat.Outbound(IpProto::kTcp, kHost, kServer1, kSyn, S(0));
    nat.Inbound(IpProto::kTcp, kServer1, syn.src, kSynAck, S(1));
    nat.Reboot(S(2), 0);
    auto r = nat.Outbound(IpProto::kTcp, kHost, kServer1, kAck, S(3));
    EXPECT_EQ(r.verdict, NatTable::Verdict::kDrop);
    EXPECT_EQ(r.reason, NatTable::DropReason::kTcpWithoutState);
    EXPECT_EQ(nat.GetMappingCount(), 0u);
}

TEST(NatTcp, LooseTrackingLetsAMidConnectionSegmentOpenState)
{
    NatConfig cfg;
    cfg.tcpRequireSyn = false;
    SequenceRandom rnd;
    NatTable nat(cfg, kPublic, rnd);
    auto syn = nat.Outbound(IpProto::kTcp, kHost, kServer1, kSyn, S(0));
    nat.Reboot(S(2), 0);
    auto r = nat.Outbound(IpProto::kTcp, kHost, kServer1, kAck, S(3));
    EXPECT_EQ(r.verdict, NatTable::Verdict::kForward);
    EXPECT_EQ(r.src, syn.src); // same external port again: port preservation
}
