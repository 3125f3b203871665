"""Policy test results for people (text) and for CI (JUnit XML).

Text: one line per test (PASS, FAIL, XFAIL — a known defect that still fails —, XPASS — a
known defect that no longer fails, which fails the run so the test gets updated — and
ERROR), and under each failure the expectations that did not hold as an expected/got
pair. JUnit: one ``<testsuite>`` per file, one ``<testcase>`` per test; an expected
failure is ``<skipped>`` with its reason.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from xml.etree import ElementTree as ET

from classadlint.policytest.runner import Result

_WORD = {"pass": "PASS", "fail": "FAIL", "xfail": "XFAIL", "xpass": "XPASS", "error": "ERROR"}
_COLOUR = {"pass": "32", "fail": "31", "xfail": "33", "xpass": "31", "error": "31"}


def _paint(text: str, status: str, colour: bool) -> str:
    return f"\x1b[{_COLOUR[status]}m{text}\x1b[0m" if colour else text


def _label(r: Result) -> str:
    return f"property: {r.name}" if r.kind == "property" else r.name


def render_text(results: Iterable[Result], *, colour: bool = False, verbose: bool = False) -> str:
    out: list[str] = []
    results = list(results)
    current: Path | None = None
    for r in results:
        if r.file != current:
            if current is not None:
                out.append("")
            out.append(str(r.file))
            current = r.file
        word = _paint(f"{_WORD[r.status]:5}", r.status, colour)
        line = f"  {word} {_label(r)}"
        if r.note and (r.status in ("xfail", "xpass") or r.kind == "property" or verbose):
            line += f"  ({r.note})"
        out.append(line)
        if r.status == "xpass":
            out.append("        the known defect no longer shows: remove `defect` from the test")
        if r.failed or verbose or r.status == "xfail":
            for c in r.checks:
                if c.ok and not verbose:
                    continue
                mark = "ok " if c.ok else "   "
                out.append(f"      {mark}{c.label}")
                out.append(f"          expected {c.expected}")
                out.append(f"          got      {c.got}")
    out.append("")
    out.append(summary(results))
    return "\n".join(out)


def summary(results: list[Result]) -> str:
    counts: Counter[str] = Counter(r.status for r in results)
    parts = [f"{counts[s]} {w}" for s, w in (
        ("pass", "passed"), ("fail", "failed"), ("xfail", "expected failures"),
        ("xpass", "unexpectedly passed"), ("error", "errors"),
    ) if counts[s]]  # fmt: skip
    n = len(results)
    return f"{n} test{'s' if n != 1 else ''}: " + (", ".join(parts) or "none run")


def render_junit(results: Iterable[Result]) -> str:
    by_file: dict[Path, list[Result]] = {}
    for r in results:
        by_file.setdefault(r.file, []).append(r)
    root = ET.Element("testsuites", name="classadlint test")
    for file, items in by_file.items():
        suite = ET.SubElement(
            root,
            "testsuite",
            name=str(file),
            tests=str(len(items)),
            failures=str(sum(r.status in ("fail", "xpass") for r in items)),
            errors=str(sum(r.status == "error" for r in items)),
            skipped=str(sum(r.status == "xfail" for r in items)),
            time=f"{sum(r.seconds for r in items):.3f}",
        )
        for r in items:
            case = ET.SubElement(
                suite, "testcase", name=_label(r), classname=str(file), time=f"{r.seconds:.3f}"
            )
            detail = "\n".join(
                f"{c.label}: expected {c.expected}, got {c.got}" for c in r.checks if not c.ok
            )
            if r.status == "fail":
                ET.SubElement(case, "failure", message=detail.split("\n")[0]).text = detail
            elif r.status == "xpass":
                message = f"known defect no longer fails: {r.note}"
                ET.SubElement(case, "failure", message=message).text = message
            elif r.status == "error":
                ET.SubElement(case, "error", message=r.note).text = r.note
            elif r.status == "xfail":
                ET.SubElement(case, "skipped", message=f"known defect: {r.note}").text = detail
            if r.note and r.status == "pass":
                ET.SubElement(case, "system-out").text = r.note
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


__all__ = ["render_junit", "render_text", "summary"]
