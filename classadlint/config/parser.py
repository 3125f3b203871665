"""Classify HTCondor config logical lines into typed statements (reference section 1.2).

Every statement keeps the logical line it came from, so its name and value map back to
file offsets. Errors do not stop the parse: each bad line becomes a :class:`ConfigError`
with its position and what HTCondor expects, and the rest of the file is still read.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from classadlint.config.reader import LogicalLine, ReaderIssue, logical_lines

_NAME_CHARS = re.compile(r"[A-Za-z0-9_./]+\Z")
_OPERATOR = re.compile(r"(?P<op>=|:|@=|\+(?:[,;|&*]{1,2})?=)")
_KEYWORDS = ("include", "use", "error", "warning")


@dataclass
class Statement:
    line: LogicalLine

    @property
    def lineno(self) -> int:
        return self.line.line


@dataclass
class Assignment(Statement):
    """``NAME op value``; ``op`` is ``=``, ``:`` (obsolete), ``+=``/``+,=``/… or ``@=``."""

    name: str
    op: str
    value: str
    name_start: int  # offsets into line.text
    value_start: int
    heredoc_tag: str | None = None
    #: For a heredoc: the body's logical lines (value is their texts joined by "\n").
    body: list[LogicalLine] = field(default_factory=list)
    ignored_words: str = ""  # `FOO bar = x`: "bar" is silently dropped by HTCondor


@dataclass
class Keyword(Statement):
    """``include``/``use``/``error``/``warning`` ``[options] : argument``."""

    keyword: str
    options: str
    argument: str
    argument_start: int


@dataclass
class Conditional(Statement):
    """``if``/``elif``/``else``/``endif`` with its condition text."""

    keyword: str
    condition: str
    condition_start: int
    trailing: str = ""  # text after else/endif, which HTCondor ignores ("else if x")


@dataclass
class Section(Statement):
    """An INI-style ``[Header]`` line, which HTCondor ignores."""


@dataclass
class ConfigError:
    """A line HTCondor refuses: ``offset`` is into the file."""

    line: int
    col: int
    offset: int
    message: str
    code: str = "CA101"


@dataclass
class ConfigFile:
    path: str
    text: str
    statements: list[Statement]
    errors: list[ConfigError]
    reader_issues: list[ReaderIssue]
    #: How the parse went, for :func:`reparse` (not part of what the file means): where
    #: each statement's logical line starts (file offset of its first physical line, and
    #: the reader's state there), and whether a heredoc was left open at the end.
    starts: list[tuple[int, bool]] = field(default_factory=list, repr=False, compare=False)
    unclosed: bool = field(default=False, repr=False, compare=False)


def _error(line: LogicalLine, i: int, text: str, message: str, code: str = "CA101") -> ConfigError:
    offset = line.file_offset(i)
    before = text[:offset]
    return ConfigError(line.line, offset - (before.rfind("\n") + 1) + 1, offset, message, code)


def parse_config(text: str, path: str = "<config>") -> ConfigFile:
    """Parse a config file into statements, collecting every syntax error."""
    out = ConfigFile(path, text, [], [], [])
    _parse(out, text.splitlines(keepends=True), 0, 0, False)
    return out


def _parse(
    out: ConfigFile,
    physical: list[str],
    pos: int,
    first: int,
    old_comments: bool,
    resync: Callable[[LogicalLine, int, bool], bool] | None = None,
) -> LogicalLine | None:
    """Read ``physical`` lines (see :func:`~classadlint.config.reader.logical_lines`) into
    ``out``. ``resync`` is asked at each logical line that starts a statement (no heredoc
    open): when it says yes, the parse stops before that line and returns it."""
    text = out.text
    statements, errors, starts = out.statements, out.errors, out.starts
    heredoc: Assignment | None = None
    for ll, start, state in logical_lines(physical, pos, first, old_comments, out.reader_issues):
        if heredoc is not None:
            body = ll.text.strip()
            if body == "@" + heredoc.heredoc_tag:  # type: ignore[operator]
                heredoc.value = "\n".join(b.text for b in heredoc.body)
                heredoc = None
            else:
                heredoc.body.append(ll)
            continue
        if resync is not None and resync(ll, start, state):
            return ll
        stmt = _classify(ll, text, errors)
        if stmt is None:
            continue
        if isinstance(stmt, Assignment) and stmt.heredoc_tag is not None:
            heredoc = stmt
        statements.append(stmt)
        starts.append((start, state))
    if heredoc is not None:
        out.unclosed = True
        errors.append(_unclosed(heredoc, text))
    return None


def _unclosed(heredoc: Assignment, text: str) -> ConfigError:
    return _error(
        heredoc.line,
        heredoc.name_start,
        text,
        f"`{heredoc.name} @={heredoc.heredoc_tag}` is never closed: HTCondor reads to "
        f"the end of the file looking for a line `@{heredoc.heredoc_tag}`",
        "CA102",
    )


def reparse(old: ConfigFile, text: str) -> ConfigFile:
    """``parse_config(text, old.path)``, made from ``old`` (the parse of an earlier text of
    the same file) by parsing again only the lines around what changed.

    An edit changes the characters between a common prefix and a common suffix. Lines are
    read again from the start of the last statement that begins before the change (the
    reader and the parser are in a known state there: no heredoc open, the comment mode
    recorded), and only until a statement begins in the unchanged suffix at a place where
    the old parse also began one in the same state. From there on the old parse holds, moved
    by the change in length and in line count: its statements, errors and reader issues
    are copied with their positions shifted, and the statements before the restart are
    shared as they are. ``tests/test_config_incremental.py`` checks this against a full
    parse on random edits.
    """
    if not old.starts or old.text == text:
        return parse_config(text, old.path)
    prefix, suffix = common_ends(old.text, text)
    delta = len(text) - len(old.text)
    changed_new = len(text) - suffix  # end of the changed characters in the new text
    # restart: the last statement whose line starts before the first changed character
    # (strictly: "\r" then an inserted "\n" is one line break, so a line that started
    # right at the change may not start there any more)
    k = bisect.bisect_left(old.starts, (prefix, False)) - 1
    out = ConfigFile(old.path, text, [], [], [])
    if k < 0:
        pos, first, state = 0, 0, False
    else:
        stmt = old.statements[k]
        pos, state = old.starts[k]
        first = stmt.lineno - 1
        out.statements = old.statements[:k]
        out.starts = old.starts[:k]
        out.errors = [e for e in old.errors if e.line < stmt.lineno]
        out.reader_issues = [i for i in old.reader_issues if i.line < stmt.lineno]
    # (a heredoc left open at the end starts at or after the restart: its error is not kept)
    found: list[int] = []

    def resync(ll: LogicalLine, start: int, now: bool) -> bool:
        if start < changed_new:  # not yet in the unchanged suffix
            return False
        j = bisect.bisect_left(old.starts, (start - delta, False))
        while j < len(old.starts) and old.starts[j][0] == start - delta:
            if old.starts[j][1] == now:
                found.append(j)
                return True
            j += 1
        return False

    physical = text[pos:].splitlines(keepends=True)
    at = _parse(out, physical, pos, first, state, resync)
    if at is None:
        return out
    # the old parse from statement j on, moved
    j = found[0]
    old_line = old.statements[j].lineno
    lines = at.line - old_line
    while out.reader_issues and out.reader_issues[-1].line >= at.line:
        out.reader_issues.pop()  # the resync line's own: they come again from the old parse
    out.statements += [_moved(st, lines, delta) for st in old.statements[j:]]
    out.starts += [(s + delta, state) for s, state in old.starts[j:]]
    tail = [e for e in old.errors if e.line >= old_line]
    if old.unclosed:
        tail.pop()
        out.unclosed = True
    for e in tail:  # the column counts from the last "\n", which may be before the resync
        offset = e.offset + delta
        col = offset - text.rfind("\n", 0, offset)
        out.errors.append(ConfigError(e.line + lines, col, offset, e.message, e.code))
    if old.unclosed:
        last = out.statements[-1]
        assert isinstance(last, Assignment) and last.heredoc_tag is not None
        out.errors.append(_unclosed(last, text))
    out.reader_issues += [
        ReaderIssue(i.line + lines, i.offset + delta, i.message)
        for i in old.reader_issues
        if i.line >= old_line
    ]
    return out


def _moved_line(ll: LogicalLine, lines: int, delta: int) -> LogicalLine:
    return LogicalLine(
        ll.text,
        ll.line + lines,
        ll.end_line + lines,
        [(start, file_start + delta, n) for start, file_start, n in ll.segments],
    )


def _moved(stmt: Statement, lines: int, delta: int) -> Statement:
    """A copy of ``stmt`` whose logical line (and heredoc body) moved."""
    moved = object.__new__(type(stmt))
    moved.__dict__.update(stmt.__dict__)
    moved.line = _moved_line(stmt.line, lines, delta)
    if isinstance(stmt, Assignment) and stmt.body:
        assert isinstance(moved, Assignment)
        moved.body = [_moved_line(b, lines, delta) for b in stmt.body]
    return moved


def common_ends(old: str, new: str) -> tuple[int, int]:
    """Lengths of the longest common prefix and suffix (not overlapping), by bisection on
    slices: C-speed comparisons, so cheap on a 5,000-line file."""
    limit = min(len(old), len(new))
    lo, hi = 0, limit
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if old[:mid] == new[:mid]:
            lo = mid
        else:
            hi = mid - 1
    prefix = lo
    lo, hi = 0, limit - prefix
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if old[len(old) - mid :] == new[len(new) - mid :]:
            lo = mid
        else:
            hi = mid - 1
    return prefix, lo


def _classify(ll: LogicalLine, text: str, errors: list[ConfigError]) -> Statement | None:
    line = ll.text
    body = line.lstrip()
    lead = len(line) - len(body)
    if body.startswith(":"):
        body = body[1:]
        lead += 1
    word_match = re.match(r"[A-Za-z]+", body)
    word = word_match.group(0).lower() if word_match else ""
    if word in ("if", "elif", "else", "endif") and (
        len(body) == len(word) or body[len(word)].isspace()
    ):
        rest = body[len(word) :]
        cond = rest.strip()
        cond_start = lead + len(word) + (len(rest) - len(rest.lstrip()))
        if word in ("else", "endif"):
            return Conditional(ll, word, "", cond_start, trailing=cond)
        if not cond:
            errors.append(_error(ll, lead, text, f"`{word}` needs a condition"))
            return None
        return Conditional(ll, word, cond, cond_start)
    # name: up to the first whitespace, '=' or ':'
    m = re.match(r"[^\s=:]*", body)
    name = m.group(0) if m else ""
    pos = len(name)
    rest = body[pos:]
    ignored = ""
    if rest[:1].isspace():
        stripped = rest.lstrip()
        pos += len(rest) - len(stripped)
        rest = stripped
        # words before the operator are silently dropped by HTCondor (`FOO bar = x`)
        words = re.match(r"[^=:@+]*", rest)
        if words and words.group(0).strip() and not rest.startswith(("=", ":", "@=", "+")):
            ignored = words.group(0).strip()
            pos += len(words.group(0))
            rest = rest[len(words.group(0)) :]
    op_match = _OPERATOR.match(rest)
    if name.lower().lstrip("@") in _KEYWORDS and (op_match is None or op_match.group("op") != "="):
        colon = body.find(":")
        if colon < 0:
            errors.append(_error(ll, lead, text, f"`{name}` needs a `:` before its argument"))
            return None
        options = body[len(name) : colon].strip()
        arg = body[colon + 1 :]
        arg_start = lead + colon + 1 + (len(arg) - len(arg.lstrip()))
        return Keyword(ll, name.lower().lstrip("@"), options, arg.strip(), arg_start)
    if op_match is None:
        if body.startswith("[") and not any(c.isspace() for c in body):
            return Section(ll)
        if name.lower() == "require_version":
            message = (
                "`require_version` does not exist in HTCondor: use `if version < X.Y` / "
                "`error : needs HTCondor X.Y` / `endif`"
            )
        elif body.startswith("["):
            message = (
                "a `[Section]` header may not contain spaces: HTCondor reads "
                f"`{name}` as a knob name with no `=`"
            )
        elif ignored:
            message = f"no `=` after `{name} {ignored}`: expected `NAME = value`"
        else:
            message = f"`{body[:40]}` is not a statement: expected `NAME = value`"
        errors.append(_error(ll, lead, text, message))
        return None
    op = op_match.group("op")
    after = rest[op_match.end() :]
    value_start = lead + pos + op_match.end() + (len(after) - len(after.lstrip()))
    value = after.strip()
    tag = None
    if op == "@=":
        tag = value
        if not tag or not re.match(r"\S+\Z", tag):
            errors.append(_error(ll, lead + pos, text, "`@=` must be followed by a tag word"))
            return None
        value = ""
    if not name or not _NAME_CHARS.match(re.sub(r"\$\([^)]*\)", "X", name)):
        errors.append(
            _error(
                ll,
                lead,
                text,
                f"illegal knob name `{name}`: only letters, digits, `_`, `.` and `/`",
            )
        )
        return None
    return Assignment(ll, name, op, value, lead, value_start, tag, ignored_words=ignored)
