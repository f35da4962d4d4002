// The registrar's location service (RFC 3261 10.3 steps 5-8, RFC 3327 Path).
#include "models/roles/location-service.h"

#include <gtest/gtest.h>

using namespace sipbed;

namespace
{

LocationService::Update
Contact(const std::string& uri, uint32_t expires, const std::string& callId, uint32_t cseq)
{
    LocationService::Update u;
    u.binding.contact = uri;
    u.binding.callId = callId;
    u.binding.cseq = cseq;
    u.binding.path = {"<sip:edge1@198.18.0.2;lr>"};
    u.expires = expires;
    return u;
}

} // namespace

TEST(LocationService, AorIsCanonicalSipUriWithLowerCaseHostAndNoParameters)
{
    Result<SipUri> uri = SipUri::Parse("sips:J%2eUser@EXAMPLE.com:5061;transport=tcp",
                                       SipUri::Context::kBracketed);
    ASSERT_TRUE(uri);
    EXPECT_EQ(LocationService::CanonicalAor(uri.GetValue()), "sip:J.User@example.com");
}

TEST(LocationService, BindingLivesUntilItsExpiryAndKeepsItsPath)
{
    LocationService ls;
    ASSERT_TRUE(ls.Apply("sip:alice@example.com", {Contact("sip:alice@10.0.0.2", 60, "c1", 1)}, 0));
    std::vector<Binding> b = ls.Lookup("sip:alice@example.com", SecondsToNs(59));
    ASSERT_EQ(b.size(), 1u);
    EXPECT_EQ(b[0].path, std::vector<std::string>{"<sip:edge1@198.18.0.2;lr>"});
    EXPECT_TRUE(ls.Lookup("sip:alice@example.com", SecondsToNs(60)).empty());
    EXPECT_EQ(ls.Purge(SecondsToNs(60)), 1u);
    EXPECT_EQ(ls.GetAorCount(), 0u);
}

TEST(LocationService, RefreshReplacesAndExpiresZeroRemoves)
{
    LocationService ls;
    const std::string aor = "sip:bob@example.com";
    ASSERT_TRUE(ls.Apply(aor, {Contact("sip:bob@10.0.0.3", 60, "c1", 1)}, 0));
    ASSERT_TRUE(ls.Apply(aor, {Contact("sip:bob@10.0.0.3", 3600, "c1", 2)}, SecondsToNs(30)));
    EXPECT_EQ(ls.GetBindingCount(), 1u);
    EXPECT_EQ(ls.Lookup(aor, SecondsToNs(100)).size(), 1u);
    ASSERT_TRUE(ls.Apply(aor, {Contact("sip:bob@10.0.0.3", 0, "c1", 3)}, SecondsToNs(40)));
    EXPECT_EQ(ls.GetBindingCount(), 0u);
}

TEST(LocationService, OutOfOrderRegisterChangesNothing)
{
    LocationService ls;
    const std::string aor = "sip:bob@example.com";
    ASSERT_TRUE(ls.Apply(aor, {Contact("sip:bob@10.0.0.3", 60, "c1", 5)}, 0));
    // Same Call-ID, CSeq not higher: the whole request fails, even its other contacts.
    EXPECT_FALSE(ls.Apply(
        aor, {Contact("sip:bob@10.0.0.9", 60, "c1", 5), Contact("sip:bob@10.0.0.3", 0, "c1", 5)}, 1));
    EXPECT_EQ(ls.Lookup(aor, 2).size(), 1u);
    EXPECT_EQ(ls.Lookup(aor, 2)[0].contact, "sip:bob@10.0.0.3");
    // Another Call-ID (a rebooted device) may replace it whatever its CSeq.
    EXPECT_TRUE(ls.Apply(aor, {Contact("sip:bob@10.0.0.3", 60, "c2", 1)}, 3));
}

TEST(LocationService, StarRemovesEveryBindingOfTheAor)
{
    LocationService ls;
    const std::string aor = "sip:carol@example.com";
    ASSERT_TRUE(ls.Apply(aor, {Contact("sip:carol@10.0.0.4", 60, "c1", 1),
                              Contact("sip:carol@10.0.0.5", 60, "c9", 1)},
                         0));
    EXPECT_FALSE(ls.RemoveAll(aor, "c1", 1, 1)); // not newer than the c1 binding
    EXPECT_TRUE(ls.RemoveAll(aor, "c1", 2, 1));
    EXPECT_EQ(ls.GetBindingCount(), 0u);
}

TEST(LocationService, LookupPrefersHigherQThenTheLatestRegistration)
{
    LocationService ls;
    const std::string aor = "sip:dave@example.com";
    LocationService::Update low = Contact("sip:dave@10.0.0.6", 60, "a", 1);
    low.binding.q = 0.5;
    ASSERT_TRUE(ls.Apply(aor, {low, Contact("sip:dave@10.0.0.7", 60, "b", 1)}, 0));
    ASSERT_TRUE(ls.Apply(aor, {Contact("sip:dave@10.0.0.8", 60, "c", 1)}, 10));
    std::vector<Binding> b = ls.Lookup(aor, 20);
    ASSERT_EQ(b.size(), 3u);
    EXPECT_EQ(b[0].contact, "sip:dave@10.0.0.8");
    EXPECT_EQ(b[2].contact, "sip:dave@10.0.0.6");
}

// Outbound (../shared/spec/outbound.md 5.2, 5.3): bindings per instance and flow.

namespace
{

const char* const kInstance = "urn:uuid:0C67446E-F1A1-11D9-94D3-000A95A0E128";

/// A contact with +sip.instance and a flow number, arrived over `flow`.
LocationService::Update
FlowContact(const std::string& uri, uint32_t flowId, const TransportAddress& flow, uint32_t cseq)
{
    LocationService::Update u = Contact(uri, 3600, "flow" + std::to_string(flowId), cseq);
    u.binding.path.clear(); // registered directly: the flow is the registrar's
    u.binding.instance = kInstance;
    u.binding.flowId = flowId;
    u.binding.source = flow;
    return u;
}

TransportAddress
Tcp(uint32_t ip, uint16_t port, ConnectionId connection)
{
    return TransportAddress{TransportKind::kTcp, ip, port, connection};
}

} // namespace

TEST(LocationService, OutboundContactMatchesOnUriInstanceAndFlowId)
{
    // OB-REG-1: same URI and instance, another flow-id: a second binding;
    // the same flow-id again: a refresh. OB-REG-2: a plain contact with the
    // same URI is a binding of its own.
    LocationService ls;
    const std::string aor = "sip:callee@example.com";
    ASSERT_TRUE(ls.Apply(aor, {FlowContact("sip:callee@10.0.1.1", 1, Tcp(7, 40000, 1), 1)}, 0));
    ASSERT_TRUE(ls.Apply(aor, {FlowContact("sip:callee@10.0.1.1", 2, Tcp(7, 40001, 2), 1)}, 1));
    EXPECT_EQ(ls.GetBindingCount(), 2u);
    ASSERT_TRUE(ls.Apply(aor, {FlowContact("sip:callee@10.0.1.1", 1, Tcp(7, 40000, 1), 2)}, 2));
    EXPECT_EQ(ls.GetBindingCount(), 2u);
    ASSERT_TRUE(ls.Apply(aor, {Contact("sip:callee@10.0.1.1", 3600, "plain", 1)}, 3));
    EXPECT_EQ(ls.GetBindingCount(), 3u);
    // Out of order on one flow blocks only that flow's binding.
    EXPECT_FALSE(ls.Apply(aor, {FlowContact("sip:callee@10.0.1.1", 2, Tcp(7, 40001, 2), 1)}, 4));
    EXPECT_TRUE(ls.Apply(aor, {FlowContact("sip:callee@10.0.1.1", 2, Tcp(7, 40001, 2), 2)}, 4));
}

TEST(LocationService, MostRecentlyUpdatedFlowComesFirst)
{
    // OB-PX-3, OB-REG-5: a refresh moves a flow to the front, with the
    // address it came from this time.
    LocationService ls;
    const std::string aor = "sip:callee@example.com";
    ASSERT_TRUE(ls.Apply(aor, {FlowContact("sip:callee@10.0.1.1", 1, Tcp(7, 40000, 1), 1)}, 0));
    ASSERT_TRUE(ls.Apply(aor, {FlowContact("sip:callee@10.0.1.1", 2, Tcp(7, 40001, 2), 1)}, 10));
    EXPECT_EQ(ls.Lookup(aor, 20).front().flowId, 2u);
    const TransportAddress rebound{TransportKind::kUdp, 7, 40005, 0};
    ASSERT_TRUE(ls.Apply(aor, {FlowContact("sip:callee@10.0.1.1", 1, rebound, 2)}, 30));
    const std::vector<Binding> b = ls.Lookup(aor, 40);
    ASSERT_EQ(b.size(), 2u);
    EXPECT_EQ(b[0].flowId, 1u);
    EXPECT_EQ(b[0].updatedAt, 30);
    EXPECT_EQ(b[0].source.ToString(), rebound.ToString());
}

TEST(LocationService, DraftRebootWithANewUriKeepsBothBindingsRfc5626ReplacesTheRegId)
{
    // OB-REG-6: the draft keys on the Contact URI too; RFC 5626 6 binds
    // (AOR, instance-id, reg-id), so the new URI replaces the old one.
    const std::string aor = "sip:callee@example.com";
    for (OutboundProfile profile : {OutboundProfile::kDraft, OutboundProfile::kRfc5626})
    {
        SCOPED_TRACE(std::string(ProfileName(profile)));
        LocationService ls(profile);
        ASSERT_TRUE(ls.Apply(aor, {FlowContact("sip:callee@10.0.1.1", 1, Tcp(7, 40000, 1), 1)}, 0));
        LocationService::Update rebooted =
            FlowContact("sip:callee@10.0.1.9", 1, Tcp(7, 40002, 3), 1);
        rebooted.binding.callId = "after-reboot";
        ASSERT_TRUE(ls.Apply(aor, {rebooted}, 5));
        const std::vector<Binding> b = ls.Lookup(aor, 6);
        ASSERT_EQ(b.size(), profile == OutboundProfile::kDraft ? 2u : 1u);
        EXPECT_EQ(b[0].contact, "sip:callee@10.0.1.9");
    }
}

TEST(LocationService, ClosedFlowTakesExactlyItsOutboundBindings)
{
    // OB-PX-7, OB-PX-8: every outbound binding registered over the flow, in
    // any AOR; not the other connection from the same address, not a
    // binding behind an edge proxy (the edge owns that flow), not a plain one.
    LocationService ls;
    const TransportAddress flow = Tcp(7, 40000, 1);
    ASSERT_TRUE(ls.Apply("sip:bob@example.com",
                         {FlowContact("sip:bob@10.0.1.1", 1, flow, 1),
                          FlowContact("sip:bob@10.0.1.1", 2, Tcp(7, 40000, 2), 1)},
                         0));
    ASSERT_TRUE(ls.Apply(
        "sip:bob-line2@example.com", {FlowContact("sip:bob-line2@10.0.1.1", 1, flow, 1)}, 0));
    LocationService::Update viaEdge = FlowContact("sip:carol@10.0.2.1", 1, flow, 1);
    viaEdge.binding.path = {"<sip:token@198.18.0.6;lr>"};
    LocationService::Update plain = Contact("sip:carol@10.0.2.2", 3600, "plain", 1);
    plain.binding.source = flow;
    ASSERT_TRUE(ls.Apply("sip:carol@example.com", {viaEdge, plain}, 0));
    EXPECT_EQ(ls.RemoveFlow(flow), 2u);
    EXPECT_EQ(ls.Lookup("sip:bob@example.com", 1).size(), 1u);
    EXPECT_EQ(ls.Lookup("sip:bob@example.com", 1)[0].flowId, 2u);
    EXPECT_TRUE(ls.Lookup("sip:bob-line2@example.com", 1).empty());
    EXPECT_EQ(ls.Lookup("sip:carol@example.com", 1).size(), 2u);
    EXPECT_EQ(ls.GetAorCount(), 2u);
}

TEST(LocationService, LookupContactFindsTheBindingsOfAContactUri)
{
    // OB-PX-9: a mid-dialog Request-URI names the registered Contact (its
    // parameters may differ); the freshest binding first.
    LocationService ls;
    ASSERT_TRUE(ls.Apply("sip:callee@example.com",
                         {FlowContact("sip:callee@10.0.1.1:5060", 1, Tcp(7, 40000, 1), 1)},
                         0));
    ASSERT_TRUE(ls.Apply("sip:callee@example.com",
                         {FlowContact("sip:callee@10.0.1.1:5060", 2, Tcp(7, 40001, 2), 1)},
                         5));
    ASSERT_TRUE(ls.Apply("sip:other@example.com", {Contact("sip:other@10.0.1.1", 60, "x", 1)}, 0));
    Result<SipUri> uri = SipUri::Parse("sip:callee@10.0.1.1;ob", SipUri::Context::kRequestUri);
    ASSERT_TRUE(uri);
    const std::vector<Binding> b = ls.LookupContact(uri.GetValue(), 6);
    ASSERT_EQ(b.size(), 2u);
    EXPECT_EQ(b[0].flowId, 2u);
}
