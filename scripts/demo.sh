#!/usr/bin/env bash
# The `make run` demo: small runs of the scenarios that exist so far, each
# into its own results directory under results/, then a table of their
# headline metrics. (DESIGN.md's demo adds flow-recovery, avalanche-restart
# and spoofed-response runs, and figures, as those arrive.)
#
# usage: scripts/demo.sh SIPBED_BIN
set -euo pipefail

sipbed="$1"
stamp="$(date +%Y%m%d-%H%M%S)"
mkdir -p results

run() {
    local name="$1"
    shift
    local out="results/demo-${name}-${stamp}"
    echo "== sipbed run $* --out ${out}"
    "${sipbed}" run "$@" --out "${out}" --quiet
    echo "${out}"
}

dirs=()
dirs+=("$(run nat-keepalive-reboot nat-keepalive --failure nat-reboot | tail -1)")
dirs+=("$(run nat-keepalive-k90 nat-keepalive --failure none --keepalive_interval 90 --duration 600 | tail -1)")
dirs+=("$(run basic-call-udp basic-call --transport udp | tail -1)")
dirs+=("$(run basic-call-tls basic-call --transport tls | tail -1)")
dirs+=("$(run basic-call-loss basic-call --transport udp --access_loss 0.05 --duration 300 | tail -1)")

echo
/usr/bin/python3 - "${dirs[@]}" <<'PY'
import json
import pathlib
import sys

def fmt(v):
    if isinstance(v, dict) and "p50" in v:
        return "-" if v["p50"] is None else f"p50 {v['p50']:.3g}"
    if isinstance(v, float):
        return f"{v:.3g}"
    return str(v)

headline = {
    "nat-keepalive": ["probe_success_before", "probe_success_during", "recovered_fraction",
                      "recovery_time_s", "mapping_expired_fraction"],
    "basic-call": ["registration_success_ratio", "call_success_ratio", "calls_attempted_count",
                   "call_setup_delay_s", "messages_per_call", "retransmissions_count"],
}
for d in sys.argv[1:]:
    d = pathlib.Path(d)
    config = json.loads((d / "config.json").read_text())
    summary = json.loads((d / "summary.json").read_text())
    scenario = config["scenario"]
    print(f"{d.name}")
    for key in headline.get(scenario, sorted(summary)):
        if key in summary:
            print(f"    {key:28} {fmt(summary[key])}")
PY
