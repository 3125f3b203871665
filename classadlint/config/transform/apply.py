"""Run a transform on a job ad, as HTCondor does.

The semantics are HTCondor's, read in xform_utils.cpp (TransformClassAd,
ParseRulesCallback, MacroStreamXFormSource::matches), config.cpp (Parse_macros in submit
mode, the char* ``expand_macro`` and its ``evaluate_macro_func``, lookup_macro,
Test_config_if_expression) and checked against HTCondor's own code in the tests
(``tests/test_transform_apply.py`` drives libcondor_utils from the htcondor wheel):

* REQUIREMENTS is evaluated against the ad alone; a true or non-zero result applies the
  transform (the schedd checks each transform against the ad as the previous ones left it);
* statements run top to bottom; each value is macro-expanded just before its statement
  runs, so it sees the ad as modified so far; macros are looked up in the transform's own
  variables, then its defaults (IsLinux...), then ``MY.<attr>`` of the ad (a string
  attribute's value without quotes, any other expression as text), then the config;
* SET/DEFAULT parse old ClassAd syntax and need the whole text to parse; EVALSET and
  EVALMACRO parse new syntax and use the longest expression the text starts with;
* a statement that cannot be used (bad expression, invalid new name, a regex that does
  not compile) is skipped with a message; a line HTCondor refuses (unknown keyword, an
  ``include``, ``error :``, an ``if`` whose condition is not valid — which includes a
  complex condition that is false) fails the transform there, after everything before it
  was applied;
* the variables of one job's transforms are shared: a macro set by the first transform is
  visible in the second (the schedd rewinds them per job, not per transform).
"""

from __future__ import annotations

import glob as globmod
import os
import random
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from classadlint.classad import ast
from classadlint.classad.ad import ClassAd, to_expr
from classadlint.classad.errors import ClassAdSyntaxError
from classadlint.classad.evaluate import evaluate
from classadlint.classad.parser import ParseOptions, parse_expr
from classadlint.classad.unparse import unparse_condor
from classadlint.config.model import (
    FILENAME_FUNCTION,
    ConfigModel,
    filename_function,
    find_macro,
    split_basename_suffix,
)
from classadlint.config.transform.ast import (
    BadStatement,
    ConfigKeyword,
    CopyAttr,
    DeleteAttr,
    EnvelopeLine,
    EvalMacro,
    IfBlock,
    MacroAssign,
    SetAttr,
    Statement,
    Transform,
)
from classadlint.config.typed_values import double_param, long_param
from classadlint.source import Span

_NOWHERE = Span(0, 0)

_OLD = ParseOptions(strings="old")
_NEW = ParseOptions(strings="new")
_ATTR_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_PARAM_NAME = re.compile(r"[A-Za-z0-9_./]+\Z")

Flavor = Literal["basic", "iterating"]

#: The macro defaults of XFormHash (xform_utils.cpp): the schedd, the job router and a
#: non-iterating condor_transform_ads use the Basic table; an iterating rules file uses the
#: other one, whose ARCH/OPSYS... come from the config.
BASIC_DEFAULTS = {
    "isclusterad": "0",
    "islinux": "1",
    "iswindows": "0",
    "iterating": "0",
    "latematerialization": "0",
}
ITERATING_DEFAULTS = {
    "islinux": "1",
    "iswindows": "0",
    "itemindex": "0",
    "iterating": "0",
    "row": "0",
    "rulesfile": "",
    "step": "0",
    "xformid": "0",
}
_ITERATING_FROM_CONFIG = ("ARCH", "OPSYS", "OPSYSANDVER", "OPSYSMAJORVER", "OPSYSVER")


class TransformFailed(Exception):
    """HTCondor reports the transform failed (TransformClassAd returned < 0).

    ``ad`` is the ad as the failure left it: the statements before the failing line were
    applied. The schedd rejects such a job; condor_transform_ads prints no ad for it.
    """

    def __init__(self, message: str, line: int, ad: ClassAd) -> None:
        super().__init__(f"line {line}: {message}")
        self.message = message
        self.line = line
        self.ad = ad


@dataclass(frozen=True)
class LogEntry:
    """What HTCondor logs while running a statement (a skipped statement, a macro error)."""

    transform: str
    line: int
    message: str


@dataclass
class Outcome:
    """The result of transforming one job: the ad, which transforms applied, the log."""

    ad: ClassAd
    applied: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    log: list[LogEntry] = field(default_factory=list)


class _Halt(Exception):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


# --- macros -------------------------------------------------------------------------------


class Macros:
    """The transform's macro set (XFormHash) with HTCondor's lookup order.

    ``config``: the configuration the transform runs under (the schedd's); without it
    only the transform's own variables, its defaults and ``MY.`` attributes resolve.
    """

    def __init__(
        self,
        *,
        config: ConfigModel | None = None,
        flavor: Flavor = "basic",
        environ: Mapping[str, str] | None = None,
        rng: random.Random | None = None,
        user_maps: Mapping[str, Mapping[str, str]] | None = None,
    ) -> None:
        self.config = config
        self.user_maps = user_maps
        self.vars: dict[str, str] = {}
        self.defaults = dict(BASIC_DEFAULTS if flavor == "basic" else ITERATING_DEFAULTS)
        self.environ = os.environ if environ is None else environ
        self.rng = rng or random.Random()
        self.ad: ClassAd | None = None
        self.errors: list[str] = []
        if flavor == "iterating":
            for name in _ITERATING_FROM_CONFIG:
                value = config.value(name) if config is not None else None
                self.defaults[name.lower()] = value or ""

    def copy(self) -> Macros:
        other = Macros.__new__(Macros)
        other.__dict__.update(self.__dict__)
        other.vars = dict(self.vars)
        other.defaults = dict(self.defaults)
        other.errors = []
        return other

    # lookup_macro (config.cpp) with the transform's context: subsys XFORM, the ad as MY.
    def lookup(self, name: str) -> str | None:
        low = name.lower()
        for key in ("xform." + low, low):
            if key in self.vars:
                return self.vars[key]
        if low in self.defaults:
            return self.defaults[low]
        if self.ad is not None and low.startswith("my."):
            expr = self.ad.lookup(name[3:])
            if expr is None:
                expr = _cstring_lookup(self.ad, name[3:])
            if expr is not None:
                if isinstance(expr, ast.Literal) and isinstance(expr.value, str):
                    return expr.value
                return old_expr_text(expr)
        if self.config is not None:
            entry = self.config.lookup(name)
            if entry is not None and entry.value != f"$({name})":  # not a symbolic host fact
                return entry.value
        return None

    def insert(self, name: str, value: str) -> None:
        self.vars[name.lower()] = value

    def expand(self, text: str, *, limit: int = 100_000) -> str:
        """``expand_macro`` (char* version): expand the leftmost macro, start again from the
        beginning, until none is left; then ``$(DOLLAR)`` becomes ``$``."""
        steps = 0
        pos = 0
        while True:
            macro = find_macro(text, pos)
            if macro is None:
                break
            if macro.fn == "" and macro.name.upper() == "DOLLAR":
                pos = macro.end
                continue
            steps += 1
            if steps > limit:
                raise _Halt("macro expansion does not terminate (a macro refers to itself)", 0)
            value = self._function(macro.fn, macro.body)
            if value is None:  # kept as written (a symbolic config value)
                pos = macro.end
                continue
            text = text[: macro.start] + value + text[macro.end :]
            pos = 0
        return re.sub(r"\$\(DOLLAR\)", "$", text, flags=re.I)

    def _lookup_expand(self, name: str) -> str | None:
        value = self.lookup(name)
        if value is not None and "$" in value:
            value = self.expand(value)
        return value

    def _arg(self, body: str, index: int) -> str | None:
        """get_lookup_and_expand_macro_arg: the index-th comma item, looked up as a macro
        when it names one, then expanded."""
        items = body.split(",")
        if index >= len(items):
            return None
        item = items[index].strip()
        value = self.lookup(item)
        return self.expand(value if value is not None else item)

    def _function(self, fn: str, body: str) -> str | None:
        if fn == "":
            name, colon, default = body.partition(":")
            value = self.lookup(name)
            if colon and not value:
                return default
            return value if value is not None else ""
        if fn == "ENV":
            name, colon, default = body.partition(":")
            got = self.environ.get(name)
            if got is None:
                return default if colon else "UNDEFINED"
            return got
        if fn == "RANDOM_CHOICE":
            entries = [e.strip() for e in body.split(",")]
            if len(entries) == 1:
                listed = self._lookup_expand(entries[0])
                if listed is not None:
                    entries = [e.strip() for e in listed.split(",") if e.strip()]
            return self.rng.choice(entries) if entries else self._error("$RANDOM_CHOICE() is empty")
        if fn == "RANDOM_INTEGER":
            parts = [p.strip() for p in body.split(",")]
            lo = _to_long(parts[0]) if parts and parts[0] else None
            hi = _to_long(parts[1]) if len(parts) > 1 and parts[1] else None
            step = _to_long(parts[2]) if len(parts) > 2 and parts[2] else 1
            if lo is None:
                self._error("$RANDOM_INTEGER(): invalid min")
                lo = 0
            if hi is None:
                self._error("$RANDOM_INTEGER(): invalid max")
                hi = lo
            if step is None or step < 1:
                self._error("$RANDOM_INTEGER(): invalid step")
                step = 1
            if lo > hi:
                self._error("$RANDOM_INTEGER(): min > max")
                lo = hi
            return str(lo + self.rng.randrange((step + hi - lo) // step) * step)
        if fn == "CHOICE":
            ival = self._arg(body, 0) or ""
            index = long_param(ival)
            if index is None or not 0 <= index < 2**31 - 1:
                self._error(f"$CHOICE() error: '{ival}' is invalid index")
                index = 0
            parts = body.split(",", 1)
            if len(parts) < 2:
                return self._error("$CHOICE() error: no list")
            items = parts[1]
            if "," not in items:
                listed = self.lookup(items.strip())
                if listed is None:
                    return self._error(f'$CHOICE() macro: no list named "{items.strip()}"!')
                items = self.expand(listed)
            chosen = items.split(",")
            if index >= len(chosen):
                return self._error(f"$CHOICE() config macro: index {index} is out of range!")
            return chosen[index].strip()
        if fn == "SUBSTR":
            parts = body.split(",")
            if len(parts) < 2:
                return self._error("$SUBSTR() macro: no length specified!")
            start_arg = self._lookup_or(parts[1])
            start = long_param(start_arg)
            if start is None:
                return self._error(f"$SUBSTR() macro: {start_arg} is invalid start index!")
            length: int | None = None
            if len(parts) > 2:
                len_arg = self._lookup_or(parts[2])
                length = long_param(len_arg)
                if length is None:
                    return self._error(f"$SUBSTR() macro: {len_arg} is invalid length !")
            value = self._lookup_expand(parts[0])
            if value is None:
                return ""
            n = len(value)
            start = n + start if start < 0 else start
            start = min(max(start, 0), n)
            rest = n - start
            size = 2**30 if length is None else length
            size = rest + size if size < 0 else size
            size = min(max(size, 0), rest)
            return value[start : start + size]
        if fn in ("INT", "REAL"):
            name, comma, fmt = body.partition(",")
            if comma and not _printf_ok(fmt, "int" if fn == "INT" else "float"):
                self._error(f"${fn}() macro: '{fmt}' is not a valid format specifier!")
                return fmt
            value = self._lookup_or(name)
            if fn == "INT":
                number = long_param(value)
                if number is None:
                    return self._error(f"$INT() macro: {value} does not evaluate to an integer!")
                return _printf(fmt if comma else "%lld", number)
            real = double_param(value)
            if real is None:
                return self._error(f"$REAL() macro: {value} does not evaluate to an real!")
            out = _printf(fmt if comma else "%.16G", real)
            return out + ".0" if comma and "." not in out else out
        if fn == "STRING":
            name, comma, fmt = body.partition(",")
            if comma and not _printf_ok(fmt, "str"):
                self._error(f"$STRING macro: '{fmt}' is not a valid format specifier!")
                return fmt
            value = self._lookup_or(name)
            try:
                got = evaluate(parse_expr(value, _OLD), ClassAd())
                if isinstance(got, str):
                    value = got
            except ClassAdSyntaxError:
                pass
            return _printf(fmt, value) if comma else value
        if fn == "EVAL":
            value = self._lookup_or(body)
            try:
                tree = parse_expr(value, _OLD)
            except ClassAdSyntaxError:
                return value
            got = evaluate(
                tree, self.ad if self.ad is not None else ClassAd(), user_maps=self.user_maps
            )
            if isinstance(got, str):
                return got
            return new_value_text(got)
        if fn in ("BASENAME", "DIRNAME") or FILENAME_FUNCTION.match(fn):
            name, suffix = split_basename_suffix(fn, body)
            value = self._lookup_or(name)
            return filename_function(fn, value, suffix)
        return self._error(f"${fn}() is not a macro function")

    def _lookup_or(self, name: str) -> str:
        """The macro's value (expanded when it holds a ``$``), else the text itself."""
        value = self.lookup(name)
        if value is None:
            value = name
        return self.expand(value) if "$" in value else value

    def _error(self, message: str) -> str:
        self.errors.append(message)
        return ""


def _cstring_lookup(ad: ClassAd, key: str) -> ast.Expr | None:
    """ClassAd::Lookup with a C string (lookup_macro's ``MY.`` lookup), on the sorted
    vector ClassAdFlatMap keeps: names ordered by length, then strcasecmp; lower_bound for
    the key, then strcasecmp equality, which stops at a NUL. Only a name stored with a
    NUL (``SET A= 1``) can be found this way and not by the plain lookup."""
    names = [n for n in ad if "\0" in n]
    if not names or "\0" in key:
        return None

    def order(n: str) -> tuple[int, str]:
        return len(n), n.split("\0", 1)[0].lower()

    want = (len(key), key.lower())
    ordered = sorted(ad, key=order)
    found = next((n for n in ordered if not order(n) < want), None)
    if found is not None and found.split("\0", 1)[0].lower() == key.lower():
        return ad[found]
    return None


def _to_long(text: str) -> int | None:
    m = re.match(r"\s*[+-]?\d+", text)
    return int(m.group(0)) if m else None


_PRINTF = re.compile(r"%([-+ #0]*)(\d*)(?:\.(\d*))?(hh|h|ll|l|L|q|j|z|t)?([diouxXeEfFgGcs])")


def _printf_ok(fmt: str, kind: str) -> bool:
    """validatePrintfFormat: exactly one conversion, of the right kind."""
    convs = [m for m in re.finditer(r"%.", fmt) if m.group(0) != "%%"]
    if len(convs) != 1:
        return False
    m = _PRINTF.search(fmt)
    if m is None:
        return False
    conv = m.group(5)
    return {"int": conv in "diouxXc", "float": conv in "eEfFgG", "str": conv == "s"}[kind]


def _printf(fmt: str, value: object) -> str:
    """C printf with one conversion (length modifiers dropped, Python has none)."""
    return _PRINTF.sub(
        lambda m: (
            "%"
            + m.group(1)
            + m.group(2)
            + ("." + m.group(3) if m.group(3) is not None else "")
            + m.group(5)
        ),
        fmt,
    ) % (value,)


# --- text of values and expressions as HTCondor prints them -------------------------------


def old_expr_text(expr: ast.Expr, *, nested_ads_long: bool = False) -> str:
    """An expression as HTCondor's old-syntax unparser writes it (ExprTreeToString:
    ClassAdUnParser with SetOldClassAd)."""
    return unparse_condor(expr, old_syntax=True, nested_ads_long=nested_ads_long)


def value_expr(value: Any) -> ast.Expr:
    """The expression EVALSET stores for a value (XFormCopyValueToTree): a list keeps the
    unevaluated expressions it was built from, an ad is copied, anything else a literal."""
    source = getattr(value, "source", None)
    if isinstance(value, list) and source is not None:
        return ast.ListExpr(tuple(source), _NOWHERE)
    if isinstance(value, list):
        return ast.ListExpr(tuple(value_expr(v) for v in value), _NOWHERE)
    return to_expr(value)


def old_value_text(value: Any) -> str:
    """XFormValueToString: a string as it is, anything else in old syntax (EVALMACRO)."""
    if isinstance(value, str):
        return value
    return old_expr_text(value_expr(value), nested_ads_long=True)


def new_value_text(value: Any) -> str:
    """ClassAdUnParser (new syntax) of a value ($EVAL)."""
    return unparse_condor(value_expr(value))


# --- statements ---------------------------------------------------------------------------


def requirements_match(
    transform: Transform,
    ad: ClassAd,
    user_maps: Mapping[str, Mapping[str, str]] | None = None,
) -> bool:
    """MacroStreamXFormSource::matches: REQUIREMENTS against the ad alone; true or a
    non-zero number applies the transform, anything else (undefined, a string) does not."""
    if transform.requirements is None:
        return True
    try:
        tree = parse_expr(transform.requirements.text, _OLD)
    except ClassAdSyntaxError:
        return False
    value = evaluate(tree, ad, user_maps=user_maps)
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    return False


def apply_transform(
    transform: Transform,
    job_ad: ClassAd,
    *,
    config: ConfigModel | None = None,
    variables: Mapping[str, str] | None = None,
    check_requirements: bool = True,
    environ: Mapping[str, str] | None = None,
    rng: random.Random | None = None,
    user_maps: Mapping[str, Mapping[str, str]] | None = None,
) -> ClassAd:
    """The job ad after ``transform`` (a new ad; ``job_ad`` is not changed).

    With ``check_requirements`` (the default) a transform whose REQUIREMENTS do not match
    returns the ad unchanged. ``config``: the configuration whose knobs ``$(NAME)`` sees;
    ``variables``: macros set beforehand (like ``condor_transform_ads NAME=value``);
    ``user_maps``: the maps ``userMap()`` reads (see :func:`classadlint.config.usermaps.user_maps`).
    Raises :class:`TransformFailed` where HTCondor reports the transform failed.
    """
    macros = Macros(config=config, environ=environ, rng=rng, user_maps=user_maps)
    for name, value in (variables or {}).items():
        macros.insert(name, value)
    outcome = Outcome(_copy(job_ad))
    _run_one(transform, outcome, macros, check_requirements)
    return outcome.ad


def apply_transforms(
    transforms: Iterable[Transform],
    job_ad: ClassAd,
    *,
    config: ConfigModel | None = None,
    environ: Mapping[str, str] | None = None,
    rng: random.Random | None = None,
    user_maps: Mapping[str, Mapping[str, str]] | None = None,
) -> Outcome:
    """The schedd's JobTransforms::transformJob: every transform in order, each checked
    against the ad the previous ones left, their variables shared. Raises
    :class:`TransformFailed` at the first failing transform (the schedd then rejects the
    job)."""
    macros = Macros(config=config, environ=environ, rng=rng, user_maps=user_maps)
    outcome = Outcome(_copy(job_ad))
    for transform in transforms:
        _run_one(transform, outcome, macros, True)
    return outcome


def _run_one(transform: Transform, outcome: Outcome, macros: Macros, check: bool) -> None:
    if not transform.valid:
        # the schedd never loaded it ("macro stream malformed, ignoring")
        outcome.skipped.append(transform.name)
        return
    if check and not requirements_match(transform, outcome.ad, macros.user_maps):
        outcome.skipped.append(transform.name)
        return
    runner = _Runner(transform, outcome, macros)
    try:
        runner.run(transform.statements)
    except _Halt as halt:
        raise TransformFailed(halt.message, halt.line, outcome.ad) from None
    finally:
        macros.ad = None
    outcome.applied.append(transform.name)


def iterate_transform(
    transform: Transform,
    job_ad: ClassAd,
    *,
    config: ConfigModel | None = None,
    base_dir: str | None = None,
    environ: Mapping[str, str] | None = None,
    rng: random.Random | None = None,
    user_maps: Mapping[str, Mapping[str, str]] | None = None,
) -> list[ClassAd]:
    """condor_transform_ads with an iterating TRANSFORM line: one ad per iteration
    (``TRANSFORM 3``, ``TRANSFORM name in (a, b)``, ``from FILE``, ``matching GLOB``),
    with ``$(Step)``, ``$(Row)``, ``$(ItemIndex)``, ``$(XFormId)`` and the loop variables
    set. Without iteration, a list of the one transformed ad."""
    it = transform.iteration
    if it is None:
        return [
            apply_transform(
                transform, job_ad, config=config, environ=environ, rng=rng, user_maps=user_maps
            )
        ]
    macros = Macros(
        config=config, flavor="iterating", environ=environ, rng=rng, user_maps=user_maps
    )
    macros.defaults["iterating"] = "1"
    macros.defaults["rulesfile"] = transform.source.name
    items = _iteration_items(transform, base_dir)
    rows: list[str | None] = list(items) if it.mode else [None]
    out: list[ClassAd] = []
    proc = 0
    for row, item in enumerate(rows):
        for step in range(it.count):
            m = macros.copy()
            m.defaults.update(
                {"step": str(step), "row": str(row), "itemindex": str(row), "xformid": str(proc)}
            )
            if item is not None:
                for name, value in zip(
                    it.variables, _split_item(item, len(it.variables)), strict=False
                ):
                    m.insert(name, value)
            outcome = Outcome(_copy(job_ad))
            _run_one(transform, outcome, m, True)
            out.append(outcome.ad)
            proc += 1
        if not it.mode:
            break
    return out


def _iteration_items(transform: Transform, base_dir: str | None) -> list[str]:
    it = transform.iteration
    assert it is not None
    base = base_dir or os.getcwd()
    if it.items_file and it.items_file != "<":
        path = os.path.join(base, it.items_file)
        with open(path, encoding="utf-8") as f:
            lines = [line.strip() for line in f]
        return [line for line in lines if line]
    if it.mode.startswith("matching"):
        found: list[str] = []
        for pattern in it.items:
            for match in sorted(globmod.glob(os.path.join(base, pattern))):
                rel = os.path.relpath(match, base)
                if it.mode == "matching files" and not os.path.isfile(match):
                    continue
                if it.mode == "matching dirs" and not os.path.isdir(match):
                    continue
                found.append(rel)
        return found
    return list(it.items)


def _split_item(item: str, count: int) -> list[str]:
    """set_iter_item: the first variable gets the first field, ... the last the rest."""
    if count <= 1:
        return [item]
    out: list[str] = []
    rest = item
    for _ in range(count - 1):
        m = re.match(r"([^, \t]*)[, \t]?[ \t]*", rest)
        assert m is not None
        out.append(m.group(1))
        rest = rest[m.end() :]
        if not rest:
            break
    out.append(rest)
    return out


def _copy(ad: ClassAd) -> ClassAd:
    out = ClassAd()
    for name in ad:
        out[name] = ad[name]
    return out


class _Runner:
    def __init__(self, transform: Transform, outcome: Outcome, macros: Macros) -> None:
        self.t = transform
        self.outcome = outcome
        self.m = macros
        macros.ad = outcome.ad

    @property
    def ad(self) -> ClassAd:
        return self.outcome.ad

    def log(self, line: int, message: str) -> None:
        self.outcome.log.append(LogEntry(self.t.name, line, message))

    def expand(self, text: str, line: int) -> str:
        try:
            out = self.m.expand(text)
        except _Halt as halt:
            raise _Halt(halt.message, line) from None
        for message in self.m.errors:
            self.log(line, message)
        self.m.errors.clear()
        return out

    def run(self, statements: list[Statement]) -> None:
        for stmt in statements:
            self.statement(stmt)

    def statement(self, stmt: Statement) -> None:
        if isinstance(stmt, IfBlock):
            for branch in stmt.branches:
                if branch.condition is None or self.condition(branch.condition.text, branch.line):
                    self.run(branch.body)
                    return
            return
        if isinstance(stmt, MacroAssign):
            self.assign(stmt)
        elif isinstance(stmt, SetAttr):
            self.set_attr(stmt)
        elif isinstance(stmt, EvalMacro):
            self.eval_macro(stmt)
        elif isinstance(stmt, CopyAttr | DeleteAttr):
            self.copy_delete(stmt)
        elif isinstance(stmt, BadStatement):
            raise _Halt(stmt.message, stmt.line)
        elif isinstance(stmt, ConfigKeyword):
            arg = self.expand(stmt.argument.text, stmt.line)
            if stmt.keyword == "warning":
                self.log(stmt.line, f"Warning: {arg}")
                return
            if stmt.keyword == "error":
                raise _Halt(f"error : {arg}", stmt.line)
            raise _Halt(f"`{stmt.keyword}` is not allowed in a transform", stmt.line)
        elif isinstance(stmt, EnvelopeLine):
            return

    # Parse_macros: name = value (self references expanded now), +=, @= blocks
    def assign(self, stmt: MacroAssign) -> None:
        raw_name = stmt.name.text
        if raw_name[:1] in ("+", "-"):
            self.m.insert("MY." + raw_name[1:], stmt.value.text if raw_name[0] == "+" else "")
            return
        name = self.expand(raw_name, stmt.line)
        if not _PARAM_NAME.match(name):
            raise _Halt(f"Illegal Identifier: <{name}>", stmt.line)
        value = stmt.value.text
        if stmt.op.startswith("+"):
            current = self.m.lookup(name)
            if current:
                sep = stmt.op[1:-1]
                joiner = " " if not sep else (f" {sep} " if len(sep) == 2 else sep)
                value = current + joiner + value
        value = self._expand_self(value, name)
        self.m.insert(name, value)

    def _expand_self(self, value: str, name: str) -> str:
        """expand_self_macro: only references to the macro being assigned are expanded."""
        pattern = re.compile(r"\$\(" + re.escape(name) + r"(?::([^)]*))?\)", re.I)
        if not pattern.search(value):
            return value
        current = self.m.lookup(name)

        def repl(m: re.Match[str]) -> str:
            if current:
                return current
            return m.group(1) or ""

        return pattern.sub(repl, value)

    def set_attr(self, stmt: SetAttr) -> None:
        attr = stmt.attr.text
        if stmt.keyword == "DEFAULT" and attr in self.ad:
            return
        rhs = self.expand(stmt.value.text, stmt.line)
        if stmt.keyword == "EVALSET":
            tree = prefix_parse(rhs)
            if tree is None:
                self.log(stmt.line, f"EVALSET {attr} could not evaluate : {rhs}")
                return
            value = evaluate(tree, self.ad, user_maps=self.m.user_maps)
            self.ad[attr] = value_expr(value)
            return
        try:
            expr = parse_expr(rhs, _OLD)
        except ClassAdSyntaxError:
            self.log(stmt.line, f"{stmt.keyword} {attr} invalid expression : {rhs}")
            return
        self.ad[attr] = expr

    def eval_macro(self, stmt: EvalMacro) -> None:
        rhs = self.expand(stmt.value.text, stmt.line)
        tree = prefix_parse(rhs)
        if tree is None:
            self.log(stmt.line, f"EVALMACRO {stmt.var.text} could not evaluate : {rhs}")
            return
        value = evaluate(tree, self.ad, user_maps=self.m.user_maps)
        self.m.insert(stmt.var.text, old_value_text(value))

    def copy_delete(self, stmt: CopyAttr | DeleteAttr) -> None:
        keyword = "DELETE" if isinstance(stmt, DeleteAttr) else stmt.keyword
        target = "" if isinstance(stmt, DeleteAttr) else self.expand(stmt.target.text, stmt.line)
        if stmt.regex is None:
            self._one(keyword, stmt.source.text, target, stmt.line)
            return
        flags = re.IGNORECASE | (re.MULTILINE if "m" in stmt.regex.flags else 0)
        if "U" in stmt.regex.flags:
            self.log(stmt.line, "regex flag U (ungreedy) is not modelled: matched greedily")
        try:
            rx = re.compile(stmt.regex.pattern, flags)
        except re.error as exc:
            self.log(stmt.line, f"Error compiling regex '{stmt.regex.pattern}': {exc}")
            return
        anchored = "g" in stmt.regex.flags  # the `g` flag sets PCRE2_ANCHORED's bit
        matched: dict[str, str] = {}
        for name in list(self.ad):
            m = rx.match(name) if anchored else rx.search(name)
            if m is None:
                continue
            matched[name] = "" if keyword == "DELETE" else _substitute(target, m)
        for name in sorted(matched, key=lambda n: n.encode()):
            self._one(keyword, name, matched[name], stmt.line)

    def _one(self, keyword: str, source: str, target: str, line: int) -> None:
        if keyword == "DELETE":
            if source in self.ad:
                del self.ad[source]
            return
        if not _ATTR_NAME.match(target):
            if keyword == "RENAME":
                self.log(line, f"RENAME {source} new name {target} is not valid")
            return
        expr = self.ad.lookup(source)
        if expr is None:
            return
        if keyword == "RENAME":
            del self.ad[source]
        self.ad[target] = expr

    # Test_config_if_expression with the transform's macros and the ad
    def condition(self, text: str, line: int) -> bool:
        expr = text
        expanded = False
        if "$" in expr:
            expr = self.expand(expr, line).rstrip()
            expanded = True
        expr = expr.lstrip()
        inverted = False
        if expr.startswith("!"):
            inverted = True
            expr = expr[1:].lstrip()
        if expanded and not expr:
            value = False
        else:
            result = self._if_value(expr, line)
            if isinstance(result, str):
                raise _Halt(f"{text} is not a valid if condition{result}", line)
            value = result
        return not value if inverted else value

    def _if_value(self, expr: str, line: int) -> bool | str:
        kind = characterize(expr)
        low = expr.strip().lower()
        if kind == "number":
            return float(expr) != 0
        if kind == "bool":
            return low == "true"
        if kind == "identifier" and low in ("yes", "t", "no", "f"):
            return low in ("yes", "t")
        if kind == "version":
            return _version_condition(expr)
        if kind == "defined":
            arg = expr.strip()[7:].strip()
            if not arg:
                return False
            sub = characterize(arg, keyword_check=False)
            if sub == "identifier":
                value = self.m.lookup(arg)
                if value is None and arg.lower() in ("yes", "t", "no", "f"):
                    return True
                return bool(value)
            if sub in ("number", "bool"):
                return True
            if arg.lower().startswith("use "):
                from classadlint.schema import metaknobs

                spec = arg[4:].strip()
                if any(c in spec for c in " \t\r"):
                    return (
                        " because defined use meta argument with internal spaces will never match"
                    )
                cat, colon, name = spec.partition(":")
                if not metaknobs.templates(cat):
                    return False
                return not colon or not name or metaknobs.metaknob(cat, name) is not None
            return " because defined argument must be param name, boolean, or number"
        if kind == "complex":
            tree = prefix_parse(expr)
            if tree is not None:
                value = evaluate(tree, self.ad, user_maps=self.m.user_maps)
                truthy = _boolean_equiv(value)
                if truthy is not None:
                    # HTCondor returns this value as "the condition is valid": a true
                    # condition takes the branch, a false one fails the transform
                    return True if truthy else ""
            return " because complex conditionals are not supported"
        return " because expression is not a conditional"


def _boolean_equiv(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    return None


def _version_condition(expr: str) -> bool | str:
    from classadlint.config.model import CURRENT_VERSION

    m = re.match(r"\s*version\s*(!?)(<|=|>)?(=?)\s*v?(\d+)\.(\d+)(?:\.(\d+))?", expr, re.I)
    if m is None or int(m.group(4)) < 6:
        return " because the version literal is invalid"
    negated, op, eq = m.group(1), m.group(2), m.group(3)
    want = (int(m.group(4)), int(m.group(5)), int(m.group(6) or CURRENT_VERSION[2]))
    diff = (want < CURRENT_VERSION) - (want > CURRENT_VERSION)
    sign = {"<": -1, "=": 0, ">": 1, None: 0}[op]
    result = diff == sign or (bool(eq) and diff == 0)
    return not result if negated else result


def characterize(expr: str, keyword_check: bool = True) -> str:
    """Characterize_config_if_expression (config.cpp): which kind of ``if`` condition."""
    p = expr.lstrip()
    if not p:
        return "empty"
    begin = p
    if p.startswith("-"):
        p = p[1:]
    s = 0
    DIGIT, ALPHA, IDENT, CMP, SUM, LOGIC, GROUP, MONEY, COLON, OTHER, FLOAT, MACRO, SPACE = (
        0x2, 0x4, 0x8, 0x10, 0x20, 0x40, 0x80, 0x100, 0x200, 0x400, 0x1000, 0x2000, 0x1
    )  # fmt: skip
    for k, ch in enumerate(p):
        nxt = p[k + 1] if k + 1 < len(p) else ""
        if ch.isdigit():
            s |= DIGIT
        elif ch == ".":
            s |= FLOAT if (s == DIGIT or not nxt or nxt.isdigit()) else IDENT
        elif ch in "eE":
            s |= FLOAT if (s & ~FLOAT) == DIGIT else ALPHA
        elif ch in "-+":
            if s != (DIGIT | FLOAT):
                s |= SUM
        elif ch.isalpha():
            s |= ALPHA
        elif ch in "_/":
            s |= IDENT
        elif "<" <= ch <= ">" or (ch == "!" and nxt == "="):
            s |= CMP
        elif ch == "$":
            s |= MONEY | (MACRO if nxt == "(" else 0)
        elif ch.isspace():
            if nxt and not nxt.isspace():
                s |= SPACE
        elif ch in "&|":
            s |= LOGIC
        elif ch in "{|}()[]":
            s |= GROUP
        elif ch == ":":
            s |= COLON
        else:
            s |= OTHER
    low = begin.strip().lower()
    if s == 0:
        return "empty"
    if s in (DIGIT, DIGIT | FLOAT):
        return "number"
    if s == ALPHA:
        if low in ("false", "true"):
            return "bool"
        if keyword_check and low == "version":
            return "version"
        if keyword_check and low == "defined":
            return "defined"
        return "identifier"
    if s in (ALPHA | DIGIT, ALPHA | DIGIT | FLOAT, ALPHA | IDENT, ALPHA | IDENT | DIGIT,
             ALPHA | IDENT | DIGIT | FLOAT):  # fmt: skip
        return "identifier"
    if s in (ALPHA | SPACE | CMP | DIGIT, ALPHA | SPACE | CMP | DIGIT | FLOAT):
        return "version" if keyword_check and re.match(r"version\b", low) else "complex"
    if s in (ALPHA | SPACE, ALPHA | SPACE | COLON, ALPHA | SPACE | IDENT,
             ALPHA | SPACE | IDENT | COLON, ALPHA | SPACE | DIGIT, ALPHA | SPACE | DIGIT | IDENT,
             ALPHA | SPACE | DIGIT | FLOAT, ALPHA | SPACE | DIGIT | IDENT | FLOAT):  # fmt: skip
        return "defined" if keyword_check and re.match(r"defined\b", low) else "complex"
    if s & MACRO and not s & ~(MONEY | IDENT | ALPHA | DIGIT | MACRO | COLON):
        return "macro"
    return "complex"


def prefix_parse(text: str) -> ast.Expr | None:
    """ClassAd::EvaluateExpr(string): new syntax, and the parse stops at the first token
    that cannot continue the expression (``1 2`` is ``1``); None when no expression."""
    try:
        return parse_expr(text, _NEW)
    except ClassAdSyntaxError as exc:
        cut = exc.span.start
    if cut <= 0:
        return None
    head = text[:cut]
    try:
        return parse_expr(head, _NEW)
    except ClassAdSyntaxError:
        return None


def _substitute(template: str, m: re.Match[str]) -> str:
    """append_substituted_regex: ``\\N`` for N below the number of groups that took part
    (pcre2_match's count) is that group, anything else is kept as written."""
    count = 1 + max((k for k in range(1, (m.re.groups or 0) + 1) if m.group(k) is not None),
                    default=0)  # fmt: skip
    out: list[str] = []
    i = 0
    while i < len(template):
        c = template[i]
        if c == "\\" and i + 1 < len(template) and "0" <= template[i + 1] < chr(48 + count):
            out.append(m.group(int(template[i + 1])) or "")
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)
