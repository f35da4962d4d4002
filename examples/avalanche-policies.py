"""Example: the four retry policies of avalanche-restart, over seeds.

200 UAs lose power at 60 s and boot within 1 s of each other 30 s later,
against a registrar that serves 50 REGISTERs per second (20 ms each, a queue
of 20, 503 without Retry-After when full). The sweep runs every policy with
3 seeds in worker processes, prints the table of the issue (time to 90 %,
peak offered load, amplification), and plots time to 90 % and amplification
against the policy with 95 % confidence intervals over the seeds.

usage: PYTHONPATH=build/python /usr/bin/python3 examples/avalanche-policies.py [--workers N] [OUT_DIR]
(minutes: `immediate` collapses and its runs carry a message storm; the
other policies take about a second each)
"""

import argparse
import pathlib

import sipbed
from sipbed import plot

SCENARIO = dict(uas=200, failure="power-cut", failure_time=60.0, failure_duration=30.0,
                boot_spread=1.0, register_cost=0.02, queue_limit=20, duration=600.0)
METRICS = ["time_to_90_percent_s", "peak_offered_load_rps", "messages_per_registration",
           "registered_at_end_fraction"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", default="results/avalanche-policies", type=pathlib.Path,
                        help="output directory, which must not exist (default results/avalanche-policies)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    args = parser.parse_args()
    out = args.out
    grid = [dict(SCENARIO, policy=p) for p in ("draft", "rfc5626", "immediate", "fixed")]
    frame = sipbed.sweep("avalanche-restart", grid, seeds=3, workers=args.workers, out=out / "runs")
    ok = frame[frame["status"] == "ok"]
    table = ok.groupby("policy", sort=False)[METRICS].mean()
    print(table.to_string(float_format=lambda v: f"{v:.3g}"))
    for metric in ("time_to_90_percent_s", "messages_per_registration"):
        path = plot.metric_vs_parameter(frame, "policy", metric, out / f"{metric}.png")
        print(path)


if __name__ == "__main__":
    main()
