"""Read whole ClassAds from text: new syntax ``[ ... ]`` and the old long form.

The long form is what ``condor_q -l`` and ``condor_status -l`` print: one ``Name = expr``
per line, old string rules (a backslash only escapes a quote), ads separated by blank
lines. Errors carry the line and column in the file, so ``classadlint eval --my F`` can say
exactly where a sample ad is broken.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from classadlint.classad.ad import ClassAd
from classadlint.classad.errors import ClassAdSyntaxError
from classadlint.classad.parser import (
    DEFAULT_VERSION,
    ParseOptions,
    Version,
    parse_expr,
    parse_record,
)
from classadlint.source import Span


@dataclass(frozen=True)
class AdSyntaxError(ValueError):
    """A broken ad file: 1-based ``line``/``col`` and a one-line reason."""

    line: int
    col: int
    reason: str

    def __str__(self) -> str:
        return f"{self.line}:{self.col}: {self.reason}"


def _position(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def parse_ads(
    text: str,
    semantics: Literal["daemon", "strict"] = "daemon",
    version: Version = DEFAULT_VERSION,
) -> list[ClassAd]:
    """Every ad in ``text``: new-syntax ``[...]`` ads, or long-form ads split by blank lines,
    their values read as HTCondor ``version`` reads them."""
    stripped = text.lstrip()
    if stripped.startswith("["):
        return _parse_new_ads(text, ParseOptions(semantics=semantics, version=version))
    return _parse_old_ads(text, ParseOptions(semantics=semantics, strings="old", version=version))


def parse_ad_text(
    text: str,
    semantics: Literal["daemon", "strict"] = "daemon",
    version: Version = DEFAULT_VERSION,
) -> ClassAd:
    """Exactly one ad (new or old syntax); an empty text is an empty ad."""
    ads = parse_ads(text, semantics, version)
    if len(ads) > 1:
        raise AdSyntaxError(1, 1, f"expected one ad, found {len(ads)}")
    return ads[0] if ads else ClassAd()


def _parse_new_ads(text: str, options: ParseOptions) -> list[ClassAd]:
    ads: list[ClassAd] = []
    pos = 0
    n = len(text)
    while True:
        while pos < n and text[pos].isspace():
            pos += 1
        if pos >= n:
            return ads
        end = _matching_bracket(text, pos)
        if end is None:
            line, col = _position(text, pos)
            raise AdSyntaxError(line, col, "`[` of this ad is never closed with `]`")
        try:
            record = parse_record(text[pos : end + 1], options)
        except ClassAdSyntaxError as exc:
            line, col = _position(text, pos + exc.span.start)
            raise AdSyntaxError(line, col, exc.message) from None
        ads.append(ClassAd.from_record(record))
        pos = end + 1


def _matching_bracket(text: str, start: int) -> int | None:
    """Index of the ``]`` closing the ``[`` at ``start``, skipping strings and comments."""
    depth = 0
    i = start
    n = len(text)
    while i < n:
        c = text[i]
        if c in "\"'":
            i += 1
            while i < n and text[i] != c:
                i += 2 if text[i] == "\\" else 1
        elif text.startswith("/*", i):
            close = text.find("*/", i + 2)
            i = n if close < 0 else close + 1
        elif text.startswith("//", i):
            close = text.find("\n", i)
            i = n if close < 0 else close
        elif c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return None


def _parse_old_ads(text: str, options: ParseOptions) -> list[ClassAd]:
    ads: list[ClassAd] = []
    current: ClassAd | None = None
    offset = 0
    for raw in text.splitlines(keepends=True):
        line = raw.rstrip("\r\n")
        start = offset
        offset += len(raw)
        body = line.strip()
        if not body:
            current = None
            continue
        if body.startswith(("#", "//")):
            continue
        eq = line.find("=")
        if eq < 0:
            ln, col = _position(text, start + len(line) - len(line.lstrip()))
            raise AdSyntaxError(ln, col, "expected `Name = expression`")
        name = line[:eq].strip()
        if not name:
            ln, col = _position(text, start)
            raise AdSyntaxError(ln, col, "attribute name missing before `=`")
        value_start = eq + 1
        try:
            expr = parse_expr(line[value_start:], options)
        except ClassAdSyntaxError as exc:
            ln, col = _position(text, start + value_start + exc.span.start)
            raise AdSyntaxError(ln, col, f"{name}: {exc.message}") from None
        if current is None:
            current = ClassAd()
            ads.append(current)
        current[name] = expr
    return ads


__all__ = ["AdSyntaxError", "Span", "parse_ad_text", "parse_ads"]
