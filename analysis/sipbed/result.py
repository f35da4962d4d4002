"""Reading a results directory (DESIGN.md, "Results directory") into Python.

``load(dir)`` returns a :class:`Result`: ``config`` and ``summary`` as dicts,
``timeseries`` and ``events`` as pandas DataFrames with typed columns:

- ``timeseries``: every column numeric (float64), ``t_s`` first.
- ``events``: ``t_s`` float64, ``node`` and ``kind`` strings, and each other
  column numeric where every non-empty cell is a number (``Int64``, pandas'
  integer type with missing values, when every value is whole; float64
  otherwise), string where any is not. A column a kind of event does not use
  is missing (``<NA>``/NaN) in that kind's rows.
"""

import json
import pathlib

import pandas as pd

__all__ = ["Result", "load"]

# Columns of events.csv that always hold text, whatever their cells look like.
_TEXT_EVENT_COLUMNS = ("node", "kind", "detail")


class Result:
    """One scenario run: what its results directory holds.

    Attributes:
        directory: the results directory (``pathlib.Path``).
        config: ``config.json`` (every parameter used, the seed, versions).
        summary: ``summary.json`` (headline metrics; distributions are dicts
            with ``mean``, ``p50``, ``p95``, ``max`` and ``n``).
        timeseries: ``timeseries.csv`` as a DataFrame (one row per sample).
        events: ``events.csv`` as a DataFrame (one row per event).
        wall_s: how long the simulation took in wall-clock seconds when the
            run was made by ``sipbed.run`` in this process; ``None`` when loaded.
    """

    def __init__(self, directory, config, summary, timeseries, events):
        self.directory = pathlib.Path(directory)
        self.config = config
        self.summary = summary
        self.timeseries = timeseries
        self.events = events
        self.wall_s = None

    @property
    def scenario(self):
        """The scenario's name (``config["scenario"]``)."""
        return self.config.get("scenario")

    @property
    def parameters(self):
        """Every parameter of the run, defaults included (``config["parameters"]``)."""
        return self.config.get("parameters", {})

    @property
    def seed(self):
        """The run's seed."""
        return self.config.get("seed")

    def __repr__(self):
        return f"Result({self.scenario!r}, seed={self.seed}, directory={str(self.directory)!r})"


def _read_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        raise FileNotFoundError(f"{path}: missing; is {path.parent} a sipbed results directory?") from None
    except json.JSONDecodeError as e:
        raise ValueError(f"{path}: not valid JSON: {e}") from None


def _typed_column(series):
    """A numeric column (Int64 when whole) if every non-empty cell is a number."""
    present = series.dropna()
    numbers = pd.to_numeric(present, errors="coerce")
    if len(present) and numbers.isna().any():
        return series.astype("string")
    numbers = pd.to_numeric(series, errors="coerce")
    if len(present) and (numbers.dropna() % 1 == 0).all() and not numbers.dropna().abs().gt(2**53).any():
        return numbers.astype("Int64")
    return numbers.astype("float64")


def _read_timeseries(path):
    if not path.exists():
        return pd.DataFrame({"t_s": pd.Series(dtype="float64")})
    frame = pd.read_csv(path)
    return frame.apply(lambda c: pd.to_numeric(c, errors="coerce")).astype("float64")


def _read_events(path):
    if not path.exists():
        return pd.DataFrame({"t_s": pd.Series(dtype="float64"),
                             "node": pd.Series(dtype="string"),
                             "kind": pd.Series(dtype="string")})
    # Every cell as text first: a column's type is decided on all of its cells.
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    for column in frame.columns:
        if column == "t_s":
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
        elif column in _TEXT_EVENT_COLUMNS:
            frame[column] = frame[column].astype("string")
        else:
            frame[column] = _typed_column(frame[column])
    return frame


def load(directory):
    """Read the results directory ``directory`` into a :class:`Result`.

    Raises ``FileNotFoundError`` when ``directory`` or its ``config.json`` or
    ``summary.json`` is missing, ``ValueError`` when one is not valid JSON.
    """
    directory = pathlib.Path(directory)
    if not directory.is_dir():
        raise FileNotFoundError(f"{directory}: no such results directory")
    config = _read_json(directory / "config.json")
    summary = _read_json(directory / "summary.json")
    return Result(directory, config, summary,
                  _read_timeseries(directory / "timeseries.csv"),
                  _read_events(directory / "events.csv"))
