"""sipbed: the Python side of the sipbed SIP simulation harness on ns-3.

- ``run(name, out=None, seed=None, **params) -> Result``: run a scenario
  in-process (the C++ runner through the pybind11 module ``sipbed._core``);
  parameters have the same names, types, defaults and checks as on the
  command line (``sipbed run NAME --help``); a bad one raises ``ValueError``
  naming it.
- ``load(dir) -> Result``: read a results directory.
- ``Result``: ``config`` and ``summary`` (dicts), ``timeseries`` and
  ``events`` (pandas DataFrames).
- ``sweep(name, grid, seeds, workers=...) -> DataFrame``: a parameter grid
  times seeds in parallel worker processes, one row per run.
- ``plot``: figures (``sipbed.plot.<figure>(result_or_results, path)``);
  ``python3 -m sipbed plot DIR`` writes a run's standard figures.
- ``scenarios()``: the scenarios and their parameters.
- ``parse(data) -> dict``: parse one raw SIP datagram.

The package is assembled by the CMake build in ``build/python/sipbed``; use it
with ``PYTHONPATH=build/python /usr/bin/python3`` or ``make install``.
"""

import importlib as _importlib
import json as _json

from . import _core
from .result import Result, load
from .runner import run, scenarios
from .sweeps import sweep

__version__ = _core.version()

__all__ = ["__version__", "Result", "load", "run", "scenarios", "sweep", "plot", "parse"]


def __getattr__(name):
    # sipbed.plot imports matplotlib; only when asked for.
    if name == "plot":
        return _importlib.import_module(".plot", __name__)
    raise AttributeError(f"module 'sipbed' has no attribute {name!r}")


def parse(data):
    """Parse one SIP datagram and return its structured view as a dict.

    ``data`` is the raw message: ``bytes``, ``bytearray`` or ``memoryview``
    (a ``str`` is encoded as UTF-8).

    Raises ``ValueError`` with the parser's reason when the message is rejected.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    return _json.loads(_core.parse(bytes(data)))
