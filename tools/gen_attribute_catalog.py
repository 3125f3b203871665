"""Generate classadlint/schema/data/attributes.json: the attributes of job, machine (slot),
schedd and submitter ads.

Usage::

    python tools/gen_attribute_catalog.py --git-dir /work/.mirror/htcondor+htcondor/repo
    python tools/gen_attribute_catalog.py --docs DIR --version 25.14.0 --commit SHA

Facts come from HTCondor's attribute reference (``docs/classad-attributes/*.rst``): the
attribute names each page defines, and a type inferred from how the entry is worded
("Boolean ...", "An integer ...", "... since the epoch"). Nothing of the prose is kept
here: descriptions are our own, written in ``tools/attribute_facts.toml`` together with type
corrections, which attributes HTCondor always sets, and attributes the pages omit. (The
pages' own text goes, converted, into attribute_docs.json by tools/gen_manual_docs.py; ours
take precedence where both exist.)
Names written with a placeholder (``<name>ComputeUnits``, ``MachineAttr<X><N>``) become
regex patterns.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "classadlint" / "schema" / "data" / "attributes.json"
FACTS = Path(__file__).resolve().parent / "attribute_facts.toml"
DOCS = "docs/classad-attributes"
PAGES = {
    "job": "job-classad-attributes.rst",
    "machine": "machine-classad-attributes.rst",
    "schedd": "scheduler-classad-attributes.rst",
    "submitter": "submitter-classad-attributes.rst",
}

_DEF = re.compile(r"^([ \t]*):classad-attribute-def:`([^`]+)`[ \t]*$", re.M)

# earliest match in the entry's first sentence decides; ordered by specificity at equal place
_TYPE_WORDS: list[tuple[str, str]] = [
    (r"\bclassad list\b|\blist of classads\b", "list"),
    (r"\bboolean\b|\bbool\b", "bool"),
    (r"\bfloating[- ]point\b|\breal\b|\bfloat\b|\bfraction\b|\bpercent", "real"),
    (r"\binteger\b|\bint\b", "int"),
    (r"\bstring\b|\bcomma[- ]separated\b", "string"),
    (r"\bclassad expression\b|\bexpression\b", "expression"),
    (r"\bnested classad\b", "classad"),
    (r"\blist\b", "list"),
    (r"\bnumber of\b|\bcount\b|\bseconds\b|\bepoch\b|\btime at which\b|\bmbytes\b|"
     r"\bkib\b|\bmib\b|\bkbytes\b|\bmegabytes\b", "int"),
    (r"\bname\b|\bpath\b|\bversion\b|\bhost\b", "string"),
]  # fmt: skip


def infer_type(text: str) -> str:
    """A type from the wording of a reference entry (first sentence), 'any' if unclear."""
    flat = " ".join(re.sub(r":[a-z-]+:`([^`<]*)[^`]*`", r"\1", text).split()).lower()
    sentence = flat.split(". ")[0]
    best: tuple[int, int, str] | None = None
    for rank, (pat, typ) in enumerate(_TYPE_WORDS):
        m = re.search(pat, sentence)
        if m and (best is None or (m.start(), rank) < best[:2]):
            best = (m.start(), rank, typ)
    return best[2] if best else "any"


def parse_page(text: str) -> dict[str, str]:
    """Attribute name -> inferred type, for every definition on a reference page."""
    out: dict[str, str] = {}
    matches = list(_DEF.finditer(text))
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        out.setdefault(m.group(2).strip(), infer_type(text[m.end() : end]))
    return out


def name_pattern(name: str) -> str | None:
    """A regex for a documented name with placeholders, None for a plain name."""
    if "<" not in name:
        return None
    parts = re.split(r"<[^>]*>", name)
    return "[A-Za-z0-9_]+".join(re.escape(p) for p in parts)


def _git(git_dir: str, *args: str) -> str:
    return subprocess.run(
        ["git", f"--git-dir={git_dir}", *args], capture_output=True, text=True, check=True
    ).stdout


def build(
    pages: dict[str, str], facts: dict[str, dict[str, dict[str, object]]]
) -> dict[str, object]:
    ads: dict[str, object] = {}
    for ad, text in pages.items():
        attrs: dict[str, dict[str, object]] = {}
        patterns: dict[str, dict[str, object]] = {}
        for name, typ in parse_page(text).items():
            pat = name_pattern(name)
            entry: dict[str, object] = {"type": typ, "source": "reference"}
            if pat is not None:
                patterns[name] = {**entry, "pattern": pat}
            else:
                attrs[name] = entry
        lower = {n.lower(): n for n in attrs}
        for name, f in facts.get(ad, {}).items():
            key = lower.get(name.lower())
            if key is None:
                if not f.get("extra"):
                    raise SystemExit(
                        f"{FACTS.name}: [{ad}] {name} is not on the reference page;"
                        " mark it extra = true if HTCondor's source sets it"
                    )
                key = name
                attrs[key] = {"type": "any", "source": "htcondor-source"}
            if "type" in f:
                attrs[key]["type"] = f["type"]
            if "desc" in f:
                attrs[key]["description"] = f["desc"]
            if f.get("always"):
                attrs[key]["always"] = True
        ads[ad] = {
            "attributes": dict(sorted(attrs.items(), key=lambda kv: kv[0].lower())),
            "patterns": patterns,
        }
    return ads


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--git-dir", help="an htcondor/htcondor git directory to read HEAD from")
    ap.add_argument("--docs", type=Path, help="a directory holding the classad-attributes pages")
    ap.add_argument("--version")
    ap.add_argument("--commit")
    ap.add_argument("--out", type=Path, default=OUT)
    ns = ap.parse_args(argv)
    if ns.git_dir:
        pages = {ad: _git(ns.git_dir, "show", f"HEAD:{DOCS}/{f}") for ad, f in PAGES.items()}
        commit = ns.commit or _git(ns.git_dir, "rev-parse", "HEAD").strip()
        m = re.search(r'set\(VERSION "([^"]+)"\)', _git(ns.git_dir, "show", "HEAD:CMakeLists.txt"))
        version = ns.version or (m.group(1) if m else None)
    elif ns.docs:
        pages = {ad: (ns.docs / f).read_text(encoding="utf-8") for ad, f in PAGES.items()}
        commit, version = ns.commit, ns.version
    else:
        ap.error("give --git-dir or --docs")
    if not version or not commit:
        ap.error("--version and --commit are required with --docs")
    facts = tomllib.loads(FACTS.read_text(encoding="utf-8"))
    out = {
        "provenance": {
            "htcondor_version": version,
            "htcondor_commit": commit,
            "source": f"htcondor/htcondor:{DOCS}/ (names, types) + tools/attribute_facts.toml",
            "generator": "tools/gen_attribute_catalog.py",
        },
        "ads": build(pages, facts),
    }
    ns.out.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    for ad, d in out["ads"].items():  # type: ignore[union-attr]
        print(f"{ad}: {len(d['attributes'])} attributes, {len(d['patterns'])} patterns")


if __name__ == "__main__":
    main()
