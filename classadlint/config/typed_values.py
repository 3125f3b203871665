"""How HTCondor reads a knob's text as a boolean or a number (``param_boolean``,
``param_integer``, ``param_double``), and when it gives up and uses the default.

Measured with ``htcondor2.param``: a plain decimal integer is taken as is (leading zeros
too: ``010`` is 10); anything else is parsed and evaluated as a ClassAd expression without
an ad, and a boolean or number result is taken (``true`` is 1, ``1.9`` is 1, ``2 * 3`` is
6). Any other text — ``yes``, ``"true"``, ``2G``, ``1.``, ``7 # note`` — is not read: a
number keeps its default silently, a boolean aborts a daemon (see :func:`read_bool`).
CA111 and CA112 find those.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from classadlint.classad.ad import ClassAd
from classadlint.classad.errors import ClassAdSyntaxError
from classadlint.classad.evaluate import evaluate
from classadlint.classad.functions import c_long
from classadlint.classad.parser import ParseOptions, parse_expr

if TYPE_CHECKING:
    from classadlint.project import Project
    from classadlint.schema.knobs import KnobInfo
    from classadlint.source import SourceFile, Span

_INTEGER = re.compile(r"\s*[+-]?[0-9]+\s*")
_OPTIONS = ParseOptions(strings="old")

Number = int | float | bool


def _classad_value(text: str) -> object:
    try:
        tree = parse_expr(text, _OPTIONS)
    except ClassAdSyntaxError:
        return None
    try:
        return evaluate(tree, ClassAd())
    except RecursionError:
        return None


def long_param(text: str) -> int | None:
    """condor_config.cpp ``string_is_long_param``: strtoll of the whole text (white space
    around allowed, clamped to 64 bits), else an old-syntax ClassAd expression whose value
    is a number or a boolean (a real cast as C does); None when HTCondor does not read it."""
    if _INTEGER.fullmatch(text):
        return max(min(int(text), 2**63 - 1), -(2**63))
    value = _classad_value(text)
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return c_long(value)
    return None


def double_param(text: str) -> float | None:
    """``string_is_double_param``: strtod, else a ClassAd expression with a number value."""
    try:
        return float(text.strip()) if text.strip() else None
    except ValueError:
        pass
    value = _classad_value(text)
    if isinstance(value, bool | int | float):
        return float(value)
    return None


def read_number(text: str, kind: str = "int") -> Number | None:
    """The number HTCondor reads from a numeric knob's (expanded) value — ``param_integer``
    or ``param_double`` of the catalog type ``kind`` — or None when it falls back to the
    default."""
    return double_param(text) if kind == "double" else long_param(text)


def read_bool(text: str, default: bool) -> tuple[bool, bool]:
    """(the boolean HTCondor uses, whether the text is a valid boolean) for a boolean
    knob's expanded value, following ``string_is_boolean_param`` and ``param_boolean``
    (condor_config.cpp): a leading ``true``/``false``/``1``/``0`` sets the result before the
    rest of the text is checked, so ``010`` is false and ``1K`` true although both are
    invalid; otherwise the text is evaluated as a ClassAd expression. An invalid value is
    fatal in a daemon ("not a valid boolean") and gives the result so far in a tool."""
    t = text.strip()
    result = default
    rest = None
    for word, meaning in (("true", True), ("1", True), ("false", False), ("0", False)):
        if t[: len(word)].lower() == word:
            result, rest = meaning, t[len(word) :]
            break
    if rest is not None and not rest.strip():
        return result, True
    value = _classad_value(t)
    if isinstance(value, bool):
        return value, True
    if isinstance(value, int | float):
        return value != 0, True
    return result, False


@dataclass(frozen=True)
class TypedValue:
    """The value HTCondor reads for a typed knob: where it was written and as expanded."""

    name: str
    info: KnobInfo
    src: SourceFile
    span: Span  # the value as written, in its file
    written: str
    value: str  # after macro expansion, stripped


def typed_values(project: Project, types: tuple[str, ...]) -> Iterator[TypedValue]:
    """The final values of the knobs of these catalog types that the configuration sets
    with a plain one-line ``=`` (a heredoc or an append is not read as a number or a
    boolean by anyone) and that expand to text with no macro left."""
    from classadlint.schema import knobs as knob_catalog
    from classadlint.source import Span

    model = project.model
    statements = {(file, stmt.lineno): stmt for file, stmt in model.assignments}
    for entry in model.entries.values():
        info = knob_catalog.knob(entry.name)
        if info is None or info.type not in types or entry.file is None:
            continue
        stmt = statements.get((entry.file, entry.line or 0))
        src = project.sources.get(entry.file)
        if stmt is None or src is None or stmt.heredoc_tag is not None or stmt.op != "=":
            continue
        value = model.expand_entry(entry).text.strip()
        if "$" in value or not value:
            continue
        raw = stmt.value.rstrip()
        start = stmt.line.file_offset(stmt.value_start)
        end = stmt.line.file_offset(stmt.value_start + len(raw) - 1) + 1
        yield TypedValue(entry.name, info, src, Span(start, end), raw.strip(), value)
