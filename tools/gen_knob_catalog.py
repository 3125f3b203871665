"""Generate the knob and metaknob catalogs from HTCondor's own param table.

Usage::

    python tools/gen_knob_catalog.py PATH/TO/param_info.in --version 25.14.0 --commit SHA
    python tools/gen_knob_catalog.py --git-dir /work/.mirror/htcondor+htcondor/repo

The second form reads ``src/condor_utils/param_info.in`` and the release number (from the
top-level CMakeLists.txt) out of a git directory at HEAD, so the stamp cannot drift from
the input. Writes ``classadlint/schema/data/knobs.json`` and ``metaknobs.json``.

param_info.in is the file HTCondor's build turns into its built-in default table (by
``param_table_generator.pl``); this script reads it the way that Perl script does: a
``[NAME]`` header, then ``key=value`` lines (value is the rest of the line, leading spaces
dropped, nothing else trimmed) or ``key : @tag`` heredocs running to a line that is exactly
``@tag``. Headers ``[SUBSYS.NAME]`` are per-subsystem defaults, ``[$CATEGORY.Name]`` are
metaknobs. Only facts are written out (names, defaults, types, ranges, tags, versions, the
metaknob bodies HTCondor expands verbatim); HTCondor's prose descriptions are not, and the
input file itself is never copied into this repository. (The manual's descriptions of
knobs are generated apart, by tools/gen_manual_docs.py into knob_docs.json, which only hover
and completion read, so that ``check`` never loads them.)

The ClassAd evaluation context of expression knobs is not in param_info.in; it is encoded
by hand in ``classadlint/schema/data/knob_contexts.toml`` and applied here through the same
code the loader uses, so knobs.json says for each knob whether it is an expression and
where it is evaluated.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "classadlint" / "schema" / "data"
SOURCE = "src/condor_utils/param_info.in"

_HEADER = re.compile(r"^\[([$a-zA-Z0-9_.]+)\]")
_PROPERTY = re.compile(r"^([a-zA-Z0-9_-]+)[ \t]*(:?=?)")
_HEREDOC = re.compile(r"^[ ]*(?:\([ ]*[a-zA-Z0-9_-]+[ ]*\)[ ]*)?([@_A-Za-z]+)[ ]*$")


@dataclass
class Section:
    title: str
    line: int
    props: dict[str, str] = field(default_factory=dict)


def parse_param_info(text: str) -> list[Section]:
    """Every ``[TITLE]`` section with its properties, in file order."""
    sections: list[Section] = []
    lines = text.split("\n")
    i = 0
    current: Section | None = None
    while i < len(lines):
        line = lines[i].rstrip("\r")
        i += 1
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _HEADER.match(line)
        if m:
            current = Section(m.group(1), i)
            sections.append(current)
            continue
        m = _PROPERTY.match(line)
        if m is None or current is None:
            raise SystemExit(f"{SOURCE}:{i}: cannot read line {line!r}")
        key, op = m.group(1), m.group(2)
        rest = line[m.end() :]
        if op == "=":
            current.props[key] = rest.lstrip(" ")
        elif op.startswith(":"):
            h = _HEREDOC.match(rest)
            if h is None:
                raise SystemExit(f"{SOURCE}:{i}: expected a heredoc tag after ':' in {line!r}")
            tag = h.group(1)
            body: list[str] = []
            while i < len(lines) and lines[i].rstrip("\r") != tag:
                body.append(lines[i].rstrip("\r"))
                i += 1
            if i >= len(lines):
                raise SystemExit(f"{SOURCE}:{current.line}: heredoc {tag} never closed")
            i += 1
            current.props[key] = "\n".join(body)
        else:
            raise SystemExit(f"{SOURCE}:{i}: expected '=' or ':' in {line!r}")
    return sections


_SIGNATURE = re.compile(r"args:\s*(\(.*\))")


def _meta_macros(body: str) -> list[str]:
    """The bodies of every ``$(<digit>...)`` macro, parentheses nested as HTCondor scans them
    (so the default in ``$(2:$(LOCAL_DIR)/x)`` is whole)."""
    out = []
    pos = body.find("$(")
    while pos >= 0:
        depth, i = 0, pos + 1
        while i < len(body):
            depth += {"(": 1, ")": -1}.get(body[i], 0)
            if depth == 0:
                break
            i += 1
        inner = body[pos + 2 : i]
        if inner[:1].isdigit():
            out.append(inner)
        pos = body.find("$(", pos + 2)
    return out


def _meta_parameters(body: str) -> list[dict[str, object]]:
    """The meta-arguments ``$(N)`` a template body reads, with the defaults it gives them."""
    seen: dict[int, dict[str, object]] = {}
    for macro in _meta_macros(body):
        m = re.match(r"(\d+)([#?+])?(:.*)?$", macro, re.S)
        if m is None:
            continue
        n = int(m.group(1))
        entry = seen.setdefault(n, {"index": n, "default": None, "forms": []})
        forms = entry["forms"]
        assert isinstance(forms, list)
        for form in (m.group(2) or "", ":" if m.group(3) else None):
            if form is not None and form not in forms and (form or not m.group(2)):
                forms.append(form)
        if m.group(3):
            entry["default"] = m.group(3)[1:]
    return [seen[n] for n in sorted(seen)]


def _int_or_none(text: str) -> int | float | None:
    text = text.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        return float(text)


def build(sections: list[Section]) -> tuple[dict[str, object], dict[str, object]]:
    """(knobs, metaknobs) as plain data, ready for JSON."""
    knobs: dict[str, dict[str, object]] = {}
    per_subsystem: list[tuple[str, str, Section]] = []
    metaknobs: dict[str, dict[str, object]] = {}
    for s in sections:
        if s.title.startswith("$"):
            category, _, template = s.title[1:].partition(".")
            body = s.props.get("default", "")
            desc = s.props.get("description", "")
            sig = _SIGNATURE.search(desc)
            metaknobs.setdefault(category.upper(), {})[template] = {
                "body": body,
                "parameters": _meta_parameters(body),
                **({"signature": sig.group(1)} if sig else {}),
            }
            continue
        if "." in s.title:
            subsys, _, name = s.title.partition(".")
            per_subsystem.append((subsys.upper(), name, s))
            continue
        knobs[s.title] = _knob(s)
    for subsys, name, s in per_subsystem:
        entry = knobs.get(name)
        if entry is None:
            # only a per-subsystem default exists: the knob is still known to HTCondor
            entry = knobs[name] = _knob(s)
            entry["default"] = None
            entry["global_default"] = False
        sub = entry.setdefault("subsystem_defaults", {})
        assert isinstance(sub, dict)
        sub[subsys] = s.props.get("default", "")
    return dict(sorted(knobs.items(), key=lambda kv: kv[0].lower())), metaknobs


def _knob(s: Section) -> dict[str, object]:
    p = s.props
    param_type = p.get("type", "string").strip() or "string"
    out: dict[str, object] = {"default": p.get("default", ""), "param_type": param_type}
    if "win32_default" in p:
        out["win32_default"] = p["win32_default"]
    if p.get("range", "").strip():
        lo, _, hi = p["range"].partition(",")
        out["range"] = [_int_or_none(lo), _int_or_none(hi)]
    tags = [t.strip() for t in (p.get("tags") or p.get("tag") or "").split(",") if t.strip()]
    if tags:
        out["tags"] = tags
    aliases = [a.strip() for a in p.get("aliases", "").split(",") if a.strip()]
    if aliases:
        out["aliases"] = aliases
    if p.get("customization", "").strip():
        out["customization"] = p["customization"].strip().lower()
    if p.get("restart", "").strip():
        out["restart"] = p["restart"].strip().lower()
    if p.get("version", "").strip():
        out["since"] = p["version"].strip()
    if "macro" in p:
        # the build substitutes a C preprocessor value when it is defined; the text here
        # is only the fallback, so the running HTCondor may report something else
        out["computed"] = True
    return out


def _runtime_defaults(names: list[str]) -> dict[str, str]:
    import os

    code = (
        "import json, sys, htcondor2\n"
        "print(json.dumps({n: htcondor2.param.get(n) for n in json.loads(sys.argv[1])}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, json.dumps(names)],
        capture_output=True,
        text=True,
        check=True,
        env=dict(os.environ, CONDOR_CONFIG="ONLY_ENV"),
    )
    return {k: v for k, v in json.loads(out.stdout).items() if isinstance(v, str)}


def _git(git_dir: str, *args: str) -> str:
    return subprocess.run(
        ["git", f"--git-dir={git_dir}", *args], capture_output=True, text=True, check=True
    ).stdout


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("param_info", nargs="?", help="path to param_info.in")
    ap.add_argument("--git-dir", help="an htcondor/htcondor git directory to read HEAD from")
    ap.add_argument("--version", help="HTCondor release the input belongs to (e.g. 25.14.0)")
    ap.add_argument("--commit", help="htcondor/htcondor commit the input was taken from")
    ap.add_argument("--out", type=Path, default=DATA, help="output directory")
    ns = ap.parse_args(argv)
    if ns.git_dir:
        text = _git(ns.git_dir, "show", f"HEAD:{SOURCE}")
        commit = ns.commit or _git(ns.git_dir, "rev-parse", "HEAD").strip()
        cmake = _git(ns.git_dir, "show", "HEAD:CMakeLists.txt")
        m = re.search(r'set\(VERSION "([^"]+)"\)', cmake)
        version = ns.version or (m.group(1) if m else None)
    elif ns.param_info:
        text = Path(ns.param_info).read_text(encoding="utf-8")
        commit, version = ns.commit, ns.version
    else:
        ap.error("give the path of param_info.in or --git-dir")
    if not version or not commit:
        ap.error("--version and --commit are required with a plain file")

    knobs, metaknobs = build(parse_param_info(text))

    sys.path.insert(0, str(ROOT))
    from classadlint.schema.knob_contexts import annotate  # the loader's own rules

    for name, entry in knobs.items():
        assert isinstance(entry, dict)
        entry.update(annotate(name, entry))
    # A computed default is replaced by a C++ value at build time: record the value the
    # released HTCondor reports (htcondor2 with no config file at all) beside the fallback.
    computed = [n for n, e in knobs.items() if isinstance(e, dict) and e.get("computed")]
    for name, value in _runtime_defaults(computed).items():
        knobs[name]["runtime_default"] = value  # type: ignore[index]

    provenance = {
        "htcondor_version": version,
        "htcondor_commit": commit,
        "source": f"htcondor/htcondor:{SOURCE}",
        "generator": "tools/gen_knob_catalog.py",
    }
    ns.out.mkdir(parents=True, exist_ok=True)
    (ns.out / "knobs.json").write_text(
        json.dumps({"provenance": provenance, "knobs": knobs}, indent=1) + "\n", encoding="utf-8"
    )
    (ns.out / "metaknobs.json").write_text(
        json.dumps({"provenance": provenance, "categories": metaknobs}, indent=1) + "\n",
        encoding="utf-8",
    )
    n_meta = sum(len(t) for t in metaknobs.values())
    print(f"{len(knobs)} knobs, {len(metaknobs)} metaknob categories, {n_meta} templates")


if __name__ == "__main__":
    main()
