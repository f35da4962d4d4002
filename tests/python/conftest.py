"""Shared fixtures for the pytest suite (run by ctest as the test 'python').

ctest sets PYTHONPATH=build/python, SIPBED_SHARED_DIR, SIPBED_BIN and
SIPBED_TEST_CLI (the command line built with the test-only scenarios); when
pytest is run by hand, the defaults below assume the layout of a `make build` tree.
"""

import os
import pathlib

import pytest

SOURCE_DIR = pathlib.Path(os.environ.get("SIPBED_SOURCE_DIR",
                                         pathlib.Path(__file__).resolve().parents[2]))


@pytest.fixture(scope="session")
def shared_dir():
    path = pathlib.Path(os.environ.get("SIPBED_SHARED_DIR", SOURCE_DIR.parent / "shared"))
    if not (path / "torture").is_dir():
        pytest.skip(f"shared dir {path} has no torture/ folder (set SIPBED_SHARED_DIR)")
    return path


@pytest.fixture(scope="session")
def sipbed_bin():
    path = pathlib.Path(os.environ.get("SIPBED_BIN", SOURCE_DIR / "build" / "sipbed"))
    if not path.is_file():
        pytest.skip(f"sipbed binary {path} not built (set SIPBED_BIN)")
    return path


@pytest.fixture(scope="session")
def sipbed_test_cli():
    """The sipbed command line with the test-only scenarios (tests/scenarios/)."""
    path = pathlib.Path(os.environ.get("SIPBED_TEST_CLI",
                                       SOURCE_DIR / "build" / "tests" / "sipbed-test-cli"))
    if not path.is_file():
        pytest.skip(f"test command line {path} not built (set SIPBED_TEST_CLI)")
    return path
