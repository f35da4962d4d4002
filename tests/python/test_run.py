"""`sipbed list` and `sipbed run` as a user runs them: results directory,
parameter errors, config files, exit status, reproducibility across processes.

The scenarios here are the test-only ones (tests/scenarios/test-scenarios.cc),
run through build/tests/sipbed-test-cli: the same command-line code as
build/sipbed, plus those scenarios.
"""

import csv
import json
import os
import re
import signal
import subprocess
import time

import pytest


def run(program, *args, cwd=None, timeout=60):
    return subprocess.run([str(program), *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout)


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.reader(f))


def test_real_program_does_not_ship_test_scenarios(sipbed_bin):
    done = run(sipbed_bin, "list")
    assert done.returncode == 0
    assert "test-udp-echo" not in done.stdout
    assert "nat-keepalive" in done.stdout
    done = run(sipbed_bin, "run", "test-udp-echo")
    assert done.returncode == 2
    assert "unknown scenario 'test-udp-echo'" in done.stderr


def test_list_prints_one_line_per_scenario(sipbed_test_cli):
    done = run(sipbed_test_cli, "list")
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    names = [line.split()[0] for line in lines]
    # built-in scenarios and the test-only ones, in name order
    assert names == sorted(names)
    assert {"nat-keepalive", "test-noise", "test-udp-echo"} <= set(names)
    assert "UDP echo over one link" in lines[names.index("test-udp-echo")]


def test_scenario_help_lists_every_parameter_with_default_unit_and_range(sipbed_test_cli):
    done = run(sipbed_test_cli, "run", "test-udp-echo", "--help")
    assert done.returncode == 0, done.stderr
    text = " ".join(done.stdout.split())  # undo the line wrapping
    for expected in (
        "--packets N packets the client sends. Default: 20 packets. "
        "Accepted: an integer in [1, 100000].",
        "--interval SECONDS time between two packets. Default: 0.1 s. "
        "Accepted: a duration in seconds in [0.001, 60]",
        "--jitter X maximum echo delay, uniform in [0, jitter]. Default: 0.02 s. "
        "Accepted: a number in [0, 1].",
        "--echo true|false whether the server echoes. Default: true.",
        "--payload small|large payload size: 20 or 1000 bytes. Default: small. "
        "Accepted: one of: small, large.",
        "--label TEXT",
        "--fail_at SECONDS",
        "--duration SECONDS",
        "--seed N", "--config FILE.ini", "--out DIR", "--pcap", "--progress", "--quiet",
        "results/SCENARIO-YYYYmmdd-HHMMSS-seedN",
    ):
        assert expected in text, expected


def test_run_writes_the_results_directory(sipbed_test_cli, tmp_path):
    out = tmp_path / "run"
    done = run(sipbed_test_cli, "run", "test-udp-echo", "--packets", "5", "--label", "a,b",
               "--out", out)
    assert done.returncode == 0, done.stderr
    assert f"results: {out}" in done.stdout
    assert re.search(r"^  rtt_ms +mean \S+  p50 \S+  p95 \S+  max \S+  n 5$", done.stdout, re.M)
    assert sorted(os.listdir(tmp_path)) == ["run"]
    assert sorted(os.listdir(out)) == ["config.json", "events.csv", "log.txt",
                                       "summary.json", "timeseries.csv"]
    config = json.loads((out / "config.json").read_text())
    assert config["parameters"] == {
        "packets": 5, "interval": 0.1, "jitter": 0.02, "loss": 0.0, "echo": True,
        "payload": "small", "label": "a,b", "fail_at": 0.0, "fail_mode": "report",
        "duration": 5.0}
    assert config["seed"] == 1
    assert config["scenario"] == "test-udp-echo"
    assert config["sipbed_version"] == "0.1.0"
    assert config["git_revision"]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["sent_count"] == 5
    assert set(summary["rtt_ms"]) == {"mean", "p50", "p95", "max", "n"}
    events = read_csv(out / "events.csv")
    assert events[0] == ["t_s", "node", "kind", "seq", "rtt_ms", "delayed", "note"]
    assert all(len(row) == 7 for row in events)
    assert events[1] == ["0", "client", "start", "", "", "", "a,b"]
    series = read_csv(out / "timeseries.csv")
    assert series[0] == ["t_s", "sent_count", "echo_rate_pps"]
    assert [row[0] for row in series[1:]] == ["0.5", "1", "1.5", "2", "2.5", "3", "3.5",
                                              "4", "4.5", "5"]


def test_results_read_back_with_pandas(sipbed_test_cli, tmp_path):
    pandas = pytest.importorskip("pandas")
    out = tmp_path / "run"
    assert run(sipbed_test_cli, "run", "test-udp-echo", "--out", out).returncode == 0
    events = pandas.read_csv(out / "events.csv")
    echoes = events[events.kind == "echo_received"]
    assert len(echoes) == 20
    assert echoes.seq.tolist() == list(range(1, 21))
    assert echoes.delayed.dtype == bool or set(echoes.delayed) <= {True, False}
    series = pandas.read_csv(out / "timeseries.csv")
    assert series.t_s.iloc[-1] == 5


def test_default_results_directory_is_named_after_scenario_time_and_seed(sipbed_test_cli,
                                                                        tmp_path):
    done = run(sipbed_test_cli, "run", "test-udp-echo", "--seed", "3", "--quiet", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    (name,) = os.listdir(tmp_path / "results")
    assert re.fullmatch(r"test-udp-echo-\d{8}-\d{6}-seed3", name)


@pytest.mark.parametrize("args, message", [
    (["--packets", "0"],
     "parameter 'packets': 0 is out of range: expected an integer in [1, 100000]"),
    (["--packets", "ten"],
     "parameter 'packets': invalid value 'ten': expected an integer in [1, 100000]"),
    (["--loss", "2"], "parameter 'loss': 2 is out of range: expected a number in [0, 1]"),
    (["--payload", "huge"],
     "parameter 'payload': invalid value 'huge': expected one of: small, large"),
    (["--echo", "perhaps"], "parameter 'echo': invalid value 'perhaps': expected true or false"),
    (["--interval", "2min"], "parameter 'interval': 120 is out of range"),
    (["--fail_at", "9", "--duration", "5"], "parameter 'fail_at': must not exceed duration"),
    (["--colour", "red"], "unknown parameter 'colour' (parameters: packets, interval,"),
    (["--packets"], "the required argument for option '--packets' is missing"),
    (["--seed", "-1"], "--seed: invalid value '-1'"),
    (["--progress", "--quiet"], "--progress and --quiet exclude each other"),
])
def test_bad_parameter_exits_2_names_it_and_writes_nothing(sipbed_test_cli, tmp_path, args,
                                                           message):
    done = run(sipbed_test_cli, "run", "test-udp-echo", *args, cwd=tmp_path)
    assert done.returncode == 2
    assert message in done.stderr
    assert done.stdout == ""
    assert os.listdir(tmp_path) == []


def test_config_file_and_command_line_combine_command_line_winning(sipbed_test_cli, tmp_path):
    ini = tmp_path / "preset.ini"
    ini.write_text("seed = 4\n"
                   "packets = 3\n"
                   "[test-noise]\n"
                   "anything = goes\n"
                   "[test-udp-echo]\n"
                   "jitter = 0.5   # inline comment\n"
                   "payload = large\n")
    out = tmp_path / "run"
    done = run(sipbed_test_cli, "run", "test-udp-echo", "--config", ini, "--packets", "7",
               "--out", out, "--quiet")
    assert done.returncode == 0, done.stderr
    config = json.loads((out / "config.json").read_text())
    assert config["parameters"]["packets"] == 7       # command line over file
    assert config["parameters"]["jitter"] == 0.5      # file over default
    assert config["parameters"]["payload"] == "large"
    assert config["parameters"]["loss"] == 0.0        # default
    assert config["seed"] == 4
    assert config["config_file"] == str(ini)


@pytest.mark.parametrize("text, message", [
    ("packets = 3\ncolour = red\n", "preset.ini:2: unknown parameter 'colour'"),
    ("[test-udp-echo]\nloss = lots\n",
     "preset.ini:2: parameter 'loss': invalid value 'lots': expected a number in [0, 1]"),
    ("[nonsense]\n", "preset.ini:1: section [nonsense] names no known scenario"),
    ("seed = x\n", "preset.ini:1: key 'seed': invalid value 'x'"),
])
def test_config_file_errors_exit_2_naming_file_line_and_key(sipbed_test_cli, tmp_path, text,
                                                            message):
    ini = tmp_path / "preset.ini"
    ini.write_text(text)
    done = run(sipbed_test_cli, "run", "test-udp-echo", "--config", ini, cwd=tmp_path)
    assert done.returncode == 2
    assert message in done.stderr
    assert os.listdir(tmp_path) == ["preset.ini"]


def test_unreadable_config_file_exits_2(sipbed_test_cli, tmp_path):
    missing = tmp_path / "missing.ini"
    done = run(sipbed_test_cli, "run", "test-udp-echo", "--config", missing, cwd=tmp_path)
    assert done.returncode == 2
    assert f"{missing}: cannot read config file" in done.stderr
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("mode", ["report", "throw"])
def test_failing_run_exits_1_with_the_reason_and_leaves_nothing(sipbed_test_cli, tmp_path, mode):
    done = run(sipbed_test_cli, "run", "test-udp-echo", "--fail_at", "1.5", "--fail_mode", mode,
               cwd=tmp_path)
    assert done.returncode == 1
    assert "failed at t=1.5 s: injected failure (fail_at)" in done.stderr
    assert os.listdir(tmp_path) == []  # not even results/


def test_existing_results_directory_exits_2_and_is_left_alone(sipbed_test_cli, tmp_path):
    (tmp_path / "mine.txt").write_text("keep")
    done = run(sipbed_test_cli, "run", "test-udp-echo", "--out", tmp_path)
    assert done.returncode == 2
    assert "already exists" in done.stderr
    assert os.listdir(tmp_path) == ["mine.txt"]


def test_same_seed_gives_byte_identical_results_across_processes(sipbed_test_cli, tmp_path):
    args = ["run", "test-udp-echo", "--loss", "0.2", "--quiet"]
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        assert run(sipbed_test_cli, *args, "--seed", seed, "--out", tmp_path / name).returncode == 0
    for file in ("summary.json", "timeseries.csv", "events.csv"):
        assert (tmp_path / "a" / file).read_bytes() == (tmp_path / "b" / file).read_bytes(), file
    assert (tmp_path / "a" / "events.csv").read_bytes() != (tmp_path / "c" / "events.csv").read_bytes()


def test_quiet_prints_nothing_and_progress_goes_to_stderr(sipbed_test_cli, tmp_path):
    done = run(sipbed_test_cli, "run", "test-udp-echo", "--quiet", "--out", tmp_path / "q")
    assert done.returncode == 0
    assert done.stdout == "" and done.stderr == ""
    # Not a terminal: no progress unless asked for.
    done = run(sipbed_test_cli, "run", "test-udp-echo", "--out", tmp_path / "d")
    assert done.stderr == ""
    done = run(sipbed_test_cli, "run", "test-udp-echo", "--progress", "--out", tmp_path / "p")
    assert done.returncode == 0
    assert re.search(r"^test-udp-echo: sim 5/5 s \(100\.0%\)  wall 0:00  \S+ events/s  done$",
                     done.stderr, re.M), done.stderr


def test_pcap_writes_one_trace_per_device(sipbed_test_cli, tmp_path):
    out = tmp_path / "run"
    assert run(sipbed_test_cli, "run", "test-udp-echo", "--pcap", "--out", out).returncode == 0
    traces = sorted(os.listdir(out / "pcap"))
    assert traces == ["link-node-0-0.pcap", "link-node-1-0.pcap"]
    # pcap magic number (microsecond timestamps, either byte order).
    assert (out / "pcap" / traces[0]).read_bytes()[:4] in (b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4")


def test_interrupt_stops_the_run_exits_1_and_leaves_nothing(sipbed_test_cli, tmp_path):
    process = subprocess.Popen(
        [str(sipbed_test_cli), "run", "test-udp-echo", "--packets", "100000",
         "--interval", "0.01", "--duration", "3600", "--quiet"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # Wait until the run has started (its temporary directory exists).
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        if (tmp_path / "results").is_dir() and os.listdir(tmp_path / "results"):
            break
        time.sleep(0.01)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 1, stderr
    assert "interrupted (cancelled at t=" in stderr
    assert os.listdir(tmp_path) == []


def test_nat_keepalive_bad_parameter_exits_2_naming_it_and_leaves_nothing(sipbed_bin, tmp_path):
    out = tmp_path / "run"
    done = run(sipbed_bin, "run", "nat-keepalive", "--clients", "0", "--out", out)
    assert done.returncode == 2
    assert "parameter 'clients': 0 is out of range: expected an integer in [1, 20000]" in done.stderr
    assert os.listdir(tmp_path) == []


def test_nat_keepalive_config_file_and_command_line_combine(sipbed_bin, tmp_path):
    ini = tmp_path / "small.ini"
    ini.write_text("[nat-keepalive]\nclients = 4\nclients_per_nat = 1\ntransport = tcp\n")
    out = tmp_path / "run"
    done = run(sipbed_bin, "run", "nat-keepalive", "--config", ini, "--transport", "udp",
               "--failure", "link-down", "--out", out, "--quiet")
    assert done.returncode == 0, done.stderr
    params = json.loads((out / "config.json").read_text())["parameters"]
    assert params["clients"] == 4 and params["clients_per_nat"] == 1  # from the file
    assert params["transport"] == "udp"  # the command line wins
    rows = read_csv(out / "events.csv")
    kinds = [row[2] for row in rows[1:]]
    assert kinds.count("link_down") == 4 and kinds.count("link_up") == 4
