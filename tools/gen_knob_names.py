"""Generate the list of every knob name HTCondor reads, documents, or once did.

Usage::

    python tools/gen_knob_names.py --git-dir /work/.mirror/htcondor+htcondor/repo

The param table (``knobs.json``) holds only the knobs with a built-in default; many knobs
HTCondor reads are not in it (``CONDOR_HOST``, ``ALLOW_READ``, ``NUM_SLOTS``) and older
configurations set knobs that have since been dropped (``USE_AFS``, ``VM_GAHP_DEBUG``).
A rule that calls a name "not an HTCondor knob" (CA402) must know all of them, so this
collects, from an htcondor/htcondor git directory:

* the ``[NAME]`` sections of ``src/condor_utils/param_info.in`` at each release tag of
  :data:`TAGS` and at HEAD (a ``[SUBSYS.NAME]`` section gives ``NAME``);
* the knobs the manual defines: ``:macro-def:`NAME``` (reStructuredText, 9.0 on) and
  ``\\Macro{NAME}`` (LaTeX, before), at the same tags;
* the macros HTCondor itself inserts at start-up (``insert_macro("NAME"`` in
  ``condor_config.cpp``);
* the security knobs the manual gives as tables of permission levels rather than one
  definition each (:data:`SECURITY_FAMILIES`).

A documented name with a placeholder (``<SUBSYS>_ADDRESS_FILE``) becomes a pattern.
Writes ``classadlint/schema/data/knob_names.json``: names and facts only, no prose.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "classadlint" / "schema" / "data" / "knob_names.json"
TAGS = ("V8_0_0", "V8_4_0", "V8_8_0", "V9_0_0", "V10_0_0", "v23.0.0")

#: ``ALLOW_READ``, ``DENY_WRITE``, ``SEC_CLIENT_AUTHENTICATION_METHODS``...: one knob per
#: permission level (admin manual, "Security" chapter, configuration tables).
SECURITY_FAMILIES = (
    "ALLOW_[A-Z_]+",
    "DENY_[A-Z_]+",
    "SEC_[A-Z_]+_(AUTHENTICATION|AUTHENTICATION_METHODS|ENCRYPTION|INTEGRITY|NEGOTIATION"
    "|CRYPTO_METHODS)",
)

_SECTION = re.compile(r"^\[([A-Za-z0-9_.]+)\]", re.M)
_MACRO_DEF = re.compile(r":macro-def:`([^`]+)`")
_LATEX_MACRO = re.compile(r"\\Macro\{([^}]+)\}")
_INSERTED = re.compile(r'insert_macro\("([A-Za-z0-9_]+)"')
_PLAIN = re.compile(r"[A-Za-z0-9_.]+\Z")
_PLACEHOLDER = re.compile(r"<[^<>]*>")


def _git(git_dir: str, *args: str, check: bool = True) -> str:
    proc = subprocess.run(
        ["git", f"--git-dir={git_dir}", *args], capture_output=True, text=True, check=False
    )
    if check and proc.returncode != 0:
        raise SystemExit(proc.stderr.strip())
    return proc.stdout if proc.returncode == 0 else ""


def _doc_files(git_dir: str, rev: str) -> list[str]:
    listing = _git(git_dir, "ls-tree", "-r", "--name-only", rev, "--", "doc", "docs", check=False)
    return [p for p in listing.splitlines() if p.endswith((".rst", ".tex"))]


def _names_at(git_dir: str, rev: str) -> set[str]:
    out: set[str] = set()
    params = _git(git_dir, "show", f"{rev}:src/condor_utils/param_info.in", check=False)
    for m in _SECTION.finditer(params):
        title = m.group(1)
        if not title.startswith("$"):
            out.add(title.split(".")[-1])
    files = _doc_files(git_dir, rev)
    if files:
        blobs = _git(git_dir, "grep", "-h", "-o", "-E", r":macro-def:`[^`]+`|\\Macro\{[^}]+\}",
                     rev, "--", *files, check=False)  # fmt: skip
        for m in _MACRO_DEF.finditer(blobs):
            out.add(m.group(1).strip())
        for m in _LATEX_MACRO.finditer(blobs):
            out.add(m.group(1).replace("\\_", "_").replace("\\", "").strip())
    return out


def collect(git_dir: str) -> tuple[list[str], list[str]]:
    """(plain names, regex patterns for placeholder names), both upper-case and sorted."""
    raw: set[str] = set()
    for rev in (*TAGS, "HEAD"):
        raw |= _names_at(git_dir, rev)
    config_cpp = _git(git_dir, "show", "HEAD:src/condor_utils/condor_config.cpp")
    raw |= set(_INSERTED.findall(config_cpp))
    names: set[str] = set()
    patterns: set[str] = set()
    for name in raw:
        if _PLACEHOLDER.search(name):
            parts = _PLACEHOLDER.split(name)
            if all(_PLAIN.match(p) or p == "" for p in parts) and any(parts):
                pattern = "[A-Za-z0-9_.]+".join(re.escape(p.upper()) for p in parts)
                patterns.add(pattern)
        elif _PLAIN.match(name):
            names.add(name.upper())
    patterns.update(SECURITY_FAMILIES)
    return sorted(names), sorted(patterns)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--git-dir", required=True, help="an htcondor/htcondor git directory")
    ns = ap.parse_args(argv)
    names, patterns = collect(ns.git_dir)
    commit = _git(ns.git_dir, "rev-parse", "HEAD").strip()
    data = {
        "provenance": {
            "htcondor_version": "releases " + ", ".join(TAGS) + " and HEAD",
            "htcondor_commit": commit,
            "source": "src/condor_utils/param_info.in, the manual's knob definitions, "
            "condor_config.cpp insert_macro",
            "generator": "tools/gen_knob_names.py",
        },
        "names": names,
        "patterns": patterns,
    }
    OUT.write_text(json.dumps(data, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {len(names)} names and {len(patterns)} patterns to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
