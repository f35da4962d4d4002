"""basic-call's pcaps decode in Wireshark (tshark) without a malformed SIP
or STUN packet, over UDP, TCP and TLS (issue 4). make test installs tshark
(DEVELOPERS.md); without it these tests fail rather than pass unchecked.
"""

import shutil
import subprocess

import pytest


def tshark_count(pcap, display_filter):
    done = subprocess.run(["tshark", "-r", str(pcap), "-Y", display_filter],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return len([line for line in done.stdout.splitlines() if line.strip()])


@pytest.fixture(scope="module")
def tshark():
    path = shutil.which("tshark")
    assert path, "tshark is not installed: run make deps (it installs Debian's tshark)"
    return path


@pytest.mark.parametrize("transport", ["udp", "tcp", "tls"])
def test_basic_call_pcaps_decode_without_malformed_packets(sipbed_bin, tshark, tmp_path, transport):
    out = tmp_path / transport
    done = subprocess.run([str(sipbed_bin), "run", "basic-call", "--transport", transport,
                           "--uas", "4", "--duration", "90", "--pcap", "--quiet",
                           "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    pcaps = sorted((out / "pcap").glob("*.pcap"))
    assert len(pcaps) >= 4  # two access links and the two servers' links
    seen = 0
    for pcap in pcaps:
        assert tshark_count(pcap, "_ws.malformed || _ws.expert.severity >= error") == 0, pcap
        seen += tshark_count(pcap, "tls" if transport == "tls" else "sip")
    # every hop of every registration and call decodes as SIP (or, for tls, TLS records)
    assert seen > 100
