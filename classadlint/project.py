"""A Project: the files given, the config model built from them, and their parsed
expression knobs — the single entry point the CLI, the language server and library users
share, so nothing is parsed twice."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from classadlint.classad import ast
from classadlint.classad.errors import ClassAdSyntaxError
from classadlint.classad.parser import ParseOptions, parse_expr, parse_record
from classadlint.config.model import ConfigModel, CycleCheck, Entry, Expanded, build_model
from classadlint.config.parser import ConfigFile
from classadlint.source import SourceFile

#: Knobs whose value the consuming daemon parses as a ClassAd expression (reference 6.1).
EXPRESSION_KNOBS = re.compile(
    r"(START|RANK|PREEMPT|SUSPEND|CONTINUE|KILL|WANT_SUSPEND|WANT_VACATE|WANT_HOLD"
    r"|WANT_HOLD_REASON|WANT_HOLD_SUBCODE|PERIODIC_CHECKPOINT|IS_OWNER|MAXJOBRETIREMENTTIME"
    r"|PREEMPTION_REQUIREMENTS|PREEMPTION_RANK|NEGOTIATOR_PRE_JOB_RANK|NEGOTIATOR_POST_JOB_RANK"
    r"|SYSTEM_PERIODIC_(HOLD|RELEASE|REMOVE|VACATE)(_(?!NAMES\Z)\w+)?"
    r"|SUBMIT_REQUIREMENT_(?!NAMES\Z)\w+|APPEND_REQUIREMENTS|APPEND_RANK|START_LOCAL_UNIVERSE"
    r"|START_SCHEDULER_UNIVERSE|SLOT\d+_START|SLOT_TYPE_\d+_START)\Z",
    re.I,
)

#: Macros whose value exists only at run time (kept as written by the model): an expression
#: holding one cannot be checked statically.
RUN_TIME_MACRO = re.compile(r"\$(RANDOM_CHOICE|RANDOM_INTEGER|ENV|EVAL|STRING)\(|\$\([A-Z_]+\)")

#: Old-style job transforms and routes: the value is a ClassAd ``[ set_X = ...; ]``.
RECORD_KNOBS = re.compile(r"(JOB_TRANSFORM_(?!NAMES\Z)\w+|JOB_ROUTER_ROUTE_\w+)\Z", re.I)


@dataclass
class ExpressionKnob:
    """An expression-valued knob: its definition, its expansion and its parse."""

    entry: Entry
    expanded: Expanded
    tree: ast.Expr | None
    error: ClassAdSyntaxError | None
    #: for an expression inside a native transform: the statement that holds it
    #: (REQUIREMENTS, SET, DEFAULT, EVALSET, EVALMACRO or if) and its line in the transform
    statement: tuple[str, int] | None = None


@dataclass
class ParseCache:
    """Parses kept from one Project to the next: the language server builds a new Project on
    every edit, and only the text that changed needs parsing again. Config files are kept
    by path (valid while their text is the same), expressions by their expanded text."""

    configs: dict[str, ConfigFile] = field(default_factory=dict)
    #: the cycle check's answers (see :class:`~classadlint.config.model.CycleCheck`)
    cycles: dict[tuple[str, str], CycleCheck] = field(default_factory=dict)
    expressions: dict[tuple[bool, str], tuple[ast.Expr | None, ClassAdSyntaxError | None]] = field(
        default_factory=dict
    )
    max_expressions: int = 50_000

    def parse(
        self, text: str, is_record: bool
    ) -> tuple[ast.Expr | None, ClassAdSyntaxError | None]:
        key = (is_record, text)
        hit = self.expressions.get(key)
        if hit is None:
            if len(self.expressions) >= self.max_expressions:
                self.expressions.clear()
            hit = self.expressions[key] = _parse_knob_text(text, is_record)
        return hit


def _parse_knob_text(
    text: str, is_record: bool
) -> tuple[ast.Expr | None, ClassAdSyntaxError | None]:
    try:
        if is_record:
            return parse_record(text.strip(), ParseOptions()), None
        return parse_expr(text, ParseOptions(strings="old")), None
    except ClassAdSyntaxError as exc:
        return None, exc


@dataclass
class Project:
    paths: list[Path]
    files: list[Path]
    subsystem: str = "TOOL"
    #: Editor buffers to read instead of the files on disk (by resolved path).
    texts: Mapping[str, str] | None = None
    cache: ParseCache | None = None
    model: ConfigModel = field(init=False)
    #: What rules derive from the whole project, computed once per project (several rules
    #: ask for the site's facts), by the name and inputs of the derivation.
    derived: dict[tuple[object, ...], object] = field(
        init=False, default_factory=dict, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        root = Path.cwd()
        self.model = build_model(
            self.files,
            subsystem=self.subsystem,
            root=root if all(_inside(f, root) for f in self.files) else None,
            texts=self.texts,
            parsed=self.cache.configs if self.cache is not None else None,
            cycle_memo=self.cache.cycles if self.cache is not None else None,
        )

    @cached_property
    def sources(self) -> dict[str, SourceFile]:
        return {path: SourceFile(path, cf.text) for path, cf in self.model.files.items()}

    @cached_property
    def expression_knobs(self) -> list[ExpressionKnob]:
        """Expression knobs, old-style transforms and the expressions inside native
        transforms, expanded and parsed (once)."""
        out = []
        # a heredoc never closed runs to the end of the file: CA102 says so, its text is noise
        unterminated = {(f, e.line) for f, e in self.model.errors if e.code == "CA102"}
        for entry in self.model.entries.values():
            base = entry.name.split(".")[-1]
            if entry.file is None or not entry.value or (entry.file, entry.line) in unterminated:
                continue
            is_record = bool(RECORD_KNOBS.match(base)) and entry.value.lstrip().startswith("[")
            if not (is_record or EXPRESSION_KNOBS.match(base)):
                continue
            expanded = self.model.expand_entry(entry)
            if RUN_TIME_MACRO.search(expanded.text):
                continue
            if self.cache is not None:
                tree, error = self.cache.parse(expanded.text, is_record)
            else:
                tree, error = _parse_knob_text(expanded.text, is_record)
            if is_record:
                lead = len(expanded.text) - len(expanded.text.lstrip())
                if lead or error is not None:
                    expanded.text = expanded.text.strip()
                    expanded.origins = expanded.origins[lead : lead + len(expanded.text)]
            out.append(ExpressionKnob(entry, expanded, tree, error))
        # the ClassAd values inside native transforms (JOB_TRANSFORM_<name> and routes)
        from classadlint.config.transform.lint import transform_expressions

        for found in transform_expressions(self.model, unterminated):
            out.append(
                ExpressionKnob(
                    found.knob.entry,
                    found.expanded,
                    found.tree,
                    found.error,
                    (found.role, found.line),
                )
            )
        return out

    def locate(self, knob: ExpressionKnob, index: int) -> tuple[str, int, int, int | None]:
        """file, line, col (1-based) and offset of character ``index`` of an expansion;
        characters that came from a built-in default point at the assignment."""
        origins = knob.expanded.origins
        origin = origins[min(index, len(origins) - 1)] if origins else None
        if origin is not None and origin.file is not None and origin.offset is not None:
            src = self.sources.get(origin.file)
            if src is not None:
                pos = src.position(origin.offset)
                return origin.file, pos.line, pos.col, origin.offset
        return knob.entry.file or "", knob.entry.line or 0, 1, None


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True
