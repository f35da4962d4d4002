"""Reading a results directory (DESIGN.md, "Results directory") into Python.

``load(dir)`` returns a :class:`Result`: ``config`` and ``summary`` as dicts,
``timeseries`` and ``events`` as pandas DataFrames with typed columns:

- ``timeseries``: every column numeric (float64), ``t_s`` first.
- ``events``: ``t_s`` float64, ``node``, ``kind`` and ``detail`` strings; each
  other column ``boolean`` if every cell is true or false, string if any
  other cell is not a number, else float64 if its name
  ends with a unit (``delay_s``, ``load_rps``, ``_fraction``...) or a value
  is not whole, else ``Int64`` (pandas' integer type with missing values).
  So a column has the same type in every run. A column a kind of event does
  not use is missing (``<NA>``/NaN) in that kind's rows.
"""

import json
import pathlib

import pandas as pd

__all__ = ["Result", "load"]

# Columns of events.csv that always hold text, whatever their cells look like.
_TEXT_EVENT_COLUMNS = ("node", "kind", "detail")
# Unit suffixes of the results format (DESIGN.md): columns named so are floats.
_QUANTITY_SUFFIXES = ("_s", "_ms", "_rps", "_per_s", "_fraction", "_ratio", "_bytes", "_kbps")


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


def _is_quantity(name):
    """Whether a column name carries a unit suffix (``delay_s``,
    ``load_rps``, ``success_fraction``...): such a column is a measured
    quantity, float64 even when a run's values happen to be whole."""
    return name.endswith(_QUANTITY_SUFFIXES)


def _typed_column(name, series):
    """A column read by the CSV parser, typed by the rules in the module doc."""
    if series.dtype == bool or (series.dtype == object and
                                series.dropna().map(lambda v: isinstance(v, bool)).all()):
        return series.astype("boolean")  # true/false cells (with missing ones)
    if series.dtype == object:
        return series.astype("string")  # some cell is not a number
    if _is_quantity(name):
        return series.astype("float64")
    present = series.dropna()
    if (present % 1 == 0).all() and not present.abs().gt(2**53).any():
        return series.astype("Int64")
    return series.astype("float64")


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
    frame = pd.read_csv(path, keep_default_na=False, na_values=[""],
                        dtype={c: "string" for c in _TEXT_EVENT_COLUMNS})
    for column in frame.columns:
        if column == "t_s":
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
        elif column not in _TEXT_EVENT_COLUMNS:
            frame[column] = _typed_column(column, frame[column])
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
