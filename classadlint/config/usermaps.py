"""The ClassAd user maps a configuration declares, for ``userMap()`` (reference 6.5).

``<SUBSYS>_CLASSAD_USER_MAP_NAMES`` lists the maps a daemon loads; each is read from
``CLASSAD_USER_MAPFILE_<name>`` (a file, relative paths from the config file that set it)
or ``CLASSAD_USER_MAPDATA_<name>`` (inline). A line ``<submap-or-*> <key> <values>``
maps a literal key; ``*`` is the map itself, any other first word a submap that
``userMap("<name>.<submap>", ...)`` selects. Regex keys (``/.../``) are left out: the
evaluator looks keys up literally, so they are reported instead of guessed.
"""

from __future__ import annotations

import re
from pathlib import Path

from classadlint.config.model import ConfigModel


def user_maps(
    model: ConfigModel, subsystem: str | None = None
) -> tuple[dict[str, dict[str, str]], list[str]]:
    """(maps, problems): map name (``Name`` or ``Name.submap``) -> {key: values}."""
    sub = (subsystem or model.subsystem).upper()
    names = model.value(f"{sub}_CLASSAD_USER_MAP_NAMES") or ""
    maps: dict[str, dict[str, str]] = {}
    problems: list[str] = []
    for name in [n for n in re.split(r"[\s,]+", names) if n]:
        text = None
        path_value = model.value(f"CLASSAD_USER_MAPFILE_{name}")
        if path_value:
            entry = model.lookup(f"CLASSAD_USER_MAPFILE_{name}")
            base = Path(entry.file).parent if entry is not None and entry.file else Path.cwd()
            path = Path(path_value) if Path(path_value).is_absolute() else base / path_value
            try:
                text = path.read_text(encoding="utf-8")
            except OSError as exc:
                problems.append(f"user map {name}: cannot read {path_value}: {exc.strerror}")
                continue
        else:
            text = model.value(f"CLASSAD_USER_MAPDATA_{name}")
        if text is None:
            problems.append(f"user map {name}: neither CLASSAD_USER_MAPFILE_{name} nor MAPDATA")
            continue
        for lineno, line in enumerate(text.splitlines(), 1):
            body = line.strip()
            if not body or body.startswith("#"):
                continue
            parts = body.split(None, 2)
            if len(parts) < 3:
                problems.append(
                    f"user map {name} line {lineno}: expected `<method> <key> <values>`"
                )
                continue
            method, key, values = parts
            if key.startswith("/"):
                problems.append(f"user map {name} line {lineno}: regex keys are not modelled")
                continue
            target = name if method == "*" else f"{name}.{method}"
            maps.setdefault(target, {}).setdefault(key, values.strip())
    return maps, problems
