// Server-side request checks against RFC 4475's `semantic` rows: each row
// of ../shared/torture/expected.tsv with a response code gets that code
// from the element it names; rows marked `parse` pass the checks.
#include "models/sip/request-checks.h"
#include "models/sip/sip-parser.h"
#include "tests/unit/test-support.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

using namespace sipbed;

namespace
{

/// The `semantic` rows of expected.tsv.
std::vector<test::TortureRow>
SemanticRows()
{
    std::vector<test::TortureRow> rows;
    for (const test::TortureRow& row : test::LoadExpectedTsv())
    {
        if (row.cls == "semantic")
        {
            rows.push_back(row);
        }
    }
    return rows;
}

SipMessage
Load(const std::string& name)
{
    return test::MustParse(test::TortureBytes(name));
}

RequestPolicy
Policy(RequestPolicy::Element e)
{
    RequestPolicy p;
    p.element = e;
    return p;
}

std::string
HeaderOf(const Rejection& r, const std::string& name)
{
    for (const auto& [n, v] : r.headers)
    {
        if (n == name)
        {
            return v;
        }
    }
    return "";
}

} // namespace

TEST(RequestChecks, EverySemanticTortureRowGetsItsExpectedCode)
{
    const std::vector<test::TortureRow> rows = SemanticRows();
    ASSERT_EQ(rows.size(), 17u);
    int checked = 0;
    for (const test::TortureRow& row : rows)
    {
        const SipMessage m = Load(row.name);
        if (!m.IsRequest() || row.name == "regaut01")
        {
            continue; // bcast is a response; regaut01 (401) is the registrar's digest check
        }
        // zeromf is about a proxy; the others about the UAS receiving them.
        const RequestPolicy policy = Policy(row.name == "zeromf" ? RequestPolicy::Element::kProxy
                                                                 : RequestPolicy::Element::kUas);
        const std::optional<Rejection> r = CheckRequest(m, policy);
        std::string expected = row.expected;
        if (row.name == "novelsc")
        {
            expected = "416"; // "an element that does not support it answers 416"
        }
        if (expected == "parse")
        {
            EXPECT_FALSE(r) << row.name << " rejected with " << r->status << " " << r->reason;
        }
        else
        {
            ASSERT_TRUE(r) << row.name << " passed, expected " << expected;
            const std::string code = std::to_string(r->status);
            EXPECT_NE(expected.find(code), std::string::npos)
                << row.name << ": got " << code << ", expected " << expected;
        }
        ++checked;
    }
    EXPECT_EQ(checked, 15);
}

TEST(RequestChecks, UnknownRequireAndProxyRequireTagsGet420ListingThem)
{
    const SipMessage m = Load("bext01");
    for (auto element : {RequestPolicy::Element::kUas, RequestPolicy::Element::kProxy})
    {
        const std::optional<Rejection> r = CheckRequest(m, Policy(element));
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 420);
        EXPECT_FALSE(HeaderOf(*r, "Unsupported").empty());
    }
    // The tags the UAS is told about are those of Require, the proxy's those of Proxy-Require.
    EXPECT_EQ(HeaderOf(*CheckRequest(m, Policy(RequestPolicy::Element::kUas)), "Unsupported"),
              "nothingSupportsThis, nothingSupportsThisEither");
    EXPECT_EQ(HeaderOf(*CheckRequest(m, Policy(RequestPolicy::Element::kProxy)), "Unsupported"),
              "noProxiesSupportThis, norDoAnyProxiesSupportThis");
}

TEST(RequestChecks, UnknownBodyTypeGets415WithAccept)
{
    const std::optional<Rejection> r = CheckRequest(Load("invut"), Policy(RequestPolicy::Element::kUas));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 415);
    EXPECT_EQ(HeaderOf(*r, "Accept"), "application/sdp");
}

TEST(RequestChecks, MissingAndRepeatedHeadersNameTheHeader)
{
    const std::optional<Rejection> insuf = CheckRequest(Load("insuf"), Policy(RequestPolicy::Element::kUas));
    ASSERT_TRUE(insuf);
    EXPECT_EQ(insuf->status, 400);
    EXPECT_EQ(insuf->reason.rfind("Missing Required Header: ", 0), 0u) << insuf->reason;
    const std::optional<Rejection> mcl = CheckRequest(Load("mcl01"), Policy(RequestPolicy::Element::kUas));
    ASSERT_TRUE(mcl);
    EXPECT_NE(mcl->reason.find("Content-Length"), std::string::npos) << mcl->reason;
}

TEST(RequestChecks, MaxForwardsZeroStopsOnlyAProxy)
{
    const SipMessage m = Load("zeromf");
    EXPECT_EQ(CheckRequest(m, Policy(RequestPolicy::Element::kProxy))->status, 483);
    EXPECT_FALSE(CheckRequest(m, Policy(RequestPolicy::Element::kUas)));
}
