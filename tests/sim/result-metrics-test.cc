// The metric helpers scenario authors use (sim/): distributions, events.csv,
// timeseries.csv, summary values, number formatting, stream allocation, and
// the parameter declarations of scenarios/.

#include "scenarios/parameter-set.h"
#include "scenarios/scenario-errors.h"
#include "sim/distribution.h"
#include "sim/event-table.h"
#include "sim/result-format.h"
#include "sim/stream-allocator.h"
#include "sim/summary-values.h"
#include "sim/timeseries-sampler.h"

#include "ns3/simulator.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <sstream>

namespace
{

using namespace sipbed;

TEST(Distribution, NearestRankPercentilesAreObservedSamples)
{
    Distribution d;
    for (int i = 20; i >= 1; --i) // 1..20, added in reverse
    {
        d.Add(i);
    }
    EXPECT_EQ(d.GetCount(), 20U);
    EXPECT_DOUBLE_EQ(d.GetMean(), 10.5);
    EXPECT_EQ(d.GetPercentile(50), 10); // rank ceil(0.5 * 20) = 10
    EXPECT_EQ(d.GetPercentile(95), 19); // rank ceil(0.95 * 20) = 19
    EXPECT_EQ(d.GetPercentile(96), 20); // rank ceil(19.2) = 20
    EXPECT_EQ(d.GetMax(), 20);
    EXPECT_EQ(d.GetMin(), 1);

    Distribution one;
    one.Add(3.5);
    EXPECT_EQ(one.GetPercentile(1), 3.5);
    EXPECT_EQ(one.GetPercentile(100), 3.5);

    EXPECT_EQ(d.ToJson().dump(), R"({"max":20.0,"mean":10.5,"n":20,"p50":10.0,"p95":19.0})");
    EXPECT_EQ(Distribution().ToJson().dump(),
              R"({"max":null,"mean":null,"n":0,"p50":null,"p95":null})");
    EXPECT_THROW(d.Add(std::nan("")), std::invalid_argument);
    EXPECT_THROW(d.GetPercentile(0), std::invalid_argument);
}

TEST(ResultFormat, NumbersAreShortestRoundTripAndIntegralValuesAreIntegers)
{
    EXPECT_EQ(FormatNumber(0.1), "0.1");
    EXPECT_EQ(FormatNumber(1.0 / 3), "0.3333333333333333");
    EXPECT_EQ(FormatNumber(12.0), "12");
    EXPECT_EQ(FormatNumber(1e6), "1000000");
    EXPECT_EQ(FormatNumber(1e20), "1e+20");
    EXPECT_EQ(FormatNumber(1e-7), "1e-07");
    EXPECT_EQ(FormatNumber(-2.5), "-2.5");
    EXPECT_EQ(FormatNumber(std::numeric_limits<double>::quiet_NaN()), "nan");
    EXPECT_EQ(FormatNumber(int64_t{-42}), "-42");
    EXPECT_EQ(CsvField("plain"), "plain");
    EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
    EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
    EXPECT_TRUE(IsSnakeCase("recovery_time_s"));
    EXPECT_TRUE(IsSnakeCase("p95"));
    EXPECT_FALSE(IsSnakeCase("recoveryTime"));
    EXPECT_FALSE(IsSnakeCase("a__b"));
    EXPECT_FALSE(IsSnakeCase("_a"));
    EXPECT_FALSE(IsSnakeCase("a_"));
    EXPECT_FALSE(IsSnakeCase("a-b"));
}

class EventTableTest : public ::testing::Test
{
  protected:
    void TearDown() override
    {
        ns3::Simulator::Destroy();
    }
};

TEST_F(EventTableTest, EveryRowHasEveryDeclaredColumn)
{
    std::ostringstream out;
    EventTable events(out);
    events.DeclareColumn("flow", EventTable::ColumnType::INTEGER)
        .DeclareColumn("wait_s", EventTable::ColumnType::REAL)
        .DeclareColumn("ok", EventTable::ColumnType::BOOLEAN)
        .DeclareColumn("cause", EventTable::ColumnType::TEXT);
    ns3::Simulator::Schedule(ns3::Seconds(1.25), [&] {
        events.Record("ua-1", "flow_failed", {{"flow", 2u}, {"cause", "timeout, then RST"}});
        events.Record("ua-1", "backoff", {{"wait_s", 3}, {"ok", false}});
    });
    ns3::Simulator::Run();
    events.Record("registrar", "idle");
    events.Finish();
    EXPECT_EQ(out.str(),
              "t_s,node,kind,flow,wait_s,ok,cause\n"
              "1.25,ua-1,flow_failed,2,,,\"timeout, then RST\"\n"
              "1.25,ua-1,backoff,,3,false,\n"
              "1.25,registrar,idle,,,,\n");
    EXPECT_EQ(events.GetRowCount(), 3U);
}

TEST_F(EventTableTest, SchemaMistakesAreCaught)
{
    std::ostringstream out;
    EventTable events(out);
    events.DeclareColumn("flow", EventTable::ColumnType::INTEGER);
    EXPECT_THROW(events.DeclareColumn("flow", EventTable::ColumnType::TEXT), std::logic_error);
    EXPECT_THROW(events.DeclareColumn("kind", EventTable::ColumnType::TEXT), std::logic_error);
    EXPECT_THROW(events.DeclareColumn("Flow", EventTable::ColumnType::TEXT), std::invalid_argument);
    EXPECT_THROW(events.Record("n", "k", {{"nope", 1}}), std::logic_error);
    EXPECT_THROW(events.Record("n", "k", {{"flow", 1.5}}), std::logic_error);
    EXPECT_THROW(events.Record("n", "k", {{"flow", "two"}}), std::logic_error);
    events.Record("n", "k", {{"flow", 1}});
    EXPECT_THROW(events.DeclareColumn("late", EventTable::ColumnType::TEXT), std::logic_error);
    events.Finish();
    EXPECT_EQ(out.str(), "t_s,node,kind,flow\n0,n,k,1\n");

    std::ostringstream empty;
    EventTable none(empty);
    none.DeclareColumn("flow", EventTable::ColumnType::INTEGER);
    none.Finish();
    EXPECT_EQ(empty.str(), "t_s,node,kind,flow\n"); // the header even without rows
}

TEST_F(EventTableTest, TimeseriesRowsAtEachIntervalEndUpToTheStopTimeIncluded)
{
    std::ostringstream out;
    TimeseriesSampler series(out);
    series.SetInterval(ns3::Seconds(0.5));
    double messages = 0; // cumulative
    int open = 0;        // gauge
    series.AddProbe("open_flows", [&] { return open; });
    series.AddRateProbe("load_rps", [&] { return messages; });
    for (int i = 1; i <= 8; ++i)
    {
        ns3::Simulator::Schedule(ns3::Seconds(0.25 * i), [&, i] {
            messages += i;
            open = i;
        });
    }
    series.Start(ns3::Seconds(2));
    ns3::Simulator::Stop(ns3::Seconds(2));
    ns3::Simulator::Run();
    series.Finish();
    // Intervals end at 0.5 (messages 1+2), 1 (3+4), 1.5 (5+6), 2 (7+8), in 0.5 s each.
    EXPECT_EQ(out.str(),
              "t_s,open_flows,load_rps\n"
              "0.5,2,6\n"
              "1,4,14\n"
              "1.5,6,22\n"
              "2,8,30\n");
    EXPECT_EQ(series.GetRowCount(), 4U);
    EXPECT_THROW(series.AddProbe("late", [] { return 0.0; }), std::logic_error);
}

TEST(SummaryValues, SortedSnakeCaseKeys)
{
    SummaryValues summary;
    Distribution d;
    d.Add(1);
    summary.Set("recovery_time_s", d);
    summary.Set("attack_success_ratio", 0.25);
    summary.Set("verdict", "pass");
    summary.Set("registrations_count", uint64_t{7});
    EXPECT_EQ(summary.ToJson().dump(),
              R"({"attack_success_ratio":0.25,"recovery_time_s":{"max":1.0,"mean":1.0,"n":1,)"
              R"("p50":1.0,"p95":1.0},"registrations_count":7,"verdict":"pass"})");
    EXPECT_THROW(summary.Set("RecoveryTime", 1), std::invalid_argument);
}

TEST(StreamAllocator, HandsOutConsecutiveNumbersAndRecordsWhoGotThem)
{
    StreamAllocator streams;
    EXPECT_EQ(streams.Allocate("ua", 2), 0);
    EXPECT_EQ(streams.Allocate("ua", 1), 2); // merged with the previous "ua"
    EXPECT_EQ(streams.Assign("loss", [](int64_t first) { return first == 3 ? 4 : -1; }), 4);
    auto jitter = streams.CreateVariable<ns3::UniformRandomVariable>("jitter");
    EXPECT_EQ(jitter->GetStream(), 7);
    EXPECT_EQ(streams.GetNext(), 8);
    ASSERT_EQ(streams.GetAllocations().size(), 3U);
    EXPECT_EQ(streams.GetAllocations()[0].count, 3);
    EXPECT_EQ(streams.GetAllocations()[1].component, "loss");
    EXPECT_THROW(streams.Allocate("huge", StreamAllocator::kDefaultLimit), std::length_error);
}

TEST(ParameterSpec, TextIsParsedByTypeWithUnitsForDurations)
{
    ParameterSet set;
    set.AddDuration("timeout", 1, "a timeout").Range(0, 7200);
    set.AddBool("on", false, "a flag");
    set.AddInt("n", 1, "a count").Min(0);
    set.AddDouble("x", 0, "a number");
    set.AddDuration("wait", 0, "no declared range");
    const auto value = [&](const std::string& name, const std::string& text) {
        return set.Find(name)->Convert(CellValue(text));
    };
    EXPECT_EQ(value("timeout", "90").GetReal(), 90);
    EXPECT_EQ(value("timeout", "500ms").GetReal(), 0.5);
    EXPECT_EQ(value("timeout", "2 min").GetReal(), 120);
    EXPECT_EQ(value("timeout", "1h").GetReal(), 3600);
    EXPECT_EQ(value("timeout", "250us").GetReal(), 0.00025);
    EXPECT_THROW(value("timeout", "3d"), ParameterError);
    EXPECT_THROW(value("timeout", "3h"), ParameterError); // out of range
    for (const char* yes : {"true", "yes", "on", "1", "TRUE"})
    {
        EXPECT_TRUE(value("on", yes).GetBoolean()) << yes;
    }
    for (const char* no : {"false", "no", "off", "0"})
    {
        EXPECT_FALSE(value("on", no).GetBoolean()) << no;
    }
    EXPECT_EQ(value("n", "+12").GetInteger(), 12);
    EXPECT_THROW(value("n", "-1"), ParameterError);
    EXPECT_THROW(value("n", "1e3"), ParameterError);
    EXPECT_THROW(value("n", "99999999999999999999"), ParameterError);
    EXPECT_THROW(value("n", " 1"), ParameterError);
    EXPECT_EQ(value("x", "1e-3").GetReal(), 0.001);
    EXPECT_EQ(value("x", "-2.5").GetReal(), -2.5);
    EXPECT_THROW(value("x", "inf"), ParameterError);
    EXPECT_THROW(value("x", "1,5"), ParameterError);
    EXPECT_EQ(set.Find("n")->DescribeAccepted(), "an integer >= 0");
    EXPECT_EQ(set.Find("x")->DescribeAccepted(), "a number");
    EXPECT_EQ(set.Find("timeout")->DescribeAccepted(), "a duration in seconds in [0, 7200]");
    // A duration is >= 0 unless declared otherwise, and fits an ns-3 Time.
    EXPECT_EQ(set.Find("wait")->DescribeAccepted(), "a duration in seconds >= 0");
    EXPECT_THROW(value("wait", "-1"), ParameterError);
    EXPECT_THROW(value("wait", "1e12"), ParameterError);
    EXPECT_EQ(value("wait", "100 h").GetReal(), 360000);

    const ParameterValues values = set.Resolve({{"n", CellValue("3"), ""}}, "demo");
    EXPECT_EQ(values.GetInt("n"), 3);
    EXPECT_EQ(values.GetTime("timeout"), ns3::Seconds(1));
    EXPECT_THROW(values.GetInt("timeout"), std::logic_error); // wrong getter
    EXPECT_THROW(values.GetInt("missing"), std::logic_error); // undeclared
    EXPECT_EQ(values.ToJson().dump(), R"({"n":3,"on":false,"timeout":1.0,"wait":0.0,"x":0.0})");
}

} // namespace
