"""Figures of sipbed runs and sweeps.

Every figure function takes ``result_or_results`` (a :class:`Result`, a
results directory, or a list of them: one line per configuration) and
``path`` (``.png`` or ``.svg``), creates the parent directories, writes the
figure and returns ``path`` as a ``pathlib.Path``.

- ``detection_recovery_cdf``: flow-recovery, CDFs of the per-UA failure
  detection delay and recovery time.
- ``recovery_timeline``: flow-recovery, registered fractions and probe
  success over time around the failure.
- ``backoff_bounds``: every backoff decision's delay against its
  ``[0.5 W, W]`` bounds.
- ``avalanche_load``: avalanche-restart, offered load and goodput against the
  server capacity.
- ``registered_fraction``: share of UAs registered over time.
- ``timeseries``: every column of ``timeseries.csv``, one panel each.
- ``metric_vs_parameter``: a sweep's metric against a parameter, mean and 95%
  confidence interval over seeds.
- ``standard_figures``: the figures that fit a run's scenario.

The figures are ``matplotlib.figure.Figure`` objects rendered by the Agg
(PNG) or SVG backend; pyplot is never imported, so nothing here needs a
display, touches the pyplot figure list or switches the backend of a
session that also uses pyplot.
"""

import json
import math
import os
import pathlib

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, NullLocator

from .result import Result, load

__all__ = [
    "DPI", "WIDTH", "FIGURE_HEIGHTS",
    "detection_recovery_cdf", "recovery_timeline", "backoff_bounds",
    "avalanche_load", "registered_fraction", "timeseries",
    "metric_vs_parameter", "metric_summary", "mean_ci",
    "flow_recovery_per_ua", "failure_window", "standard_figures",
]

DPI = 150
"""Resolution of PNG figures (dots per inch)."""

WIDTH = 10.0
"""Width of every figure, in inches (``WIDTH * DPI`` pixels in a PNG)."""

FIGURE_HEIGHTS = {
    "detection_recovery_cdf": 4.6,
    "recovery_timeline": 6.4,
    "backoff_bounds": 4.8,
    "avalanche_load": 6.4,
    "registered_fraction": 4.4,
    "metric_vs_parameter": 4.8,
}
"""Height in inches of each figure of fixed size; ``timeseries`` grows by
``TIMESERIES_ROW_HEIGHT`` per row of two panels."""

TIMESERIES_ROW_HEIGHT = 2.4
"""Height in inches of one row of panels in ``timeseries`` (plus 0.8 for the title)."""

# Failure plan rows in events.csv (sim/failure-plan.cc) that open and close
# the failure window.
_FAILURE_STARTS = ("node_crash", "link_down", "loss_start", "nat_reboot", "power_cut")
_FAILURE_ENDS = ("node_restart", "link_up", "loss_end", "host_boot")

# How each scenario names a configuration: the parameters that tell its
# configurations apart and how to say them.
_KEY_PARAMETERS = {
    "flow-recovery": (
        ("transport", "profile", "flows"),
        lambda p: f"{str(p['transport']).upper()} {p['profile']}, "
                  f"{p['flows']} flow{'' if p['flows'] == 1 else 's'}",
    ),
    "avalanche-restart": (("policy",), lambda p: f"policy {p['policy']}"),
}

# Unit suffixes of metric and column names (DESIGN.md: snake_case with the
# unit as a suffix), longest first so that `_per_s` wins over `_s`.
_UNITS = (
    ("_per_s", "per s"),
    ("_rps", "per s"),
    ("_fraction", "fraction"),
    ("_count", "count"),
    ("_s", "s"),
)

# Two-sided 95% Student t quantiles t(0.975, df), for when scipy is missing.
_T975 = {
    1: 12.7062, 2: 4.3027, 3: 3.1824, 4: 2.7764, 5: 2.5706, 6: 2.4469,
    7: 2.3646, 8: 2.3060, 9: 2.2622, 10: 2.2281, 11: 2.2010, 12: 2.1788,
    13: 2.1604, 14: 2.1448, 15: 2.1314, 16: 2.1199, 17: 2.1098, 18: 2.1009,
    19: 2.0930, 20: 2.0860, 21: 2.0796, 22: 2.0739, 23: 2.0687, 24: 2.0639,
    25: 2.0595, 26: 2.0555, 27: 2.0518, 28: 2.0484, 29: 2.0452, 30: 2.0423,
    40: 2.0211, 60: 2.0003, 120: 1.9799,
}
_Z975 = 1.959964


# --- inputs -----------------------------------------------------------------

def _as_result(item, argument="result_or_results"):
    """A Result from a Result or a results directory path."""
    if isinstance(item, Result):
        return item
    if isinstance(item, (str, os.PathLike)):
        return load(item)
    raise TypeError(f"{argument}: expected a Result or a results directory, got {type(item).__name__}")


def _as_results(result_or_results):
    """A non-empty list of Results from one Result, one path, or a list of them."""
    if isinstance(result_or_results, (Result, str, os.PathLike)):
        items = [result_or_results]
    else:
        items = list(result_or_results)
    if not items:
        raise ValueError("result_or_results: no results given")
    return [_as_result(item) for item in items]


def _require(results, figure, timeseries=(), events=(), parameters=()):
    """Raise ValueError naming ``figure`` and the first thing a result lacks."""
    for result in results:
        for column in timeseries:
            if column not in result.timeseries.columns:
                raise ValueError(f"{figure}: {result.directory} has no timeseries column {column!r}")
        for column in events:
            if column not in result.events.columns:
                raise ValueError(f"{figure}: {result.directory} has no events column {column!r}")
        for name in parameters:
            if name not in result.parameters:
                raise ValueError(f"{figure}: {result.directory} has no parameter {name!r}")


def _output_path(path):
    """``path`` as a Path ending in .png or .svg, its parent created."""
    path = pathlib.Path(path)
    if path.suffix.lower() not in (".png", ".svg"):
        raise ValueError(f"path: {path} must end in .png or .svg")
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _save(fig, path):
    """Write ``fig`` to ``path`` (PNG or SVG by suffix) and return the path."""
    path = _output_path(path)
    fig.savefig(path, dpi=DPI)
    return path


def _width(index, base=1.8):
    """Line width of the ``index``-th configuration: each a little thinner, so
    that a line drawn over an earlier one leaves it visible."""
    return max(0.7, base * (1 - 0.22 * index))


def _figure(name, height=None):
    """A new figure of the standard width with constrained layout."""
    return Figure(figsize=(WIDTH, height or FIGURE_HEIGHTS[name]), dpi=DPI, layout="constrained")


def _panels(name, rows, columns, sharex=False, sharey=False, height=None):
    """A figure with a ``rows`` x ``columns`` grid of axes under a thin legend row.

    Returns ``(fig, axes, legend_ax)``: ``axes`` a flat list, row by row;
    ``legend_ax`` an invisible axes across the top for :func:`_legend_row`,
    so that the legend never covers data and spans every column. Shared
    axes show their tick labels only on the outer panels.
    """
    fig = _figure(name, height)
    grid = fig.add_gridspec(rows + 1, columns, height_ratios=[0.001] + [1] * rows)
    axes = []
    for k in range(rows * columns):
        row, column = divmod(k, columns)
        ax = fig.add_subplot(grid[1 + row, column],
                             sharex=axes[0] if sharex and axes else None,
                             sharey=axes[0] if sharey and axes else None)
        ax.tick_params(labelbottom=not sharex or row == rows - 1, labelleft=not sharey or column == 0)
        axes.append(ax)
    legend_ax = fig.add_subplot(grid[0, :])
    legend_ax.axis("off")
    return fig, axes, legend_ax


def _legend_row(legend_ax, handles):
    """A frameless legend of ``handles`` in the legend row, in as many columns
    as fit across the figure (at 8 points, about 4.4 points per character plus
    40 for the sample and the spacing)."""
    if not handles:
        return
    longest = max(len(h.get_label()) for h in handles)
    columns = max(1, min(len(handles), int((WIDTH * 72 - 60) // (longest * 4.4 + 40))))
    legend_ax.legend(handles=handles, loc="center", ncol=columns, fontsize=8, frameon=False)


# --- labels -----------------------------------------------------------------

def _value_text(value):
    """A parameter value as a reader would write it (60.0 -> 60)."""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _labels(results):
    """One legend label per result, naming its configuration from its parameters.

    The scenario's name when the results come from several, its key
    parameters (e.g. "UDP draft, 2 flows", "policy draft"), then every other
    parameter whose value differs between the results of that scenario, then
    the seed (or the directory's name) if labels would still repeat.
    """
    several_scenarios = len({r.scenario for r in results}) > 1
    labels = []
    for result in results:
        peers = [r.parameters for r in results if r.scenario == result.scenario]
        names = sorted(set().union(*peers))
        differing = [n for n in names if len({json.dumps(p.get(n), sort_keys=True) for p in peers}) > 1]
        parts = [result.scenario] if several_scenarios else []
        key_names, describe = _KEY_PARAMETERS.get(result.scenario, ((), None))
        if describe and all(n in result.parameters for n in key_names):
            parts.append(describe(result.parameters))
        parts += [f"{n}={_value_text(result.parameters.get(n))}" for n in differing if n not in key_names]
        labels.append(", ".join(parts) or str(result.scenario))
    if len(set(labels)) < len(labels):
        if len({r.seed for r in results}) == len(results):
            labels = [f"{label}, seed {r.seed}" for label, r in zip(labels, results)]
        else:
            labels = [f"{label} ({r.directory.name})" for label, r in zip(labels, results)]
    return labels


def _shared(results, name):
    """The value of parameter ``name`` if every result has the same one, else None."""
    values = {json.dumps(r.parameters.get(name), sort_keys=True) for r in results}
    return results[0].parameters.get(name) if len(values) == 1 else None


def _context(results):
    """A line of what every configuration shares: the failure and the number of UAs."""
    parts = []
    failure = _shared(results, "failure")
    if failure == "none":
        parts.append("no failure")
    elif failure:
        text = str(failure)
        start = _shared(results, "failure_time")
        duration = _shared(results, "failure_duration")
        if start is not None:
            text += f" at {_value_text(start)} s"
            if duration is not None and "reboot" not in str(failure):
                text += f" for {_value_text(duration)} s"
        parts.append(text)
    for name, unit in (("uas", "UAs"), ("clients", "clients")):
        count = _shared(results, name)
        if count is not None:
            parts.append(f"{count} {unit}")
    seeds = {r.seed for r in results}
    if len(seeds) == 1:
        parts.append(f"seed {seeds.pop()}")
    return ", ".join(parts)


def _title(fig, title, results):
    """A figure title with a second, smaller line of shared context."""
    context = _context(results)
    fig.suptitle(f"{title}\n{context}" if context else title, fontsize=12)


def _quantity(name):
    """Words and unit of a metric or column name: 'recovery_time_s.p95' -> ('recovery time, p95', 's')."""
    base, _, statistic = name.partition(".")
    unit = ""
    for suffix, text in _UNITS:
        if base.endswith(suffix) and len(base) > len(suffix):
            base, unit = base[: -len(suffix)], text
            break
    words = base.replace("_", " ")
    if statistic:
        words += f", {statistic}"
    return words, unit


def _axis_label(name):
    """An axis label with the unit from the name's suffix: 'goodput_rps' -> 'goodput (per s)'."""
    words, unit = _quantity(name)
    return f"{words} ({unit})" if unit else words


# --- failure window -----------------------------------------------------------

def failure_window(result):
    """The run's failure as ``(start_s, end_s)``, or None when it had none.

    From the failure plan's rows in events.csv (``node_crash`` ..
    ``node_restart``, ``link_down`` .. ``link_up``, ``loss_start`` ..
    ``loss_end``, ``power_cut`` .. last ``host_boot``; a ``nat_reboot`` is an
    instant, ``start_s == end_s``), else from the parameters ``failure``,
    ``failure_time`` and ``failure_duration``.
    """
    result = _as_result(result, "result")
    events = result.events
    if {"kind", "t_s"} <= set(events.columns):
        starts = events.loc[events["kind"].isin(_FAILURE_STARTS), "t_s"]
        if len(starts):
            start = float(starts.min())
            ends = events.loc[events["kind"].isin(_FAILURE_ENDS) & (events["t_s"] >= start), "t_s"]
            return start, float(ends.max()) if len(ends) else start
    parameters = result.parameters
    if parameters.get("failure", "none") != "none" and "failure_time" in parameters:
        start = float(parameters["failure_time"])
        return start, start + float(parameters.get("failure_duration", 0))
    return None


def _shade_failures(ax, results, label=True):
    """Shade each distinct failure window of ``results`` (a dotted line for an instant)."""
    windows = sorted({w for w in map(failure_window, results) if w is not None})
    failure = _shared(results, "failure")
    text = f"failure ({failure})" if failure else "failure"
    for i, (start, end) in enumerate(windows):
        name = text if label and i == 0 else None
        if end > start:
            ax.axvspan(start, end, color="0.88", zorder=0, label=name)
        else:
            ax.axvline(start, color="0.45", linestyle=":", zorder=0, label=name)
    return windows


# --- flow recovery --------------------------------------------------------------

def flow_recovery_per_ua(result):
    """Per-UA failure detection delay and recovery time of a flow-recovery run.

    Replays ``flow_failed`` / ``flow_registered`` rows of events.csv the way
    scenarios/flow-recovery.cc does (docs/flow-recovery.md, "Metrics"): a UA
    is hit when a flow of it fails at or after ``failure_time``; its detection
    delay runs from ``failure_time`` to that first failure; it has recovered
    when, after that, a ``flow_registered`` row with detail ``recovered``
    leaves all its ``flows`` registered, and its recovery time runs from the
    moment the service is back (``failure_time + failure_duration``;
    ``failure_time`` for a NAT reboot) to then, 0 if earlier.

    Returns a DataFrame with one row per hit UA: ``ua``,
    ``detection_delay_s``, ``recovery_time_s`` (NaN if it never recovered).
    """
    result = _as_result(result, "result")
    _require([result], "flow_recovery_per_ua", events=("t_s", "kind", "ua", "detail"),
             parameters=("flows", "failure", "failure_time", "failure_duration"))
    columns = ["ua", "detection_delay_s", "recovery_time_s"]
    parameters = result.parameters
    if parameters["failure"] == "none":  # nothing to be hit by
        return pd.DataFrame(columns=columns, dtype="float64")
    flows = int(parameters["flows"])
    failure_time = float(parameters["failure_time"])
    service_back = failure_time if parameters["failure"] == "nat-reboot" \
        else failure_time + float(parameters["failure_duration"])
    events = result.events
    rows = events[events["kind"].isin(("flow_registered", "flow_failed"))].sort_values("t_s", kind="stable")
    flows_up = {}
    first_failure = {}
    recovered_at = {}
    for t, kind, ua, detail in zip(rows["t_s"], rows["kind"], rows["ua"], rows["detail"].fillna("")):
        up = flows_up.get(ua, 0)
        if kind == "flow_registered":
            up = min(up + 1, flows)
            if detail == "recovered" and ua in first_failure and up == flows and ua not in recovered_at:
                recovered_at[ua] = t
        else:
            up = max(up - 1, 0)
            if t >= failure_time and ua not in first_failure:
                first_failure[ua] = t
        flows_up[ua] = up
    hit = sorted(first_failure)
    return pd.DataFrame({
        "ua": pd.Series(hit, dtype="int64"),
        "detection_delay_s": [first_failure[ua] - failure_time for ua in hit],
        "recovery_time_s": [max(0.0, recovered_at[ua] - service_back) if ua in recovered_at else math.nan
                            for ua in hit],
    }, columns=columns)


def _step_cdf(ax, values, total, color, width):
    """An empirical CDF of ``values`` as a share of ``total`` (ends below 1 if values are missing)."""
    values = np.sort(np.asarray(values, dtype=float))
    shares = np.arange(1, len(values) + 1) / total
    ax.plot(np.r_[values[:1], values], np.r_[0.0, shares], drawstyle="steps-post", color=color, linewidth=width)


def detection_recovery_cdf(result_or_results, path):
    """Empirical CDFs of the per-UA failure detection delay and recovery time.

    flow-recovery runs; one line per configuration, two panels. Each curve is
    a share of the configuration's hit UAs, so the recovery curve ends at the
    recovered fraction. See :func:`flow_recovery_per_ua` for the definitions.
    """
    results = _as_results(result_or_results)
    _require(results, "detection_recovery_cdf", events=("t_s", "kind", "ua", "detail"),
             parameters=("flows", "failure", "failure_time", "failure_duration"))
    per_ua = [flow_recovery_per_ua(r) for r in results]
    if not any(len(frame) for frame in per_ua):
        raise ValueError("detection_recovery_cdf: no UA saw a flow fail after failure_time in any result")
    fig, (detection_ax, recovery_ax), legend_ax = _panels("detection_recovery_cdf", 1, 2, sharey=True)
    handles = []
    for i, (frame, label) in enumerate(zip(per_ua, _labels(results))):
        hit = len(frame)
        recovered = frame["recovery_time_s"].dropna()
        counts = f"{hit} UAs hit, {len(recovered)} recovered" if hit else "no UA hit"
        handles.append(Line2D([], [], color=f"C{i}", linewidth=_width(i), label=f"{label}: {counts}"))
        if hit:
            _step_cdf(detection_ax, frame["detection_delay_s"], hit, f"C{i}", _width(i))
            _step_cdf(recovery_ax, recovered, hit, f"C{i}", _width(i))
    _legend_row(legend_ax, handles)
    detection_ax.set_title("Failure detection delay")
    detection_ax.set_xlabel("from the failure to the UA's first flow failure (s)")
    detection_ax.set_ylabel("share of the UAs hit")
    recovery_ax.set_title("Recovery time")
    recovery_ax.set_xlabel("from service back to all the UA's flows registered (s)")
    for ax in (detection_ax, recovery_ax):
        ax.set_ylim(0, 1.02)
        ax.set_xlim(left=0)
        ax.grid(alpha=0.3)
    _title(fig, "Flow recovery: per-UA detection delay and recovery time (empirical CDF)", results)
    return _save(fig, path)


def _rolling_ratio(t, ok, failed, window_s):
    """Share of successes ``ok / (ok + failed)`` over a trailing window of ``window_s`` seconds."""
    interval = float(np.median(np.diff(t))) if len(t) > 1 else 1.0
    samples = max(1, round(window_s / interval))
    answered = (ok + failed).rolling(samples, min_periods=1).sum()
    return ok.rolling(samples, min_periods=1).sum() / answered.where(answered > 0)


def recovery_timeline(result_or_results, path):
    """Registered fractions and probe success over time around the failure.

    flow-recovery runs; one colour per configuration. Top: UAs with at least
    one flow registered (solid) and with all flows registered (dashed).
    Bottom: share of the answered probes that succeeded, over a trailing
    10 s window. The time axis starts a minute before the failure.
    """
    results = _as_results(result_or_results)
    needed = ("t_s", "registered_fraction", "all_flows_fraction", "probes_ok_per_s", "probes_failed_per_s")
    _require(results, "recovery_timeline", timeseries=needed)
    fig, (reg_ax, probe_ax), legend_ax = _panels("recovery_timeline", 2, 1, sharex=True)
    windows = _shade_failures(reg_ax, results)
    _shade_failures(probe_ax, results, label=False)
    for i, (result, label) in enumerate(zip(results, _labels(results))):
        ts = result.timeseries
        reg_ax.plot(ts["t_s"], ts["registered_fraction"], color=f"C{i}", linewidth=_width(i), label=label)
        reg_ax.plot(ts["t_s"], ts["all_flows_fraction"], color=f"C{i}", linewidth=_width(i), linestyle="--")
        success = _rolling_ratio(ts["t_s"], ts["probes_ok_per_s"], ts["probes_failed_per_s"], 10)
        probe_ax.plot(ts["t_s"], success, color=f"C{i}", linewidth=_width(i))
    end = max(float(r.timeseries["t_s"].max()) for r in results)
    start = max(0.0, windows[0][0] - 60) if windows else 0.0
    probe_ax.set_xlim(start, end)
    style_keys = [Line2D([], [], color="0.3", linestyle="-", label="≥ 1 flow registered"),
                  Line2D([], [], color="0.3", linestyle="--", label="all flows registered")]
    _legend_row(legend_ax, reg_ax.get_legend_handles_labels()[0] + style_keys)
    reg_ax.set_ylabel("share of UAs")
    reg_ax.set_title("UAs registered")
    probe_ax.set_ylabel("probe success (10 s window)")
    probe_ax.set_title("OPTIONS probes answered 2xx, of those answered")
    probe_ax.set_xlabel("simulated time (s)")
    for ax in (reg_ax, probe_ax):
        ax.set_ylim(-0.02, 1.05)
        ax.grid(alpha=0.3)
    _title(fig, "Flow recovery over time", results)
    return _save(fig, path)


# --- backoff ------------------------------------------------------------------

def _outbound_backoffs(result):
    """The backoff rows of events.csv that the outbound backoff decided (base_time_s > 0)."""
    events = result.events
    return events[(events["kind"] == "backoff") & (events["base_time_s"].astype(float) > 0)]


def backoff_bounds(result_or_results, path):
    """Every backoff decision's delay against its ``[0.5 W, W]`` bounds.

    ``W`` is the ``wait_time_s`` of the decision (outbound 4.3: ``W =
    min(max, base * 2^n)``, delay uniform in ``[0.5 W, W]``). Only the
    outbound backoff's decisions count (``base_time_s > 0``): the
    avalanche-restart policies ``immediate`` and ``fixed`` record theirs with
    base 0. Left: delay against W (log scales), the allowed band shaded;
    right: delay / W against the number of consecutive failures. Decisions
    outside the band are marked with a red cross and counted in the title.
    """
    results = _as_results(result_or_results)
    needed = ("t_s", "kind", "consecutive_failures", "base_time_s", "wait_time_s", "delay_s")
    _require(results, "backoff_bounds", events=needed)
    decisions = [_outbound_backoffs(r)[list(needed)] for r in results]
    total = sum(len(d) for d in decisions)
    if total == 0:
        raise ValueError("backoff_bounds: no outbound backoff decisions (backoff events with base_time_s > 0) "
                         "in any result")
    fig, (abs_ax, rel_ax), legend_ax = _panels("backoff_bounds", 1, 2)
    jitter = np.random.default_rng(0)
    waits = sorted(set(pd.concat([d["wait_time_s"] for d in decisions]).astype(float)))
    # One box per wait time W, so that a point is drawn inside its box
    # exactly when its delay is inside [0.5 W, W].
    for wait in waits:
        abs_ax.fill_between([wait * 2 ** -0.2, wait * 2 ** 0.2], 0.5 * wait, wait, color="0.85")
    rel_ax.axhspan(0.5, 1.0, color="0.85")
    handles = [Patch(color="0.85", label="allowed: delay in [0.5 W, W]")]
    offsets = np.linspace(-0.2, 0.2, len(results)) if len(results) > 1 else [0.0]
    outside_total = 0
    for i, (frame, label, offset) in enumerate(zip(decisions, _labels(results), offsets)):
        handles.append(Line2D([], [], color=f"C{i}", marker="o", markersize=4, linestyle="none",
                              label=f"{label}: {len(frame) or 'no'} decisions"))
        if frame.empty:
            continue
        wait = frame["wait_time_s"].astype(float).to_numpy()
        delay = frame["delay_s"].astype(float).to_numpy()
        n = frame["consecutive_failures"].astype(float).to_numpy()
        tolerance = 1e-9 * wait
        outside = (delay < 0.5 * wait - tolerance) | (delay > wait + tolerance)
        outside_total += int(outside.sum())
        x_abs = wait * 2 ** (0.6 * offset + jitter.uniform(-0.03, 0.03, len(wait)))
        x_rel = n + offset + jitter.uniform(-0.05, 0.05, len(n))
        style = dict(s=9, alpha=0.6, color=f"C{i}", linewidths=0)
        abs_ax.scatter(x_abs, delay, **style)
        rel_ax.scatter(x_rel, delay / wait, **style)
        if outside.any():
            marks = dict(marker="x", color="red", s=40, zorder=3)
            abs_ax.scatter(x_abs[outside], delay[outside], **marks)
            rel_ax.scatter(x_rel[outside], (delay / wait)[outside], **marks)
    abs_ax.set_xscale("log")
    abs_ax.set_yscale("log")
    abs_ax.set_xlim(waits[0] * 2 ** -0.5, waits[-1] * 2 ** 0.5)
    delays = pd.concat([d["delay_s"] for d in decisions]).astype(float)
    delays = delays[delays > 0]  # a log axis cannot show 0; the right panel does
    abs_ax.set_ylim(min(0.5 * waits[0], delays.min()) / 1.15, max(waits[-1], delays.max()) * 1.15)
    plain = FuncFormatter(lambda value, _: _value_text(float(value)))
    abs_ax.xaxis.set_major_formatter(plain)
    abs_ax.yaxis.set_major_formatter(plain)
    if len(waits) <= 8:
        abs_ax.set_xticks(waits, [_value_text(w) for w in waits])
        abs_ax.xaxis.set_minor_locator(NullLocator())
    if len(waits) <= 4:
        bounds = sorted(set(waits) | {0.5 * w for w in waits})
        abs_ax.set_yticks(bounds, [_value_text(b) for b in bounds])
        abs_ax.yaxis.set_minor_locator(NullLocator())
    abs_ax.set_xlabel("wait time W (s)")
    abs_ax.set_ylabel("chosen delay (s)")
    abs_ax.set_title("Delay against its bounds, per W")
    counts = sorted(set(pd.concat([d["consecutive_failures"] for d in decisions]).astype(int)))
    if len(counts) <= 15:
        rel_ax.set_xticks(counts)
    rel_ax.set_xlim(counts[0] - 0.5, counts[-1] + 0.5)
    rel_ax.set_xlabel("consecutive failures n")
    rel_ax.set_ylabel("delay / W")
    rel_ax.set_title("Delay / W by consecutive failures")
    low, high = rel_ax.get_ylim()
    rel_ax.set_ylim(min(0.4, low), max(1.1, high))
    if outside_total:
        handles.append(Line2D([], [], color="red", marker="x", linestyle="none", label="outside its bounds"))
    _legend_row(legend_ax, handles)
    for ax in (abs_ax, rel_ax):
        ax.grid(alpha=0.3)
    verdict = f"all {total} decisions inside [0.5 W, W]" if outside_total == 0 \
        else f"{outside_total} of {total} decisions OUTSIDE [0.5 W, W] (red)"
    _title(fig, f"Backoff decisions: {verdict}", results)
    return _save(fig, path)


# --- avalanche ------------------------------------------------------------------

def _wide(maxima):
    """Whether values with these per-line maxima need a log axis (some line below 1/10 of the top)."""
    positive = [m for m in maxima if m > 0]
    return len(positive) > 1 and max(positive) / min(positive) > 10


def avalanche_load(result_or_results, path):
    """Offered load and goodput at the watched server over time, against its capacity.

    avalanche-restart runs; one line per configuration (retry policy). Top:
    messages arriving per second; bottom: 200 responses to REGISTER per
    second. The dashed line is the server capacity, ``1 / register_cost``
    REGISTER requests per second. A symmetric log y-axis (linear below 1) is
    used when the lines' peaks and the capacity span more than a factor of 10.
    """
    results = _as_results(result_or_results)
    _require(results, "avalanche_load", timeseries=("t_s", "offered_load_rps", "goodput_rps"),
             parameters=("register_cost",))
    labels = _labels(results)
    capacities = [1.0 / float(r.parameters["register_cost"]) for r in results]
    fig, (load_ax, goodput_ax), legend_ax = _panels("avalanche_load", 2, 1, sharex=True, sharey=True)
    maxima = list(capacities)
    for ax, column, title in ((load_ax, "offered_load_rps", "Offered load: messages arriving at the server"),
                              (goodput_ax, "goodput_rps", "Goodput: 200 OK to REGISTER")):
        _shade_failures(ax, results, label=ax is load_ax)
        for i, (result, label) in enumerate(zip(results, labels)):
            ts = result.timeseries
            ax.plot(ts["t_s"], ts[column], color=f"C{i}", linewidth=_width(i, 1.3),
                    label=label if ax is load_ax else None)
            maxima.append(float(ts[column].max()))
        if len(set(capacities)) == 1:
            ax.axhline(capacities[0], color="black", linestyle="--", linewidth=1.2,
                       label=f"server capacity: {capacities[0]:g} REGISTER/s (1 / register_cost)"
                       if ax is load_ax else None)
        else:
            for i, capacity in enumerate(capacities):
                ax.axhline(capacity, color=f"C{i}", linestyle="--", linewidth=1.0)
                ax.annotate(f"{capacity:g} REGISTER/s", (1.0, capacity), xycoords=("axes fraction", "data"),
                            xytext=(-4, 2), textcoords="offset points", ha="right", fontsize=7, color=f"C{i}",
                            bbox=dict(boxstyle="square,pad=0.1", facecolor="white", edgecolor="none", alpha=0.8))
            if ax is load_ax:
                ax.plot([], [], color="0.3", linestyle="--",
                        label="server capacity of each configuration (1 / register_cost)")
        ax.set_title(title)
        ax.grid(alpha=0.3)
    load_ax.set_ylabel("messages per second")
    goodput_ax.set_ylabel("200 OK per second")
    if _wide(maxima):
        load_ax.set_yscale("symlog", linthresh=1)
        load_ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: _value_text(float(value))))
        load_ax.set_ylabel("messages per second\n(log scale above 1)")
        goodput_ax.set_ylabel("200 OK per second\n(log scale above 1)")
        load_ax.set_ylim(0, max(maxima) * 2)
    else:
        load_ax.set_ylim(0, max(maxima) * 1.05)
    _legend_row(legend_ax, load_ax.get_legend_handles_labels()[0])
    goodput_ax.set_xlabel("simulated time (s)")
    goodput_ax.set_xlim(0, max(float(r.timeseries["t_s"].max()) for r in results))
    _title(fig, "Avalanche restart: load on the restarted server", results)
    return _save(fig, path)


def registered_fraction(result_or_results, path):
    """Share of UAs registered over time, one line per configuration.

    Any scenario with a ``registered_fraction`` timeseries column
    (avalanche-restart: every flow up and a binding at the registrar;
    flow-recovery: at least one flow registered).
    """
    results = _as_results(result_or_results)
    _require(results, "registered_fraction", timeseries=("t_s", "registered_fraction"))
    fig, (ax,), legend_ax = _panels("registered_fraction", 1, 1)
    _shade_failures(ax, results)
    for i, (result, label) in enumerate(zip(results, _labels(results))):
        ts = result.timeseries
        ax.plot(ts["t_s"], ts["registered_fraction"], color=f"C{i}", linewidth=_width(i), label=label)
    ax.set_ylim(-0.02, 1.05)
    ax.set_xlim(0, max(float(r.timeseries["t_s"].max()) for r in results))
    ax.set_xlabel("simulated time (s)")
    ax.set_ylabel("share of UAs registered")
    ax.grid(alpha=0.3)
    _legend_row(legend_ax, ax.get_legend_handles_labels()[0])
    _title(fig, "UAs registered over time", results)
    return _save(fig, path)


# --- generic ----------------------------------------------------------------------

def timeseries(result_or_results, path):
    """Every timeseries column of a run, one small panel each (two per row).

    One line per configuration; the y label carries the unit from the
    column's suffix (``_s``, ``_rps``, ``_per_s``, ``_fraction``, ``_count``).
    The figure is ``WIDTH`` wide and ``TIMESERIES_ROW_HEIGHT`` per row plus 0.8
    inches high.
    """
    results = _as_results(result_or_results)
    _require(results, "timeseries", timeseries=("t_s",))
    columns = []
    for result in results:
        columns += [c for c in result.timeseries.columns if c != "t_s" and c not in columns]
    if not columns or all(r.timeseries.empty for r in results):
        raise ValueError("timeseries: no timeseries samples in any result")
    rows = math.ceil(len(columns) / 2)
    # Rounded: 3 * 2.4 + 0.8 must be 8 inches, not 1 pixel less.
    fig, axes, legend_ax = _panels("timeseries", rows, 2, sharex=True,
                                   height=round(rows * TIMESERIES_ROW_HEIGHT + 0.8, 3))
    labels = _labels(results)
    for ax, column in zip(axes, columns):
        _shade_failures(ax, results)
        for i, result in enumerate(results):
            if column in result.timeseries.columns:
                ts = result.timeseries
                ax.plot(ts["t_s"], ts[column], color=f"C{i}", linewidth=_width(i, 1.3),
                        label=labels[i] if len(results) > 1 else None)
        ax.set_title(column, fontsize=10)
        ax.set_ylabel(_axis_label(column), fontsize=9)
        values = pd.concat([r.timeseries[column] for r in results if column in r.timeseries.columns]).dropna()
        if column.endswith("_fraction"):
            ax.set_ylim(-0.02, 1.05)
        elif len(values) and values.min() >= 0:
            top = values.max() * 1.05 if values.max() > 0 else 1.0
            ax.set_ylim(-0.02 * top, top)
            if values.max() == 0:
                ax.text(0.5, 0.5, "0 throughout", transform=ax.transAxes, ha="center", color="0.4")
        ax.grid(alpha=0.3)
    for ax in axes[len(columns):]:
        ax.set_visible(False)
    # The last panel of each column carries the time axis (with an odd
    # number of panels, the right column ends a row early).
    for ax in axes[max(0, len(columns) - 2):len(columns)]:
        ax.set_xlabel("simulated time (s)")
        ax.tick_params(labelbottom=True)
    axes[0].set_xlim(0, max(float(r.timeseries["t_s"].max()) for r in results))
    _legend_row(legend_ax, axes[0].get_legend_handles_labels()[0])
    _title(fig, f"{results[0].scenario}: timeseries" if len({r.scenario for r in results}) == 1
           else "Timeseries", results)
    return _save(fig, path)


# --- sweeps -----------------------------------------------------------------------

def _t975(df):
    """The 0.975 quantile of Student's t with ``df`` degrees of freedom."""
    try:
        from scipy import stats
    except ImportError:
        return _t975_table(df)
    return float(stats.t.ppf(0.975, df))


def _t975_table(df):
    """t(0.975, df) from a table: exact to 4 decimals up to df 30, else
    interpolated linearly in 1/df between 30, 40, 60, 120 and infinity."""
    if df < 1:
        raise ValueError(f"df: must be at least 1, got {df}")
    if df in _T975:
        return _T975[df]
    known = sorted(_T975)
    below = max(k for k in known if k < df)
    above = min((k for k in known if k > df), default=math.inf)
    upper = _Z975 if above == math.inf else _T975[above]
    share = (1 / below - 1 / df) / (1 / below - (0 if above == math.inf else 1 / above))
    return _T975[below] + share * (upper - _T975[below])


def mean_ci(values):
    """Mean and two-sided 95% Student t confidence interval of ``values``.

    NaN values are ignored. Returns ``(mean, low, high)``; with a single
    value, low and high are NaN (no interval). Raises ValueError when no
    value is left.
    """
    data = pd.to_numeric(pd.Series(list(values), dtype="object"), errors="coerce").dropna().to_numpy(float)
    if len(data) == 0:
        raise ValueError("values: no numbers to average")
    mean = float(data.mean())
    if len(data) == 1:
        return mean, math.nan, math.nan
    half = _t975(len(data) - 1) * float(data.std(ddof=1)) / math.sqrt(len(data))
    return mean, mean - half, mean + half


def _sweep_rows(frame, parameter, metric, hue, figure):
    """The successful rows of a sweep frame, after checking its columns."""
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame: expected the DataFrame sipbed.sweep returns, got {type(frame).__name__}")
    for name, column in (("parameter", parameter), ("metric", metric), ("hue", hue)):
        if column is not None and column not in frame.columns:
            raise ValueError(f"{figure}: frame has no column {column!r} ({name})")
    return frame[frame["status"] == "ok"] if "status" in frame.columns else frame


def metric_summary(frame, parameter, metric, hue=None):
    """Mean and 95% confidence interval of ``metric`` per value of ``parameter`` (and ``hue``).

    ``frame`` is a sweep's tidy DataFrame; rows whose ``status`` is not
    "ok" and NaN metric values are left out; rows that differ only in other
    columns (seeds, other parameters) are pooled. Returns a DataFrame with
    columns ``[hue,] parameter, n, mean, low, high``, one row per group with
    at least one value, in the order of the sorted group keys.
    """
    rows = _sweep_rows(frame, parameter, metric, hue, "metric_summary")
    keys = [hue, parameter] if hue is not None else [parameter]
    records = []
    for key, group in rows.groupby(keys if hue is not None else parameter, sort=True, dropna=False):
        values = pd.to_numeric(group[metric], errors="coerce").dropna()
        if len(values) == 0:
            continue
        mean, low, high = mean_ci(values)
        key = key if isinstance(key, tuple) else (key,)
        records.append(dict(zip(keys, key), n=len(values), mean=mean, low=low, high=high))
    return pd.DataFrame.from_records(records, columns=keys + ["n", "mean", "low", "high"])


def needs_log_scale(values, factor=50):
    """Whether positive ``values`` span ``factor`` or more (then a linear
    axis would flatten the small ones); False if any is zero or negative."""
    values = np.asarray(values, dtype=float)
    return bool(len(values) and (values > 0).all() and values.max() / values.min() >= factor)


def metric_vs_parameter(frame, parameter, metric, path, hue=None):
    """A sweep's ``metric`` against ``parameter``: mean over seeds and 95% CI.

    ``frame`` is the DataFrame ``sipbed.sweep`` returns; see
    :func:`metric_summary` for what is averaged. One line per value of the
    column ``hue`` if given. Error bars are Student t 95% confidence
    intervals (none for a single value); the number of values per point is
    in the title when it is the same everywhere, else written next to each
    point. A numeric parameter spanning a factor of 50 or more gets a log
    x-axis, means spanning a factor of 50 or more a log y-axis; a text or
    boolean parameter gets one position per value, unconnected.
    """
    rows = _sweep_rows(frame, parameter, metric, hue, "metric_vs_parameter")
    failed = len(frame) - len(rows)
    summary = metric_summary(rows, parameter, metric, hue)
    if summary.empty:
        raise ValueError(f"metric_vs_parameter: no successful run has a value of {metric!r}")
    column = rows[parameter].dropna()
    numeric = pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)
    # Every value swept, also those where no run has the metric (a time to
    # 90 % that was never reached): they keep their place, marked.
    levels = sorted(column.unique(), key=float if numeric else str)
    positions = {v: (float(v) if numeric else i) for i, v in enumerate(levels)}
    without = [v for v in levels if v not in set(summary[parameter])]
    fig, (ax,), legend_ax = _panels("metric_vs_parameter", 1, 1)
    same_n = summary["n"].nunique() == 1
    groups = summary.groupby(hue, sort=True, dropna=False) if hue is not None else [(None, summary)]
    for i, (value, group) in enumerate(groups):
        x = np.array([positions[v] for v in group[parameter]], dtype=float)
        mean = group["mean"].to_numpy()
        errors = np.vstack([mean - group["low"].to_numpy(), group["high"].to_numpy() - mean])
        ax.errorbar(x, mean, yerr=np.nan_to_num(errors), color=f"C{i}", marker="o", capsize=4,
                    linewidth=1.5, linestyle="-" if numeric else "none",
                    label=f"{hue} = {_value_text(value)}" if hue is not None else None)
        if not same_n:
            for xi, yi, n in zip(x, mean, group["n"]):
                ax.annotate(f"n={n}", (xi, yi), textcoords="offset points", xytext=(7, -3), fontsize=7,
                            color=f"C{i}", ha="left", va="top",
                            bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="none", alpha=0.8))
    if numeric and needs_log_scale(levels):
        ax.set_xscale("log")
    means = summary["mean"].to_numpy(dtype=float)
    if needs_log_scale(means):
        # Means a factor of 50 apart would flatten the small ones to zero on
        # a linear axis; a confidence interval reaching below zero is cut
        # at the axis' bottom.
        ax.set_yscale("log")
        ax.set_ylim(bottom=means.min() / 3)
    for v in without:
        ax.annotate("no value\n(in no run)", (positions[v], 0.02), xycoords=("data", "axes fraction"),
                    ha="center", va="bottom", fontsize=9, color="0.4")
    if not numeric or len(levels) <= 8:
        ax.set_xticks(list(positions.values()), [_value_text(v) for v in levels])
        ax.xaxis.set_minor_locator(NullLocator())
    if not numeric:
        ax.set_xlim(-0.5, len(levels) - 0.5)
    ax.set_xlabel(parameter)
    ax.set_ylabel(_axis_label(metric))
    ax.grid(alpha=0.3)
    _legend_row(legend_ax, ax.get_legend_handles_labels()[0])
    if summary["n"].max() == 1:
        statistics = "one run per point: no confidence interval"
    else:
        counted = f"n = {summary['n'].iloc[0]} per point" if same_n else "n per point as marked"
        statistics = f"mean over seeds with 95% confidence interval (Student t), {counted}"
    note = f"; {failed} failed run{'' if failed == 1 else 's'} left out" if failed else ""
    if without:
        note += f"; no value for {parameter} = {', '.join(_value_text(v) for v in without)}"
    fig.suptitle(f"{metric} against {parameter}\n{statistics}{note}", fontsize=12)
    return _save(fig, path)


# --- standard figures ----------------------------------------------------------

def _has_backoffs(result):
    """Whether events.csv has at least one outbound backoff decision."""
    return {"kind", "base_time_s"} <= set(result.events.columns) and len(_outbound_backoffs(result)) > 0


def _has_hit_uas(result):
    """Whether a flow-recovery run has a UA hit by the failure."""
    return len(flow_recovery_per_ua(result)) > 0


_STANDARD = {
    "flow-recovery": (
        (detection_recovery_cdf, _has_hit_uas),
        (recovery_timeline, None),
        (backoff_bounds, _has_backoffs),
    ),
    "avalanche-restart": (
        (avalanche_load, None),
        (registered_fraction, None),
        (backoff_bounds, _has_backoffs),
    ),
}


def standard_figures(result, directory, extension="png"):
    """Write the figures that fit ``result``'s scenario into ``directory``.

    flow-recovery: ``detection_recovery_cdf`` (when a UA was hit),
    ``recovery_timeline``, ``backoff_bounds`` (when there are backoff rows);
    avalanche-restart: ``avalanche_load``, ``registered_fraction``,
    ``backoff_bounds`` (when there are backoff rows); every scenario:
    ``timeseries``. Files are named after the figure (``timeseries.png``).
    ``extension`` is "png" or "svg". Returns the list of paths written.
    """
    result = _as_result(result, "result")
    if extension not in ("png", "svg"):
        raise ValueError(f"extension: must be 'png' or 'svg', got {extension!r}")
    directory = pathlib.Path(directory)
    paths = []
    for figure, applies in _STANDARD.get(result.scenario, ()) + ((timeseries, None),):
        if applies is None or applies(result):
            paths.append(figure(result, directory / f"{figure.__name__}.{extension}"))
    return paths
