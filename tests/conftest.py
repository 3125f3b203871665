"""Shared test set-up: HTCondor's own libraries as the oracle, in daemon mode.

``htcondor2`` must be imported before ``classad2`` so that the HTCondor-layer functions and
old-semantics mode are active (reference section 0); CONDOR_CONFIG=ONLY_ENV keeps it from
reading any config file of the machine. Strict (bare classad2) comparisons run in a
subprocess, see ``tests/oracle.py``.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

os.environ.setdefault("CONDOR_CONFIG", "ONLY_ENV")

# isort: off
import htcondor2  # noqa: F401  (must precede classad2)
import classad2

# isort: on
import pytest

REPO = Path(__file__).resolve().parents[1]

# the proof cache of this test session only: never a developer's, never left in ~/.cache
_CACHE = tempfile.TemporaryDirectory(prefix="classadlint-test-cache-")
os.environ["CLASSADLINT_CACHE_DIR"] = _CACHE.name
os.environ.pop("CLASSADLINT_NO_CACHE", None)
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def oracle() -> object:
    """The real ``classad2`` module, in HTCondor's daemon (old-semantics) mode."""
    return classad2


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` (real corpus, seed talk); present in CI and on developer machines."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not present beside this checkout")
    return SHARED


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``nvim`` drive a real Neovim: where ``nvim`` is not on PATH they are
    deselected (reported as such), not skipped."""
    import shutil

    if shutil.which("nvim"):
        return
    keep = [item for item in items if item.get_closest_marker("nvim") is None]
    if len(keep) < len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in keep])
        items[:] = keep
