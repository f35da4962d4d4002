"""Running scenarios in-process (``sipbed.run``) and listing them (``sipbed.scenarios``)."""

import json
import os

from . import _core
from .result import load

__all__ = ["run", "scenarios"]


def run(name, out=None, seed=None, *, config=None, pcap=False, progress=False, **params):
    """Run scenario ``name`` in this process and return its :class:`~sipbed.Result`.

    Args:
        name: the scenario (``sipbed.scenarios()`` or ``sipbed list``).
        out: the results directory, which must not exist; ``None`` for
            ``results/NAME-YYYYmmdd-HHMMSS-seedN`` under the current directory,
            as on the command line.
        seed: an integer in [0, 2**64 - 1]; ``None``: the config file's, else 1.
        config: an ini file of parameters (``--config``); keyword parameters win.
        pcap: write pcap traces into ``out/pcap/``.
        progress: print progress lines on stderr about once a second.
        **params: scenario parameters by name, as ``bool``, ``int``, ``float``
            or ``str`` (``"90s"``-style text is parsed as on the command line).

    Raises:
        ValueError: bad input (unknown scenario or parameter, value of the wrong
            type or out of range, existing ``out``); the message names the
            parameter and what it accepts, and nothing is written.
        RuntimeError: a failure inside the run (its directory is removed).
        KeyboardInterrupt: Ctrl-C; the run stops and its directory is removed.

    The same parameters and seed give identical results, also when repeated
    in one process: the simulator, random streams and ns-3 attribute
    defaults are reset before every run.
    """
    if not isinstance(name, str):
        raise ValueError(f"scenario name: expected a str, got {type(name).__name__}")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise ValueError(f"seed: expected an integer in [0, 2^64 - 1], got {seed!r}")
    done = _core.run(name, params, seed,
                     "" if out is None else os.fspath(out),
                     "" if config is None else os.fspath(config),
                     bool(pcap), bool(progress))
    result = load(done["directory"])
    result.wall_s = done["wall_s"]
    return result


def scenarios():
    """Every scenario: a dict name -> {"summary", "description", "parameters"}.

    ``parameters`` is a list of dicts with ``name``, ``type``, ``default``,
    ``unit``, ``min``, ``max``, ``choices`` and ``help``.
    """
    return {s["name"]: {k: v for k, v in s.items() if k != "name"}
            for s in json.loads(_core.scenarios())}
