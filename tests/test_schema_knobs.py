"""The knob catalog agrees with HTCondor itself (htcondor2 in a child process).

Defaults: for every knob with a built-in default, a config file sets a fresh, unknown knob
to our raw default text; HTCondor must expand that copy to exactly the value it gives the
real knob (typed knobs: the copy read the way HTCondor reads a typed knob). This checks the
raw text without any expander of ours. Types: HTCondor hands typed knobs back as bool, int
or float; our declared type must be the same one for every knob.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from classadlint.schema import knob_contexts, knobs
from classadlint.schema.provenance import load_json

_CHILD = r"""
import json, os, sys
import htcondor2
import classad2
req = json.load(sys.stdin)
if req.get("subsystem"):
    htcondor2.set_subsystem(req["subsystem"])
    htcondor2.reload_config()
def typed(v):
    if v is None: return ["none", None]
    if isinstance(v, bool): return ["bool", v]
    if isinstance(v, int): return ["int", v]
    if isinstance(v, float): return ["double", v]
    return ["str", str(v)]
def as_typed(text, kind):
    # how HTCondor reads a typed knob: a literal, else the value of a ClassAd expression
    t = text.strip()
    try:
        if kind == "bool" and t.lower() in ("true", "false"):
            return ["bool", t.lower() == "true"]
        if kind == "int":
            return ["int", int(t)]
        if kind == "double":
            return ["double", float(t)]
    except ValueError:
        pass
    try:
        v = classad2.ExprTree(t).eval()
    except Exception as e:
        return ["error", repr(e)]
    if kind == "bool" and isinstance(v, (bool, int, float)):
        return ["bool", bool(v)]
    if kind == "int" and isinstance(v, (bool, int, float)):
        return ["int", int(v)]
    if kind == "double" and isinstance(v, (bool, int, float)):
        return ["double", float(v)]
    return ["str", str(v)]
out = {"keys": sorted(htcondor2.param.keys()), "knobs": {}}
for name, copy, kind in req["knobs"]:
    real = htcondor2.param.get(name)
    entry = {"real": typed(real)}
    if copy:
        c = htcondor2.param.get(copy)
        entry["copy"] = ["none", None] if c is None else (
            as_typed(c, kind) if isinstance(real, (bool, int, float)) else ["str", c])
    out["knobs"][name] = entry
json.dump(out, sys.stdout)
"""

_PY_TYPE = {"bool": "bool", "int": "int", "long": "int", "double": "double"}


def _copy_name(i: int) -> str:
    return f"CLASSADLINT_DEFAULT_COPY_{i}"


_SUBSYSTEM = "TOOL"  # what htcondor2 runs as unless told otherwise


@cache
def _htcondor_view(subsystem: str | None = None) -> dict[str, Any]:
    """HTCondor's value of every knob of our catalog, and of a copy of our default text."""
    lines = []
    req = []
    for i, info in enumerate(knobs.iter_knobs()):
        default = info.default_for(subsystem)
        copy = None
        if default and not info.computed and "$RANDOM" not in default.upper():
            copy = _copy_name(i)
            if "\n" in default or default.rstrip().endswith("\\"):
                lines.append(f"{copy} @=classadlintend\n{default}\n@classadlintend")
            else:
                lines.append(f"{copy} = {default}")
        req.append([info.name, copy, _PY_TYPE.get(info.param_type or "", "str")])
    with tempfile.NamedTemporaryFile("w", suffix=".config", delete=False) as f:
        f.write("\n".join(lines) + "\n")
    try:
        env = dict(os.environ, CONDOR_CONFIG=f.name)
        proc = subprocess.run(
            [sys.executable, "-c", _CHILD],
            input=json.dumps({"knobs": req, "subsystem": subsystem}),
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )
    finally:
        os.unlink(f.name)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)  # type: ignore[no-any-return]


# Defaults HTCondor does not take from its table in this process: the Python bindings force
# ENABLE_CLASSAD_CACHING off (htcondor2_impl.cpp param_insert); the release on PyPI (25.14.1)
# changed two defaults after the catalog's snapshot (main at 7491a145f6).
_NOT_FROM_TABLE = {"ENABLE_CLASSAD_CACHING"}
_CHANGED_IN_RELEASE = {"ADSTASH_SE_INDEX_NAME", "TRANSFER_JOB_ATTRS"}


def _lines(v: list[Any]) -> list[Any]:
    """A value with each line trimmed: a config file trims the lines of the copy, while
    HTCondor keeps a table default's indentation and trailing blanks verbatim."""
    if v[0] != "str":
        return v
    return ["str", "\n".join(line.strip() for line in v[1].strip().split("\n"))]


def test_every_default_expands_like_htcondors_own() -> None:
    view = _htcondor_view(_SUBSYSTEM)["knobs"]
    checked, wrong = 0, []
    for info in knobs.iter_knobs():
        entry = view[info.name]
        if "copy" not in entry or _DETECTED.fullmatch(info.name):
            continue
        if info.name in _NOT_FROM_TABLE | _CHANGED_IN_RELEASE:
            continue
        checked += 1
        if _lines(entry["copy"]) != _lines(entry["real"]):
            wrong.append((info.name, info.default, entry["real"], entry["copy"]))
    assert not wrong, wrong[:20]
    assert checked > 900, checked


def test_multiline_and_blank_edged_defaults_are_kept_verbatim() -> None:
    """HTCondor hands back a table default exactly as param_info.in writes it."""
    view = _htcondor_view(_SUBSYSTEM)["knobs"]
    for name in ("SUM_OF_CATALOGS", "STARTER_DEBUG"):
        info = knobs.knob(name)
        assert info is not None and info.default is not None
        assert view[info.name]["real"] == ["str", info.default], name


def test_empty_defaults_are_unset_in_htcondor() -> None:
    view = _htcondor_view(_SUBSYSTEM)["knobs"]
    wrong = [
        (i.name, view[i.name]["real"])
        for i in knobs.iter_knobs()
        if i.default_for(_SUBSYSTEM) == ""
        and view[i.name]["real"][0] != "none"
        and not _DETECTED.fullmatch(i.name)
    ]
    assert not wrong, wrong


def test_declared_types_are_the_types_htcondor_returns() -> None:
    view = _htcondor_view(_SUBSYSTEM)["knobs"]
    wrong = []
    for info in knobs.iter_knobs():
        kind, value = view[info.name]["real"]
        if kind == "none":
            continue
        want = _PY_TYPE.get(info.param_type or "", "str")
        if kind != want:
            wrong.append((info.name, info.param_type, kind, value))
    assert not wrong, wrong


@pytest.mark.parametrize("subsystem", ["MASTER", "SCHEDD", "SHADOW"])
def test_per_subsystem_defaults(subsystem: str) -> None:
    view = _htcondor_view(subsystem)["knobs"]
    subject = [i for i in knobs.iter_knobs() if subsystem in i.subsystem_defaults]
    assert subject, f"the catalog has no {subsystem}-specific default"
    for info in subject:
        entry = view[info.name]
        assert entry["copy"] == entry["real"], (info.name, entry)


# Names htcondor2 (the 25.14.1 release on PyPI) defines that the catalog's source snapshot
# (main at 7491a145f6, 25.14.0) does not: run-time detected macros (reference 1.13), and
# knobs the release branch added after the snapshot. A new name here means the catalog
# should be regenerated from a newer snapshot.
_DETECTED = re.compile(
    r"(DETECTED_\w+|IP(V4|V6)?_ADDRESS(_IS_IPV6)?|OPSYS\w*|UNAME_\w+|UTSNAME_\w+|PID|PPID|"
    r"REAL_UID|REAL_GID|USERNAME|CondorIsAdmin|ARCH|FULL_HOSTNAME|HOSTNAME|LOCALNAME|TILDE|"
    r"SUBSYSTEM|FILESYSTEM_DOMAIN|UID_DOMAIN|CONFIG_ROOT)",
    re.I,
)
_RELEASE_ONLY = re.compile(
    r"(METRICD_\w+|MAX_METRICD_LOG|PROMETHEUS_\w+|GANGLIA_RESET_METRICS_FILE|"
    r"GANGLIA_WANT_RESET_METRICS|ANNEX_USE_OLD_CREATE|SUBMIT_PREVENT_MULTI_QUEUE)"
)


def test_htcondor_knows_no_knob_we_lack() -> None:
    keys = _htcondor_view(_SUBSYSTEM)["keys"]
    ours = knobs.known_names()
    missing = [
        k
        for k in keys
        if k.upper() not in ours
        and not k.startswith("CLASSADLINT_")
        and not _DETECTED.fullmatch(k)
        and not _RELEASE_ONLY.fullmatch(k)
    ]
    assert not missing, missing


def test_catalog_is_stamped() -> None:
    p = knobs.catalog_provenance()
    assert re.fullmatch(r"\d+\.\d+\.\d+", p.htcondor_version)
    assert re.fullmatch(r"[0-9a-f]{40}", p.htcondor_commit)
    assert "param_info.in" in p.source


def test_expression_defaults_parse_as_classads() -> None:
    """Every expression knob's default (as HTCondor expands it) is a valid ClassAd."""
    import classad2

    view = _htcondor_view(_SUBSYSTEM)["knobs"]
    bad = []
    for info in knobs.iter_knobs():
        real = view[info.name]["real"]
        if info.expression and real[0] == "str" and real[1].strip():
            try:
                classad2.ExprTree(real[1])
            except Exception as e:
                bad.append((info.name, real[1], e))
    assert not bad, bad


# --- evaluation contexts (reference section 6.1) -------------------------------------------


def test_start_is_a_slot_expression_matched_against_jobs() -> None:
    info = knobs.knob("start")
    assert info is not None and info.expression and info.in_param_table
    assert info.context is not None
    assert (info.context.my, info.context.target) == ("slot", "job")
    assert info.context.daemon == "startd"


@pytest.mark.parametrize(
    "name", ["SYSTEM_PERIODIC_HOLD", "system_periodic_remove", "SYSTEM_PERIODIC_HOLD_Memory"]
)
def test_system_periodic_expressions_see_the_job_alone(name: str) -> None:
    ctx = knobs.context(name)
    assert ctx is not None
    assert ctx.my == "job" and ctx.target is None
    assert ctx.ad_for_scope("TARGET") is None


def test_system_periodic_names_and_reasons() -> None:
    assert knobs.knob("SYSTEM_PERIODIC_HOLD_NAMES").type == "list"  # type: ignore[union-attr]
    reason = knobs.knob("SYSTEM_PERIODIC_HOLD_Memory_REASON")
    assert reason is not None and reason.context is not None
    assert reason.context.result == "string" and reason.context.my == "job"


def test_submit_requirements_bind_schedd_and_job() -> None:
    ctx = knobs.context("SUBMIT_REQUIREMENT_NotStandard")
    assert ctx is not None
    assert (ctx.my, ctx.target) == ("schedd", "job")
    assert ctx.ad_for_scope("job") == "job" and ctx.ad_for_scope("Schedd") == "schedd"
    assert knobs.knob("SUBMIT_REQUIREMENT_NAMES").type == "list"  # type: ignore[union-attr]
    assert knobs.knob("SUBMIT_REQUIREMENT_X_IS_WARNING").type == "bool"  # type: ignore[union-attr]


def test_variants_and_prefixes_inherit_the_base_context() -> None:
    for name in ("PREEMPT_VANILLA", "SLOT2_START", "SLOT_TYPE_1_RANK", "STARTD.START"):
        ctx = knobs.context(name)
        assert ctx is not None and ctx.my == "slot", name
    assert knobs.knob("SLOT_TYPE_1_PARTITIONABLE") is None


def test_transforms_and_single_ad_knobs() -> None:
    t = knobs.knob("JOB_TRANSFORM_SetGroup")
    assert t is not None and t.type == "transform" and not t.expression
    assert knobs.knob("JOB_TRANSFORM_NAMES").type == "list"  # type: ignore[union-attr]
    for name in ("NEGOTIATOR_JOB_CONSTRAINT", "JOB_ROUTER_SOURCE_JOB_CONSTRAINT"):
        ctx = knobs.context(name)
        assert ctx is not None and ctx.my == "job" and ctx.target is None
    owner = knobs.context("IS_OWNER")
    assert owner is not None and owner.target_optional


def test_vanilla_start_has_only_named_ads() -> None:
    ctx = knobs.context("START_VANILLA_UNIVERSE")
    assert ctx is not None and ctx.my is None
    assert ctx.ad_for_scope("SLOT") == "slot" and ctx.ad_for_scope("OWNER") == "submitter"


def test_boolean_knobs_are_typed_bool() -> None:
    """What CA112 needs: boolean knobs are known as such (HTCondor rejects `yes`)."""
    for name in ("ENABLE_RUNTIME_CONFIG", "USE_SHARED_PORT", "ALWAYS_REUSEADDR"):
        info = knobs.knob(name)
        assert info is not None and info.type == "bool", name


def test_unknown_names() -> None:
    assert knobs.knob("NO_SUCH_KNOB_ANYWHERE") is None
    assert not knobs.is_expression("NO_SUCH_KNOB_ANYWHERE")
    assert knobs.knob("Start") is knobs.knob("START")


def test_generated_annotations_match_the_rules() -> None:
    """knobs.json was regenerated after the last change of knob_contexts.toml."""
    raw = load_json(knobs.KNOBS_FILE)["knobs"]
    stale = []
    for name, entry in raw.items():
        ann = knob_contexts.annotate(name, entry)
        if any(entry.get(k) != v for k, v in ann.items()) or ("context" in entry) != (
            "context" in ann
        ):
            stale.append(name)
    assert not stale, stale


def test_data_ships_in_the_package() -> None:
    import classadlint.schema

    data = Path(classadlint.schema.__file__).parent / "data"
    for name in ("knobs.json", "metaknobs.json", "attributes.json", "functions.toml"):
        assert (data / name).is_file(), name
