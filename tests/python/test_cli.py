"""The sipbed command line, run as a user would (exit status, stdout, stderr)."""

import json
import subprocess


def run(sipbed_bin, *args, stdin=None):
    return subprocess.run([str(sipbed_bin), *map(str, args)], input=stdin,
                          capture_output=True, timeout=60)


def test_parse_valid_torture_message_prints_its_request_line(sipbed_bin, shared_dir):
    path = shared_dir / "torture" / "esc01.dat"
    done = run(sipbed_bin, "parse", path)
    assert done.returncode == 0, done.stderr
    request_line = done.stdout.split(b"\r\n", 1)[0]
    assert request_line.startswith(b"INVITE sip:")
    assert request_line.endswith(b"@example.net SIP/2.0")
    assert done.stderr == b""


def test_parse_json_is_a_json_object_with_the_method(sipbed_bin, shared_dir):
    done = run(sipbed_bin, "parse", "--json", shared_dir / "torture" / "wsinv.dat")
    assert done.returncode == 0, done.stderr
    view = json.loads(done.stdout)
    assert view["method"] == "INVITE"
    assert done.stdout.startswith(b"{\n  \"")  # pretty-printed, 2-space indent


def test_parse_reads_stdin(sipbed_bin, shared_dir):
    data = (shared_dir / "torture" / "esc01.dat").read_bytes()
    done = run(sipbed_bin, "parse", "-", stdin=data)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"INVITE ")


def test_parse_rejected_message_exits_1_and_names_the_file(sipbed_bin, shared_dir):
    # badvers is well-formed but SIP/7.0: a UAS answers 505 (RFC 4475 3.1.2.16).
    path = shared_dir / "torture" / "badvers.dat"
    done = run(sipbed_bin, "parse", path)
    assert done.returncode == 1
    assert done.stderr.decode().startswith(f"{path}: error:")
    assert done.stdout == b""


def test_parse_unreadable_file_exits_2(sipbed_bin, tmp_path):
    missing = tmp_path / "no-such-file.dat"
    done = run(sipbed_bin, "parse", missing)
    assert done.returncode == 2
    assert done.stderr.decode().startswith(f"{missing}: error: cannot read: ")
    done = run(sipbed_bin, "parse", tmp_path)  # a directory
    assert done.returncode == 2
    assert "cannot read" in done.stderr.decode()


def test_parse_several_files_keeps_going_and_labels_each_output(sipbed_bin, shared_dir):
    good = shared_dir / "torture" / "esc01.dat"
    bad = shared_dir / "torture" / "badvers.dat"
    done = run(sipbed_bin, "parse", good, bad, good)
    assert done.returncode == 1
    out = done.stdout.decode("utf-8", "replace")
    assert out.startswith(f"==> {good} <==\n")
    assert out.count(f"==> {good} <==") == 2
    assert f"==> {bad} <==" not in out
    assert done.stderr.decode().startswith(f"{bad}: error:")


def test_parse_unknown_option_is_bad_input(sipbed_bin):
    done = run(sipbed_bin, "parse", "--no-such-option", "x.dat")
    assert done.returncode == 2
    assert b"usage: sipbed parse" in done.stderr


def test_parse_without_files_is_bad_input(sipbed_bin):
    assert run(sipbed_bin, "parse").returncode == 2


def test_run_unknown_scenario_exits_2(sipbed_bin):
    done = run(sipbed_bin, "run", "nosuch")
    assert done.returncode == 2
    assert b"unknown scenario 'nosuch'" in done.stderr
    assert run(sipbed_bin, "run", "nosuch", "--help").returncode == 2


def test_help_version_and_list(sipbed_bin):
    done = run(sipbed_bin, "--help")
    assert done.returncode == 0
    for command in (b"list", b"run", b"claims", b"parse"):
        assert command in done.stdout
    done = run(sipbed_bin, "--version")
    assert done.returncode == 0
    assert done.stdout.startswith(b"sipbed 0.1.0")
    assert run(sipbed_bin, "list").returncode == 0
    assert run(sipbed_bin, "run", "--help").returncode == 0


def test_bad_command_line_exits_2(sipbed_bin):
    assert run(sipbed_bin).returncode == 2
    assert run(sipbed_bin, "frobnicate").returncode == 2
    assert run(sipbed_bin, "--frobnicate").returncode == 2
    assert run(sipbed_bin, "claims").returncode == 2
