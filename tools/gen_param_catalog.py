"""Generate classadlint/schema/data/params.json from HTCondor's param_info.in.

Usage: python tools/gen_param_catalog.py PATH/TO/param_info.in VERSION

param_info.in (src/condor_utils in htcondor/htcondor) declares every knob with its built-in
default and type, and every metaknob (``use CATEGORY : Template``) with its body. We ship
only those facts as data; the input file itself is never copied into this repository.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path


def parse(text: str) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    knobs: dict[str, dict[str, str]] = {}
    metaknobs: dict[str, dict[str, str]] = {}
    lines = text.splitlines()
    i = 0
    current: dict[str, str] | None = None
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line.strip() or line.startswith("#"):
            continue
        m = re.match(r"^\[(.+)\]\s*$", line)
        if m:
            name = m.group(1)
            current = {}
            if name.startswith("$"):
                category, _, template = name[1:].partition(".")
                metaknobs.setdefault(category.upper(), {})[template] = ""
                current = {"__meta__": f"{category.upper()}.{template}"}
                metaknobs[category.upper()][template] = current  # type: ignore[assignment]
            else:
                knobs[name] = current
            continue
        if current is None:
            continue
        m = re.match(r"^(\w+)\s*:\s*@(\w+)\s*$", line)
        if m:
            key, tag = m.group(1), m.group(2)
            body = []
            while i < len(lines) and lines[i].strip() != "@" + tag:
                body.append(lines[i].strip())
                i += 1
            i += 1
            current[key] = "\n".join(body)
            continue
        m = re.match(r"^(\w+)\s*=(.*)$", line)
        if m:
            current[m.group(1)] = m.group(2).strip()
    return knobs, metaknobs


def computed_defaults(names: list[str]) -> dict[str, str]:
    """The defaults HTCondor's C++ code computes (``macro=`` entries), read from the
    installed htcondor2 with no config file at all."""
    import os
    import subprocess

    code = (
        "import json, sys, htcondor2\n"
        "print(json.dumps({n: htcondor2.param.get(n) for n in json.loads(sys.argv[1])}))"
    )
    env = dict(os.environ, CONDOR_CONFIG="ONLY_ENV")
    out = subprocess.run([sys.executable, "-c", code, json.dumps(names)], env=env,
                         capture_output=True, text=True, check=True).stdout  # fmt: skip
    return {k: v for k, v in json.loads(out).items() if isinstance(v, str)}


def main() -> None:
    path, version = sys.argv[1], sys.argv[2]
    knobs, metaknobs = parse(Path(path).read_text(encoding="utf-8"))
    computed = computed_defaults([n for n, k in knobs.items() if "macro" in k])
    for name, value in computed.items():
        knobs[name]["default"] = value
        knobs[name]["computed_from"] = "htcondor2"
    out = {
        "htcondor_version": version,
        "source": "src/condor_utils/param_info.in",
        "knobs": {
            name: {
                "default": k.get("default", ""),
                "type": k.get("type", "string"),
                # the default HTCondor's C++ code computes at run time wins over this one
                **({"computed": True} if "macro" in k and "computed_from" not in k else {}),
            }
            for name, k in sorted(knobs.items())
        },
        "metaknobs": {
            cat: {t: body.get("default", "") for t, body in sorted(tpls.items())}  # type: ignore[union-attr]
            for cat, tpls in sorted(metaknobs.items())
        },
    }
    dest = Path(__file__).resolve().parents[1] / "classadlint" / "schema" / "data" / "params.json"
    dest.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(
        f"{dest}: {len(out['knobs'])} knobs, "
        f"{sum(len(t) for t in out['metaknobs'].values())} metaknob templates"
    )


if __name__ == "__main__":
    main()
