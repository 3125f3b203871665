"""Settings: ``[tool.classadlint]`` in ``pyproject.toml`` or the top level of
``.classadlint.toml``, found by walking up from the checked path, then overridden by the
command line.

Every key is validated when read; a bad one is a :class:`SettingsError` naming the file,
the key and the accepted values (the CLI prints it and exits 2).

```toml
[tool.classadlint]
select = ["CA1", "CA2"]          # codes, prefixes, names or "ALL" (default: the default rules)
extend-select = ["CA210"]        # added to the selection
ignore = ["CA105"]               # removed from it (wins over select)
fail-on = "warning"              # exit 1 only for findings at or above this severity
require-reason = true            # suppressions must say why (`-- reason`)
rule-dirs = ["policy/rules"]     # site rules (*.toml), relative to this file
subsystem = "STARTD"             # the daemon whose view of the config to take
condor-version = "25.14.1"       # the HTCondor version whose language and rules to follow
paths = ["config"]               # what `classadlint check` with no paths checks
exclude = ["*.rpmsave"]          # file globs never checked
sample-job = "examples/job.ad"   # ads the editor's "evaluate" command uses (MY/TARGET)
sample-slot = "examples/slot.ad"
analysis-budget-ms = 200         # time per proof query (CA202, CA207, CA5xx, assertions)

[tool.classadlint.severity]      # per-rule severity override
CA209 = "info"

[tool.classadlint.per-file-ignores]
"legacy/*.config" = ["CA2"]

[tool.classadlint.attributes.job]   # site attributes and their types (for CA206, CA301)
ProjectName = "string"
```
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, cast

from classadlint.lint.diagnostic import SEVERITIES, Severity

SETTINGS_FILE = ".classadlint.toml"
_KEYS = {
    "select", "extend-select", "ignore", "fail-on", "require-reason", "rule-dirs",
    "subsystem", "condor-version", "paths", "exclude", "severity", "per-file-ignores",
    "attributes", "sample-job", "sample-slot", "analysis-budget-ms",
}  # fmt: skip
_ATTRIBUTE_TYPES = ("string", "int", "real", "number", "bool", "list", "classad", "any")
_AD_KINDS = ("job", "machine", "schedd", "submitter")
_VERSION = re.compile(r"\d+\.\d+(\.\d+)?\Z")


class SettingsError(ValueError):
    """A settings file or option that cannot be used; the message says where and why."""


def parse_version(text: str) -> tuple[int, int, int] | None:
    """``condor-version`` as a tuple (``"23.0"`` is (23, 0, 0)), None if it is not one.

    Any version is accepted: sites still run 23.0 LTS, whose ClassAd language differs
    (``?:`` precedence, unit suffixes, circular references; classadlint/classad/parser.py
    ParseOptions). The language before 23.0 is taken to be 23.0's.
    """
    if not _VERSION.match(text):
        return None
    parts = [int(x) for x in text.split(".")] + [0]
    return parts[0], parts[1], parts[2]


@dataclass(frozen=True)
class Settings:
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: Severity = "info"
    require_reason: bool = False
    rule_dirs: tuple[Path, ...] = ()
    subsystem: str = "TOOL"
    condor_version: tuple[int, int, int] | None = None
    paths: tuple[Path, ...] = ()
    exclude: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    per_file_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    attributes: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    sample_job: Path | None = None  # the editor's evaluate command: a job ad file
    sample_slot: Path | None = None  # and a slot (machine) ad file
    analysis_budget_ms: int = 200  # per symbolic query; a timeout is "not proved"
    source: Path | None = None  # the file these came from (None: defaults)

    @property
    def root(self) -> Path:
        """The directory relative paths in the settings are resolved against."""
        return self.source.parent if self.source is not None else Path.cwd()

    def override(
        self,
        *,
        select: Iterable[str] | None = None,
        extend_select: Iterable[str] | None = None,
        ignore: Iterable[str] | None = None,
        fail_on: str | None = None,
        subsystem: str | None = None,
    ) -> Settings:
        """These settings with command-line options applied on top (options win; a
        command-line ``--ignore`` adds to the file's ignores)."""
        out = self
        if select:
            out = replace(out, select=_selectors(list(select), "--select"))
        if extend_select:
            out = replace(
                out, extend_select=out.extend_select + _selectors(list(extend_select), "--")
            )
        if ignore:
            out = replace(out, ignore=out.ignore + _selectors(list(ignore), "--ignore"))
        if fail_on is not None:
            out = replace(out, fail_on=_severity(fail_on, "--fail-on"))
        if subsystem is not None:
            out = replace(out, subsystem=subsystem)
        return out

    def ignored_in(self, file: str) -> tuple[str, ...]:
        """Selectors ``per-file-ignores`` switches off for ``file``."""
        out: list[str] = []
        rel = _relative(file, self.root)
        for glob, codes in self.per_file_ignores.items():
            if fnmatch.fnmatch(rel, glob) or fnmatch.fnmatch(Path(file).name, glob):
                out.extend(codes)
        return tuple(out)

    def excluded(self, file: Path) -> bool:
        rel = _relative(str(file), self.root)
        return any(fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(file.name, g) for g in self.exclude)


def _relative(file: str, root: Path) -> str:
    try:
        return Path(file).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return Path(file).as_posix()


def find_settings(start: Path) -> Path | None:
    """The nearest ``.classadlint.toml``, or ``pyproject.toml`` with ``[tool.classadlint]``,
    in ``start`` or a parent directory."""
    here = start.resolve()
    if here.is_file():
        here = here.parent
    for directory in (here, *here.parents):
        candidate = directory / SETTINGS_FILE
        if candidate.is_file():
            return candidate
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file():
            try:
                data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                continue
            if "classadlint" in data.get("tool", {}):
                return pyproject
    return None


def load_settings(path: Path | None) -> Settings:
    """Settings from a file (None: the defaults)."""
    if path is None:
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path}: cannot read settings: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: not valid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("classadlint", {})
    return parse_settings(data, path)


def discover(start: Path) -> Settings:
    return load_settings(find_settings(start))


def parse_settings(data: Mapping[str, Any], source: Path | None = None) -> Settings:
    where = f"{source}: " if source is not None else ""

    def err(key: str, problem: str) -> SettingsError:
        return SettingsError(f"{where}`{key}`: {problem}")

    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise err(unknown[0], f"unknown setting; known: {', '.join(sorted(_KEYS))}")
    root = source.parent if source is not None else Path.cwd()
    s = Settings(source=source)
    try:
        if "select" in data:
            s = replace(s, select=_selectors(_strings(data["select"], "select"), "select"))
        if "extend-select" in data:
            s = replace(s, extend_select=_selectors(_strings(data["extend-select"], ""), ""))
        if "ignore" in data:
            s = replace(s, ignore=_selectors(_strings(data["ignore"], "ignore"), "ignore"))
        if "fail-on" in data:
            s = replace(s, fail_on=_severity(data["fail-on"], "fail-on"))
        if "require-reason" in data:
            if not isinstance(data["require-reason"], bool):
                raise err("require-reason", "must be true or false")
            s = replace(s, require_reason=data["require-reason"])
        if "rule-dirs" in data:
            dirs = tuple(root / d for d in _strings(data["rule-dirs"], "rule-dirs"))
            s = replace(s, rule_dirs=dirs)
        if "subsystem" in data:
            if not isinstance(data["subsystem"], str) or not data["subsystem"].isidentifier():
                raise err("subsystem", "must be a daemon name such as STARTD or SCHEDD")
            s = replace(s, subsystem=data["subsystem"].upper())
        if "condor-version" in data:
            v = str(data["condor-version"])
            version = parse_version(v)
            if version is None:
                raise err("condor-version", f"`{v}` is not a version like 25.14.1")
            s = replace(s, condor_version=version)
        if "paths" in data:
            s = replace(s, paths=tuple(root / p for p in _strings(data["paths"], "paths")))
        if "exclude" in data:
            s = replace(s, exclude=tuple(_strings(data["exclude"], "exclude")))
        if "severity" in data:
            table = _table(data["severity"], "severity")
            s = replace(
                s, severity={k.upper(): _severity(v, f"severity.{k}") for k, v in table.items()}
            )
        if "per-file-ignores" in data:
            table = _table(data["per-file-ignores"], "per-file-ignores")
            s = replace(
                s,
                per_file_ignores={
                    glob: _selectors(_strings(v, f"per-file-ignores.{glob}"), glob)
                    for glob, v in table.items()
                },
            )
        if "attributes" in data:
            s = replace(s, attributes=_attributes(data["attributes"]))
        for key in ("sample-job", "sample-slot"):
            if key in data:
                if not isinstance(data[key], str) or not data[key]:
                    raise err(key, "must be the path of an ad file")
                s = replace(s, **{key.replace("-", "_"): root / data[key]})
        if "analysis-budget-ms" in data:
            budget = data["analysis-budget-ms"]
            if isinstance(budget, bool) or not isinstance(budget, int) or not 1 <= budget <= 600000:
                raise err("analysis-budget-ms", "must be a whole number of milliseconds, 1-600000")
            s = replace(s, analysis_budget_ms=budget)
    except SettingsError as exc:
        raise SettingsError(f"{where}{exc}") from None
    return s


def _strings(value: Any, key: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SettingsError(f"`{key}`: must be a list of strings")
    return cast(list[str], value)


def _table(value: Any, key: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise SettingsError(f"`{key}`: must be a table")
    return value


def _severity(value: Any, key: str) -> Severity:
    if value not in SEVERITIES:
        raise SettingsError(f"`{key}`: `{value}` is not one of {', '.join(SEVERITIES)}")
    return cast(Severity, value)


_SELECTOR = re.compile(r"(ALL|[A-Z]{2,8}[0-9]{0,3}|[a-z][a-z0-9-]*)\Z")


def _selectors(values: list[str], key: str) -> tuple[str, ...]:
    out = []
    for v in values:
        for part in v.split(","):
            part = part.strip()
            if not part:
                continue
            if part.lower() == "all":
                norm = "ALL"
            elif re.fullmatch(r"[A-Za-z]{2,8}[0-9]{1,3}", part) or part.isupper():
                norm = part.upper()
            else:
                norm = part.lower()
            if not _SELECTOR.match(norm):
                raise SettingsError(
                    f"`{key}`: `{part}` is not a rule code, code prefix (CA2), rule name or ALL"
                )
            out.append(norm)
    return tuple(out)


def _attributes(value: Any) -> Mapping[str, Mapping[str, str]]:
    table = _table(value, "attributes")
    out: dict[str, dict[str, str]] = {}
    for ad, attrs in table.items():
        if ad not in _AD_KINDS:
            raise SettingsError(f"`attributes.{ad}`: ad kind must be one of {', '.join(_AD_KINDS)}")
        for name, typ in _table(attrs, f"attributes.{ad}").items():
            if typ not in _ATTRIBUTE_TYPES:
                raise SettingsError(
                    f"`attributes.{ad}.{name}`: type `{typ}` is not one of "
                    f"{', '.join(_ATTRIBUTE_TYPES)}"
                )
            out.setdefault(ad, {})[name] = typ
    return out
