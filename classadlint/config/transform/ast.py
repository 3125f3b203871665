"""The transform AST: one shape for native transforms and old ``[ ... ]`` routes.

A transform is read from a config knob (``JOB_TRANSFORM_<name>``, ``JOB_ROUTER_ROUTE_<name>``,
``JOB_ROUTER_TRANSFORM_<name>``, ``FORWARD_AD_TRANSFORM_<name>``), from a rules file
(``condor_transform_ads``), or converted from an old-style ClassAd route. Every piece of
text keeps its offsets into :attr:`TransformSource.text`, and the source keeps one config
:class:`~classadlint.config.model.Origin` per character, so a ClassAd value inside a
statement maps back to the file, line and column the user wrote (through macro expansion
and heredoc bodies alike).

The statements are kept as HTCondor runs them: in order, with ``if`` blocks nested, and
with the lines HTCondor would fail on (:class:`BadStatement`) in place, because a transform
stops at such a line at run time after applying everything before it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from classadlint.config.model import Origin

SourceKind = Literal["knob", "file", "converted"]


@dataclass
class TransformSource:
    """The text of a transform and where each of its characters came from.

    ``kind``: ``knob`` (a config value: read as the schedd, the job router and the
    collector read it), ``file`` (a rules file, read as ``condor_transform_ads`` reads
    it) or ``converted`` (native text produced from an old ``[ ... ]`` route, whose
    characters point at the route attributes they came from where they can).
    """

    name: str
    text: str
    origins: list[Origin]
    kind: SourceKind = "knob"

    def origin(self, offset: int) -> Origin | None:
        if not self.origins:
            return None
        return self.origins[max(0, min(offset, len(self.origins) - 1))]


@dataclass(frozen=True)
class Piece:
    """Characters ``start:end`` of the transform text (``text`` is that slice)."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Regex:
    """The ``/pattern/flags`` first argument of COPY, RENAME or DELETE. HTCondor always
    matches case-insensitively, whatever the flags say."""

    pattern: str
    flags: str
    piece: Piece


@dataclass
class Statement:
    """One statement: its line (1-based, in the transform text) and its whole text."""

    line: int
    piece: Piece


@dataclass
class MacroAssign(Statement):
    """``name = value``, ``name += value`` (any append operator) or a ``name @=tag`` block:
    a temporary macro of the transform, never an attribute of the ad. ``+Attr = value``
    (submit syntax) defines the macro ``MY.Attr``; ``-Attr =`` defines it empty."""

    name: Piece
    op: str
    value: Piece
    heredoc_tag: str | None = None

    @property
    def macro_name(self) -> str:
        if self.name.text[:1] in ("+", "-"):
            return "MY." + self.name.text[1:]
        return self.name.text


@dataclass
class SetAttr(Statement):
    """``SET``, ``DEFAULT`` or ``EVALSET`` ``attr value``.

    SET and DEFAULT store the value as an expression (old ClassAd syntax, the whole text
    must parse); EVALSET evaluates it against the ad first (new syntax, the longest
    expression the text starts with) and stores the result. DEFAULT acts only when the
    attribute is absent (present with the value ``undefined`` counts as present).
    """

    keyword: Literal["SET", "DEFAULT", "EVALSET"]
    attr: Piece
    value: Piece


@dataclass
class EvalMacro(Statement):
    """``EVALMACRO var expr``: evaluate, and store the printed value in a macro."""

    var: Piece
    value: Piece


@dataclass
class CopyAttr(Statement):
    """``COPY``/``RENAME`` ``attr newattr``, or ``/regex/ pattern`` with ``\\0``..``\\9``."""

    keyword: Literal["COPY", "RENAME"]
    source: Piece
    regex: Regex | None
    target: Piece


@dataclass
class DeleteAttr(Statement):
    """``DELETE attr`` or ``DELETE /regex/``."""

    source: Piece
    regex: Regex | None


@dataclass
class ConfigKeyword(Statement):
    """``include``, ``use``, ``error`` or ``warning`` inside a transform. HTCondor fails the
    transform on ``include`` and ``error`` (at every job), prints ``warning``."""

    keyword: str
    argument: Piece


@dataclass
class BadStatement(Statement):
    """A line HTCondor refuses when it runs the transform (unknown keyword, missing
    argument, bad regex flags...): the transform stops there and is reported failed,
    after applying everything before it."""

    message: str


@dataclass
class Branch:
    """One arm of an ``if`` block; ``condition`` is None for ``else``."""

    keyword: Literal["if", "elif", "else"]
    condition: Piece | None
    line: int
    body: list[Statement] = field(default_factory=list)


@dataclass
class IfBlock(Statement):
    """``if`` ... ``elif`` ... ``else`` ... ``endif``. Conditions are read as HTCondor's
    config ``if`` (booleans, numbers, ``defined NAME``, ``version OP X.Y``, one ``$(X)``);
    any other condition is evaluated as a ClassAd expression against the ad — where
    HTCondor accepts only a TRUE result: a false one fails the transform."""

    branches: list[Branch] = field(default_factory=list)
    closed: bool = True


@dataclass(frozen=True)
class TransformError:
    """A defect of the transform text at ``offset`` (into the transform text).

    ``code``: CA101 (a line HTCondor cannot use), CA102 (an unterminated block),
    CA103 (a ClassAd expression that does not parse, where the transform is read).
    """

    offset: int
    end: int
    message: str
    code: str = "CA101"


@dataclass
class Iteration:
    """The arguments of a ``TRANSFORM`` line (submit ``queue`` syntax): ``count``, loop
    variables and items (``in``/``from`` list or file, ``matching`` globs). Only
    ``condor_transform_ads`` iterates; the schedd and the job router ignore them."""

    count: int
    variables: list[str]
    mode: Literal["", "in", "from", "matching", "matching files", "matching dirs", "matching any"]
    items: list[str]
    items_file: str | None = None
    slice: str | None = None


@dataclass
class Transform:
    """A parsed transform.

    ``name``: the NAME statement, or the name the transform was listed under (for a
    knob HTCondor keeps the listed name and ignores NAME). ``requirements``: the raw
    REQUIREMENTS text (never macro-expanded by HTCondor). ``iterate``: the arguments of a
    non-trivial TRANSFORM line. ``dropped``: lines HTCondor never reads (after a
    TRANSFORM line). ``valid`` is False when HTCondor refuses the whole transform when
    loading it (an unparsable REQUIREMENTS).
    """

    source: TransformSource
    name: str
    statements: list[Statement] = field(default_factory=list)
    requirements: Piece | None = None
    universe: Piece | None = None
    iterate: Piece | None = None
    iteration: Iteration | None = None
    dropped: list[Piece] = field(default_factory=list)
    errors: list[TransformError] = field(default_factory=list)
    valid: bool = True
    #: NAME, REQUIREMENTS, UNIVERSE and TRANSFORM lines as written (HTCondor takes them out
    #: before running the transform, wherever they are, even inside an `if` block)
    envelope: list[Statement] = field(default_factory=list)

    def walk(self) -> Iterator[Statement]:
        """Every statement, depth first, ``if`` blocks and their bodies included."""
        yield from walk(self.statements)

    def location(self, offset: int) -> tuple[str | None, int | None]:
        """(file, file offset) of a character of the transform text."""
        origin = self.source.origin(offset)
        if origin is None:
            return None, None
        return origin.file, origin.offset


def walk(statements: list[Statement]) -> Iterator[Statement]:
    for stmt in statements:
        yield stmt
        if isinstance(stmt, IfBlock):
            for branch in stmt.branches:
                yield from walk(branch.body)


@dataclass
class EnvelopeLine(Statement):
    """A NAME, REQUIREMENTS, UNIVERSE or TRANSFORM line (see :attr:`Transform.envelope`)."""

    keyword: Literal["NAME", "REQUIREMENTS", "UNIVERSE", "TRANSFORM"]
    argument: Piece
