"""Parameter sweeps: a grid times seeds, in parallel worker processes."""

import contextlib
import datetime
import itertools
import math
import multiprocessing
import os
import pathlib
import sys
import warnings
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool

import pandas as pd
from tqdm import tqdm

__all__ = ["sweep", "flatten_summary", "grid_points"]

# Columns every sweep row has, before the swept parameters and the metrics.
RUN_COLUMNS = ["scenario", "seed", "status", "error", "directory", "wall_s"]


def grid_points(grid):
    """The parameter combinations of ``grid``, as a list of dicts.

    ``grid`` is a dict ``name -> list of values`` (a single value counts as a
    list of one; the combinations are the Cartesian product, in order), or a
    list of dicts (taken as they are).
    """
    if isinstance(grid, dict):
        names = list(grid)
        values = []
        for name in names:
            v = grid[name]
            if isinstance(v, (str, bytes)) or not hasattr(v, "__iter__"):
                v = [v]
            v = list(v)
            if not v:
                raise ValueError(f"grid: parameter '{name}' has no values")
            values.append(v)
        return [dict(zip(names, combo)) for combo in itertools.product(*values)]
    if isinstance(grid, (list, tuple)) and all(isinstance(p, dict) for p in grid):
        return [dict(p) for p in grid]
    raise ValueError("grid: expected a dict of parameter -> list of values, or a list of dicts")


def _seeds(seeds):
    if isinstance(seeds, bool):
        raise ValueError(f"seeds: expected a count or a list of integers, got {seeds!r}")
    if isinstance(seeds, int):
        if seeds < 1:
            raise ValueError(f"seeds: a count must be at least 1, got {seeds}")
        return list(range(1, seeds + 1))
    seeds = list(seeds)
    if not seeds or not all(isinstance(s, int) and not isinstance(s, bool) and s >= 0 for s in seeds):
        raise ValueError("seeds: expected a count or a non-empty list of integers >= 0")
    return seeds


def flatten_summary(summary):
    """``summary.json`` as one flat dict: distributions become ``NAME.mean``,
    ``NAME.p50``, ``NAME.p95``, ``NAME.max`` and ``NAME.n``; other nested
    dicts ``NAME.KEY`` likewise; ``None`` becomes NaN."""
    flat = {}
    for name, value in summary.items():
        if isinstance(value, dict):
            for key, inner in flatten_summary(value).items():
                flat[f"{name}.{key}"] = inner
        elif value is None:
            flat[name] = math.nan
        else:
            flat[name] = value
    return flat


def _run_one(name, params, seed, out):
    """One run in a worker process: a row of the sweep's frame (never raises
    for a failed run: its error is in the row)."""
    from . import runner  # the worker imports the package itself

    row = {"scenario": name, "seed": seed, "status": "ok", "error": None,
           "directory": str(out), "wall_s": math.nan}
    try:
        result = runner.run(name, out=out, seed=seed, **params)
    except (ValueError, RuntimeError) as e:
        row.update(status="failed", error=f"{type(e).__name__}: {e}")
        return row
    row["wall_s"] = result.wall_s
    row.update(flatten_summary(result.summary))
    return row


def sweep(name, grid, seeds=1, workers=None, out=None, progress=True):
    """Run scenario ``name`` for every point of ``grid`` and every seed.

    Args:
        name: the scenario.
        grid: dict ``parameter -> list of values`` (Cartesian product) or a
            list of parameter dicts; other parameters keep their defaults.
        seeds: a count ``n`` (seeds 1..n) or a list of seeds.
        workers: worker processes (default: the number of CPUs); each run is
            a separate process from a "spawn" pool, so scripts calling
            ``sweep`` need the usual ``if __name__ == "__main__":`` guard.
        out: the sweep's directory, which must not exist (default
            ``results/sweep-NAME-YYYYmmdd-HHMMSS``); every run writes its
            results directory ``NNNN-seedS`` into it, and the frame is saved
            as ``sweep.csv``.
        progress: show a progress bar (tqdm) on stderr.

    Returns:
        A tidy DataFrame, one row per run in grid-then-seed order: the columns
        ``scenario``, ``seed``, ``status`` ("ok" or "failed"), ``error``,
        ``directory``, ``wall_s``, one column per swept parameter, then the
        summary metrics (flattened by :func:`flatten_summary`). A failed run
        keeps its row with ``status == "failed"`` and the error; a warning
        lists every failed run.

    Raises:
        ValueError: a bad grid, seeds or workers, or an existing ``out``.
        Every parameter combination is checked before anything runs, so a
        bad parameter fails the sweep at once.
    """
    points = grid_points(grid)
    seed_list = _seeds(seeds)
    if workers is None:
        workers = os.cpu_count() or 1
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers: expected an integer >= 1, got {workers!r}")
    if out is None:
        out = pathlib.Path("results") / f"sweep-{name}-{datetime.datetime.now():%Y%m%d-%H%M%S}"
    out = pathlib.Path(out)
    if out.exists():
        raise ValueError(f"out: {out} exists; a sweep writes into a new directory")
    _check_points(name, points)

    jobs = [(p, s) for p in points for s in seed_list]
    out.mkdir(parents=True)
    rows = [None] * len(jobs)
    context = multiprocessing.get_context("spawn")
    bar = tqdm(total=len(jobs), desc=f"sweep {name}", unit="run", disable=not progress)
    try:
        with _spawnable_main(), \
                ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context) as pool:
            futures = {pool.submit(_run_one, name, p, s, str(out / f"{i:04d}-seed{s}")): i
                       for i, (p, s) in enumerate(jobs)}
            try:
                for future in as_completed(futures):
                    i = futures[future]
                    p, s = jobs[i]
                    try:
                        row = future.result()
                    except BrokenProcessPool:
                        row = {"scenario": name, "seed": s, "status": "failed",
                               "error": "worker process died (crashed or was killed)",
                               "directory": str(out / f"{i:04d}-seed{s}"), "wall_s": math.nan}
                    row.update(p)
                    rows[i] = row
                    bar.update(1)
            except KeyboardInterrupt:
                for future in futures:
                    future.cancel()
                raise
    finally:
        bar.close()

    frame = _frame(rows, list(points[0]) if points else [])
    frame.to_csv(out / "sweep.csv", index=False)
    failed = frame[frame["status"] == "failed"]
    if len(failed):
        lines = "\n".join(f"  {r.directory}: {r.error}" for r in failed.itertuples())
        warnings.warn(f"sweep {name}: {len(failed)} of {len(frame)} runs failed:\n{lines}",
                      RuntimeWarning, stacklevel=2)
    return frame


@contextlib.contextmanager
def _spawnable_main():
    """Let "spawn" workers start when ``__main__`` is not a file they can run.

    A spawned worker first re-runs the parent's main script by its path; a
    script read from standard input (``python3 - < script.py``) or from an
    embedding application has a ``__file__`` such as ``<stdin>`` that does
    not exist, and every worker would die at start. The workers only need
    ``sipbed`` (the job is ``sipbed.sweeps._run_one``), so while the pool
    starts them such a ``__file__`` is hidden, then restored.
    """
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    hide = path is not None and not os.path.isfile(path)
    if hide:
        del main.__file__
    try:
        yield
    finally:
        if hide:
            main.__file__ = path


def _check_points(name, points):
    """Check every combination's parameters (names, types, ranges and the
    scenario's own cross-checks) as ``sipbed.run`` would, without running."""
    from . import _core

    for point in points:
        try:
            _core.check(name, point)
        except ValueError as e:
            raise ValueError(f"grid point {point}: {e}") from None


def _frame(rows, parameters):
    frame = pd.DataFrame(rows)
    metrics = [c for c in frame.columns if c not in RUN_COLUMNS and c not in parameters]
    frame = frame[RUN_COLUMNS + parameters + metrics]
    frame["error"] = frame["error"].astype("string")
    return frame
