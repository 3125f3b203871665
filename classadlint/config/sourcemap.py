"""Where each character of a macro value came from, stored as runs rather than per character.

The model answers "which file and offset did character ``i`` of this expansion come from,
through which chain of macro references" with one :class:`Origin` per character: that is
the interface rules and the language server read. Building those lists for every
assignment and every expansion, on every edit, was most of what the language server spent
re-modelling a large file (a 5,000-line config made some 50,000 ``Origin`` objects per
edit, and the garbage collector rescanned them again and again). Characters come in runs
(a value's text is contiguous in its file; a substituted value keeps its own runs; a macro
function's result points at one place), so the model keeps :data:`Runs` and makes the
per-character list only when someone asks for it.

Every operation here mirrors the list operation it replaces (slices clip as list slices
do, so an origin list shorter than its text behaves as before): materialising the runs
gives exactly the list the per-character code built.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import overload

#: The macro references that brought a character: (macro, file, offset) of each reference.
Chain = tuple[tuple[str, str | None, int | None], ...]


@dataclass(frozen=True)
class Origin:
    """Where one character of an expanded value came from."""

    file: str | None  # None: HTCondor's built-in default table
    offset: int | None
    chain: Chain = ()  # (macro, file, offset) refs


#: ``(length, file, offset, step, chain)``: character ``k`` of the run (``0 <= k <
#: length``) came from ``Origin(file, offset + k * step, chain)``; with ``offset`` None
#: every character is ``Origin(file, None, chain)``. ``step`` is 1 (text copied from a
#: file) or 0 (one place stands for every character: a function's result, a joiner).
Run = tuple[int, str | None, int | None, int, Chain]
Runs = tuple[Run, ...]

NOWHERE: Origin = Origin(None, None)


def nowhere(length: int) -> Runs:
    """``[Origin(None, None)] * length``: text that comes from no file."""
    return ((length, None, None, 0, ()),) if length > 0 else ()


def length(runs: Runs) -> int:
    return sum(r[0] for r in runs)


def from_origins(origins: Sequence[Origin]) -> Runs:
    """The runs of a per-character list (adjacent characters merged where they follow on)."""
    if not origins:
        return ()
    first = origins[0]
    if origins[-1] is first and len(set(map(id, origins))) == 1:  # one origin, shared
        return ((len(origins), first.file, first.offset, 0, first.chain),)
    out: list[Run] = []
    n, file, offset, step, chain = 1, first.file, first.offset, 0, first.chain
    for o in origins[1:]:
        if o.file == file and o.chain == chain:
            if offset is None:
                if o.offset is None:
                    n += 1
                    continue
            elif o.offset is not None:
                if n == 1 and o.offset - offset in (0, 1):
                    step = o.offset - offset
                    n = 2
                    continue
                if o.offset == offset + n * step:
                    n += 1
                    continue
        out.append((n, file, offset, step, chain))
        n, file, offset, step, chain = 1, o.file, o.offset, 0, o.chain
    out.append((n, file, offset, step, chain))
    return tuple(out)


def materialize(runs: Runs) -> list[Origin]:
    """One :class:`Origin` per character."""
    out: list[Origin] = []
    for n, file, offset, step, chain in runs:
        if offset is None or step == 0:
            out += [Origin(file, offset, chain)] * n
        else:
            out += [Origin(file, offset + k, chain) for k in range(n)]
    return out


def at(runs: Runs, index: int) -> Origin | None:
    """The origin of character ``index`` (None past the end)."""
    if index < 0:
        return None
    for n, file, offset, step, chain in runs:
        if index < n:
            return Origin(file, None if offset is None else offset + index * step, chain)
        index -= n
    return None


def cut(runs: Runs, start: int, end: int | None = None) -> Runs:
    """``origins[start:end]`` (non-negative bounds, clipped as a list slice clips)."""
    if start <= 0 and end is None:
        return runs
    out: list[Run] = []
    pos = 0
    for run in runs:
        n = run[0]
        lo, hi = max(start, pos), n + pos if end is None else min(end, pos + n)
        if lo < hi:
            if lo == pos and hi == pos + n:
                out.append(run)
            else:
                _, file, offset, step, chain = run
                skip = lo - pos
                out.append(
                    (hi - lo, file, None if offset is None else offset + skip * step, step, chain)
                )
        pos += n
        if end is not None and pos >= end:
            break
    return tuple(out)


def prefix_chain(runs: Runs, link: Chain) -> Runs:
    """Every character brought by ``link`` first (``Origin(f, o, link + chain)``)."""
    if not link:
        return runs
    return tuple((n, f, o, s, link + c) for n, f, o, s, c in runs)


def set_chain(runs: Runs, link: Chain) -> Runs:
    """Every character's chain replaced by ``link`` (``Origin(f, o, link)``)."""
    return tuple((n, f, o, s, link) for n, f, o, s, _ in runs)


def file_runs(file: str, pieces: Sequence[tuple[int, int]]) -> Runs:
    """Text copied from ``file``: ``(file offset, length)`` pieces, in order."""
    return tuple((n, file, start, 1, ()) for start, n in pieces if n > 0)


class OriginView(Sequence[Origin]):
    """The per-character list of ``runs`` without making it: each item is made when read
    (what a source map reader that looks at a few characters needs, such as the span map
    of an expression whose rules found nothing there)."""

    __slots__ = ("_ends", "_runs")

    def __init__(self, runs: Runs) -> None:
        self._runs = runs
        self._ends = list(itertools.accumulate(r[0] for r in runs))

    def __len__(self) -> int:
        return self._ends[-1] if self._ends else 0

    @overload
    def __getitem__(self, index: int) -> Origin: ...
    @overload
    def __getitem__(self, index: slice) -> list[Origin]: ...
    def __getitem__(self, index: int | slice) -> Origin | list[Origin]:
        if isinstance(index, slice):
            return materialize(self._runs)[index]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("origin index out of range")
        k = bisect.bisect_right(self._ends, index)
        n, file, offset, step, chain = self._runs[k]
        into = index - (self._ends[k] - n)
        return Origin(file, None if offset is None else offset + into * step, chain)
