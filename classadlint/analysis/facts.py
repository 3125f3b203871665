"""What a valid ad looks like, as constraints for the symbolic engine.

Without facts every attribute could be absent or any scalar, and a question such as "can
START be UNDEFINED?" would always be answered "yes, when Cpus is missing" — true of
arbitrary ads, useless for real ones. The attribute catalog (``classadlint.schema``) says
which attributes HTCondor always sets in a job or slot ad and their types; resources and
counters are never negative; a site declares its own attributes (STARTD_ATTRS...) with a
type. Everything else stays unconstrained: absent, or any boolean, number or string.

Two refinements keep witnesses realistic without hiding real defects (both optional):
``exclusive`` — an attribute HTCondor defines for another kind of ad is absent from a
schedd or submitter ad (a schedd ad has no ``RequestCpus``), unless the site declares it
there; a slot ad may hold it (the startd copies attributes of the running job into it,
``MY.NiceUser`` in PREEMPTION_REQUIREMENTS), with that attribute's type; ``usage`` — an
attribute no catalog knows takes the type its own expression gives it (``JobStart`` in
``time() - JobStart`` is a number, ``Project == "cms"`` a string): a witness then shows an
absent attribute, the real pitfall, rather than a string where the policy obviously
expects a number. See :func:`usage_kinds`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache

from classadlint.classad import ast

_CATALOG_KINDS: dict[str, frozenset[str]] = {
    "bool": frozenset("B"),
    "boolean": frozenset("B"),
    "int": frozenset("I"),
    "integer": frozenset("I"),
    "real": frozenset("R"),
    "double": frozenset("R"),
    "number": frozenset("IR"),
    "string": frozenset("S"),
    "list": frozenset("O"),
    "classad": frozenset("O"),
    "expression": frozenset("BIRS"),
    "any": frozenset("BIRS"),
}

#: Numeric attributes that cannot be negative: resources, counters, epoch times and
#: durations (JobStart, EnteredCurrentActivity, KeyboardIdle, RemoteWallClockTime...).
NON_NEGATIVE = re.compile(
    r"(Request|Total|Detected|Max|Min)?(Cpus|Memory|Disk|GPUs|Swap|VirtualMemory|ImageSize)"
    r"|Num\w+|\w+Count|\w+Date|QDate|EnteredCurrent\w+|\w+Usage|ResidentSetSize"
    r"|JobStart|\w*Idle|\w+(Clock|Cpu|Busy)Time|LastHeardFrom",
    re.I,
)


@dataclass(frozen=True)
class AttrFact:
    """The values one attribute may take in a valid ad."""

    kinds: frozenset[str]  # among B I R S O; "U" added unless always set
    always: bool = False
    non_negative: bool = False
    source: str = "default"

    def allowed(self, allow_error: bool = False) -> frozenset[str]:
        k = set(self.kinds)
        if not self.always:
            k.add("U")
        if allow_error:
            k.add("E")
        return frozenset(k)


DEFAULT_FACT = AttrFact(frozenset("BIRS"))
#: Kinds of ad that never hold another kind's attributes (``Facts.exclusive``).
EXCLUSIVE_SIDES = frozenset({"schedd", "submitter"})
#: An attribute that is never present in this kind of ad.
ABSENT_FACT = AttrFact(frozenset(), source="exclusive")


@dataclass(frozen=True)
class Facts:
    """Per side (``job``, ``machine``, ...): attribute name (lower case) -> fact.

    ``use_catalog`` consults HTCondor's attribute catalog for names not declared here;
    ``allow_error`` lets attributes hold ERROR (an ad with ``x = 1/0``), off by default
    because HTCondor never sets such values itself.
    """

    declared: Mapping[str, Mapping[str, AttrFact]] = field(default_factory=dict)
    use_catalog: bool = True
    allow_error: bool = False
    exclusive: bool = False
    usage: Mapping[str, frozenset[str]] = field(default_factory=dict)  # lower name -> kinds

    def fact(self, side: str, name: str) -> AttrFact:
        mine = self.declared.get(side, {}).get(name.lower())
        if mine is not None:
            return mine
        if self.use_catalog:
            found = _from_catalog(side, name)
            if found is not None:
                return found
            if self.exclusive:
                other = _elsewhere(side, name)
                if other is not None:
                    # a schedd ad never holds a job attribute; a slot ad may (the startd
                    # copies the running job's), with the job attribute's type
                    return ABSENT_FACT if side in EXCLUSIVE_SIDES else other
        used = self.usage.get(name.lower())
        if used:
            return AttrFact(used, source="usage")
        return DEFAULT_FACT

    def with_usage(self, usage: Mapping[str, frozenset[str]]) -> Facts:
        """A copy where attributes no catalog knows take these kinds (see usage_kinds)."""
        return replace(self, usage=dict(usage))

    def declare(self, side: str, name: str, type_name: str, always: bool = False) -> Facts:
        """A copy with a site attribute added (``type_name`` as in the catalog: int, string...)."""
        kinds = _CATALOG_KINDS.get(type_name.lower())
        if kinds is None:
            raise ValueError(f"unknown attribute type {type_name!r} for {name}")
        declared = {s: dict(m) for s, m in self.declared.items()}
        non_neg = bool(NON_NEGATIVE.fullmatch(name)) and kinds <= {"I", "R"}
        declared.setdefault(side, {})[name.lower()] = AttrFact(kinds, always, non_neg, "site")
        return replace(self, declared=declared)


@lru_cache(maxsize=4096)
def _from_catalog(side: str, name: str) -> AttrFact | None:
    try:
        from classadlint.schema.attributes import catalog, catalog_ad
    except ImportError:  # the catalog is optional data; without it nothing is assumed
        return None
    ad = catalog_ad(side)
    if ad is None:
        return None
    try:
        info = catalog().get(ad, name)
    except (FileNotFoundError, KeyError, ValueError):
        return None
    if info is None:
        return None
    kinds = _CATALOG_KINDS.get(info.type, DEFAULT_FACT.kinds)
    non_neg = bool(NON_NEGATIVE.fullmatch(info.name)) and kinds <= {"I", "R"}
    return AttrFact(kinds, info.always, non_neg, f"catalog:{info.source}")


@lru_cache(maxsize=4096)
def _elsewhere(side: str, name: str) -> AttrFact | None:
    """The fact of ``name`` in another kind of ad than ``side``, as an optional
    attribute (None when no other kind has it, or ``side`` has no catalog)."""
    try:
        from classadlint.schema.attributes import ADS, catalog_ad
    except ImportError:
        return None
    mine = catalog_ad(side)
    if mine is None:
        return None
    for ad in ADS:
        if ad == mine:
            continue
        found = _from_catalog(ad, name)
        if found is not None:
            return replace(found, always=False, source=f"{found.source} ({ad})")
    return None


_NUMERIC_OPS = frozenset({"+", "-", "*", "/", "%", "<", "<=", ">", ">="})
_EQUALITY = frozenset({"==", "!="})


def usage_kinds(expr: ast.Expr) -> dict[str, frozenset[str]]:
    """The kinds an expression's own operators give its attributes: an operand of
    arithmetic or an ordering next to a number is a number (int or real); one side of
    ``==``/``!=`` takes the kind of a literal on the other side (a string, or a boolean —
    ``StartJobs == True``). Names used in conflicting ways, or never so, get nothing."""
    found: dict[str, set[frozenset[str]]] = {}

    def name_of(node: ast.Expr) -> str | None:
        while isinstance(node, ast.Paren):
            node = node.inner
        if isinstance(node, ast.AttrRef):
            return node.name.lower()
        if isinstance(node, ast.Select) and node.scope in ("MY", "TARGET"):
            return node.name.lower()
        return None

    def literal_kind(node: ast.Expr) -> frozenset[str] | None:
        while isinstance(node, ast.Paren):
            node = node.inner
        if isinstance(node, ast.Unary) and node.op == "-":
            node = node.operand
        if not isinstance(node, ast.Literal):
            return None
        v = node.value
        if isinstance(v, bool):
            return frozenset("B")
        if isinstance(v, int | float):
            return frozenset("IR")
        if isinstance(v, str):
            return frozenset("S")
        return None

    def numeric(node: ast.Expr) -> bool:
        while isinstance(node, ast.Paren):
            node = node.inner
        if literal_kind(node) == frozenset("IR"):
            return True
        if isinstance(node, ast.Binary) and node.op in ("+", "-", "*", "/", "%"):
            return True
        return isinstance(node, ast.Call) and node.name.lower() == "time"

    for node in ast.walk(expr):
        if not isinstance(node, ast.Binary):
            continue
        pairs = ((node.left, node.right), (node.right, node.left))
        for side, other in pairs:
            name = name_of(side)
            if name is None:
                continue
            if node.op in ("+", "-", "*", "/", "%") or (node.op in _NUMERIC_OPS and numeric(other)):
                found.setdefault(name, set()).add(frozenset("IR"))
            elif node.op in _EQUALITY:
                kind = literal_kind(other)
                if kind is not None:
                    found.setdefault(name, set()).add(kind)
    return {name: next(iter(kinds)) for name, kinds in found.items() if len(kinds) == 1}
