"""Reading the catalog files shipped in ``classadlint/schema/data``.

Through importlib.resources so the same code works from a checkout, an editable install and
a wheel; every file is parsed once per process.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any


def data_text(name: str) -> str:
    """The text of one file of ``classadlint/schema/data``."""
    return resources.files("classadlint.schema").joinpath("data", name).read_text("utf-8")


@cache
def load_json(name: str) -> Any:
    """A JSON catalog file, parsed once."""
    return json.loads(data_text(name))


@cache
def load_toml(name: str) -> dict[str, Any]:
    """A TOML catalog file (the hand-written ones), parsed once."""
    return tomllib.loads(data_text(name))


@dataclass(frozen=True)
class Provenance:
    """Where a generated catalog came from, so a finding can name the HTCondor it speaks for."""

    htcondor_version: str
    htcondor_commit: str
    source: str
    generator: str


def provenance(name: str) -> Provenance:
    """The stamp of a generated catalog file (``knobs.json``, ``job_attributes.json`` ...)."""
    p = load_json(name)["provenance"]
    return Provenance(p["htcondor_version"], p["htcondor_commit"], p["source"], p["generator"])
