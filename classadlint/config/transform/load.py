"""Transforms of a configuration: which knobs hold them, how each is read, and where their
defects are in the files.

A knob holds a transform when its name is ``JOB_TRANSFORM_<name>`` (the schedd),
``JOB_ROUTER_ROUTE_<name>`` or ``JOB_ROUTER_TRANSFORM_<name>`` (the job router) or
``FORWARD_AD_TRANSFORM_<name>`` (the collector); the ``..._NAMES`` lists are not
transforms. A value starting with ``[`` is an old-style route: it is read as HTCondor's
converter reads it (from the macro-expanded value); any other value is native and read
unexpanded, as the daemons read it (``param_unexpanded``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from classadlint.config.model import ConfigModel, Entry, Origin
from classadlint.config.parser import ConfigError
from classadlint.config.transform.ast import Transform, TransformSource
from classadlint.config.transform.oldstyle import parse_old_transform
from classadlint.config.transform.parser import parse_transform, source_from_entry, source_from_file

TRANSFORM_KNOB = re.compile(
    r"(?P<prefix>JOB_TRANSFORM_|JOB_ROUTER_ROUTE_|JOB_ROUTER_TRANSFORM_|FORWARD_AD_TRANSFORM_)"
    r"(?P<name>\w+)\Z",
    re.I,
)


@dataclass
class KnobTransform:
    """A transform knob of the configuration and its parse."""

    entry: Entry
    name: str  # the part after the prefix (what JOB_TRANSFORM_NAMES lists)
    old_style: bool
    transform: Transform


def transform_name(knob: str) -> str | None:
    """``JOB_TRANSFORM_T05Project`` -> ``T05Project``; None for a non-transform knob (a
    subsystem/local prefix ``SCHEDD.`` is allowed; the ``NAMES`` lists are not transforms)."""
    base = knob.split(".")[-1]
    m = TRANSFORM_KNOB.match(base)
    if m is None or m.group("name").upper() == "NAMES":
        return None
    return m.group("name")


def transform_from_entry(model: ConfigModel, entry: Entry) -> KnobTransform | None:
    name = transform_name(entry.name)
    if name is None or not entry.value.strip():
        return None
    if entry.value.lstrip().startswith("["):
        expanded = model.expand_entry(entry)
        source = TransformSource(entry.name, expanded.text, expanded.origins, "knob")
        return KnobTransform(entry, name, True, parse_old_transform(source, name))
    return KnobTransform(entry, name, False, parse_transform(source_from_entry(entry), name))


def config_transforms(model: ConfigModel) -> list[KnobTransform]:
    """Every transform knob the configuration defines, parsed once."""
    out = []
    for entry in model.entries.values():
        if entry.file is None:
            continue
        found = transform_from_entry(model, entry)
        if found is not None:
            out.append(found)
    return out


def transform_file(path: str | Path) -> Transform:
    """A rules file of ``condor_transform_ads``."""
    text = Path(path).read_text(encoding="utf-8")
    return parse_transform(source_from_file(str(path), text))


def file_errors(
    transform: Transform, texts: dict[str, str], codes: tuple[str, ...] = ("CA101", "CA102")
) -> list[tuple[str, ConfigError]]:
    """The transform's defects as config errors at the file, line and column written
    (``texts``: file path -> its text). CA103 (expressions) is left to the expression
    rules, which report it at the exact character through the same source map."""
    out: list[tuple[str, ConfigError]] = []
    for err in transform.errors:
        if err.code not in codes:
            continue
        origin = transform.source.origin(err.offset)
        if origin is not None and origin.offset is None and err.offset > 0:
            # a joined line's newline, or the end: just after the previous character
            prev = transform.source.origin(err.offset - 1)
            if prev is not None and prev.offset is not None:
                origin = Origin(prev.file, prev.offset + 1, prev.chain)
        if origin is None or origin.file is None or origin.offset is None:
            continue
        text = texts.get(origin.file)
        if text is None:
            continue
        before = text[: origin.offset]
        line = before.count("\n") + 1
        col = origin.offset - (before.rfind("\n") + 1) + 1
        out.append((origin.file, ConfigError(line, col, origin.offset, err.message, err.code)))
    return out
