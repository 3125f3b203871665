"""SARIF output validated by the official SARIF 2.1.0 schema and Microsoft's SARIF
validator (``Sarif.Multitool validate``), both taken from the npm package
``@microsoft/sarif-multitool-linux`` (downloaded once into pytest's cache)."""

from __future__ import annotations

import json
import platform
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import jsonschema
import pytest

PACKAGE = "@microsoft/sarif-multitool-linux@5.7.0"

BAD = """\
START = RequestGPU != undefined && Owner isnt "bob"
RANK = x !== y
if $(LATER)
X = 1
endif
LATER = true
"""


@pytest.fixture(scope="session")
def multitool(request: pytest.FixtureRequest) -> Path:
    """The unpacked package directory (schema file and validator binary)."""
    cache = Path(request.config.cache.mkdir("sarif-multitool"))
    target = cache / "package"
    if not (target / "sarif-2.1.0.json").is_file():
        npm = shutil.which("npm")
        assert npm, "npm is needed to fetch the official SARIF schema and validator"
        proc = subprocess.run(
            [npm, "pack", PACKAGE, "--silent"],
            cwd=cache,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert proc.returncode == 0, proc.stderr
        tgz = cache / proc.stdout.strip().splitlines()[-1]
        with tarfile.open(tgz) as tar:
            tar.extractall(cache, filter="data")
        tgz.unlink()
    return target


def _sarif(tmp_path: Path) -> Path:
    (tmp_path / "pool.config").write_text(BAD)
    exe = shutil.which("classadlint") or str(Path(sys.executable).parent / "classadlint")
    proc = subprocess.run(
        [exe, "check", "--format", "sarif", "pool.config"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    out = tmp_path / "out.sarif"
    out.write_text(proc.stdout)
    return out


def test_sarif_matches_the_official_schema(tmp_path: Path, multitool: Path) -> None:
    schema = json.loads((multitool / "sarif-2.1.0.json").read_text())
    log = json.loads(_sarif(tmp_path).read_text())
    assert log["runs"][0]["results"], "the sample must produce results"
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(log)]
    assert not errors
    log["runs"][0]["results"][0]["level"] = "fatal"  # the validator does catch a bad log
    assert list(validator.iter_errors(log))


def test_sarif_passes_microsofts_validator(tmp_path: Path, multitool: Path) -> None:
    if platform.machine() not in ("x86_64", "AMD64"):
        pytest.fail("Sarif.Multitool in this package runs on x86_64 only: validate elsewhere")
    binary = multitool / "Sarif.Multitool"
    binary.chmod(0o755)
    sarif = _sarif(tmp_path)
    report = tmp_path / "validation.sarif"
    proc = subprocess.run(
        [str(binary), "validate", str(sarif), "-o", str(report)],
        capture_output=True,
        text=True,
        timeout=300,
        env={"DOTNET_SYSTEM_GLOBALIZATION_INVARIANT": "1", "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    found = json.loads(report.read_text())["runs"][0].get("results", [])
    problems = [
        (r.get("ruleId"), r.get("level"), r.get("message")) for r in found
        if r.get("level") in ("error", "warning")
    ]  # fmt: skip
    assert not problems
