"""Policy test files (TOML): what they may say, read and validated with messages that
name the file and the key. Nothing in a test file is executed: it is data.

```toml
config = ["../"]                 # files or directories, relative to this file
append = "IgnoreMaintenance = True"   # optional config text read after them
time = 1700000000                # time() for every case (default 1700000000)

[maps]                           # userMap() data, in HTCondor's map file format
Projects = "gpu alice yes"

[defaults.job]                   # merged into every case's job (over realistic defaults)
Owner = "alice"

[[case]]
name = "..."
job = { RequestGPUs = 1 }        # a table of literal values, or ClassAd text
slot = '[ Cpus = 4; StartJobs = true ]'
defect = "..."                   # a known defect: the case is expected to fail
[case.expect]
start = true
job = { HoldReason = "Unauthorized GPU request" }
undefined = ["AcctGroup"]
submit = "rejected"
reason = "GPU"

[[property]]                     # the [rule.assert] vocabulary of site rules
name = "START is never UNDEFINED"
knob = "START"
never = "undefined"
```
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from classadlint.classad.ad import ClassAd
from classadlint.lint.assertions import Assertion, AssertionFormatError, parse_assertion

DEFAULT_TIME = 1_700_000_000
AD_KINDS = ("job", "slot", "schedd")
_FILE_KEYS = {"config", "append", "time", "maps", "defaults", "case", "property", "subsystem",
              "config-defect"}  # fmt: skip
_CASE_KEYS = {"name", "job", "slot", "schedd", "time", "defect", "expect"}
_EXPECT_KEYS = {"start", "match", "rank", "knobs", "job", "undefined", "transforms", "submit",
                "reason"}  # fmt: skip
_PROPERTY_KEYS = {"name", "defect", "samples"} | {
    "knob", "transforms", "when", "implies", "is", "never", "expect",
}  # fmt: skip
_SUBMIT = ("accepted", "rejected", "warned")

Scalar = bool | int | float | str


class SpecError(ValueError):
    """A test file that cannot be run; the message names the file and the key."""


@dataclass(frozen=True)
class Expect:
    """What a case expects (None: not checked)."""

    start: bool | None = None
    match: bool | None = None
    rank: float | None = None
    knobs: Mapping[str, Scalar] = field(default_factory=dict)
    job: Mapping[str, Scalar] = field(default_factory=dict)
    undefined: tuple[str, ...] = ()
    transforms: tuple[str, ...] | None = None
    submit: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Case:
    name: str
    ads: Mapping[str, ClassAd]  # kind -> the case's own attributes (before defaults)
    expect: Expect
    time: int
    defect: str | None = None


@dataclass(frozen=True)
class Property:
    name: str
    assertion: Assertion
    defect: str | None = None
    samples: int = 1000


@dataclass(frozen=True)
class TestFile:
    path: Path
    config: tuple[Path, ...]
    append: str
    subsystem: str
    maps: Mapping[str, str]  # map name -> map file text
    defaults: Mapping[str, ClassAd]
    cases: tuple[Case, ...]
    properties: tuple[Property, ...]
    time: int = DEFAULT_TIME
    load_defect: str | None = None  # why HTCondor is expected to refuse the configuration


def is_test_file(path: Path) -> bool:
    """A TOML file with ``[[case]]`` or ``[[property]]`` tables (other TOML is not ours)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    return "case" in data or "property" in data


def load(path: Path) -> TestFile:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(f"{path}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(f"{path}: not valid TOML: {exc}") from None
    where = str(path)
    _known(where, data, _FILE_KEYS, "top-level key")
    config = tuple(path.parent / c for c in _strings(where, data.get("config", []), "config"))
    if not config:
        raise SpecError(f"{where}: `config` must name the configuration under test")
    missing = [c for c in config if not c.exists()]
    if missing:
        raise SpecError(f"{where}: `config`: {missing[0]} does not exist")
    append = data.get("append", "")
    if not isinstance(append, str):
        raise SpecError(f"{where}: `append` must be config text (a string)")
    subsystem = data.get("subsystem", "TOOL")
    if not isinstance(subsystem, str) or not subsystem.isidentifier():
        raise SpecError(f"{where}: `subsystem` must be a daemon name such as SCHEDD")
    clock = _time(where, data.get("time", DEFAULT_TIME))
    maps = data.get("maps", {})
    if not isinstance(maps, dict) or not all(isinstance(v, str) for v in maps.values()):
        raise SpecError(f"{where}: `[maps]` maps a map name to its map file text")
    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict):
        raise SpecError(f"{where}: `[defaults]` must be a table of ads")
    _known(where, defaults, set(AD_KINDS), "[defaults] ad")
    default_ads = {k: _ad(f"{where}: defaults.{k}", v) for k, v in defaults.items()}
    cases = tuple(_case(where, k, c, clock) for k, c in enumerate(_tables(where, data, "case")))
    props = tuple(_property(where, k, p) for k, p in enumerate(_tables(where, data, "property")))
    if not cases and not props:
        raise SpecError(f"{where}: no [[case]] or [[property]] tables")
    names = [c.name for c in cases] + [p.name for p in props]
    dup = next((n for n in names if names.count(n) > 1), None)
    if dup is not None:
        raise SpecError(f"{where}: two tests are named {dup!r}")
    load_defect = data.get("config-defect")
    if load_defect is not None and (not isinstance(load_defect, str) or not load_defect):
        raise SpecError(f"{where}: `config-defect` says why HTCondor refuses the configuration")
    return TestFile(
        path,
        config,
        append,
        subsystem.upper(),
        dict(maps),
        default_ads,
        cases,
        props,
        clock,
        load_defect,
    )


def _known(where: str, data: Mapping[str, Any], keys: set[str], what: str) -> None:
    unknown = sorted(set(data) - keys)
    if unknown:
        raise SpecError(f"{where}: unknown {what} `{unknown[0]}`; known: {', '.join(sorted(keys))}")


def _strings(where: str, value: Any, key: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SpecError(f"{where}: `{key}` must be a string or a list of strings")
    return value


def _tables(where: str, data: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise SpecError(f"{where}: `{key}` must be [[{key}]] tables")
    return value


def _time(where: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise SpecError(f"{where}: `time` must be a non-negative whole number of seconds")
    return value


def _ad(where: str, value: Any) -> ClassAd:
    """A table of literal values, or ClassAd text (new ``[...]`` or long form)."""
    if isinstance(value, str):
        from classadlint.classad.adfile import AdSyntaxError, parse_ad_text
        from classadlint.classad.errors import ClassAdSyntaxError

        try:
            return parse_ad_text(value)
        except (AdSyntaxError, ClassAdSyntaxError) as exc:
            raise SpecError(f"{where}: not a ClassAd: {exc}") from None
    if not isinstance(value, dict):
        raise SpecError(f"{where}: an ad is a table of values or ClassAd text")
    for name, v in value.items():
        if not isinstance(v, bool | int | float | str):
            raise SpecError(
                f"{where}.{name}: a table gives literal values; write expressions, lists "
                "and UNDEFINED as ClassAd text"
            )
    return ClassAd(value)


def _case(where: str, index: int, c: Mapping[str, Any], clock: int) -> Case:
    name = c.get("name")
    if not isinstance(name, str) or not name:
        raise SpecError(f"{where}: case {index + 1} needs a `name`")
    here = f"{where}: case {name!r}"
    _known(here, c, _CASE_KEYS, "key")
    ads = {k: _ad(f"{here}: {k}", c[k]) for k in AD_KINDS if k in c}
    defect = c.get("defect")
    if defect is not None and (not isinstance(defect, str) or not defect):
        raise SpecError(f"{here}: `defect` says why the case is expected to fail (a string)")
    raw = c.get("expect")
    if not isinstance(raw, dict) or not raw:
        raise SpecError(f"{here}: needs an [case.expect] table saying what should happen")
    return Case(name, ads, _expect(here, raw), _time(here, c.get("time", clock)), defect)


def _expect(here: str, e: Mapping[str, Any]) -> Expect:
    _known(here, e, _EXPECT_KEYS, "expectation")
    for key in ("start", "match"):
        if key in e and not isinstance(e[key], bool):
            raise SpecError(f"{here}: `expect.{key}` must be true or false")
    rank = e.get("rank")
    if rank is not None and (isinstance(rank, bool) or not isinstance(rank, int | float)):
        raise SpecError(f"{here}: `expect.rank` must be a number")
    knobs = e.get("knobs", {})
    job = e.get("job", {})
    for key, table in (("knobs", knobs), ("job", job)):
        if not isinstance(table, dict) or not all(
            isinstance(v, bool | int | float | str) for v in table.values()
        ):
            raise SpecError(f"{here}: `expect.{key}` maps names to literal values")
    undefined = tuple(_strings(here, e.get("undefined", []), "expect.undefined"))
    transforms = e.get("transforms")
    if transforms is not None:
        transforms = tuple(_strings(here, transforms, "expect.transforms"))
    submit = e.get("submit")
    if submit is not None and submit not in _SUBMIT:
        raise SpecError(f"{here}: `expect.submit` must be one of {', '.join(_SUBMIT)}")
    reason = e.get("reason")
    if reason is not None and (not isinstance(reason, str) or submit is None):
        raise SpecError(f"{here}: `expect.reason` (a string) goes with `expect.submit`")
    return Expect(
        e.get("start"),
        e.get("match"),
        float(rank) if rank is not None else None,
        dict(knobs),
        dict(job),
        undefined,
        transforms,
        submit,
        reason,
    )


def _property(where: str, index: int, p: Mapping[str, Any]) -> Property:
    name = p.get("name")
    if not isinstance(name, str) or not name:
        raise SpecError(f"{where}: property {index + 1} needs a `name`")
    here = f"{where}: property {name!r}"
    _known(here, p, _PROPERTY_KEYS, "key")
    claim = {k: v for k, v in p.items() if k not in ("name", "defect", "samples")}
    try:
        assertion = parse_assertion(here, claim)
    except AssertionFormatError as exc:
        raise SpecError(str(exc)) from None
    samples = p.get("samples", 1000)
    if isinstance(samples, bool) or not isinstance(samples, int) or not 1 <= samples <= 1_000_000:
        raise SpecError(f"{here}: `samples` must be a whole number from 1 to 1000000")
    defect = p.get("defect")
    if defect is not None and not isinstance(defect, str):
        raise SpecError(f"{here}: `defect` must be a string")
    return Property(name, assertion, defect, samples)


__all__ = ["Case", "Expect", "Property", "SpecError", "TestFile", "is_test_file", "load"]
