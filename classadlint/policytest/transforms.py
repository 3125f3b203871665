"""The job transforms a policy test applies, read and run with HTCondor's semantics.

The config package's transform language (``classadlint.config.transform``: macros, ``if``
blocks, regex COPY/DELETE, old ``[ ... ]`` routes converted as the schedd converts them)
is used when it is installed; otherwise :mod:`classadlint.analysis.pipeline`'s reader,
which knows old-style records and plain native statements and refuses the rest. Old-style
transforms are skipped for ``condor-version`` 25.8 and later, as the schedd skips them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from classadlint.classad.ad import ClassAd
from classadlint.lint.settings import Settings


class TransformError(Exception):
    """A transform HTCondor reports failed (the schedd rejects the job), or one the
    fallback reader cannot run."""


@dataclass
class Outcome:
    ad: ClassAd
    applied: list[str] = field(default_factory=list)


def _old_syntax(settings: Settings) -> bool:
    return settings.condor_version is None or settings.condor_version < (25, 8, 0)


def read_transforms(project: Any, settings: Settings) -> tuple[str, list[Any]]:
    """("config", parsed transforms) or ("pipeline", pipeline transforms)."""
    from classadlint.analysis.pipeline import read_pipeline, transform_names

    model = project.model
    try:
        from classadlint.config.transform import parse_transform, source_from_entry
        from classadlint.config.transform.oldstyle import parse_old_transform
    except ImportError:
        return "pipeline", read_pipeline(model, None, _old_syntax(settings))
    out = []
    for name in transform_names(model):
        entry = model.lookup(f"JOB_TRANSFORM_{name}")
        if entry is None or not entry.value.strip():
            continue
        source = source_from_entry(entry)
        if source.text.startswith("["):
            if _old_syntax(settings):
                out.append(parse_old_transform(source, name))
            continue
        out.append(parse_transform(source, name))
    return "config", out


def apply_all(
    transforms: tuple[str, list[Any]],
    job: ClassAd,
    model: Any,
    maps: Mapping[str, Mapping[str, str]],
    clock: int,
) -> Outcome:
    kind, items = transforms
    if kind == "config":
        from classadlint.config.transform.apply import TransformFailed, apply_transforms

        try:
            done = apply_transforms(items, job, config=model, user_maps=maps)
        except TransformFailed as exc:
            raise TransformError(str(exc)) from None
        return Outcome(done.ad, list(done.applied))
    from classadlint.analysis.pipeline import PipelineError, apply

    try:
        result = apply(items, job, user_maps=maps, clock=lambda: float(clock))
    except PipelineError as exc:
        raise TransformError(str(exc)) from None
    return Outcome(result.job, result.applied)
