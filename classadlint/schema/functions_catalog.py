"""Declarative metadata of the built-in ClassAd functions (``data/functions.toml``): the one
source of truth for names, arity bounds, the layer that registers each function, argument
kinds and result types. The evaluator implements the functions; the linter (CA203
call-arity, CA204 unknown-function, CA206 type-mismatch) reads this.

Arity errors are not parse errors in HTCondor: a call with a wrong count evaluates to
ERROR, and an unknown name too, which is why a linter has to know them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

from classadlint.schema.provenance import Provenance, load_toml

FUNCTIONS_FILE = "functions.toml"

Layer = Literal["core", "htcondor", "daemon"]


@dataclass(frozen=True)
class FunctionInfo:
    """One built-in function. ``max_args`` None: variadic (the last kind repeats)."""

    name: str
    min_args: int
    max_args: int | None
    layer: Layer
    daemons: tuple[str, ...]
    args: tuple[str, ...]
    result: str
    never_undefined: bool = False

    def accepts(self, count: int) -> bool:
        """True when a call with that many arguments has the right arity."""
        return count >= self.min_args and (self.max_args is None or count <= self.max_args)

    def arg_kind(self, index: int) -> str:
        """The kind of argument number ``index`` (0-based); the last kind repeats."""
        if not self.args:
            return "any"
        return self.args[min(index, len(self.args) - 1)]

    def arity_text(self) -> str:
        """``3``, ``2-3``, ``1 or more`` — for messages."""
        if self.max_args is None:
            return f"{self.min_args} or more"
        if self.min_args == self.max_args:
            return str(self.min_args)
        return f"{self.min_args}-{self.max_args}"

    def available_in(self, daemon: str | None, *, htcondor: bool = True) -> bool:
        """Whether a call resolves where the expression is evaluated: core functions
        everywhere, HTCondor-layer ones unless ``htcondor`` is False (bare classad
        library), daemon-specific ones only in their daemons (``daemon`` None: unknown
        context, assume available)."""
        if self.layer == "core":
            return True
        if self.layer == "htcondor":
            return htcondor
        return daemon is None or daemon.lower() in self.daemons


@cache
def _table() -> dict[str, FunctionInfo]:
    out: dict[str, FunctionInfo] = {}
    for name, d in load_toml(FUNCTIONS_FILE).items():
        if name == "provenance":
            continue
        out[name.lower()] = FunctionInfo(
            name=name,
            min_args=int(d["min"]),
            max_args=int(d["max"]) if "max" in d else None,
            layer=d.get("layer", "core"),
            daemons=tuple(x.lower() for x in d.get("daemons", ())),
            args=tuple(d.get("args", ())),
            result=str(d.get("result", "any")),
            never_undefined=bool(d.get("never_undefined", False)),
        )
    return out


def function(name: str) -> FunctionInfo | None:
    """The built-in of that name in any case, or None (a call to it evaluates to ERROR)."""
    return _table().get(name.lower())


def all_functions() -> tuple[FunctionInfo, ...]:
    """Every built-in, in catalog order."""
    return tuple(_table().values())


def names(layer: Layer | None = None) -> tuple[str, ...]:
    """Function names as HTCondor spells them, optionally of one layer (for did-you-mean)."""
    return tuple(f.name for f in _table().values() if layer is None or f.layer == layer)


def catalog_provenance() -> Provenance:
    """The HTCondor version the function catalog describes."""
    p = load_toml(FUNCTIONS_FILE)["provenance"]
    return Provenance(p["htcondor_version"], p["htcondor_commit"], p["source"], p["generator"])
