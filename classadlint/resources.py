"""Where the files shipped beside the code live, in a checkout and in an installed wheel.

The wheel carries ``grammar/`` inside the package (see pyproject's force-include); a
checkout or editable install has it at the repository root.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def grammar_dir() -> Path:
    for candidate in (_PACKAGE / "grammar", _PACKAGE.parent / "grammar"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("classadlint's grammar directory is missing from this installation")


def grammar_text(name: str) -> str:
    """The text of one grammar file, e.g. ``classad.lark``."""
    return (grammar_dir() / name).read_text(encoding="utf-8")
