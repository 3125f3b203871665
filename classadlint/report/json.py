"""Diagnostics as a JSON list, one object each (stable field names for CI tooling)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict

from classadlint.lint.diagnostic import Diagnostic


def render(diagnostics: Iterable[Diagnostic]) -> str:
    return json.dumps([asdict(d) for d in diagnostics], indent=1)
