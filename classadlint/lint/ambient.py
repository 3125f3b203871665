"""The settings of the lint run in progress, for rules that need more than their argument.

A rule's ``check`` receives an expression context or a project, never the settings; the
proof rules (CA202, CA207, CA5xx, site assertions) still need the site's time budget and
its declared attributes. The engine records the settings here when a run starts
(:func:`classadlint.lint.engine.lint_project` and ``lint_expression``); rules read them
with :func:`current_settings`. A context variable, so concurrent runs (threads, the
language server's tasks) each see their own.
"""

from __future__ import annotations

from contextvars import ContextVar

from classadlint.lint.settings import Settings

_SETTINGS: ContextVar[Settings | None] = ContextVar("classadlint_settings", default=None)


def set_settings(settings: Settings) -> None:
    """Record the settings of the run that is starting."""
    _SETTINGS.set(settings)


def current_settings() -> Settings:
    """The settings of the run in progress (the defaults outside a run)."""
    return _SETTINGS.get() or Settings()


__all__ = ["current_settings", "set_settings"]
