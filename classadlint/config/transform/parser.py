"""Read native transforms as HTCondor reads them.

Three readers of HTCondor meet here, and this module follows each (xform_utils.cpp,
config.cpp):

* loading (``MacroStreamXFormSource::open``/``load``): NAME, REQUIREMENTS, UNIVERSE and
  TRANSFORM lines are taken out wherever they are (inside an ``if`` block too);
  REQUIREMENTS must parse as an old-syntax ClassAd expression as written (no macro
  expansion) or the whole transform is dropped; reading stops at a TRANSFORM line;
* the line classifier (``Parse_macros`` in submit mode): comments, ``name @=tag``
  blocks, ``if``/``elif``/``else``/``endif``, ``name = value`` macros, ``+Attr = value``,
  and every other line handed to the statement reader;
* the statement reader (``ParseRulesCallback``): keyword, first argument (an attribute
  name or, for COPY/RENAME/DELETE, a ``/regex/``), optional ``=``/``,``, and the rest of
  the line as the value. The words are read with ``grammar/transform.lark``.

Nothing is evaluated here: values are macro-expanded and parsed when the transform runs
(:mod:`classadlint.config.transform.apply`) or when the linter checks them with the
values the configuration gives (:mod:`classadlint.project`). Every defect is reported
with its position and the transform is still read to the end, so one run shows them all.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Literal, NamedTuple

from lark import Lark, Token
from lark.exceptions import LarkError

from classadlint.classad.errors import ClassAdSyntaxError
from classadlint.classad.parser import ParseOptions, parse_expr
from classadlint.config.model import Entry, Origin
from classadlint.config.reader import read_logical_lines
from classadlint.config.transform.ast import (
    BadStatement,
    Branch,
    ConfigKeyword,
    CopyAttr,
    DeleteAttr,
    EnvelopeLine,
    EvalMacro,
    IfBlock,
    Iteration,
    MacroAssign,
    Piece,
    Regex,
    SetAttr,
    SourceKind,
    Statement,
    Transform,
    TransformError,
    TransformSource,
)
from classadlint.config.typed_values import long_param
from classadlint.resources import grammar_text

#: keyword -> (number of arguments, first argument may be a /regex/)
KEYWORDS: dict[str, tuple[int, bool]] = {
    "COPY": (2, True),
    "DEFAULT": (2, False),
    "DELETE": (1, True),
    "EVALMACRO": (2, False),
    "EVALSET": (2, False),
    "NAME": (0, False),
    "RENAME": (2, True),
    "REQUIREMENTS": (0, False),
    "SET": (2, False),
    "TRANSFORM": (0, False),
    "UNIVERSE": (1, False),
}
ENVELOPE = ("NAME", "REQUIREMENTS", "UNIVERSE", "TRANSFORM")
_REGEX_FLAGS = set("gmiU")
_ID_CHARS = re.compile(r"[A-Za-z0-9_./]+\Z")


@cache
def _lark() -> Lark:
    return Lark(
        grammar_text("transform.lark"),
        parser="lalr",
        lexer="contextual",
        start=["statement", "regex_statement"],
        cache=True,
    )


class Word(NamedTuple):
    """One word of a statement: its terminal (WORD, DQUOTED, SQUOTED, REGEX), text as
    written and offsets in the line."""

    type: str
    text: str
    start_pos: int
    end_pos: int

    def __str__(self) -> str:
        return self.text


def words(line: str, regex_first_argument: bool) -> list[Word]:
    """The words of a statement line, per transform.lark."""
    start = "regex_statement" if regex_first_argument else "statement"
    try:
        tree = _lark().parse(line, start=start)
    except LarkError:
        if regex_first_argument:  # e.g. a single word: no room for a regex
            return words(line, False)
        raise
    return [
        Word(t.type, str(t), t.start_pos or 0, t.end_pos or 0)
        for t in tree.children
        if isinstance(t, Token)
    ]


# --- sources ------------------------------------------------------------------------------


def source_from_entry(entry: Entry) -> TransformSource:
    """A transform knob's value as the schedd reads it (``param_unexpanded``: config
    macros are NOT expanded when the transform is loaded), leading white space skipped."""
    text = entry.value
    lead = len(text) - len(text.lstrip())
    return TransformSource(entry.name, text[lead:], list(entry.origins[lead:]), "knob")


def source_from_file(path: str, text: str) -> TransformSource:
    """A rules file as ``condor_transform_ads`` reads it: the config line reader's logical
    lines (trimmed, ``\\``-continued, comment lines dropped), joined by newlines."""
    lines, _ = read_logical_lines(text)
    body = ""
    origins: list[Origin] = []
    for k, ll in enumerate(lines):
        if k:
            body += "\n"
            origins.append(Origin(path, ll.file_offset(0) - 1 if ll.segments else None))
        body += ll.text
        origins.extend(Origin(path, o) for o in ll.file_offsets(0, len(ll.text)))
    return TransformSource(path, body, origins, "file")


# --- the whole transform ------------------------------------------------------------------


def parse_transform(source: TransformSource, name: str | None = None) -> Transform:
    """Parse a transform; ``name`` is the name it is listed under (JOB_TRANSFORM_NAMES)."""
    transform = Transform(source, name or "")
    lines = _split_lines(source.text, source.kind)
    kept = _take_envelope(transform, lines, name_given=name is not None)
    _Reader(transform).read(kept)
    if transform.requirements is not None:
        _check_requirements(transform)
    return transform


def _split_lines(text: str, kind: SourceKind) -> list[tuple[int, str]]:
    """(offset, text) of each line. A knob's value is split at CR and LF with empty lines
    dropped (StringTokenIterator over "\\r\\n"); a file's logical lines are already one
    per newline."""
    out: list[tuple[int, str]] = []
    for m in re.finditer(r"[^\r\n]+" if kind != "file" else r"[^\n]+", text):
        out.append((m.start(), m.group(0)))
    return out


def _envelope_keyword(line: str) -> tuple[str, int] | None:
    """``is_xform_statement``: the line (after spaces and tabs) starts with NAME,
    REQUIREMENTS, UNIVERSE or TRANSFORM followed by white space, and the next non-space
    character is not ``=`` or ``:``. Returns the keyword and where its arguments start."""
    stripped = line.lstrip(" \t")
    lead = len(line) - len(stripped)
    for kw in ENVELOPE:
        n = len(kw)
        if stripped[:n].upper() == kw and len(stripped) > n and stripped[n].isspace():
            rest = stripped[n:]
            args = n + len(rest) - len(rest.lstrip())
            if stripped[args : args + 1] in ("=", ":"):
                return None
            return kw, lead + args
    return None


def _is_heredoc_opener(line: str) -> str | None:
    """``is_herefile_statement``: ``name @=tag`` -> ``@tag`` (the terminator line)."""
    m = re.match(r"\s*[^\s=]*\s*@=(\S)", line)
    if m is None:
        return None
    tag = line[m.start(1) :].strip()
    return "@" + tag


def _take_envelope(
    transform: Transform, lines: list[tuple[int, str]], *, name_given: bool
) -> list[tuple[int, str]]:
    """Take NAME, REQUIREMENTS, UNIVERSE and TRANSFORM lines out, as loading does.

    A knob (``open(text)``) takes them out everywhere, heredoc bodies included, and stops
    reading at a TRANSFORM line; a file (``load`` + ``open(lines)``) stops reading at the
    first TRANSFORM line and leaves heredoc bodies alone. A NAME from a knob does not
    replace the name the transform is listed under; a file's NAME does.
    """
    src = transform.source
    kept: list[tuple[int, str]] = []
    here_end: str | None = None
    for index, (offset, line) in enumerate(lines):
        if src.kind == "file":
            if here_end is not None:
                if line.strip() == here_end:
                    here_end = None
                kept.append((offset, line))
                continue
            opener = _is_heredoc_opener(line)
            if opener is not None:
                here_end = opener
                kept.append((offset, line))
                continue
        found = _envelope_keyword(line)
        if found is None:
            kept.append((offset, line))
            continue
        kw, args_at = found
        arg_text = line[args_at:]
        arg = Piece(arg_text, offset + args_at, offset + len(line))
        lineno = src.text.count("\n", 0, offset) + 1
        whole = Piece(line, offset, offset + len(line))
        transform.envelope.append(EnvelopeLine(lineno, whole, kw, arg))  # type: ignore[arg-type]
        if kw == "NAME":
            value = arg_text.strip()
            if value and (src.kind == "file" or not (name_given or transform.name)):
                transform.name = value
        elif kw == "REQUIREMENTS":
            transform.requirements = arg
        elif kw == "UNIVERSE":
            transform.universe = arg
        else:  # TRANSFORM: reading stops here
            if transform.iterate is None and _non_trivial_iterate(arg_text):
                transform.iterate = arg
                parsed = parse_iteration(arg_text)
                if isinstance(parsed, str):
                    transform.errors.append(
                        TransformError(arg.start, arg.end, f"invalid TRANSFORM arguments: {parsed}")
                    )
                else:
                    transform.iteration = parsed
            rest = lines[index + 1 :]
            it = transform.iteration
            if src.kind == "file" and it is not None and it.items_file == "<":
                # the list continues on the following lines, up to a line starting with `)`
                for k, (_o, t) in enumerate(rest):
                    if t.startswith(")"):
                        rest = rest[k + 1 :]
                        it.items_file = None
                        break
                    if it.mode == "from":
                        it.items.append(t)
                    else:
                        it.items.extend(_items(t))
                else:
                    rest = []
                    transform.errors.append(
                        TransformError(
                            arg.start,
                            arg.end,
                            "the TRANSFORM item list is never closed: HTCondor wants a line "
                            "starting with `)` after the items",
                            "CA102",
                        )
                    )
            if rest:
                transform.dropped = [Piece(t, o, o + len(t)) for o, t in rest]
                first = rest[0][0]
                transform.errors.append(
                    TransformError(
                        first,
                        first + len(rest[0][1]),
                        "never read: HTCondor stops reading a transform at its TRANSFORM line "
                        f"(line {lineno}); move TRANSFORM to the end",
                    )
                )
            break
    return kept


def _non_trivial_iterate(args: str) -> bool:
    """``is_non_trivial_iterate``: anything but nothing, ``0`` or ``1`` alone."""
    m = re.match(r"\s*([+-]?\d*)", args)
    number = m.group(1) if m else ""
    try:
        value = int(number) if number not in ("", "+", "-") else 0
    except ValueError:
        value = 0
    if value not in (0, 1):
        return True
    return bool(args[m.end() if m else 0 :].strip())


def _check_requirements(transform: Transform) -> None:
    req = transform.requirements
    assert req is not None
    try:
        parse_expr(req.text, ParseOptions(strings="old"))
    except ClassAdSyntaxError as exc:
        transform.valid = False
        transform.errors.append(
            TransformError(
                req.start + exc.span.start,
                req.start + max(exc.span.end, exc.span.start + 1),
                f"REQUIREMENTS: {exc.message} (HTCondor ignores this whole transform: its "
                "REQUIREMENTS are read as written, $(...) is not expanded there)",
                "CA103",
            )
        )


# --- the statements -----------------------------------------------------------------------


class _Reader:
    """The line classifier (Parse_macros in submit mode) building the statement list."""

    def __init__(self, transform: Transform) -> None:
        self.t = transform
        self.text = transform.source.text
        self.body: list[Statement] = transform.statements
        self.blocks: list[tuple[IfBlock, list[Statement]]] = []  # open ifs, outer bodies

    def lineno(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1

    def error(self, start: int, end: int, message: str, code: str = "CA101") -> None:
        self.t.errors.append(TransformError(start, max(end, start + 1), message, code))

    def read(self, lines: list[tuple[int, str]]) -> None:
        heredoc: tuple[MacroAssign, str, list[tuple[int, str]]] | None = None
        for offset, line in lines:
            if heredoc is not None:
                stmt, tag, body = heredoc
                if line[:1] == "@" and line[1:] == tag:
                    self._close_heredoc(stmt, body)
                    heredoc = None
                else:
                    body.append((offset, line))
                continue
            if not line.strip() or line[0] == "#":
                continue
            text, off = line, offset
            if text[0] == ":" and (self.blocks or re.match(r":if(\s|$)", text, re.I) is not None):
                text, off = text[1:], off + 1
                if not text.strip():
                    continue  # a lone `:` inside a block is an empty line
            if self._conditional(text, off):
                continue
            result = self._statement(text, off)
            if isinstance(result, MacroAssign) and result.heredoc_tag is not None:
                self.body.append(result)
                heredoc = (result, result.heredoc_tag, [])
            elif result is not None:
                self.body.append(result)
        end = Piece("", len(self.text), len(self.text))
        if heredoc is not None:
            stmt = heredoc[0]
            msg = (
                f"`{stmt.name.text} @={stmt.heredoc_tag}` is never closed: HTCondor reads to "
                f"the end of the transform looking for a line `@{stmt.heredoc_tag}` and then "
                "fails it"
            )
            self.error(stmt.piece.start, stmt.piece.end, msg, "CA102")
            self._close_heredoc(stmt, heredoc[2])
            self.t.statements.append(BadStatement(self.lineno(end.start), end, msg))
        for block, _outer in self.blocks:
            msg = "`if` without `endif`: HTCondor fails the transform at its end"
            self.error(block.piece.start, block.piece.end, msg, "CA102")
            block.closed = False
        if self.blocks:
            self.t.statements.append(BadStatement(self.lineno(end.start), end, msg))

    def _close_heredoc(self, stmt: MacroAssign, body: list[tuple[int, str]]) -> None:
        if body:
            start, end = body[0][0], body[-1][0] + len(body[-1][1])
            stmt.value = Piece("\n".join(t for _, t in body), start, end)
        else:
            stmt.value = Piece("", stmt.piece.end, stmt.piece.end)

    # if / elif / else / endif (ConfigIfStack::line_is_if)
    def _conditional(self, text: str, off: int) -> bool:
        m = re.match(r"(if|elif|else|endif)(\s|$)", text, re.I)
        if m is None:
            return False
        kw = m.group(1).lower()
        rest = text[m.end(1) :]
        cond_at = m.end(1) + len(rest) - len(rest.lstrip())
        condition = Piece(text[cond_at:].rstrip(), off + cond_at, off + len(text.rstrip()))
        whole = Piece(text, off, off + len(text))
        line = self.lineno(off)
        if kw == "if":
            block = IfBlock(line, whole, [Branch("if", condition, line)])
            self.body.append(block)
            self.blocks.append((block, self.body))
            self.body = block.branches[-1].body
            return True
        if not self.blocks:
            msg = f"`{kw}` without a matching `if`: HTCondor fails the transform here"
            self.error(off, off + len(text), msg)
            self.body.append(BadStatement(line, whole, msg))
            return True
        block, outer = self.blocks[-1]
        if kw == "endif":
            self.blocks.pop()
            self.body = outer
            return True
        if block.branches[-1].keyword == "else":
            msg = f"`{kw}` after `else`: HTCondor fails the transform here"
            self.error(off, off + len(text), msg)
            self.body.append(BadStatement(line, whole, msg))
            return True
        if kw == "elif":
            block.branches.append(Branch("elif", condition, line))
        else:
            block.branches.append(Branch("else", None, line))
        self.body = block.branches[-1].body
        return True

    # name/operator/value (Parse_macros), then ParseRulesCallback for statements
    def _statement(self, text: str, off: int) -> Statement | None:
        n = len(text)
        i = 0
        while i < n and not (text[i].isspace() or text[i] in "=:"):
            i += 1
        whole = Piece(text, off, off + n)
        line = self.lineno(off)
        if i == n:  # a word alone
            return self._keyword_statement(text, off)
        name = text[:i]
        op: str | None = text[i]
        word_before_op = False
        j = i + 1
        if op not in ("=", ":"):
            while j < n and text[j].isspace():
                j += 1
            if j < n and text[j] not in "=:@+":
                word_before_op = True
            while j < n and text[j] not in "=:@+":
                j += 1
            if j < n:
                op = text[j]
                j += 1
                if op == "@":
                    if j < n and text[j] == "=":
                        op, j = "@=", j + 1
                    else:
                        op = None
                elif op == "+":
                    sep = ""
                    if j < n and text[j] in ",;|&*":
                        sep = text[j]
                        j += 1
                        if j < n and text[j] == sep:
                            sep += sep
                            j += 1
                    if j < n and text[j] == "=":
                        op, j = "+" + sep + "=", j + 1
                    else:
                        op = None
            else:
                op = None
        while j < n and text[j].isspace():
            j += 1
        value = Piece(text[j:], off + j, off + n)
        bare = name[1:] if name.startswith("@") else name
        if op == ":" and bare.lower() in ("include", "use", "error", "warning"):
            return ConfigKeyword(line, whole, bare.lower(), value)
        if word_before_op or (op not in ("=", "@=") and not (op or "").startswith("+")):
            return self._keyword_statement(text, off)
        if name.lower() == "queue":
            return self._keyword_statement(text, off)
        name_piece = Piece(name, off, off + i)
        if op == "=" and name[:1] in ("+", "-"):
            return MacroAssign(line, whole, name_piece, op, value)
        checked = re.sub(r"\$\([^)]*\)", "X", name)
        if not name or not _ID_CHARS.match(checked):
            msg = (
                f"illegal name `{name}`: a transform line is `NAME = value`, "
                "a statement (SET, DEFAULT, EVALSET, EVALMACRO, COPY, RENAME, DELETE) or "
                "an `if`; HTCondor fails the transform here"
            )
            self.error(off, off + i, msg)
            return BadStatement(line, whole, msg)
        assert op is not None
        if op == "@=":
            tag = value.text
            return MacroAssign(line, whole, name_piece, op, Piece("", value.end, value.end), tag)
        return MacroAssign(line, whole, name_piece, op, value)

    def _keyword_statement(self, text: str, off: int) -> Statement:
        """ParseRulesCallback: a keyword and its arguments."""
        line = self.lineno(off)
        whole = Piece(text, off, off + len(text))
        first = re.match(r"[ \t\r\n]*([^ \t\r\n]+)", text)
        keyword = first.group(1).upper() if first else ""
        spec = KEYWORDS.get(keyword)
        if spec is None:
            toks = words(text, False)
            shown = _content(toks[0]) if toks else text
            return self._bad(
                whole,
                line,
                f"`{shown}` is not a transform keyword (SET, DEFAULT, EVALSET, EVALMACRO, "
                "COPY, RENAME, DELETE, NAME, REQUIREMENTS, UNIVERSE, TRANSFORM): HTCondor "
                "fails the transform here",
                toks[0].start_pos if toks else 0,
                toks[0].end_pos if toks else len(text),
            )
        nargs, regex_ok = spec
        toks = words(text, regex_ok)
        if len(toks) < 2:
            if keyword == "TRANSFORM":
                return EnvelopeLine(line, whole, "TRANSFORM", Piece("", whole.end, whole.end))
            return self._bad(
                whole,
                line,
                f"{keyword} needs {'an argument' if nargs < 2 else '2 arguments'} "
                f"(`{keyword} ...` alone): HTCondor fails the transform here",
                0,
                len(text),
            )
        arg = toks[1]
        regex: Regex | None = None
        if regex_ok and arg.type == "REGEX":
            body_end = str(arg).index("/", 1)
            flags = str(arg)[body_end + 1 :]
            piece = Piece(str(arg), off + arg.start_pos, off + arg.end_pos)
            if set(flags) - _REGEX_FLAGS:
                return self._bad(
                    whole,
                    line,
                    f"invalid regex `{arg}`: after the closing `/` only the flags g, m, i, U "
                    "may follow: HTCondor fails the transform here",
                    arg.start_pos,
                    arg.end_pos,
                )
            pattern = str(arg)[1:body_end]
            problem = _regex_problem(pattern)
            if problem is not None:
                self.error(
                    off + arg.start_pos,
                    off + arg.end_pos,
                    f"regex `{pattern}` does not compile ({problem}): HTCondor skips this "
                    "statement",
                )
            regex = Regex(pattern, flags, piece)
            attr = Piece(pattern, off + arg.start_pos + 1, off + arg.start_pos + 1 + len(pattern))
        else:
            content = _content(arg)
            start = off + arg.start_pos + (1 if arg.type in ("DQUOTED", "SQUOTED") else 0)
            if content[-1:] in (",", "="):
                # `SET A= 1`: HTCondor overwrites the `=` with a NUL byte but keeps the
                # string's length, so the attribute is stored as "A\0": a different
                # attribute from `A` for expressions, COPY, DELETE and DEFAULT, found as
                # `A` only by $(MY.A); the schedd then writes it to the job as `A`
                attr = Piece(content[:-1] + "\0", start, start + len(content))
                self.error(
                    start,
                    start + len(content),
                    f"`{content}`: a `{content[-1]}` against the attribute name makes HTCondor "
                    f"store the value under `{content[:-1]}` plus a NUL byte, an attribute "
                    f"the rest of the transform does not see as `{content[:-1]}`; put a space "
                    f"before the `{content[-1]}`",
                )
            else:
                attr = Piece(content, start, start + len(content))
        cur = 1
        if nargs == 2:
            if len(toks) < 3:
                return self._bad(
                    whole,
                    line,
                    f"{keyword} needs 2 arguments: HTCondor fails the transform here",
                    arg.start_pos,
                    arg.end_pos,
                )
            cur = 2
            if _content(toks[2]) in ("=", ","):
                if len(toks) < 4:
                    return self._bad(
                        whole,
                        line,
                        f"{keyword} needs 2 arguments: HTCondor fails the transform here",
                        toks[2].start_pos,
                        toks[2].end_pos,
                    )
                cur = 3
        at = toks[cur].start_pos  # the rest of the line from here, opening quote included
        value = Piece(text[at:], off + at, off + len(text))
        if keyword in ENVELOPE:
            # reached only when loading did not take the line out (e.g. `NAME=x` forms)
            return EnvelopeLine(line, whole, keyword, value)  # type: ignore[arg-type]
        if keyword in ("SET", "DEFAULT", "EVALSET"):
            return SetAttr(line, whole, keyword, attr, value)  # type: ignore[arg-type]
        if keyword == "EVALMACRO":
            return EvalMacro(line, whole, attr, value)
        if keyword in ("COPY", "RENAME"):
            return CopyAttr(line, whole, keyword, attr, regex, value)  # type: ignore[arg-type]
        if keyword == "DELETE":
            return DeleteAttr(line, whole, attr, regex)
        return EnvelopeLine(line, whole, "UNIVERSE", value)

    def _bad(self, whole: Piece, line: int, message: str, start: int, end: int) -> BadStatement:
        self.error(whole.start + start, whole.start + end, message)
        return BadStatement(line, whole, message)


def _content(tok: Word) -> str:
    """A word without its quotes (the tokener's view)."""
    s = str(tok)
    if tok.type in ("DQUOTED", "SQUOTED"):
        return s[1:-1] if len(s) > 1 and s[-1] == s[0] else s[1:]
    return s


def _regex_problem(pattern: str) -> str | None:
    """Why PCRE2 would refuse the pattern, judged by Python's re (close enough for the
    common mistakes: unbalanced parentheses, a dangling quantifier)."""
    try:
        re.compile(pattern)
    except re.error as exc:
        return str(exc)
    return None


# --- TRANSFORM arguments (submit queue syntax, SubmitForeachArgs::parse_queue_args) --------


def parse_iteration(args: str) -> Iteration | str:
    """The arguments of a TRANSFORM line, or why HTCondor refuses them.

    ``[count] [vars] [in|from|matching [files|dirs|any|table] [slice]] items``: items are
    a list on the line (``in a, b`` or ``in (a, b)``), lines of a file (``from F``), or
    globs (``matching *.txt``); a list that opens with ``(`` and does not close on the line
    continues on the following lines of a rules file.
    """
    text = args.strip()
    if not text:
        return Iteration(1, [], "", [])
    mode = ""
    kw_at = -1
    for m in re.finditer(r"[^\s(]+(?=[\s(])", text):
        if m.group(0).lower() in ("in", "from", "matching"):
            mode, kw_at = m.group(0).lower(), m.start()
            break
    items: list[str] = []
    items_file: str | None = None
    slice_text: str | None = None
    head = text
    if mode:
        rest = text[kw_at + len(mode) :].lstrip()
        while rest and rest[0] != "(":
            q = re.match(r"(files|dirs|any|table)(?=[\s(])|(\[[^\]]*\])", rest, re.I)
            if q is None:
                break
            if q.group(2):
                slice_text = q.group(2)
            else:
                qual = q.group(1).lower()
                if qual in ("files", "dirs", "any") and mode != "matching":
                    return f"`{qual}` only goes with `matching`"
                if qual == "table" and mode != "from":
                    return "`table` only goes with `from`"
                if qual != "table":
                    mode = f"matching {qual}"
            rest = rest[q.end() :].lstrip()
        if rest.startswith("(") and rest.endswith(")"):
            inner = rest[1:-1]
            items = [inner.strip()] if mode == "from" else _items(inner)
        elif rest.startswith("("):
            inner = rest[1:].strip()
            if inner:
                items = [inner] if mode == "from" else _items(inner)
            items_file = "<"
        elif mode == "from":
            items_file = rest.strip()
        else:
            items = _items(rest)
        head = text[:kw_at].rstrip()
    variables: list[str] = []
    if mode:
        tail = re.search(r"((?:[A-Za-z_.][A-Za-z0-9_.]*[\s,]*)*)\Z", head)
        var_text = tail.group(1) if tail else ""
        variables = [v for v in re.split(r"[\s,]+", var_text) if v]
        head = head[: len(head) - len(var_text)].rstrip()
        if not variables:
            variables = ["Item"]
    count = 1
    if head:
        value = long_param(head)
        if value is None:
            return f"`{head}` is not a count"
        if not 0 <= value < 2**31 - 1:
            return f"count {value} is out of range"
        count = value
    return Iteration(count, variables, mode, items, items_file, slice_text)  # type: ignore[arg-type]


def _items(text: str) -> list[str]:
    """StringTokenIterator's default: items separated by commas and white space."""
    return [w for w in re.split(r"[\s,]+", text) if w]


def iteration_kind(transform: Transform) -> Literal["none", "count", "items"]:
    it = transform.iteration
    if it is None:
        return "none"
    return "items" if it.mode else "count"
