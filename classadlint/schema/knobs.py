"""HTCondor's knobs: built-in defaults and types (from its param table), and for expression
knobs the ads they are evaluated in.

``knob("start")`` answers for any spelling, for prefixed names (``STARTD.START``,
``SCHEDD.LOCAL.X``) and for names built at run time that no table lists
(``SUBMIT_REQUIREMENT_Foo``, ``SLOT2_START``): those get their evaluation context from the
rules of :mod:`classadlint.schema.knob_contexts` with ``in_param_table`` False.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from classadlint.schema.knob_contexts import Context, ValueType, annotate, classify
from classadlint.schema.provenance import Provenance, load_json, provenance

if TYPE_CHECKING:
    from classadlint.schema.manual import Description

KNOBS_FILE = "knobs.json"


@dataclass(frozen=True)
class KnobInfo:
    """One knob as HTCondor defines it.

    ``default`` is the raw text of the built-in default (macros unexpanded), None when the
    table gives only per-subsystem defaults or the knob is not in the table. ``computed``
    means the running HTCondor substitutes a value decided at build time (CONDOR_VERSION,
    SEC_DEFAULT_AUTHENTICATION_METHODS), so ``default`` is only the table's fallback.
    """

    name: str
    type: ValueType
    expression: bool
    context: Context | None
    in_param_table: bool
    default: str | None = None
    param_type: str | None = None
    win32_default: str | None = None
    subsystem_defaults: Mapping[str, str] = field(default_factory=dict)
    range: tuple[int | float | None, int | float | None] | None = None
    tags: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    since: str | None = None
    computed: bool = False
    #: For a computed default: what the released HTCondor reports instead of ``default``.
    runtime_default: str | None = None
    restart: str | None = None
    customization: str | None = None

    @property
    def has_default(self) -> bool:
        """True when ``if defined NAME`` holds in an empty configuration."""
        return self.default not in (None, "")

    def default_for(self, subsystem: str | None) -> str | None:
        """The built-in default a daemon of that subsystem sees."""
        if subsystem is not None:
            sub = self.subsystem_defaults.get(subsystem.upper())
            if sub is not None:
                return sub
        return self.default


def _from_json(name: str, d: Mapping[str, Any]) -> KnobInfo:
    ctx = d.get("context")
    rng = d.get("range")
    return KnobInfo(
        name=name,
        type=d["type"],
        expression=bool(d["expression"]),
        context=_context_from_json(ctx) if ctx is not None else None,
        in_param_table=True,
        default=d.get("default"),
        param_type=d.get("param_type"),
        win32_default=d.get("win32_default"),
        subsystem_defaults=dict(d.get("subsystem_defaults", {})),
        range=(rng[0], rng[1]) if rng else None,
        tags=tuple(d.get("tags", ())),
        aliases=tuple(d.get("aliases", ())),
        since=d.get("since"),
        computed=bool(d.get("computed", False)),
        runtime_default=d.get("runtime_default"),
        restart=d.get("restart"),
        customization=d.get("customization"),
    )


def _context_from_json(d: Mapping[str, Any]) -> Context:
    return Context(
        my=d.get("my"),
        target=d.get("target"),
        target_optional=bool(d.get("target_optional", False)),
        aliases=dict(d.get("aliases", {})),
        daemon=d.get("daemon"),
        result=str(d.get("result", "any")),
    )


@cache
def _table() -> dict[str, KnobInfo]:
    raw = load_json(KNOBS_FILE)["knobs"]
    return {name.upper(): _from_json(name, d) for name, d in raw.items()}


def catalog_provenance() -> Provenance:
    """The HTCondor version and commit the knob catalog was generated from."""
    return provenance(KNOBS_FILE)


def strip_prefix(name: str) -> tuple[str | None, str]:
    """``STARTD.START`` -> ("STARTD", "START"); ``SCHEDD.LOCAL.X`` -> ("SCHEDD", "X")."""
    parts = name.split(".")
    if len(parts) == 1:
        return None, name
    return parts[0], parts[-1]


@cache
def knob(name: str) -> KnobInfo | None:
    """What HTCondor knows about a knob name (any case, prefix allowed), or None for a name
    that is neither in the param table nor built by any known rule."""
    _, base = strip_prefix(name)
    info = _table().get(base.upper())
    if info is not None:
        return info
    vtype, ctx = classify(base)
    if vtype is None:
        return None
    ann = annotate(base, {"param_type": "string"})
    return KnobInfo(
        name=base, type=ann["type"], expression=ann["expression"], context=ctx,
        in_param_table=False,
    )  # fmt: skip


def is_expression(name: str) -> bool:
    """True when HTCondor parses the knob's value as a ClassAd expression."""
    info = knob(name)
    return info is not None and info.expression


def context(name: str) -> Context | None:
    """The ads an expression knob is evaluated in (None for knobs that are not evaluated)."""
    info = knob(name)
    return info.context if info is not None else None


def param_table() -> Mapping[str, KnobInfo]:
    """Every knob of the param table, by upper-case name."""
    return _table()


def iter_knobs() -> Iterator[KnobInfo]:
    """Every knob of the param table, in the table's (case-insensitive) name order."""
    return iter(_table().values())


def known_names() -> frozenset[str]:
    """Upper-case names of the param table (for did-you-mean on unknown knobs)."""
    return frozenset(_table())


def description(name: str) -> Description | None:
    """The HTCondor manual's description of a knob (Markdown, with the page it is on), or of
    the documented template its name fits (``SUBMIT_REQUIREMENT_<Name>``); a knob the
    manual documents only under an older alias gets that text. Reads the descriptions file
    on first use only: hover and completion ask, ``check`` never does (nor imports the
    module)."""
    from classadlint.schema import manual

    found = manual.knob_description(name)
    if found is None and (info := knob(name)) is not None:
        for alias in info.aliases:
            found = manual.knob_description(alias)
            if found is not None:
                break
    return found
