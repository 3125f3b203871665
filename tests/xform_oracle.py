"""HTCondor's own transform code as the oracle of the transform tests.

The PyPI ``htcondor`` wheel ships libcondor_utils (which holds xform_utils.cpp: the
transform parser, TransformClassAd and the old-route converter) but no
condor_transform_ads binary. ``tests/xform_oracle/xform_oracle.cpp`` is a small driver of
those library functions, following the schedd and condor_transform_ads; it is compiled
once per source/library version into a cache directory and run with ``CONDOR_CONFIG``
pointing at the test's config file.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import htcondor2

SOURCE = Path(__file__).resolve().parent / "xform_oracle" / "xform_oracle.cpp"


def _libs() -> list[Path]:
    libdir = Path(htcondor2.__file__).resolve().parents[1] / "htcondor.libs"
    utils = sorted(libdir.glob("libcondor_utils_*.so*"))
    classad = sorted(libdir.glob("libclassad-*.so*"))
    if not utils or not classad:
        raise RuntimeError(f"libcondor_utils/libclassad not found in {libdir}")
    return [utils[0], classad[0]]


@cache
def binary() -> Path:
    """The compiled driver (built on first use, cached by source and library hash)."""
    libs = _libs()
    digest = hashlib.sha256(SOURCE.read_bytes())
    for lib in libs:
        digest.update(str(lib).encode())
    out_dir = Path(tempfile.gettempdir()) / f"classadlint-xform-oracle-{digest.hexdigest()[:16]}"
    exe = out_dir / "xform_oracle"
    if not exe.exists():
        out_dir.mkdir(parents=True, exist_ok=True)
        tmp = out_dir / f"xform_oracle.{os.getpid()}"
        subprocess.run(
            [
                "g++",
                "-std=c++17",
                "-O1",
                "-o",
                str(tmp),
                str(SOURCE),
                *map(str, libs),
                f"-Wl,-rpath,{libs[0].parent}",
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        tmp.replace(exe)
    return exe


@dataclass
class Case:
    """One transform applied to one ad: matched?, TransformClassAd's result, the ad."""

    matched: bool
    rval: int | None
    message: str
    ad: dict[str, str]


@dataclass
class Run:
    """What the driver printed: load results, matches, TransformClassAd results, ads."""

    loads: list[tuple[int, str]] = field(default_factory=list)
    matches: list[bool] = field(default_factory=list)
    rvals: list[tuple[int, str]] = field(default_factory=list)
    ads: list[dict[str, str]] = field(default_factory=list)  # attribute -> old-syntax text
    statements: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    conversions: list[tuple[int, str, list[str]]] = field(default_factory=list)
    stderr: str = ""
    converted: int = 0
    name: str = ""


def run(mode: str, config: Path, *args: str, env: dict[str, str] | None = None) -> Run:
    proc = subprocess.run(
        [str(binary()), mode, *args],
        env={**(env or {}), "CONDOR_CONFIG": str(config)},
        capture_output=True,
        text=True,
        timeout=60,
        errors="surrogateescape",
    )
    if proc.returncode != 0:
        raise RuntimeError(f"xform_oracle {mode} failed ({proc.returncode}): {proc.stderr}")
    out = Run(stderr=proc.stderr)
    lines = proc.stdout.split("\n")
    pending: list[object] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        head, _, rest = line.partition(" ")
        if head == "LOAD":
            _, rval, msg = (rest + "  ").split(" ", 2)
            out.loads.append((int(rval), msg.strip()))
        elif head == "MATCH":
            out.matches.append(rest.split()[1] == "1")
            pending = [out.matches[-1], None, ""]
        elif head == "RVAL":
            _, rval, msg = (rest + "  ").split(" ", 2)
            out.rvals.append((int(rval), msg.strip()))
            pending[1:] = [int(rval), msg.strip()]
        elif line in ("AD", "TEXT"):
            body: list[str] = []
            i += 1
            while lines[i] != "END":
                body.append(lines[i])
                i += 1
            if line == "AD":
                ad: dict[str, str] = {}
                for entry in body:
                    name, _, value = entry.partition(" = ")
                    ad[name.replace("\\0", "\0")] = value.replace("\x01", "\n")
                out.ads.append(ad)
                if pending:
                    matched, rval, message = pending
                    out.cases.append(Case(bool(matched), rval, str(message), ad))  # type: ignore[arg-type]
                pending = []
            else:
                out.texts.append("\n".join(body))
        elif head == "STATEMENT":
            out.statements.append(rest)
            out.conversions[-1][2].append(rest)
        elif head == "CONVERT":
            rval, _, name = rest.partition(" ")
            out.converted, out.name = int(rval), name
            out.conversions.append((int(rval), name, []))
        i += 1
    return out
