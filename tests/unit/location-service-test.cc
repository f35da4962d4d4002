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
