"""Command line of the sipbed Python package: ``python3 -m sipbed COMMAND ...``.

Commands:

- ``plot DIR [DIR...]``: write each run's standard figures into
  ``DIR/figures/`` and print their paths.

Exit status: 0 success; 2 bad input (a DIR that is not a readable results
directory, or whose results lack what its figures need).
"""

import argparse
import sys

from .result import load


def _plot(args):
    """``plot``: the standard figures of every DIR; every DIR is read before any figure is written."""
    results = []
    for directory in args.dirs:
        try:
            results.append(load(directory))
        except (FileNotFoundError, ValueError) as error:
            print(f"sipbed plot: error: {error}", file=sys.stderr)
            return 2
    from . import plot  # matplotlib: only loaded for this command

    for result in results:
        try:
            paths = plot.standard_figures(result, result.directory / "figures", extension=args.format)
        except ValueError as error:
            print(f"sipbed plot: error: {result.directory}: {error}", file=sys.stderr)
            return 2
        for path in paths:
            print(path)
    return 0


def _parser():
    """The argument parser, one subcommand per command."""
    parser = argparse.ArgumentParser(
        prog="python3 -m sipbed",
        description="sipbed's Python tools for the results of sipbed runs "
                    "(results directories written by `sipbed run NAME --out DIR` or sipbed.run).")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    plot = commands.add_parser(
        "plot",
        help="write the standard figures of runs into DIR/figures/",
        description="Write the standard figures of each run (chosen by its scenario: flow-recovery "
                    "CDFs, timeline and backoff bounds; avalanche-restart load and registered "
                    "fraction; a timeseries overview for every scenario) into DIR/figures/, and "
                    "print the path of each figure written.")
    plot.add_argument("dirs", nargs="+", metavar="DIR", help="a results directory")
    plot.add_argument("--format", choices=("png", "svg"), default="png",
                      help="figure file format (default: png)")
    plot.set_defaults(handler=_plot)
    return parser


def main(argv=None):
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    args = _parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
