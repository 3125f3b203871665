"""JUnit XML, for CI systems that show test reports but not SARIF (GitLab, Jenkins).

One ``<testsuite>`` per checked file, one failing ``<testcase>`` per finding (named by code
and position, so a report diff stays readable), and one passing test case for a file with
no findings: a clean file is visible as a pass, not as an absence.
"""

from __future__ import annotations

from collections.abc import Iterable
from xml.etree import ElementTree as ET

from classadlint.lint.diagnostic import Diagnostic


def render(diagnostics: Iterable[Diagnostic], files: Iterable[str]) -> str:
    by_file: dict[str, list[Diagnostic]] = {f: [] for f in sorted(set(files))}
    for d in diagnostics:
        by_file.setdefault(d.file, []).append(d)
    root = ET.Element("testsuites", name="classadlint")
    total = failures = 0
    for file in sorted(by_file):
        found = sorted(by_file[file], key=Diagnostic.sort_key)
        suite = ET.SubElement(
            root,
            "testsuite",
            name=file,
            tests=str(max(1, len(found))),
            failures=str(len(found)),
            errors="0",
            skipped="0",
        )
        if not found:
            ET.SubElement(suite, "testcase", name="classadlint", classname=file)
        for d in found:
            case = ET.SubElement(
                suite,
                "testcase",
                name=f"{d.code} {d.name} at {d.line}:{d.col}",
                classname=file,
                file=file,
                line=str(d.line),
            )
            failure = ET.SubElement(
                case, "failure", message=d.message, type=f"{d.code} ({d.severity})"
            )
            notes = [f"{r.location}: {r.note}" for r in d.related]
            failure.text = "\n".join([f"{d.where()}: {d.code} {d.message}", *notes])
        total += max(1, len(found))
        failures += len(found)
    root.set("tests", str(total))
    root.set("failures", str(failures))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")
