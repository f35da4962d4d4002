"""The `make run` demo: the two headline measurements, small enough for a
couple of minutes, with their figures and a summary table.

- flow recovery: 100 UAs over UDP with STUN keepalives, edge proxy 0 down
  from 120 s to 240 s, with 1 flow and with 2 flows per UA;
- avalanche restart: 60 UAs register over the first minute, lose power at
  120 s and boot 30-31 s later against a registrar that serves 25 REGISTERs
  per second (40 ms each, queue of 20), retrying with the outbound draft's
  backoff and immediately.

Every run is a results directory under OUT (default results/demo, replaced
on each demo), with its standard figures in RUN/figures/; the comparison
figures are in OUT/figures/.

usage: PYTHONPATH=build/python /usr/bin/python3 scripts/demo.py [--out DIR]
"""

import argparse
import math
import pathlib
import shutil
import sys
import time

import sipbed
from sipbed import plot

FLOW_RECOVERY = dict(uas=100, failure="edge-crash", failure_time=120.0, failure_duration=120.0,
                     duration=600.0)
AVALANCHE = dict(uas=60, register_spread=60.0, failure="power-cut", failure_time=120.0,
                 failure_duration=30.0, boot_spread=1.0, register_cost=0.04, queue_limit=20,
                 duration=420.0)

RUNS = [
    ("flow-recovery-1-flow", "flow-recovery", dict(FLOW_RECOVERY, flows=1)),
    ("flow-recovery-2-flows", "flow-recovery", dict(FLOW_RECOVERY, flows=2)),
    ("avalanche-draft", "avalanche-restart", dict(AVALANCHE, policy="draft")),
    ("avalanche-immediate", "avalanche-restart", dict(AVALANCHE, policy="immediate")),
]


def fmt(value, digits=3):
    """A summary value for the table: distributions by their p50."""
    if isinstance(value, dict):
        value = value.get("p50")
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    return str(value)


def print_table(title, results, parameter, columns):
    """One row per result: the parameter that differs, then summary metrics
    (distributions by their p50); `columns` is a list of (heading, metric)."""
    print(title)
    headings = [parameter] + [heading for heading, _ in columns]
    print("  " + "  ".join(f"{h:>{max(len(h), 9)}}" for h in headings))
    for result in results:
        cells = [str(result.parameters[parameter])] + [fmt(result.summary.get(m)) for _, m in columns]
        print("  " + "  ".join(f"{c:>{max(len(h), 9)}}" for c, h in zip(cells, headings)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="results/demo", type=pathlib.Path,
                        help="demo directory (replaced if it exists; default results/demo)")
    args = parser.parse_args()
    out = args.out
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)

    results = {}
    for label, scenario, params in RUNS:
        started = time.monotonic()
        print(f"== {label}: sipbed run {scenario} "
              + " ".join(f"--{k} {v}" for k, v in params.items()), flush=True)
        result = sipbed.run(scenario, out=out / label, seed=1, **params)
        plot.standard_figures(result, result.directory / "figures")
        results[label] = result
        print(f"   {time.monotonic() - started:.1f} s wall", flush=True)

    figures = out / "figures"
    flows = [results["flow-recovery-1-flow"], results["flow-recovery-2-flows"]]
    avalanche = [results["avalanche-draft"], results["avalanche-immediate"]]
    written = [
        plot.detection_recovery_cdf(flows, figures / "flow-recovery-cdf.png"),
        plot.recovery_timeline(flows, figures / "flow-recovery-timeline.png"),
        plot.backoff_bounds(flows, figures / "flow-recovery-backoff.png"),
        plot.avalanche_load(avalanche, figures / "avalanche-load.png"),
        plot.registered_fraction(avalanche, figures / "avalanche-registered.png"),
    ]

    print()
    print_table("Flow recovery (edge proxy 0 down 120-240 s, 100 UAs, UDP + STUN, draft):",
                flows, "flows", [("detection p50 s", "failure_detection_delay_s"),
                                 ("recovery p50 s", "recovery_time_s"),
                                 ("probe success during", "probe_success_during"),
                                 ("registered at end", "registered_at_end_fraction")])
    print()
    print_table("Avalanche restart (60 UAs, power cut at 120 s, registrar capacity 25 REGISTER/s):",
                avalanche, "policy", [("peak load rps", "peak_offered_load_rps"),
                                      ("time to 90 % s", "time_to_90_percent_s"),
                                      ("msgs per registration", "messages_per_registration"),
                                      ("registered at end", "registered_at_end_fraction")])
    print()
    print(f"results: {out}/<run>/ (each with figures/); comparison figures:")
    for path in written:
        print(f"  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
