"""Where each expression-valued knob is evaluated: which ad is MY, which is TARGET.

The knowledge is data (``data/knob_contexts.toml``, an encoding of HTCondor's behaviour
that param_info.in does not record); this module only applies its ordered rules to a name.
Rules also cover names no param table lists (``SUBMIT_REQUIREMENT_<Name>``,
``SYSTEM_PERIODIC_HOLD_<Name>``, ``JOB_TRANSFORM_<Name>``, ``SLOT2_START``), so lookups go
through the rules, never through a fixed list of knobs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from classadlint.schema.provenance import load_toml

AdKind = Literal[
    "slot", "job", "schedd", "submitter", "accounting-group", "daemon", "token", "route", "any"
]
ValueType = Literal[
    "expression", "transform", "classad", "list", "bool", "int", "double", "string", "path"
]

_CONTEXT_FILE = "knob_contexts.toml"


@dataclass(frozen=True)
class Context:
    """The ads an expression sees when HTCondor evaluates it.

    ``my`` None means no MY ad (unqualified names resolve only through ``aliases``);
    ``target`` None means no TARGET (``TARGET.x`` is UNDEFINED: CA303).
    """

    my: AdKind | None
    target: AdKind | None = None
    target_optional: bool = False
    aliases: dict[str, AdKind] = field(default_factory=dict)
    daemon: str | None = None
    result: str = "any"
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"my": self.my, "target": self.target}
        if self.target_optional:
            out["target_optional"] = True
        if self.aliases:
            out["aliases"] = dict(self.aliases)
        if self.daemon:
            out["daemon"] = self.daemon
        out["result"] = self.result
        return out

    def ad_for_scope(self, scope: str) -> AdKind | None:
        """The ad a scope prefix (MY, TARGET, or an alias such as JOB) names here."""
        s = scope.upper()
        if s == "MY":
            return self.my
        if s == "TARGET":
            return self.target
        for name, ad in self.aliases.items():
            if name.upper() == s:
                return ad
        return None


@dataclass(frozen=True)
class Rule:
    names: frozenset[str]
    pattern: re.Pattern[str] | None
    type: ValueType | None
    context: Context | None
    inherit: str | None

    def match(self, name: str) -> re.Match[str] | bool:
        if name.upper() in self.names:
            return True
        if self.pattern is not None:
            m = self.pattern.fullmatch(name)
            if m is not None:
                return m
        return False


def _context(d: dict[str, Any]) -> Context:
    return Context(
        my=d.get("my"),
        target=d.get("target"),
        target_optional=bool(d.get("target_optional", False)),
        aliases=dict(d.get("aliases", {})),
        daemon=d.get("daemon"),
        result=str(d.get("result", "any")),
        note=str(d.get("note", "")),
    )


@cache
def rules() -> tuple[Rule, ...]:
    """The ordered rules of knob_contexts.toml."""
    out = []
    for d in load_toml(_CONTEXT_FILE)["rule"]:
        has_ctx = d.get("type") in ("expression", "transform", "classad")
        out.append(
            Rule(
                names=frozenset(n.upper() for n in d.get("names", [])),
                pattern=re.compile(d["pattern"], re.I) if "pattern" in d else None,
                type=d.get("type"),
                context=_context(d) if has_ctx else None,
                inherit=d.get("inherit"),
            )
        )
    return tuple(out)


@cache
def advertised_context(subsystem: str) -> Context | None:
    """The context of an attribute a daemon advertises (a member of ``<SUBSYS>_ATTRS``)."""
    d = load_toml(_CONTEXT_FILE).get("advertised", {}).get(subsystem.upper())
    return _context(d) if d is not None else None


@cache
def classify(name: str) -> tuple[ValueType | None, Context | None]:
    """(value language, evaluation context) the rules give a knob name, or (None, None)."""
    for rule in rules():
        m = rule.match(name)
        if not m:
            continue
        if rule.inherit is not None:
            assert isinstance(m, re.Match)
            inner = classify(m.group(rule.inherit))
            if inner[0] is None:
                continue  # e.g. SLOT_TYPE_1_PARTITIONABLE: not a knob we know the context of
            return inner
        return rule.type, rule.context
    return None, None


_PARAM_TYPES: dict[str, ValueType] = {
    "bool": "bool",
    "int": "int",
    "long": "int",
    "double": "double",
    "path": "path",
    "string": "string",
}


def annotate(name: str, entry: dict[str, Any]) -> dict[str, Any]:
    """The fields a generated knob entry gets from the rules: value type, expression flag and
    evaluation context. A declared bool/int/double type wins over a list rule."""
    param_type = _PARAM_TYPES.get(str(entry.get("param_type", "string")), "string")
    vtype, ctx = classify(name)
    if vtype is None or (vtype in ("list", "bool") and param_type in ("bool", "int", "double")):
        vtype = param_type
    out: dict[str, Any] = {"type": vtype, "expression": vtype == "expression"}
    if ctx is not None:
        out["context"] = ctx.to_json()
    return out
