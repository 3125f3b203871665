"""The schedd's job transforms as a pipeline: read from the configuration, applied to a
concrete job, and rewritten as expressions over the job as submitted.

``JOB_TRANSFORM_NAMES`` lists transforms the schedd applies at submit, in order, each to
the job as the earlier ones left it; a transform applies when its REQUIREMENTS evaluate
to true or a non-zero number against that job alone (reference 5.1-5.4). Each statement
sees the job as the statements before it left it; SET stores an *expression* (evaluated
later, in the final job ad), EVALSET the *value* it has now.

Two uses need this:

* ``classadlint test`` shows "the job after the transforms": :func:`apply` runs the
  pipeline on a concrete job with our evaluator.
* CA503 and site assertions ask questions about the transformed job for *every* job:
  :class:`Symbolic` rewrites any expression over the transformed job into one over the
  submitted job (each attribute replaced by what the pipeline made of it, a transform's
  effect guarded by its REQUIREMENTS), which the symbolic engine then answers in the job
  scope.

Transforms are read from old-style ``[ copy_X = "Y"; set_X = ...; ]`` records (converted
in HTCondor's order: every copy, then delete, then set, then eval_set) and from the native
language's plain statements (REQUIREMENTS, SET, EVALSET, DEFAULT, EVALDEFAULT, COPY,
RENAME, DELETE). A transform using what this reader does not model — macros, ``if``
blocks, TRANSFORM loops, regex forms — is kept with ``unsupported`` set: :func:`apply`
and :class:`Symbolic` refuse to guess about it (``PipelineError``), and CA503 skips it.
This reader stands in until the config package's transform AST can feed the same model.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from classadlint.classad import ast
from classadlint.classad.errors import ClassAdSyntaxError
from classadlint.classad.parser import ParseOptions, parse_expr, parse_record
from classadlint.classad.values import UNDEFINED
from classadlint.source import Span

if TYPE_CHECKING:
    from classadlint.classad.ad import ClassAd
    from classadlint.config.model import ConfigModel, Entry

Op = Literal["set", "evalset", "default", "evaldefault", "copy", "rename", "delete"]
_NOWHERE = Span(0, 0)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*\Z")


class PipelineError(ValueError):
    """A transform this module cannot apply or rewrite faithfully (it says why)."""


@dataclass(frozen=True)
class Step:
    """One statement: ``op attr [expr | new]``; ``span`` is where it was written, as an
    offset range of the transform's text (the knob value)."""

    op: Op
    attr: str
    expr: ast.Expr | None = None
    new: str | None = None
    span: Span = _NOWHERE
    label: str = ""  # as the user wrote it: `eval_set_HoldReason`, `SET Foo`


@dataclass(frozen=True)
class Transform:
    """One ``JOB_TRANSFORM_<name>``: REQUIREMENTS (None: every job) and its statements."""

    name: str
    knob: str
    requirements: ast.Expr | None
    steps: tuple[Step, ...]
    syntax: Literal["old", "native"]
    text: str = ""  # the value the spans refer to
    requirements_span: Span = _NOWHERE
    unsupported: str | None = None
    origins: tuple[Any, ...] | None = None  # config Origin per character of ``text``


# --- reading ------------------------------------------------------------------------------


def from_record(name: str, knob: str, record: ast.Record, text: str = "") -> Transform:
    """An old-style transform, converted as the schedd does: all ``copy_``, then
    ``delete_``, then ``set_``, then ``eval_set_``, each group in case-insensitive
    alphabetical order; ``Requirements`` with ``TARGET.`` stripped (the old form evaluated
    it with the job as TARGET)."""
    groups: dict[str, list[Step]] = {"copy_": [], "delete_": [], "set_": [], "eval_set_": []}
    requirements: ast.Expr | None = None
    req_span = _NOWHERE
    unsupported = None
    for attr in record.attrs:
        lname = attr.name.lower()
        if lname == "requirements":
            requirements, req_span = strip_target(attr.value), attr.value.span
            continue
        for prefix in ("eval_set_", "copy_", "delete_", "set_"):
            if lname.startswith(prefix) and len(lname) > len(prefix):
                target = attr.name[len(prefix) :]
                span = Span(attr.span.start, attr.value.span.end)
                if prefix == "copy_":
                    new = _string_literal(attr.value)
                    if new is None:
                        unsupported = f"`{attr.name}` does not name the copy with a string"
                        break
                    groups[prefix].append(Step("copy", target, None, new, span, attr.name))
                elif prefix == "delete_":
                    groups[prefix].append(Step("delete", target, None, None, span, attr.name))
                else:
                    op: Op = "evalset" if prefix == "eval_set_" else "set"
                    groups[prefix].append(Step(op, target, attr.value, None, span, attr.name))
                break
    steps: list[Step] = []
    for group in groups.values():
        steps.extend(sorted(group, key=lambda s: s.attr.lower()))
    return Transform(name, knob, requirements, tuple(steps), "old", text, req_span, unsupported)


_KEYWORDS = {"set", "evalset", "default", "evaldefault", "copy", "rename", "delete"}
_IGNORED = {"name", "universe"}
_UNSUPPORTED = {"transform", "evalmacro", "if", "elif", "else", "endif", "include"}


def from_native(name: str, knob: str, text: str) -> Transform:
    """A native transform's plain statements; anything richer marks it unsupported."""
    steps: list[Step] = []
    requirements: ast.Expr | None = None
    req_span = _NOWHERE
    unsupported = None
    offset = 0
    for line in text.split("\n"):
        start = offset
        offset += len(line) + 1
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        lead = start + len(line) - len(line.lstrip())
        if "$" in stripped:
            unsupported = unsupported or f"`{_first_word(stripped)}` uses a macro"
            continue
        word = _first_word(stripped)
        low = word.lower()
        rest = stripped[len(word) :]
        if re.match(r"\s*=(?!=)", rest):  # `x = ...`, even `SET = 5`: a temporary variable
            unsupported = unsupported or f"`{word} = ...` sets a temporary variable"
            continue
        if low in _IGNORED:
            continue
        if low in _UNSUPPORTED:
            unsupported = unsupported or f"`{word}` is not modelled"
            continue
        body_at = lead + len(word) + (len(rest) - len(rest.lstrip()))
        body = rest.strip()
        if low == "requirements":
            try:
                tree = parse_expr(body, ParseOptions(strings="old"))
            except ClassAdSyntaxError:
                unsupported = unsupported or "REQUIREMENTS does not parse"
                continue
            requirements = _shift(tree, body_at)
            req_span = Span(body_at, body_at + len(body))
            continue
        if low not in _KEYWORDS:
            unsupported = unsupported or f"`{word}` is not a transform statement"
            continue
        m = re.match(r"(/[^/]*/\S*|[^\s=]+)\s*(?:=(?!=)\s*)?", body)
        if m is None or m.group(1).startswith("/"):
            unsupported = unsupported or f"`{word}` with a regular expression is not modelled"
            continue
        attr = m.group(1)
        arg = body[m.end() :]
        arg_at = body_at + m.end()
        span = Span(lead, start + len(line.rstrip()))
        label = f"{word} {attr}"
        if low in ("copy", "rename"):
            new = arg.split()[0] if arg.split() else ""
            if not _NAME.match(new) or not _NAME.match(attr):
                unsupported = unsupported or f"`{word}` needs two attribute names"
                continue
            steps.append(Step(low, attr, None, new, span, label))  # type: ignore[arg-type]
        elif low == "delete":
            if not _NAME.match(attr):
                unsupported = unsupported or "DELETE needs an attribute name"
                continue
            steps.append(Step("delete", attr, None, None, span, label))
        else:
            strings: Literal["old", "new"] = "new" if low.startswith("eval") else "old"
            try:
                tree = parse_expr(arg, ParseOptions(strings=strings))
            except ClassAdSyntaxError:
                continue  # HTCondor logs "invalid expression" and skips the statement
            steps.append(Step(low, attr, _shift(tree, arg_at), None, span, label))  # type: ignore[arg-type]
    return Transform(name, knob, requirements, tuple(steps), "native", text, req_span, unsupported)


def _first_word(text: str) -> str:
    m = re.match(r"[^\s=]+", text)
    return m.group(0) if m else text


def _string_literal(node: ast.Expr) -> str | None:
    while isinstance(node, ast.Paren):
        node = node.inner
    if isinstance(node, ast.Literal) and isinstance(node.value, str):
        return node.value
    return None


def _shift(tree: ast.Expr, by: int) -> ast.Expr:
    """The tree with every span moved by ``by`` (parsed from a slice of the text)."""
    if by == 0:
        return tree

    def go(node: Any) -> Any:
        if isinstance(node, Span):
            return Span(node.start + by, node.end + by)
        if isinstance(node, tuple):
            return tuple(go(x) for x in node)
        if dataclasses.is_dataclass(node) and not isinstance(node, type):
            return dataclasses.replace(
                node, **{f.name: go(getattr(node, f.name)) for f in dataclasses.fields(node)}
            )
        return node

    out: ast.Expr = go(tree)
    return out


def strip_target(tree: ast.Expr) -> ast.Expr:
    """``TARGET.x`` as ``MY.x`` (old-style Requirements: the job was TARGET there)."""
    return _map_refs(
        tree,
        lambda n: (
            dataclasses.replace(n, base=ast.AttrRef("MY", n.base.span))
            if isinstance(n, ast.Select) and n.scope == "TARGET"
            else None
        ),
    )


def transform_names(model: ConfigModel) -> list[str]:
    """``JOB_TRANSFORM_NAMES`` as the schedd reads it (a name ``NAMES`` is skipped)."""
    value = model.value("JOB_TRANSFORM_NAMES") or ""
    return [n for n in re.split(r"[\s,]+", value) if n and n.upper() != "NAMES"]


def read_pipeline(
    model: ConfigModel,
    records: Mapping[str, tuple[ast.Record, str]] | None = None,
    old_syntax: bool = True,
) -> list[Transform]:
    """The transforms of ``JOB_TRANSFORM_NAMES``, in order. ``records``: old-style knobs
    already parsed (knob name, any case -> record and its text) to reuse; ``old_syntax``
    False drops old-style transforms as the schedd does from HTCondor 25.8 on."""
    parsed = {k.lower(): v for k, v in (records or {}).items()}
    out = []
    for name in transform_names(model):
        knob = f"JOB_TRANSFORM_{name}"
        entry = model.lookup(knob)
        if entry is None or not entry.value.strip():
            continue
        if entry.value.lstrip().startswith("["):
            if not old_syntax:
                continue
            hit = parsed.get(knob.lower())
            if hit is None:
                text = model.expand_entry(entry).text.strip()
                try:
                    record = parse_record(text, ParseOptions())
                except ClassAdSyntaxError:
                    continue  # the schedd drops a transform it cannot parse
                hit = (record, text) if isinstance(record, ast.Record) else None
            if hit is not None:
                out.append(from_record(name, entry.name, hit[0], hit[1]))
            continue
        native = _from_config_ast(name, entry, model)
        out.append(native if native is not None else from_native(name, entry.name, entry.value))
    return out


def _from_config_ast(name: str, entry: Entry, model: ConfigModel) -> Transform | None:
    """A native transform read by the config package's transform parser (when installed),
    its values with the configuration's macros expanded as the schedd expands them.
    Statements whose value depends on the job's text (``$(MY.x)``), on the transform's
    own variables or on macro functions, ``if`` blocks and regex forms: unsupported."""
    try:
        from classadlint.config.transform import (
            CopyAttr,
            DeleteAttr,
            EnvelopeLine,
            SetAttr,
            parse_transform,
            source_from_entry,
        )
        from classadlint.config.transform.apply import Macros
    except ImportError:
        return None
    from classadlint.config.model import find_macro

    source = source_from_entry(entry)
    parsed = parse_transform(source, name)
    macros = Macros(config=model)
    steps: list[Step] = []
    unsupported = None if parsed.valid else "HTCondor refuses this transform"
    if parsed.iteration is not None or parsed.iterate is not None:
        unsupported = "TRANSFORM iterates"

    def expanded(text: str) -> str | None:
        pos = 0
        while (m := find_macro(text, pos)) is not None:
            pos = m.end
            if m.fn or m.name.lower().startswith("my.") or macros.lookup(m.name) is None:
                return None
        return macros.expand(text)

    for stmt in parsed.statements:
        span = Span(stmt.piece.start, stmt.piece.end)
        if isinstance(stmt, EnvelopeLine):
            continue
        if isinstance(stmt, SetAttr):
            text = expanded(stmt.value.text)
            if text is None:
                unsupported = (
                    unsupported or f"`{stmt.piece.text.split()[0]}` uses a macro of the job"
                )
                continue
            op: Op = {"SET": "set", "DEFAULT": "default", "EVALSET": "evalset"}[stmt.keyword]  # type: ignore[assignment]
            strings: Literal["old", "new"] = "new" if op == "evalset" else "old"
            try:
                tree = parse_expr(text, ParseOptions(strings=strings))
            except ClassAdSyntaxError:
                continue  # HTCondor skips a statement whose value does not parse
            label = f"{stmt.keyword} {stmt.attr.text}"
            steps.append(Step(op, stmt.attr.text, tree, None, span, label))
        elif isinstance(stmt, CopyAttr) and stmt.regex is None:
            keyword = "copy" if stmt.keyword == "COPY" else "rename"
            label = f"{stmt.keyword} {stmt.source.text}"
            steps.append(Step(keyword, stmt.source.text, None, stmt.target.text, span, label))  # type: ignore[arg-type]
        elif isinstance(stmt, DeleteAttr) and stmt.regex is None:
            label = f"DELETE {stmt.source.text}"
            steps.append(Step("delete", stmt.source.text, None, None, span, label))
        else:
            unsupported = unsupported or f"`{stmt.piece.text.split()[0]}` is not modelled"
    requirements = None
    req_span = _NOWHERE
    if parsed.requirements is not None:
        try:
            tree = parse_expr(parsed.requirements.text, ParseOptions(strings="old"))
            requirements = _shift(tree, parsed.requirements.start)
            req_span = Span(parsed.requirements.start, parsed.requirements.end)
        except ClassAdSyntaxError:
            unsupported = unsupported or "REQUIREMENTS does not parse"
    return Transform(
        name,
        entry.name,
        requirements,
        tuple(steps),
        "native",
        source.text,
        req_span,
        unsupported,
        tuple(source.origins),
    )


def entry_of(model: ConfigModel, transform: Transform) -> Entry | None:
    return model.lookup(transform.knob)


# --- applying to a concrete job ------------------------------------------------------------


@dataclass
class Applied:
    """The job after the pipeline, and which transforms applied to it."""

    job: ClassAd
    applied: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def applies(value: object) -> bool:
    """A REQUIREMENTS value that makes the transform apply: true or a non-zero number."""
    if isinstance(value, bool):
        return value
    return isinstance(value, int | float) and value != 0


def apply(
    transforms: Sequence[Transform],
    job: ClassAd,
    *,
    user_maps: Mapping[str, Mapping[str, str]] | None = None,
    clock: Callable[[], float] | None = None,
) -> Applied:
    """Run the pipeline on a copy of ``job`` with our evaluator."""
    from classadlint.classad.ad import ClassAd
    from classadlint.classad.evaluate import evaluate

    ad = ClassAd({name: job[name] for name in job})
    out = Applied(ad)
    options = ParseOptions()
    kw: dict[str, Any] = {"options": options, "user_maps": user_maps}
    if clock is not None:
        kw["clock"] = clock
    for t in transforms:
        if t.unsupported is not None:
            raise PipelineError(f"{t.knob}: {t.unsupported}")
        if t.requirements is not None and not applies(evaluate(t.requirements, ad, None, **kw)):
            out.skipped.append(t.name)
            continue
        for step in t.steps:
            present = step.attr in ad
            if step.op == "set" or (step.op == "default" and not present):
                assert step.expr is not None
                ad[step.attr] = step.expr
            elif step.op == "evalset" or (step.op == "evaldefault" and not present):
                assert step.expr is not None
                ad[step.attr] = evaluate(step.expr, ad, None, **kw)
            elif step.op in ("copy", "rename") and present:
                assert step.new is not None
                ad[step.new] = ad[step.attr]
                if step.op == "rename":
                    del ad[step.attr]
            elif step.op == "delete" and present:
                del ad[step.attr]
        out.applied.append(t.name)
    return out


# --- rewriting over the submitted job -------------------------------------------------------


@dataclass(frozen=True)
class _Orig:
    name: str


@dataclass(frozen=True)
class _Value:
    expr: ast.Expr  # over the submitted job, already evaluated at that point


@dataclass(frozen=True)
class _Lazy:
    expr: ast.Expr  # as written: evaluated in whichever state reads it


@dataclass(frozen=True)
class _Cond:
    test: ast.Expr  # over the submitted job; always true or false
    then: _Entry
    otherwise: _Entry


_ABSENT = _Value(ast.Literal(UNDEFINED, _NOWHERE))
_Entry = _Orig | _Value | _Lazy | _Cond
State = dict[str, _Entry]

#: Past this many nodes a rewritten expression is not worth a solver's time.
MAX_NODES = 20_000


class Symbolic:
    """The pipeline as rewrites: :meth:`after` turns an expression about the transformed
    job into one about the submitted job, :meth:`before` one about the job a given
    transform sees. Attribute references in the results mean the submitted job's."""

    def __init__(self, transforms: Sequence[Transform]) -> None:
        self.transforms = list(transforms)
        self.states: list[State] = [{}]  # states[k]: what transform k sees
        self.guards: list[ast.Expr | None] = []  # when transform k applies
        self.approximations: set[str] = set()
        self.spelling: dict[str, str] = {}  # lower-case name -> as a transform writes it
        for t in self.transforms:
            for step in t.steps:
                for name in (step.attr, step.new):
                    if name is not None:
                        self.spelling.setdefault(name.lower(), name)
        state: State = {}
        for t in self.transforms:
            if t.unsupported is not None:
                raise PipelineError(f"{t.knob}: {t.unsupported}")
            guard = None
            if t.requirements is not None:
                guard = _applies_expr(self.resolve(t.requirements, state))
            self.guards.append(guard)
            new = dict(state)
            for step in t.steps:
                self._step(step, new)
            if guard is None:
                state = new
            else:
                keys = set(new) | set(state)
                state = {
                    k: _Cond(
                        guard,
                        new.get(k, _Orig(self.spelling.get(k, k))),
                        state.get(k, _Orig(self.spelling.get(k, k))),
                    )
                    for k in keys
                    if new.get(k) is not state.get(k)
                } | {k: v for k, v in state.items() if new.get(k) is v}
            self.states.append(state)

    # a statement's effect on the state of the transform it belongs to
    def _step(self, step: Step, state: State) -> None:
        attr = step.attr.lower()
        old = state.get(attr, _Orig(step.attr))
        if step.op == "set":
            assert step.expr is not None
            state[attr] = _Lazy(step.expr)
        elif step.op == "evalset":
            assert step.expr is not None
            state[attr] = _Value(self.resolve(step.expr, state))
        elif step.op in ("default", "evaldefault"):
            assert step.expr is not None
            self.approximations.add("DEFAULT: an attribute set to `undefined` counts as missing")
            missing = _call("isUndefined", [_paren(self.render(old, state))])
            value: _Entry = (
                _Lazy(step.expr) if step.op == "default" else _Value(self.resolve(step.expr, state))
            )
            state[attr] = _Cond(missing, value, old)
        elif step.op in ("copy", "rename"):
            assert step.new is not None
            self.approximations.add(
                "COPY/RENAME: an attribute set to `undefined` counts as missing"
            )
            new = step.new.lower()
            missing = _call("isUndefined", [_paren(self.render(old, state))])
            state[new] = _Cond(missing, state.get(new, _Orig(step.new)), old)
            if step.op == "rename":
                state[attr] = _ABSENT
        elif step.op == "delete":
            state[attr] = _ABSENT

    def render(
        self,
        entry: _Entry,
        state: State,
        active: frozenset[str] = frozenset(),
        match: bool = False,
    ) -> ast.Expr:
        if isinstance(entry, _Orig):
            return ast.AttrRef(entry.name, _NOWHERE)
        if isinstance(entry, _Value):
            return entry.expr
        if isinstance(entry, _Lazy):
            return self.resolve(entry.expr, state, active, match)
        return _call(
            "ifThenElse",
            [
                entry.test,
                _paren(self.render(entry.then, state, active, match)),
                _paren(self.render(entry.otherwise, state, active, match)),
            ],
        )

    def resolve(
        self,
        expr: ast.Expr,
        state: State,
        active: frozenset[str] = frozenset(),
        match: bool = False,
    ) -> ast.Expr:
        """``expr`` evaluated in the job ``state`` describes, over the submitted job.
        ``match``: evaluated in a match (``TARGET.x`` is the other ad's and kept), not
        against the job alone (where ``TARGET.x`` is UNDEFINED)."""

        def attr(name: str) -> ast.Expr:
            low = name.lower()
            entry = state.get(low)
            if entry is None:
                return ast.AttrRef(name, _NOWHERE)
            if low in active:  # a reference to an attribute being evaluated: UNDEFINED
                return ast.Literal(UNDEFINED, _NOWHERE)
            return _paren(self.render(entry, state, active | {low}, match))

        def rewrite(n: Any) -> ast.Expr | None:
            if isinstance(n, ast.AttrRef) and n.name.lower() not in _SPECIAL:
                return attr(n.name)
            if isinstance(n, ast.Select) and n.scope == "MY":
                return attr(n.name)
            if isinstance(n, ast.Select) and n.scope == "TARGET" and not match:
                return ast.Literal(UNDEFINED, _NOWHERE)  # the job is evaluated alone
            return None

        out = _map_refs(expr, rewrite)
        if _size(out) > MAX_NODES:
            raise PipelineError("the transforms rewrite this expression into one too large")
        return out

    def after(self, expr: ast.Expr) -> ast.Expr:
        """``expr`` about the job after every transform, over the submitted job."""
        return self.resolve(expr, self.states[-1])

    def before(self, index: int, expr: ast.Expr) -> ast.Expr:
        """``expr`` about the job transform ``index`` sees, over the submitted job."""
        return self.resolve(expr, self.states[index])

    def guard(self, index: int) -> ast.Expr | None:
        """When transform ``index`` applies (None: always), over the submitted job."""
        return self.guards[index]

    def step_value(self, index: int, step_index: int) -> ast.Expr:
        """The value statement ``step_index`` of transform ``index`` gives its attribute:
        for SET the expression as read in the final job in a match (its references to
        the other ad kept), for EVALSET its value then, against the job alone."""
        t = self.transforms[index]
        state = dict(self.states[index])
        for step in t.steps[:step_index]:
            self._step(step, state)
        step = t.steps[step_index]
        assert step.expr is not None
        if step.op in ("set", "default"):
            return self.resolve(step.expr, self.states[-1], match=True)
        return self.resolve(step.expr, state)


_SPECIAL = frozenset(
    {"my", "target", "other", "self", "parent", "root", "toplevel", "ad", "currenttime"}
)


def _applies_expr(requirements: ast.Expr) -> ast.Expr:
    """``r =?= true || ((isInteger(r) || isReal(r)) && r != 0)``: never UNDEFINED."""
    r = _paren(requirements)
    number = ast.Binary("||", _call("isInteger", [r]), _call("isReal", [r]), _NOWHERE)
    nonzero = ast.Binary("!=", r, ast.Literal(0, _NOWHERE), _NOWHERE)
    return _paren(
        ast.Binary(
            "||",
            ast.Binary("=?=", r, ast.Literal(True, _NOWHERE), _NOWHERE),
            _paren(ast.Binary("&&", _paren(number), nonzero, _NOWHERE)),
            _NOWHERE,
        )
    )


def _call(name: str, args: list[ast.Expr]) -> ast.Call:
    return ast.Call(name, tuple(args), _NOWHERE)


def _paren(e: ast.Expr) -> ast.Expr:
    return e if isinstance(e, ast.Paren | ast.Literal | ast.AttrRef) else ast.Paren(e, _NOWHERE)


def _map_refs(tree: ast.Expr, fn: Callable[[Any], ast.Expr | None]) -> ast.Expr:
    return ast.rewrite(tree, lambda n: fn(n) if isinstance(n, ast.AttrRef | ast.Select) else None)


def _size(tree: ast.Expr) -> int:
    return sum(1 for _ in ast.walk(tree))


def steps_with_values(t: Transform) -> Iterator[tuple[int, Step]]:
    """Statements that give an attribute a value (SET, EVALSET, DEFAULT, EVALDEFAULT)."""
    for k, step in enumerate(t.steps):
        if step.expr is not None:
            yield k, step


__all__ = [
    "Applied",
    "PipelineError",
    "Step",
    "Symbolic",
    "Transform",
    "applies",
    "apply",
    "from_native",
    "from_record",
    "read_pipeline",
    "steps_with_values",
    "strip_target",
    "transform_names",
]
