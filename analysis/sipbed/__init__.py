"""sipbed: the Python side of the sipbed SIP simulation harness on ns-3.

Available now:

- ``parse(data) -> dict``: parse one raw SIP datagram with the C++ parser and
  return its structured (JSON) view.
- ``__version__``: the sipbed version the C++ module was built as.

``run``, ``load``, ``sweep`` and ``plot`` (see DESIGN.md, "User contract")
arrive with later issues.

The package is assembled by the CMake build in ``build/python/sipbed``; use it
with ``PYTHONPATH=build/python /usr/bin/python3``.
"""

import json as _json

from . import _core

__version__ = _core.version()

__all__ = ["__version__", "parse"]


def parse(data):
    """Parse one SIP datagram and return its structured view as a dict.

    ``data`` is the raw message: ``bytes``, ``bytearray`` or ``memoryview``
    (a ``str`` is encoded as UTF-8).

    Raises ``ValueError`` with the parser's reason when the message is rejected.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    return _json.loads(_core.parse(bytes(data)))
