"""sipbed.plot and `python3 -m sipbed plot`: the figures a user makes of runs
and sweeps, checked on small runs of the real program (each well under a
second) and on hand-made sweep frames.
"""

import math
import pathlib
import subprocess
import sys

import matplotlib.image
import numpy as np
import pandas as pd
import pytest

from sipbed import Result, load, plot

AVALANCHE = ("--failure", "power-cut", "--boot_spread", "1", "--register_cost", "0.02", "--queue_limit", "20",
             "--uas", "20", "--duration", "300")


def sipbed_run(program, out, scenario, *args):
    """Run `sipbed run SCENARIO ARGS --out OUT --quiet` and return OUT."""
    done = subprocess.run([str(program), "run", scenario, *args, "--out", str(out), "--quiet"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def runs(sipbed_bin, tmp_path_factory):
    """Results directories of small runs, by name."""
    base = tmp_path_factory.mktemp("plot-runs")
    small = ("--uas", "20", "--duration", "300")
    return {
        "fr1": sipbed_run(sipbed_bin, base / "fr1", "flow-recovery", "--flows", "1", *small),
        "fr2": sipbed_run(sipbed_bin, base / "fr2", "flow-recovery", "--flows", "2", *small),
        "av_draft": sipbed_run(sipbed_bin, base / "av_draft", "avalanche-restart", "--policy", "draft", *AVALANCHE),
        "av_immediate": sipbed_run(sipbed_bin, base / "av_immediate", "avalanche-restart",
                                   "--policy", "immediate", *AVALANCHE),
        # Overloaded (capacity 10 REGISTER/s for 40 UAs): the draft backoff acts.
        "av_overload": sipbed_run(sipbed_bin, base / "av_overload", "avalanche-restart", "--policy", "draft",
                                  "--failure", "power-cut", "--boot_spread", "1", "--register_cost", "0.1",
                                  "--queue_limit", "5", "--uas", "40", "--duration", "300"),
        # Overloaded with immediate retries: backoff rows with base 0.
        "av_immediate_overload": sipbed_run(sipbed_bin, base / "av_immediate_overload", "avalanche-restart",
                                            "--policy", "immediate", "--failure", "power-cut", "--boot_spread", "1",
                                            "--register_cost", "0.2", "--queue_limit", "2", "--uas", "10",
                                            "--duration", "150"),
        "nk": sipbed_run(sipbed_bin, base / "nk", "nat-keepalive", "--failure", "nat-reboot"),
        "bc": sipbed_run(sipbed_bin, base / "bc", "basic-call", "--duration", "120"),
    }


@pytest.fixture(scope="module")
def results(runs):
    return {name: load(path) for name, path in runs.items()}


def png_size(path):
    """(height, width) in pixels of a PNG file, read back by matplotlib."""
    path = pathlib.Path(path)
    assert path.is_file() and path.stat().st_size > 0
    return matplotlib.image.imread(path).shape[:2]


def expected_size(figure):
    return (round(plot.FIGURE_HEIGHTS[figure] * plot.DPI), round(plot.WIDTH * plot.DPI))


# --- run figures ---------------------------------------------------------------

@pytest.mark.parametrize("figure, names", [
    ("detection_recovery_cdf", ["fr1", "fr2"]),
    ("recovery_timeline", ["fr1", "fr2"]),
    ("backoff_bounds", ["fr1", "fr2", "av_overload"]),
    ("backoff_bounds", ["fr1", "av_immediate_overload"]),
    ("avalanche_load", ["av_draft", "av_immediate"]),
    ("avalanche_load", ["av_overload", "av_immediate_overload"]),
    ("registered_fraction", ["av_draft", "av_immediate"]),
])
def test_figure_writes_a_png_of_its_size(results, tmp_path, figure, names):
    path = tmp_path / "sub" / "dir" / f"{figure}.png"
    written = getattr(plot, figure)([results[n] for n in names], path)
    assert written == path
    assert png_size(path) == expected_size(figure)


@pytest.mark.parametrize("name, columns", [("nk", 3), ("av_draft", 6), ("fr1", 5)])
def test_timeseries_has_a_row_of_two_panels_per_two_columns(results, tmp_path, name, columns):
    result = results[name]
    assert len(result.timeseries.columns) - 1 == columns
    rows = math.ceil(columns / 2)
    height = round((rows * plot.TIMESERIES_ROW_HEIGHT + 0.8) * plot.DPI)
    assert png_size(plot.timeseries(result, tmp_path / "ts.png")) == (height, round(plot.WIDTH * plot.DPI))


def test_figures_accept_a_result_a_directory_or_a_list_of_either(results, runs, tmp_path):
    one = plot.registered_fraction(str(runs["av_draft"]), tmp_path / "a.png")
    two = plot.registered_fraction(runs["av_draft"], tmp_path / "b.png")
    mixed = plot.registered_fraction([results["av_draft"], runs["av_immediate"]], tmp_path / "c.png")
    single = plot.registered_fraction(results["av_draft"], tmp_path / "d.png")
    for path in (one, two, mixed, single):
        assert png_size(path) == expected_size("registered_fraction")
    # The same run through a path or a Result draws the same picture.
    assert one.read_bytes() == single.read_bytes()


def test_svg_by_suffix(results, tmp_path):
    path = plot.avalanche_load(results["av_draft"], tmp_path / "load.svg")
    text = path.read_text()
    assert text.startswith("<?xml") and "<svg" in text


def test_other_suffix_is_refused(results, tmp_path):
    with pytest.raises(ValueError, match="path"):
        plot.registered_fraction(results["av_draft"], tmp_path / "x.jpg")
    assert not (tmp_path / "x.jpg").exists()


def test_missing_results_directory_is_refused(tmp_path):
    with pytest.raises(FileNotFoundError, match="no-such-run"):
        plot.registered_fraction(tmp_path / "no-such-run", tmp_path / "x.png")
    with pytest.raises(ValueError, match="result_or_results"):
        plot.registered_fraction([], tmp_path / "x.png")


@pytest.mark.parametrize("figure, name, missing", [
    ("avalanche_load", "fr1", "offered_load_rps"),
    ("recovery_timeline", "av_draft", "all_flows_fraction"),
    ("detection_recovery_cdf", "nk", "ua"),
    ("registered_fraction", "nk", "registered_fraction"),
])
def test_a_result_without_the_columns_a_figure_needs_is_named(results, tmp_path, figure, name, missing):
    with pytest.raises(ValueError, match=f"{figure}: .*{missing}"):
        getattr(plot, figure)(results[name], tmp_path / "x.png")
    assert not (tmp_path / "x.png").exists()


def test_detection_recovery_cdf_needs_a_hit_ua(results, tmp_path):
    # avalanche-restart's events have the columns but no flow_failed rows.
    with pytest.raises(ValueError, match="detection_recovery_cdf: no UA"):
        plot.detection_recovery_cdf(results["av_draft"], tmp_path / "x.png")


def test_backoff_bounds_needs_outbound_decisions(results, tmp_path):
    # The small draft run never overloads: no backoff at all; immediate
    # records its decisions with base 0, which are not the outbound backoff's.
    events = results["av_immediate_overload"].events
    assert (events["kind"] == "backoff").sum() > 0
    with pytest.raises(ValueError, match="backoff_bounds: no outbound backoff"):
        plot.backoff_bounds([results["av_draft"], results["av_immediate_overload"]], tmp_path / "x.png")
    assert not (tmp_path / "x.png").exists()


# --- what the figures show --------------------------------------------------------

@pytest.mark.parametrize("name", ["fr1", "fr2"])
def test_per_ua_detection_and_recovery_agree_with_the_summary(results, name):
    result = results[name]
    per_ua = plot.flow_recovery_per_ua(result)
    assert len(per_ua) == result.summary["uas_hit_count"] > 0
    for column, metric in (("detection_delay_s", "failure_detection_delay_s"),
                           ("recovery_time_s", "recovery_time_s")):
        values = per_ua[column].dropna()
        summary = result.summary[metric]
        assert len(values) == summary["n"]
        assert values.mean() == pytest.approx(summary["mean"], rel=1e-9)
        assert values.max() == pytest.approx(summary["max"], rel=1e-9)
    assert per_ua["recovery_time_s"].notna().mean() == pytest.approx(result.summary["recovered_fraction"])


def test_backoff_decisions_of_the_runs_are_inside_their_bounds(results):
    # What backoff_bounds shows; the draw must respect outbound 4.3.
    for name in ("fr1", "fr2", "av_overload"):
        events = results[name].events
        rows = events[(events["kind"] == "backoff") & (events["base_time_s"] > 0)]
        assert len(rows) > 0, name
        wait = rows["wait_time_s"].astype(float)
        assert ((rows["delay_s"] >= 0.5 * wait) & (rows["delay_s"] <= wait)).all()


def test_failure_window_from_the_failure_plan_events(results):
    assert plot.failure_window(results["fr1"]) == (120.0, 240.0)  # node_crash .. node_restart
    start, end = plot.failure_window(results["av_draft"])  # power_cut .. last host_boot
    assert start == 60.0 and 120.0 <= end <= 121.0
    assert plot.failure_window(results["nk"]) == (120.0, 120.0)  # nat_reboot: an instant


def test_failure_window_from_the_parameters_without_events(results):
    base = results["fr1"]
    events = base.events[~base.events["kind"].isin(["node_crash", "node_restart"])]
    hand_made = Result(base.directory, base.config, base.summary, base.timeseries, events)
    assert plot.failure_window(hand_made) == (120.0, 240.0)
    config = {**base.config, "parameters": {**base.parameters, "failure": "none"}}
    assert plot.failure_window(Result(base.directory, config, base.summary, base.timeseries, events)) is None


def test_legend_labels_name_each_configuration(results):
    assert plot._labels([results["fr1"], results["fr2"]]) == ["UDP draft, 1 flow", "UDP draft, 2 flows"]
    assert plot._labels([results["av_draft"], results["av_immediate"]]) == ["policy draft", "policy immediate"]
    # Parameters beyond the scenario's key ones are named when they differ.
    assert plot._labels([results["av_draft"], results["av_overload"]]) == [
        "policy draft, queue_limit=20, register_cost=0.02, uas=20",
        "policy draft, queue_limit=5, register_cost=0.1, uas=40",
    ]


# --- standard figures and the command line -----------------------------------------

@pytest.mark.parametrize("name, figures", [
    ("fr1", {"detection_recovery_cdf", "recovery_timeline", "backoff_bounds", "timeseries"}),
    ("av_draft", {"avalanche_load", "registered_fraction", "timeseries"}),
    ("av_overload", {"avalanche_load", "registered_fraction", "backoff_bounds", "timeseries"}),
    ("av_immediate_overload", {"avalanche_load", "registered_fraction", "timeseries"}),
    ("nk", {"timeseries"}),
    ("bc", {"timeseries"}),
])
def test_standard_figures_fit_the_scenario(results, tmp_path, name, figures):
    paths = plot.standard_figures(results[name], tmp_path / "figures")
    assert {p.stem for p in paths} == figures
    for path in paths:
        assert path.parent == tmp_path / "figures" and path.suffix == ".png"
        assert png_size(path)[1] == round(plot.WIDTH * plot.DPI)


def cli(*args):
    return subprocess.run([sys.executable, "-m", "sipbed", *map(str, args)],
                          capture_output=True, text=True, timeout=300)


def test_cli_plot_writes_the_standard_figures_of_each_dir(runs):
    done = cli("plot", runs["fr2"], runs["nk"])
    assert done.returncode == 0, done.stderr
    printed = {pathlib.Path(line) for line in done.stdout.splitlines()}
    written = set((runs["fr2"] / "figures").glob("*.png")) | set((runs["nk"] / "figures").glob("*.png"))
    assert printed == written
    assert {p.stem for p in written} == {"detection_recovery_cdf", "recovery_timeline", "backoff_bounds",
                                         "timeseries"}
    for path in written:
        assert png_size(path)[1] == round(plot.WIDTH * plot.DPI)


def test_cli_plot_missing_dir_exits_2_and_writes_nothing(runs, tmp_path):
    missing = tmp_path / "no-such-run"
    done = cli("plot", runs["bc"], missing)
    assert done.returncode == 2
    assert str(missing) in done.stderr and "no such results directory" in done.stderr
    assert done.stdout == ""
    assert not (runs["bc"] / "figures").exists()  # every DIR is read before any figure is written


def test_cli_plot_not_a_results_dir_exits_2(tmp_path):
    done = cli("plot", tmp_path)
    assert done.returncode == 2
    assert "config.json" in done.stderr


def test_cli_help_and_missing_command():
    done = cli("--help")
    assert done.returncode == 0 and "plot" in done.stdout
    done = cli("plot", "--help")
    assert done.returncode == 0 and "DIR/figures/" in done.stdout
    assert cli().returncode == 2


# --- sweeps --------------------------------------------------------------------------

def test_mean_ci_is_the_student_t_interval():
    mean, low, high = plot.mean_ci([1, 2, 3, 4, 5])
    half = 2.776445 * math.sqrt(2.5) / math.sqrt(5)  # t(0.975, 4) * s / sqrt(n)
    assert mean == 3
    assert (low, high) == pytest.approx((3 - half, 3 + half), abs=1e-5)
    mean, low, high = plot.mean_ci([2.0, math.nan, 4.0])  # NaN is left out
    half = 12.706205 * math.sqrt(2) / math.sqrt(2)
    assert mean == 3 and (low, high) == pytest.approx((3 - half, 3 + half), abs=1e-5)
    mean, low, high = plot.mean_ci([7.5])
    assert mean == 7.5 and math.isnan(low) and math.isnan(high)
    with pytest.raises(ValueError, match="values"):
        plot.mean_ci([math.nan])


@pytest.mark.parametrize("df, quantile", [
    (1, 12.706205), (4, 2.776445), (30, 2.042272), (35, 2.030108),
    (50, 2.008559), (100, 1.983972), (1000, 1.962339),
])
def test_t_quantile_table_without_scipy(df, quantile):
    assert plot._t975_table(df) == pytest.approx(quantile, abs=2e-4)
    assert plot._t975(df) == pytest.approx(quantile, abs=2e-4)


def sweep_frame():
    """A frame as sipbed.sweep returns it: policy x queue_limit x 3 seeds, plus
    a failed run whose metric would spoil the mean and a run without the metric."""
    rows = []
    for policy, offset in (("draft", 0.0), ("immediate", 100.0)):
        for queue_limit in (5, 20):
            for seed, noise in ((1, -1.0), (2, 0.0), (3, 4.0)):
                rows.append({"policy": policy, "queue_limit": queue_limit, "seed": seed, "status": "ok",
                             "error": None, "directory": f"/r/{policy}-{queue_limit}-{seed}", "wall_s": 0.5,
                             "time_to_90_percent_s": offset + queue_limit + noise,
                             "recovery_time_s.mean": 1.0})
    rows.append({"policy": "draft", "queue_limit": 5, "seed": 4, "status": "failed", "error": "boom",
                 "directory": None, "wall_s": 0.1, "time_to_90_percent_s": 1e6, "recovery_time_s.mean": None})
    rows.append({"policy": "draft", "queue_limit": 20, "seed": 5, "status": "ok", "error": None,
                 "directory": "/r/x", "wall_s": 0.5, "time_to_90_percent_s": None,
                 "recovery_time_s.mean": 1.0})
    return pd.DataFrame(rows)


def test_metric_summary_averages_successful_runs_per_point():
    summary = plot.metric_summary(sweep_frame(), "queue_limit", "time_to_90_percent_s", hue="policy")
    assert list(summary.columns) == ["policy", "queue_limit", "n", "mean", "low", "high"]
    assert len(summary) == 4
    half = 4.302653 * np.std([-1.0, 0.0, 4.0], ddof=1) / math.sqrt(3)  # t(0.975, 2)
    for _, row in summary.iterrows():
        center = (100.0 if row["policy"] == "immediate" else 0.0) + row["queue_limit"] + 1.0
        assert row["n"] == 3  # the failed run and the missing value are left out
        assert row["mean"] == pytest.approx(center)
        assert (row["low"], row["high"]) == pytest.approx((center - half, center + half), abs=1e-4)


def test_metric_summary_without_hue_pools_the_other_columns():
    summary = plot.metric_summary(sweep_frame(), "policy", "time_to_90_percent_s")
    assert list(summary["policy"]) == ["draft", "immediate"]
    assert list(summary["n"]) == [6, 6]
    assert summary["mean"].tolist() == pytest.approx([13.5, 113.5])


@pytest.mark.parametrize("parameter, metric, hue", [
    ("queue_limit", "time_to_90_percent_s", "policy"),
    ("policy", "recovery_time_s.mean", None),
])
def test_metric_vs_parameter_writes_a_png(tmp_path, parameter, metric, hue):
    path = plot.metric_vs_parameter(sweep_frame(), parameter, metric, tmp_path / "m.png", hue=hue)
    assert png_size(path) == expected_size("metric_vs_parameter")


def test_metric_vs_parameter_names_a_missing_column_and_refuses_only_failures(tmp_path):
    frame = sweep_frame()
    with pytest.raises(ValueError, match="metric_vs_parameter: .*'peak_offered_load_rps'"):
        plot.metric_vs_parameter(frame, "queue_limit", "peak_offered_load_rps", tmp_path / "m.png")
    with pytest.raises(ValueError, match="metric_vs_parameter: .*'register_cost'"):
        plot.metric_vs_parameter(frame, "register_cost", "time_to_90_percent_s", tmp_path / "m.png")
    failed = frame.assign(status="failed")
    with pytest.raises(ValueError, match="no successful run"):
        plot.metric_vs_parameter(failed, "queue_limit", "time_to_90_percent_s", tmp_path / "m.png")


@pytest.mark.parametrize("values, expected", [
    ([6.9, 6.9, 7.5, 9.9e5], True),   # amplification of draft ... immediate
    ([58, 58, 309], False),
    ([0.0, 10.0, 1000.0], False),     # a zero cannot go on a log axis
    ([], False),
])
def test_needs_log_scale_when_values_span_a_factor_of_50(values, expected):
    assert plot.needs_log_scale(values) is expected
