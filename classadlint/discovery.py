"""Which files of a directory are HTCondor configuration.

A directory handed to ``classadlint check`` is read the way HTCondor reads a
``LOCAL_CONFIG_DIR``: every file, in byte order of its name, except those HTCondor itself
skips (``LOCAL_CONFIG_DIR_EXCLUDE_REGEXP``'s default: hidden files, ``*~``, ``#*``,
scripts, package-manager leftovers). A site's git repository also holds files that are
not configuration at all — documentation, CI files, ads, submit files, templates — so
those are skipped too (:data:`NOT_CONFIG`). The settings' ``exclude`` globs skip more; a
file named on the command line is always checked.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable
from pathlib import Path

#: HTCondor's default LOCAL_CONFIG_DIR_EXCLUDE_REGEXP (param_info.in, 25.x).
HTCONDOR_EXCLUDE = re.compile(
    r"^((\..*)|(.*\.pl)|(.*\.py)|(.*\.sh)|(.*~)|(#.*)|(.*\.rpmsave)|(.*\.rpmnew)"
    r"|(.*\.dpkg-old)|(.*\.dpkg-dist)|(.*\.cfsaved))$"
)

#: Files in a policy repository that are not HTCondor configuration.
NOT_CONFIG = (
    "*.md", "*.rst", "*.txt", "*.html", "*.pdf", "*.png", "*.svg",
    "*.toml", "*.json", "*.yaml", "*.yml", "*.xml", "*.lock", "*.cfg", "*.ini",
    "*.tsv", "*.csv", "*.expected", "*.map", "*.mapfile",
    "*.ad", "*.classad", "*.sub", "*.submit", "*.jdl", "*.dag",
    "*.erb", "*.j2", "*.jinja", "*.tmpl", "*.tpl",
    "*.pyc", "*.rb", "*.pp", "*.go", "*.js", "*.ts", "*.lua", "*.el",
    "LICENSE*", "COPYING*", "README*", "CHANGELOG*", "Makefile", "Dockerfile*",
)  # fmt: skip

#: Directories never entered.
SKIPPED_DIRS = frozenset(
    {"node_modules", "__pycache__", "venv", ".venv", "site-packages", "tests", "test"}
)


def is_config_name(name: str) -> bool:
    """Whether a file found in a directory is read as configuration."""
    if HTCONDOR_EXCLUDE.match(name):
        return False
    return not any(fnmatch.fnmatchcase(name, g) for g in NOT_CONFIG)


def config_files_in(directory: Path) -> list[Path]:
    """The configuration files under ``directory``, in byte order of their paths (the
    order HTCondor reads a config directory in)."""
    found: list[Path] = []
    for f in directory.rglob("*"):
        rel = f.relative_to(directory).parts
        if any(p.startswith(".") or p in SKIPPED_DIRS for p in rel[:-1]):
            continue
        if f.is_file() and is_config_name(f.name):
            found.append(f)
    return sorted(found, key=lambda x: str(x).encode())


def config_files(paths: Iterable[Path]) -> list[Path]:
    """Each file given, and the configuration files of each directory given."""
    out: list[Path] = []
    for p in paths:
        out.extend(config_files_in(p) if p.is_dir() else [p])
    return out
