"""Attributes of the ads HTCondor matches and evaluates: job, machine (slot), schedd and
submitter ads.

The generated catalog says what HTCondor itself defines. A site adds its own attributes
(STARTD_ATTRS, SUBMIT_ATTRS, transforms, ``+Attr`` in submit files): the model layers them
over the catalog with :meth:`AttributeCatalog.extend`, which returns a new catalog and
never mutates the shared one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from classadlint.schema.provenance import Provenance, load_json, provenance

if TYPE_CHECKING:
    from classadlint.schema.manual import Description

ATTRIBUTES_FILE = "attributes.json"

Ad = Literal["job", "machine", "schedd", "submitter"]
ADS: tuple[Ad, ...] = ("job", "machine", "schedd", "submitter")

# The context vocabulary of knob_contexts.toml names a slot "slot"; its catalog is "machine".
_AD_OF_CONTEXT: dict[str, Ad] = {
    "slot": "machine", "machine": "machine", "job": "job", "schedd": "schedd",
    "submitter": "submitter",
}  # fmt: skip


def catalog_ad(kind: str) -> Ad | None:
    """The attribute catalog for an ad kind of an evaluation context (``slot`` -> machine);
    None for kinds without a catalog (a daemon's own ad, a token, ``any``)."""
    return _AD_OF_CONTEXT.get(kind)


@dataclass(frozen=True)
class AttributeInfo:
    """One attribute of one kind of ad.

    ``always``: HTCondor sets it in every ad of that kind. ``source``: ``reference`` (named
    in HTCondor's attribute reference), ``htcondor-source`` (set by HTCondor but not on its
    reference pages), ``site`` (added by the configuration being checked), ``pattern`` (a
    name matched by a documented template such as ``<name>ComputeUnits``).
    """

    name: str
    ad: Ad
    type: str
    description: str = ""
    always: bool = False
    source: str = "reference"
    origin: str | None = None  # for site attributes: where they were defined (file:line)


@dataclass(frozen=True)
class _Pattern:
    template: str
    regex: re.Pattern[str]
    type: str


@dataclass(frozen=True)
class AttributeCatalog:
    """Attributes by ad, looked up case-insensitively (ClassAd names are)."""

    _by_ad: Mapping[Ad, Mapping[str, AttributeInfo]]
    _patterns: Mapping[Ad, tuple[_Pattern, ...]] = field(default_factory=dict)

    def get(self, ad: Ad, name: str) -> AttributeInfo | None:
        """The attribute of that ad, or one matched by a documented name template."""
        info = self._by_ad.get(ad, {}).get(name.lower())
        if info is not None:
            return info
        for p in self._patterns.get(ad, ()):
            if p.regex.fullmatch(name):
                return AttributeInfo(name, ad, p.type, source="pattern", origin=p.template)
        return None

    def has(self, ad: Ad, name: str) -> bool:
        return self.get(ad, name) is not None

    def ads_with(self, name: str) -> tuple[Ad, ...]:
        """Every kind of ad that has the attribute: two or more is what CA302 looks for."""
        return tuple(ad for ad in ADS if self.get(ad, name) is not None)

    def names(self, ad: Ad) -> Iterator[str]:
        """Attribute names of one ad, as spelled by HTCondor (for did-you-mean)."""
        return (info.name for info in self._by_ad.get(ad, {}).values())

    def always_set(self, ad: Ad) -> tuple[str, ...]:
        """Attributes HTCondor puts in every ad of that kind."""
        return tuple(i.name for i in self._by_ad.get(ad, {}).values() if i.always)

    def extend(self, ad: Ad, extra: Iterable[AttributeInfo | str]) -> AttributeCatalog:
        """A new catalog with site attributes layered over this one (a site definition of an
        existing name replaces it: the site's type and origin are what the linter reports)."""
        by_ad = {a: dict(m) for a, m in self._by_ad.items()}
        table = by_ad.setdefault(ad, {})
        for item in extra:
            info = AttributeInfo(item, ad, "any", source="site") if isinstance(item, str) else item
            table[info.name.lower()] = info
        return AttributeCatalog(by_ad, self._patterns)


def _load() -> AttributeCatalog:
    raw: Mapping[str, Any] = load_json(ATTRIBUTES_FILE)["ads"]
    by_ad: dict[Ad, dict[str, AttributeInfo]] = {}
    patterns: dict[Ad, tuple[_Pattern, ...]] = {}
    for ad in ADS:
        d = raw.get(ad, {"attributes": {}, "patterns": {}})
        by_ad[ad] = {
            name.lower(): AttributeInfo(
                name,
                ad,
                a["type"],
                a.get("description", ""),
                bool(a.get("always", False)),
                a.get("source", "reference"),
            )
            for name, a in d["attributes"].items()
        }
        patterns[ad] = tuple(
            _Pattern(t, re.compile(p["pattern"], re.I), p["type"]) for t, p in d["patterns"].items()
        )
    return AttributeCatalog(by_ad, patterns)


@cache
def catalog() -> AttributeCatalog:
    """HTCondor's own attributes (shared, immutable; extend it for a site)."""
    return _load()


def catalog_provenance() -> Provenance:
    """The HTCondor version and commit the attribute catalog was generated from."""
    return provenance(ATTRIBUTES_FILE)


def attribute(ad: Ad, name: str) -> AttributeInfo | None:
    """Shortcut: ``attribute("job", "requestmemory")``."""
    return catalog().get(ad, name)


def description(info: AttributeInfo) -> str:
    """What an attribute is, in Markdown: our own one-line description where
    tools/attribute_facts.toml has one (written for this tool: short, and it names what a
    policy author needs), else the HTCondor manual's text for that ad (for a name matched by
    a documented template, the template's entry), else "". The manual's file is read on
    first use only."""
    if info.description or info.source == "site":
        return info.description
    found = manual_description(info)
    return found.text if found is not None else ""


def manual_description(info: AttributeInfo) -> Description | None:
    """The manual's entry for an attribute of the catalog (None for site attributes)."""
    from classadlint.schema import manual  # only hover and completion get here

    if info.source == "site":
        return None
    name = info.origin if info.source == "pattern" and info.origin else info.name
    return manual.attribute_description(info.ad, name)
