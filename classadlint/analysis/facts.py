"""What a valid ad looks like, as constraints for the symbolic engine.

Without facts every attribute could be absent or any scalar, and a question such as "can
START be UNDEFINED?" would always be answered "yes, when Cpus is missing" — true of
arbitrary ads, useless for real ones. The attribute catalog (``classadlint.schema``) says
which attributes HTCondor always sets in a job or slot ad and their types; resources and
counters are never negative; a site declares its own attributes (STARTD_ATTRS...) with a
type. Everything else stays unconstrained: absent, or any boolean, number or string.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache

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

#: Numeric attributes that cannot be negative: resources, counters, epoch times.
NON_NEGATIVE = re.compile(
    r"(Request|Total|Detected|Max|Min)?(Cpus|Memory|Disk|GPUs|Swap|VirtualMemory|ImageSize)"
    r"|Num\w+|\w+Count|\w+Date|QDate|EnteredCurrentStatus|\w+Usage|ResidentSetSize",
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

    def fact(self, side: str, name: str) -> AttrFact:
        mine = self.declared.get(side, {}).get(name.lower())
        if mine is not None:
            return mine
        if self.use_catalog:
            found = _from_catalog(side, name)
            if found is not None:
                return found
        return DEFAULT_FACT

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
