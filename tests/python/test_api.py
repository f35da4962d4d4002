"""The Python API of DESIGN.md: sipbed.run / load / Result / sweep / scenarios.

Runs are small (tens of UAs, a few simulated minutes): each takes well under
a second.
"""

import json
import math
import os
import signal
import subprocess
import sys
import textwrap
import time

import pandas as pd
import pytest

import sipbed
from sipbed.sweeps import flatten_summary

SMALL_AVALANCHE = dict(uas=40, duration=240.0, failure_time=60.0, failure_duration=30.0)


def test_run_returns_a_result_equal_to_loading_its_directory(tmp_path):
    result = sipbed.run("avalanche-restart", out=tmp_path / "run", seed=3, **SMALL_AVALANCHE)
    assert result.directory == tmp_path / "run"
    assert result.scenario == "avalanche-restart"
    assert result.seed == 3
    assert result.parameters["uas"] == 40
    assert result.parameters["policy"] == "draft"  # a default, recorded
    assert result.wall_s > 0

    loaded = sipbed.load(tmp_path / "run")
    assert loaded.config == result.config
    assert loaded.summary == result.summary
    with open(tmp_path / "run" / "summary.json") as f:
        assert loaded.summary == json.load(f)
    pd.testing.assert_frame_equal(loaded.timeseries, result.timeseries)
    pd.testing.assert_frame_equal(loaded.events, result.events)
    assert loaded.wall_s is None


def test_timeseries_and_events_have_typed_columns(tmp_path):
    result = sipbed.run("flow-recovery", out=tmp_path / "fr", uas=10, duration=300.0)
    ts = result.timeseries
    assert list(ts.columns)[0] == "t_s"
    assert all(dtype == "float64" for dtype in ts.dtypes)
    assert len(ts) == 300  # one sample per second
    ev = result.events
    assert ev["t_s"].dtype == "float64"
    assert ev["kind"].dtype == "string" and ev["node"].dtype == "string"
    assert str(ev["ua"].dtype) == "Int64"  # whole numbers, missing in the failure plan's rows
    assert ev["delay_s"].dtype == "float64"
    registered = ev[ev["kind"] == "flow_registered"]
    assert len(registered) >= 10
    assert registered["ua"].notna().all()


@pytest.mark.parametrize("params, named", [
    (dict(uas=0), "'uas'"),
    (dict(uas=2.5), "'uas'"),
    (dict(uas="many"), "'uas'"),
    (dict(uas=[1, 2]), "'uas'"),
    (dict(policy="random"), "'policy'"),
    (dict(register_cost=-1.0), "'register_cost'"),
    (dict(no_such_parameter=1), "'no_such_parameter'"),
])
def test_bad_parameter_raises_value_error_naming_it_and_writes_nothing(tmp_path, params, named):
    with pytest.raises(ValueError, match=named):
        sipbed.run("avalanche-restart", out=tmp_path / "bad", **params)
    assert list(tmp_path.iterdir()) == []


def test_bad_scenario_seed_or_existing_directory_raise_value_error(tmp_path):
    with pytest.raises(ValueError, match="unknown scenario 'nope'"):
        sipbed.run("nope", out=tmp_path / "x")
    with pytest.raises(ValueError, match="seed"):
        sipbed.run("avalanche-restart", out=tmp_path / "x", seed=-1)
    with pytest.raises(ValueError, match="seed"):
        sipbed.run("avalanche-restart", out=tmp_path / "x", seed=2**64)
    (tmp_path / "taken").mkdir()
    with pytest.raises(ValueError, match="already exists"):
        sipbed.run("avalanche-restart", out=tmp_path / "taken")


def test_typed_values_are_checked_like_the_command_line(tmp_path):
    # An int for a double, a whole float for an int, text with a unit for a duration.
    result = sipbed.run("avalanche-restart", out=tmp_path / "ok", uas=40.0, register_cost=1,
                        duration="4min", failure_time=60, failure_duration=30)
    assert result.parameters["uas"] == 40
    assert result.parameters["register_cost"] == 1.0
    assert result.parameters["duration"] == 240.0


def test_repeated_runs_in_one_process_are_identical(tmp_path):
    first = sipbed.run("flow-recovery", out=tmp_path / "a", uas=10, duration=300.0, seed=5)
    # A different run in between must not leak state into the third.
    sipbed.run("avalanche-restart", out=tmp_path / "b", seed=9, **SMALL_AVALANCHE)
    third = sipbed.run("flow-recovery", out=tmp_path / "c", uas=10, duration=300.0, seed=5)
    for name in ("summary.json", "timeseries.csv", "events.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "c" / name).read_bytes(), name
    other_seed = sipbed.run("flow-recovery", out=tmp_path / "d", uas=10, duration=300.0, seed=6)
    assert (tmp_path / "a" / "events.csv").read_bytes() != (tmp_path / "d" / "events.csv").read_bytes()
    assert first.summary == third.summary != other_seed.summary


def test_load_reports_a_directory_that_is_not_a_result(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such results directory"):
        sipbed.load(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError, match="config.json"):
        sipbed.load(tmp_path / "empty")
    (tmp_path / "empty" / "config.json").write_text("{")
    with pytest.raises(ValueError, match="not valid JSON"):
        sipbed.load(tmp_path / "empty")


def test_scenarios_lists_parameters_with_defaults():
    known = sipbed.scenarios()
    assert {"nat-keepalive", "basic-call", "flow-recovery", "avalanche-restart"} <= set(known)
    uas = next(p for p in known["avalanche-restart"]["parameters"] if p["name"] == "uas")
    assert uas["type"] == "int" and uas["max"] == 100000


def test_keyboard_interrupt_stops_a_run_and_removes_its_directory(tmp_path):
    script = textwrap.dedent("""
        import sys, sipbed
        print("started", flush=True)
        try:
            sipbed.run("avalanche-restart", out=sys.argv[1], uas=5000, duration=86400.0)
        except KeyboardInterrupt:
            print("interrupted", flush=True)
            sys.exit(3)
        print("finished")
    """)
    out = tmp_path / "long"
    child = subprocess.Popen([sys.executable, "-c", script, str(out)], stdout=subprocess.PIPE,
                             text=True, env=os.environ,
                             preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert child.stdout.readline().strip() == "started"
    # Wait until the run has begun (its hidden partial directory exists).
    for _ in range(600):
        if any(p.name.startswith(".") for p in tmp_path.iterdir()):
            break
        child.poll()
        assert child.returncode is None
        time.sleep(0.05)
    child.send_signal(signal.SIGINT)
    rest, _ = child.communicate(timeout=60)
    assert child.returncode == 3
    assert rest.strip() == "interrupted"
    assert list(tmp_path.iterdir()) == []


def test_sweep_with_two_workers_returns_one_row_per_run(tmp_path):
    frame = sipbed.sweep("avalanche-restart", {"policy": ["draft", "immediate"]}, seeds=[1, 2],
                         workers=2, out=tmp_path / "sweep", progress=False)
    assert list(frame["policy"]) == ["draft", "draft", "immediate", "immediate"]
    assert list(frame["seed"]) == [1, 2, 1, 2]
    assert (frame["status"] == "ok").all()
    assert frame["error"].isna().all()
    assert "peak_offered_load_rps" in frame.columns
    assert "time_to_90_percent_s" in frame.columns
    # Each row is the run in its directory.
    for row in frame.itertuples():
        assert sipbed.load(row.directory).summary["peak_offered_load_rps"] == row.peak_offered_load_rps
    saved = pd.read_csv(tmp_path / "sweep" / "sweep.csv")
    assert len(saved) == 4


def test_sweep_reports_a_failed_run_instead_of_hiding_it(tmp_path):
    # The second point fails inside the run (its certificate directory is missing).
    grid = [dict(transport="tls", uas=4, duration=120.0),
            dict(transport="tls", uas=4, duration=120.0, cert_dir=str(tmp_path / "no-certs"))]
    with pytest.warns(RuntimeWarning, match="1 of 2 runs failed"):
        frame = sipbed.sweep("basic-call", grid, seeds=1, workers=2, out=tmp_path / "sweep",
                             progress=False)
    assert list(frame["status"]) == ["ok", "failed"]
    assert "cert_dir" in frame.loc[1, "error"]
    assert math.isnan(frame.loc[1, "wall_s"])


def test_sweep_checks_every_point_before_running(tmp_path):
    with pytest.raises(ValueError, match="'uas'"):
        sipbed.sweep("avalanche-restart", {"uas": [20, 10**7]}, seeds=1, out=tmp_path / "s")
    assert not (tmp_path / "s").exists()
    with pytest.raises(ValueError, match="seeds"):
        sipbed.sweep("avalanche-restart", {"uas": [20]}, seeds=0, out=tmp_path / "s")
    with pytest.raises(ValueError, match="workers"):
        sipbed.sweep("avalanche-restart", {"uas": [20]}, seeds=1, workers=0, out=tmp_path / "s")


def test_flatten_summary_splits_distributions():
    flat = flatten_summary(
        {"a_count": 3, "d_s": {"mean": 1.0, "p50": 1.0, "p95": 2.0, "max": 2.0, "n": 4}, "x": None})
    assert flat["a_count"] == 3 and flat["d_s.p95"] == 2.0 and flat["d_s.n"] == 4
    assert math.isnan(flat["x"])


def test_sweep_works_from_a_script_read_on_standard_input(tmp_path):
    # Spawned workers re-run the parent's main script by path; "<stdin>" is
    # no file, and without care every worker dies at start.
    script = textwrap.dedent(f"""
        import sipbed
        frame = sipbed.sweep("avalanche-restart", {{"uas": [20, 40]}}, seeds=1, workers=2,
                             out={str(tmp_path / "sweep")!r}, progress=False)
        print(list(frame["status"]))
    """)
    done = subprocess.run([sys.executable, "-"], input=script, capture_output=True, text=True,
                          env=os.environ, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['ok', 'ok']"


def test_event_columns_are_typed_by_their_cells_and_unit_suffix(tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    (run / "config.json").write_text('{"scenario": "x", "seed": 1, "parameters": {}}')
    (run / "summary.json").write_text("{}")
    (run / "events.csv").write_text(
        "t_s,node,kind,ok,count,label,delay_s,detail\n"
        "1,a,x,true,1,,2,7\n"
        "2,b,y,,2,hi,,\n"
        "3,c,z,false,,3,0,done\n")
    ev = sipbed.load(run).events
    assert ev["ok"].dtype == "boolean" and ev["ok"].isna().tolist() == [False, True, False]
    assert str(ev["count"].dtype) == "Int64"          # whole numbers
    assert ev["label"].dtype == "string"              # "hi" is not a number
    assert ev["delay_s"].dtype == "float64"           # a unit suffix: float even when whole
    assert ev["detail"].dtype == "string" and ev.loc[0, "detail"] == "7"
    assert ev["node"].tolist() == ["a", "b", "c"]
