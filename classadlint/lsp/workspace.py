"""Workspace settings: the project's ``[tool.classadlint]`` / ``.classadlint.toml`` found
from the workspace root (as ``classadlint check`` run there would find it), and the
editor-side options the client passes in ``initializationOptions``.

A broken settings file must not stop the server: the error is reported to the user and
the defaults are used until the file is fixed and saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from classadlint.lint.settings import (
    SETTINGS_FILE,
    Settings,
    SettingsError,
    find_settings,
    load_settings,
)
from classadlint.report.sarif import HELP_URI

#: Saving one of these re-reads the settings.
SETTINGS_NAMES = (SETTINGS_FILE, "pyproject.toml")


@dataclass(frozen=True)
class ServerOptions:
    """What the editor configures (``initializationOptions``), not the project.

    ``debounce_ms``: quiet time after the last keystroke before a file is linted again;
    ``rule_docs_url``: where a diagnostic's code links to, ``{code}`` replaced (the same
    pages the SARIF report's ``helpUri`` names).
    """

    debounce_ms: int = 25
    rule_docs_url: str = HELP_URI

    @classmethod
    def from_json(cls, data: Any) -> tuple[ServerOptions, list[str]]:
        """Options from the client's JSON; unusable values are named and ignored."""
        out = cls()
        problems: list[str] = []
        if not isinstance(data, dict):
            return out, problems
        debounce = data.get("debounceMs", data.get("debounce_ms"))
        if debounce is not None:
            if isinstance(debounce, int | float) and not isinstance(debounce, bool):
                out = cls(max(0, int(debounce)), out.rule_docs_url)
            else:
                problems.append(f"debounceMs must be a number of milliseconds, not {debounce!r}")
        url = data.get("ruleDocsUrl")
        if url is not None:
            if isinstance(url, str) and "{code}" in url:
                out = cls(out.debounce_ms, url)
            else:
                problems.append("ruleDocsUrl must be a string containing {code}")
        return out, problems


def settings_path(root: Path) -> Path | None:
    """The settings file that applies to the workspace root, if any."""
    return find_settings(root)


def read_settings(root: Path) -> tuple[Settings, str | None]:
    """The workspace's settings, or the defaults and why the file could not be used."""
    try:
        return load_settings(settings_path(root)), None
    except SettingsError as exc:
        return Settings(), str(exc)
    except OSError as exc:  # a directory that vanished, permissions
        return Settings(), f"{root}: cannot read settings: {exc}"


def is_settings_file(path: str) -> bool:
    return Path(path).name in SETTINGS_NAMES
