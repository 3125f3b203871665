"""What a site's configuration defines, read from every file checked together.

A pool's files describe several daemons on several machines: STARTD_ATTRS on the execute
points, transforms and SUBMIT_ATTRS on the access point. Linted together they form one
site, and an attribute advertised or set anywhere in it exists for every expression that
reads it (the scope rules CA301-CA304 and the hygiene rules CA404-CA407 ask this module).
Lists are read from every assignment, not only the last one: two files that each set
STARTD_ATTRS are usually two machines, not an overwrite, and a name either of them
advertises is not "undefined".

Everything here is a fact about the config model; nothing formats a message. The facts of
HTCondor's behaviour each function encodes are cited from HTCondor's source (commit
7491a145f6, the one the catalogs were generated from).
"""

from __future__ import annotations

import difflib
import re
import weakref
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

from classadlint.config.model import ConfigModel, Origin, expand, find_macro
from classadlint.config.parser import Assignment
from classadlint.schema.attributes import Ad, AttributeCatalog, AttributeInfo, catalog

#: HTCondor subsystem names (``<SUBSYS>_ATTRS``, ``<SUBSYS>_CLASSAD_USER_MAP_NAMES``).
SUBSYSTEMS = frozenset(
    {
        "MASTER", "STARTD", "SCHEDD", "COLLECTOR", "NEGOTIATOR", "SUBMIT", "SHADOW",
        "STARTER", "GRIDMANAGER", "DAGMAN", "CREDD", "GANGLIAD", "DEFRAG", "JOB_ROUTER",
        "ROOSTER", "HAD", "REPLICATION", "KBDD", "TOOL", "C_GAHP", "C_GAHP_WORKER_THREAD",
        "TRANSFERER", "LEASEMANAGER", "HDFS", "SHARED_PORT", "ANNEXD", "CKPT_SERVER",
    }
)  # fmt: skip

#: The ad a daemon's ``<SUBSYS>_ATTRS`` members go into (config_fill_ad in
#: condor_config.cpp; condor_submit calls it on the job ad). Other daemons' own ads have no
#: attribute catalog here.
AD_OF_SUBSYSTEM: Mapping[str, Ad] = {"STARTD": "machine", "SUBMIT": "job", "SCHEDD": "schedd"}

#: The daemon (subsystem) that evaluates a knob, from knob_contexts' lower-case words.
SUBSYSTEM_OF_DAEMON: Mapping[str, str] = {
    "startd": "STARTD", "schedd": "SCHEDD", "negotiator": "NEGOTIATOR", "submit": "SUBMIT",
    "job_router": "JOB_ROUTER", "collector": "COLLECTOR", "defrag": "DEFRAG",
    "rooster": "ROOSTER", "starter": "STARTER", "master": "MASTER",
}  # fmt: skip

_SUBSYS_ALT = "|".join(sorted(SUBSYSTEMS, key=len, reverse=True))
#: Lists whose members are config knobs whose VALUES HTCondor inserts into an ad: each
#: member needs a definition (config_fill_ad; Resource.cpp for the SLOTn_/SLOT_TYPE_n_ and
#: latch forms). ``group("subsys")`` is the daemon.
VALUE_LISTS = re.compile(
    rf"(?:SYSTEM_|SLOT\d+_|SLOT_TYPE_\d+_|[A-Za-z0-9]+_)?(?P<subsys>{_SUBSYS_ALT})_(?:ATTRS|EXPRS)"
    r"|(?P<latch>(?:SYSTEM_)?STARTD_LATCH_EXPRS)",
    re.I,
)
#: Lists that copy attributes already in some ad into another (no definitions needed):
#: their members exist in the destination ad under the same name.
COPY_LISTS: Mapping[str, Ad] = {
    "STARTD_JOB_ATTRS": "machine",
    "STARTD_JOB_EXPRS": "machine",
    "SYSTEM_STARTD_JOB_ATTRS": "machine",
}
#: Lists whose members are job transform-like targets HTCondor adds under a new name
#: (``NegotiatorMatchExpr<X>``; matchmaker.cpp).
_NEGOTIATOR_MATCH = re.compile(r"NEGOTIATOR_MATCH_EXPRS", re.I)

#: Knobs holding job transforms or routes (native or old ``[ ]`` syntax).
TRANSFORM_KNOBS = re.compile(
    r"(?:JOB_TRANSFORM_(?!NAMES\Z)|JOB_ROUTER_ROUTE_(?!NAMES\Z)|JOB_ROUTER_TRANSFORM_"
    r"|FORWARD_AD_TRANSFORM_(?!NAMES\Z))\w+|JOB_ROUTER_DEFAULTS|JOB_ROUTER_ENTRIES",
    re.I,
)
_NATIVE_SET = re.compile(
    r"^[ \t]*(?:SET|DEFAULT|EVALSET)[ \t]+([A-Za-z_][A-Za-z0-9_]*)", re.I | re.M
)
_NATIVE_COPY = re.compile(
    r"^[ \t]*(?:COPY|RENAME)[ \t]+(/?)[^\s,=]+[ \t]*[,=]?[ \t]*([A-Za-z_][A-Za-z0-9_]*)?",
    re.I | re.M,
)
_OLD_SET = re.compile(r"\b(?:set|eval_set)_([A-Za-z_][A-Za-z0-9_]*)\s*=", re.I)
_OLD_COPY = re.compile(r"\bcopy_[A-Za-z_][A-Za-z0-9_]*\s*=\s*\"([A-Za-z_][A-Za-z0-9_]*)\"", re.I)
#: ``+Attr = value`` / ``MY.Attr = value`` in a submit file checked with the site.
_SUBMIT_PLUS = re.compile(r"^[ \t]*(?:\+|MY\.)([A-Za-z_][A-Za-z0-9_]*)[ \t]*=", re.I | re.M)

#: Custom machine resources (ResAttributes.cpp init_machine_resource): the tag is what
#: follows MACHINE_RESOURCE_ or MACHINE_RESOURCE_INVENTORY_.
_RESOURCE_KNOB = re.compile(
    r"(?:OFFLINE_)?MACHINE_RESOURCE_(?:INVENTORY_)?(?!NAMES\Z)(?P<tag>[A-Za-z0-9_]+)", re.I
)
#: Resources every slot has (the built-in ones custom resources may not reuse).
STANDARD_RESOURCES = ("Cpus", "Memory", "Disk", "Swap", "GPUs")
#: What the startd publishes per resource tag R (ResAttributes.cpp, ResMgr.cpp,
#: Resource.cpp): R, TotalR, DetectedR, TotalSlotR, AssignedR, OfflineR, AvailableR,
#: BrokenSlotR, ChildR (partitionable slots), R_<device id> properties.
RESOURCE_PREFIXES = ("", "Total", "Detected", "TotalSlot", "Assigned", "Offline", "Available",
                     "BrokenSlot", "Child")  # fmt: skip

#: Startd and schedd cron job lists: their jobs publish attributes nobody can list. (The
#: benchmark jobs, BENCHMARKS_JOBLIST, publish Mips and KFlops, which the catalog has.)
_CRON_LIST = re.compile(r"(?P<daemon>STARTD|SCHEDD)_CRON_JOBLIST", re.I)

_LIST_SPLIT = re.compile(r"[^\s,]+")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")

DefinitionKind = Literal["advertised", "copied", "transform", "submit", "settings", "resource"]


@dataclass(frozen=True)
class Definition:
    """An attribute the site puts into an ad, and where it says so."""

    name: str
    ad: Ad | None  # None: a daemon ad with no catalog (MASTER_ATTRS, ...)
    kind: DefinitionKind
    knob: str  # the knob (STARTD_ATTRS, JOB_TRANSFORM_X) or "settings"
    file: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class ListItem:
    """One member of a list-valued knob, where it was written (``start``/``end``: offsets
    into ``file``'s text; None when it came from a macro defined elsewhere)."""

    name: str
    knob: str  # the list knob as written, prefix included (STARTD.SETTABLE_ATTRS_X)
    file: str
    line: int
    start: int | None
    end: int | None


@dataclass
class SiteFacts:
    """The attributes, resources and macros of one site (see the module docstring)."""

    definitions: dict[Ad | None, dict[str, Definition]] = field(default_factory=dict)
    resources: dict[str, str] = field(default_factory=dict)  # lower tag -> tag
    #: ads whose attributes the config cannot enumerate (cron jobs publish any name;
    #: transforms that COPY/RENAME by regex create any name), with the knob that says so
    open_ads: dict[Ad, str] = field(default_factory=dict)
    #: macros an assignment in the site's files defines: lower-case name -> name as written
    macros: dict[str, str] = field(default_factory=dict)
    #: lower-case names some value reads with ``$(NAME)`` (or ``$(NAME:default)``)
    macro_uses: set[str] = field(default_factory=set)

    def defined(self, ad: Ad, name: str) -> Definition | None:
        return self.definitions.get(ad, {}).get(name.lower())

    def advertised_anywhere(self, name: str) -> Definition | None:
        """A definition of ``name`` in any ad, daemon ads included."""
        for table in self.definitions.values():
            found = table.get(name.lower())
            if found is not None:
                return found
        return None

    def names(self, ad: Ad) -> list[str]:
        return [d.name for d in self.definitions.get(ad, {}).values()]

    def add(self, definition: Definition) -> None:
        table = self.definitions.setdefault(definition.ad, {})
        table.setdefault(definition.name.lower(), definition)


def split_list(text: str) -> list[str]:
    """HTCondor's list splitting (StringTokenIterator: commas and white space)."""
    return _LIST_SPLIT.findall(text)


def base_name(knob: str) -> str:
    """``STARTD.SETTABLE_ATTRS_ADMINISTRATOR`` -> ``SETTABLE_ATTRS_ADMINISTRATOR``."""
    return knob.rsplit(".", 1)[-1]


def expanded(model: ConfigModel, text: str) -> str:
    """``text`` with its macros expanded in the final macro table."""
    if "$" not in text:
        return text
    return expand(text, [Origin(None, None)] * len(text), model).text


def assignments(model: ConfigModel, pattern: re.Pattern[str]) -> Iterator[tuple[str, Assignment]]:
    """Every assignment (file, statement) whose knob's base name fully matches ``pattern``."""
    for file, stmt in model.assignments:
        if pattern.fullmatch(base_name(stmt.name)):
            yield file, stmt


def _tokens(value: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each list token of a raw value: runs of characters other than
    commas and white space, where a ``$(...)`` reference (which may hold either) counts as
    part of the token it is written in."""
    i, n = 0, len(value)
    while i < n:
        while i < n and (value[i] in ", \t\r\n"):
            i += 1
        if i >= n:
            return
        start, depth = i, 0
        while i < n and (depth > 0 or value[i] not in ", \t\r\n"):
            if value.startswith("$(", i):
                depth += 1
                i += 2
                continue
            if value[i] == "(" and depth > 0:
                depth += 1
            elif value[i] == ")" and depth > 0:
                depth -= 1
            i += 1
        yield start, i


def list_items(model: ConfigModel, file: str, stmt: Assignment) -> list[ListItem]:
    """The members of a list assignment where they were written. A token holding a
    ``$(X)`` contributes the members of its expansion, positioned at the token; a
    reference to the list knob itself (``STARTD_ATTRS = $(STARTD_ATTRS) Foo``) is the
    earlier value, listed where it was assigned, so it is skipped here."""
    out: list[ListItem] = []
    if stmt.heredoc_tag is not None:
        return out
    value = stmt.value
    own = {stmt.name.lower(), base_name(stmt.name).lower()}
    for a, b in _tokens(value):
        token = value[a:b]
        start = stmt.line.file_offset(stmt.value_start + a)
        end = stmt.line.file_offset(stmt.value_start + b - 1) + 1
        macro = find_macro(token)
        if macro is None:
            out.append(ListItem(token, stmt.name, file, stmt.lineno, start, end))
            continue
        whole = macro.start == 0 and macro.end == len(token) and not macro.fn
        if whole and macro.name.lower() in own:
            continue
        names = split_list(expanded(model, token))
        out.extend(ListItem(name, stmt.name, file, stmt.lineno, start, end) for name in names)
    return out


def value_list_ad(knob: str) -> tuple[bool, Ad | None]:
    """(is a list of knobs whose values go into an ad, that ad) for a list knob's base name."""
    m = VALUE_LISTS.fullmatch(knob)
    if m is None:
        return False, None
    if m.group("latch"):
        return True, "machine"
    subsys = m.group("subsys").upper()
    if knob.upper() in COPY_LISTS:
        return False, None
    return True, AD_OF_SUBSYSTEM.get(subsys)


#: List knobs with built-in defaults that put attributes into ads (param_info.in).
_DEFAULT_LISTS = ("SYSTEM_STARTD_ATTRS", "SYSTEM_STARTD_JOB_ATTRS", "SYSTEM_STARTD_LATCH_EXPRS")


def _list_assignments(model: ConfigModel) -> Iterator[tuple[str | None, str, str, int | None]]:
    """(file, knob, value, line) of every assignment, then of the lists HTCondor's own
    defaults fill and no file assigns."""
    assigned = set()
    for file, stmt in model.assignments:
        assigned.add(base_name(stmt.name).upper())
        yield file, stmt.name, stmt.value, stmt.lineno
    for knob in _DEFAULT_LISTS:
        if knob not in assigned:
            entry = model.lookup(knob)
            if entry is not None and entry.value:
                yield None, knob, entry.value, None


def _add_catalog_lists(model: ConfigModel, facts: SiteFacts) -> None:
    for file, knob, value, line in _list_assignments(model):
        base = base_name(knob)
        upper = base.upper()
        text = expanded(model, value)
        if upper in COPY_LISTS:
            for name in split_list(text):
                facts.add(Definition(name, COPY_LISTS[upper], "copied", knob, file, line))
            continue
        if _NEGOTIATOR_MATCH.fullmatch(base):
            for name in split_list(text):
                facts.add(
                    Definition(f"NegotiatorMatchExpr{name}", "job", "copied", knob, file, line)
                )
            continue
        is_value_list, ad = value_list_ad(base)
        if is_value_list:
            latch = "LATCH" in upper
            for name in split_list(text):
                if _NAME.match(name):
                    facts.add(Definition(name, ad, "advertised", knob, file, line))
                    # a latch X also publishes XValue and XTime (Resource.cpp)
                    for suffix in ("Value", "Time") if latch else ():
                        facts.add(Definition(name + suffix, ad, "advertised", knob, file, line))
            continue
        m = _RESOURCE_KNOB.fullmatch(base)
        if m is not None and value.strip():
            tag = m.group("tag")
            facts.resources.setdefault(tag.lower(), tag)
            continue
        if upper == "MACHINE_RESOURCE_NAMES":
            for tag in split_list(text):
                facts.resources.setdefault(tag.lower(), tag)
            continue
        cron = _CRON_LIST.fullmatch(base)
        if cron is not None and split_list(text):
            cron_ad: Ad = "schedd" if cron.group("daemon").upper() == "SCHEDD" else "machine"
            facts.open_ads.setdefault(cron_ad, f"{knob} (at {file}:{line})")
            continue
        if TRANSFORM_KNOBS.fullmatch(base):
            _add_transform(knob, file, line, value, facts)


def _add_transform(
    knob: str, file: str | None, line: int | None, text: str, facts: SiteFacts
) -> None:
    if text.lstrip().startswith("["):
        names = [m.group(1) for m in _OLD_SET.finditer(text)]
        names += [m.group(1) for m in _OLD_COPY.finditer(text)]
    else:
        names = [m.group(1) for m in _NATIVE_SET.finditer(text)]
        for m in _NATIVE_COPY.finditer(text):
            if m.group(1):  # COPY /regex/ pattern: any name
                facts.open_ads.setdefault("job", f"{knob} (at {file}:{line})")
            elif m.group(2):
                names.append(m.group(2))
    for name in names:
        facts.add(Definition(name, "job", "transform", knob, file, line))


def _add_submit_files(texts: Iterable[tuple[str, str]], facts: SiteFacts) -> None:
    for path, text in texts:
        if "+" not in text and "MY." not in text.upper():
            continue
        for m in _SUBMIT_PLUS.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            facts.add(Definition(m.group(1), "job", "submit", f"+{m.group(1)}", path, line))


def _add_settings(attributes: Mapping[str, Mapping[str, str]], facts: SiteFacts) -> None:
    for ad, names in attributes.items():
        for name in names:
            facts.add(Definition(name, ad, "settings", "settings"))  # type: ignore[arg-type]


_Key = tuple[tuple[str, tuple[str, ...]], ...]
_CACHE: dict[int, tuple[weakref.ref[ConfigModel], _Key, SiteFacts]] = {}


def site_facts(
    model: ConfigModel,
    texts: Mapping[str, str] | None = None,
    attributes: Mapping[str, Mapping[str, str]] | None = None,
) -> SiteFacts:
    """The facts of one site. ``texts``: every file's text (``+Attr`` lines of submit files
    count as job attributes); ``attributes``: the settings' site attributes by ad.
    Cached per model (the rules of one run share it)."""
    key = tuple(sorted((ad, tuple(sorted(names))) for ad, names in (attributes or {}).items()))
    hit = _CACHE.get(id(model))
    if hit is not None and hit[0]() is model and hit[1] == key:
        return hit[2]
    facts = SiteFacts()
    _add_catalog_lists(model, facts)
    _add_submit_files((texts or {}).items(), facts)
    _add_settings(attributes or {}, facts)
    for entry in model.entries.values():
        if entry.file is not None:
            name = base_name(entry.name)
            facts.macros.setdefault(name.lower(), name)
    for _, stmt in model.assignments:
        pos = 0
        while (macro := find_macro(stmt.value, pos)) is not None:
            pos = macro.end
            if not macro.fn:
                facts.macro_uses.add(macro.name.lower())
                facts.macro_uses.add(base_name(macro.name).lower())
    if len(_CACHE) > 32:
        _CACHE.clear()
    _CACHE[id(model)] = (weakref.ref(model), key, facts)
    return facts


# --- attribute lookup: the catalog, the site and what HTCondor adds dynamically ----------

#: Names HTCondor adds to an ad by a rule rather than a list (each with where it does):
#: ``slot<N>_<attr>`` cross-slot copies (STARTD_SLOT_ATTRS, Resource.cpp),
#: ``Child<attr>`` partitionable-slot summaries (STARTD_PARTITIONABLE_SLOT_ATTRS),
#: ``<attr>_RAW`` unrounded job values (SCHEDD_ROUND_ATTR_<attr>, qmgmt.cpp).
_SLOT_COPY = re.compile(r"slot\d+_(?P<attr>[A-Za-z_][A-Za-z0-9_]*)", re.I)
_CHILD = re.compile(r"Child(?P<attr>[A-Za-z_][A-Za-z0-9_]*)", re.I)
_RAW = re.compile(r"(?P<attr>[A-Za-z_][A-Za-z0-9_]*)_RAW", re.I)
_REQUEST = re.compile(r"Request(?P<tag>[A-Za-z_][A-Za-z0-9_]*)", re.I)


@dataclass(frozen=True)
class Found:
    """Where an attribute name was found: ``catalog`` (HTCondor's reference), ``pattern``
    (a documented name template), ``site`` (this config), ``dynamic`` (a rule above)."""

    how: Literal["catalog", "pattern", "site", "dynamic"]
    info: AttributeInfo | Definition | None = None


def find_attribute(
    ad: Ad, name: str, facts: SiteFacts | None, cat: AttributeCatalog | None = None
) -> Found | None:
    """Whether ``name`` can be an attribute of ``ad`` at this site, and why."""
    cat = cat or catalog()
    info = cat.get(ad, name)
    if info is not None:
        return Found("pattern" if info.source == "pattern" else "catalog", info)
    if facts is not None:
        d = facts.defined(ad, name)
        if d is not None:
            return Found("site", d)
    resources = dict((r.lower(), r) for r in STANDARD_RESOURCES)
    if facts is not None:
        resources.update(facts.resources)
    low = name.lower()
    if ad == "machine":
        for prefix in RESOURCE_PREFIXES:
            if low.startswith(prefix.lower()):
                rest = low[len(prefix) :]
                if rest in resources or rest.split("_", 1)[0] in resources:
                    return Found("dynamic")
        for pattern in (_SLOT_COPY, _CHILD):
            m = pattern.fullmatch(name)
            if m is not None and find_attribute(ad, m.group("attr"), facts, cat) is not None:
                return Found("dynamic")
    if ad == "job":
        m = _REQUEST.fullmatch(name)
        if m is not None and m.group("tag").lower() in resources:
            return Found("dynamic")
        m = _RAW.fullmatch(name)
        if m is not None and find_attribute(ad, m.group("attr"), facts, cat) is not None:
            return Found("dynamic")
    return None


def known_names(ad: Ad, facts: SiteFacts | None) -> list[str]:
    """Attribute names of an ad as spelled by HTCondor or the site (for did-you-mean)."""
    out = list(catalog().names(ad))
    if facts is not None:
        out += facts.names(ad)
        if ad == "machine":
            out += [p + r for r in facts.resources.values() for p in ("", "Total", "Assigned")]
        if ad == "job":
            out += ["Request" + r for r in facts.resources.values()]
    return out


def closest_name(name: str, ads: Iterable[Ad], facts: SiteFacts | None) -> str | None:
    """The known attribute of these ads closest to ``name`` (a typo), if one is close."""
    spelled: dict[str, str] = {}
    for ad in ads:
        for known in known_names(ad, facts):
            spelled.setdefault(known.lower(), known)
    low = name.lower()
    spelled.pop(low, None)
    # a name inside a longer one is another attribute, not a typo (Project/MyProject,
    # SlotType/SlotTypeID); one letter more or less is (RequestGPU/RequestGPUs)
    pool = [k for k in spelled if not ((low in k or k in low) and abs(len(k) - len(low)) > 1)]
    close = difflib.get_close_matches(low, pool, n=1, cutoff=0.82)
    return spelled[close[0]] if close else None
