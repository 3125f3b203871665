"""Classify HTCondor config logical lines into typed statements (reference section 1.2).

Every statement keeps the logical line it came from, so its name and value map back to
file offsets. Errors do not stop the parse: each bad line becomes a :class:`ConfigError`
with its position and what HTCondor expects, and the rest of the file is still read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from classadlint.config.reader import LogicalLine, ReaderIssue, read_logical_lines

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


def _error(line: LogicalLine, i: int, text: str, message: str, code: str = "CA101") -> ConfigError:
    offset = line.file_offset(i)
    before = text[:offset]
    return ConfigError(line.line, offset - (before.rfind("\n") + 1) + 1, offset, message, code)


def parse_config(text: str, path: str = "<config>") -> ConfigFile:
    """Parse a config file into statements, collecting every syntax error."""
    lines, issues = read_logical_lines(text)
    statements: list[Statement] = []
    errors: list[ConfigError] = []
    heredoc: Assignment | None = None
    for ll in lines:
        body = ll.text.strip()
        if heredoc is not None:
            if body == "@" + heredoc.heredoc_tag:  # type: ignore[operator]
                heredoc.value = "\n".join(b.text for b in heredoc.body)
                heredoc = None
            else:
                heredoc.body.append(ll)
            continue
        stmt = _classify(ll, text, errors)
        if stmt is None:
            continue
        if isinstance(stmt, Assignment) and stmt.heredoc_tag is not None:
            heredoc = stmt
        statements.append(stmt)
    if heredoc is not None:
        errors.append(
            _error(
                heredoc.line,
                heredoc.name_start,
                text,
                f"`{heredoc.name} @={heredoc.heredoc_tag}` is never closed: HTCondor reads to "
                f"the end of the file looking for a line `@{heredoc.heredoc_tag}`",
                "CA102",
            )
        )
    return ConfigFile(path, text, statements, errors, issues)


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
