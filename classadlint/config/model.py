"""The macro table HTCondor builds from config files, and macro expansion with a source map.

Statements are applied in order as HTCondor applies them: last write wins, names are
case-insensitive, self references (``A = $(A) x``) and append operators use the value
visible at that point, ``if`` conditions are decided with the values known so far,
includes are followed statically (never outside the tree, and commands are never run).
Expansion keeps, for every character of the result, the file and offset it came from and
the chain of macro references that brought it there (stored as runs, see
:mod:`classadlint.config.sourcemap`; a per-character list is made when asked for).
"""

from __future__ import annotations

import dataclasses
import gc
import os
import re
import subprocess
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from classadlint.config import sourcemap
from classadlint.config.parser import (
    Assignment,
    Conditional,
    ConfigError,
    ConfigFile,
    Keyword,
    Section,
    parse_config,
    reparse,
)
from classadlint.config.reader import LogicalLine
from classadlint.config.sourcemap import Origin as Origin
from classadlint.schema import knobs as knob_catalog
from classadlint.schema import metaknobs as metaknob_catalog

CURRENT_VERSION = (25, 14, 1)

#: Host facts a config file cannot override: HTCondor ignores assignments to them.
#: (Observed with htcondor2 25.14.1: TILDE and DETECTED_PHYSICAL_CPUS can be overridden.)
NOT_OVERRIDABLE = frozenset(
    {
        "FULL_HOSTNAME",
        "HOSTNAME",
        "IP_ADDRESS",
        "IPV4_ADDRESS",
        "IPV6_ADDRESS",
        "IP_ADDRESS_IS_V6",
        "SUBSYSTEM",
        "DETECTED_CPUS",
        "DETECTED_CPUS_LIMIT",
        "PID",
        "PPID",
        "USERNAME",
        "REAL_UID",
        "REAL_GID",
    }
)

#: Macros HTCondor fills in from the machine it runs on (reference section 1.13). Unless the
#: caller supplies them (``machine=``), they stay as written: a linter reading a repository
#: does not know which host a file will be deployed on.
PREDEFINED = tuple(
    sorted(
        (NOT_OVERRIDABLE - {"SUBSYSTEM"})
        | {
            "TILDE",
            "DETECTED_PHYSICAL_CPUS",
            "ARCH",
            "OPSYS",
            "OPSYS_VER",
            "OPSYS_AND_VER",
            "OPSYS_NAME",
            "OPSYS_LONG_NAME",
            "OPSYS_SHORT_NAME",
            "OPSYS_LEGACY",
            "UNAME_ARCH",
            "UNAME_OPSYS",
            "DETECTED_MEMORY",
            "DETECTED_CORES",
            "CONFIG_ROOT",
        }
    )
)


@cache
def default_values() -> dict[str, str]:
    """HTCondor's built-in defaults (schema catalog). A default HTCondor computes at build
    time is the value the released HTCondor reports; without one it stays symbolic."""
    out: dict[str, str] = {}
    for info in knob_catalog.iter_knobs():
        if info.computed:
            out[info.name.lower()] = info.runtime_default or f"$({info.name})"
        elif info.default is not None:
            out[info.name.lower()] = info.default
        for subsystem, text in info.subsystem_defaults.items():
            out.setdefault(f"{subsystem.lower()}.{info.name.lower()}", text)
    return out


class _Mapped:
    """A text's source map, kept as runs (:mod:`classadlint.config.sourcemap`) and made a
    per-character list only when read through ``origins``: most values are never asked
    for theirs, and building every list on every edit was what made re-modelling slow."""

    __slots__ = ("_origins", "_runs")

    def __init__(self, origins: list[Origin] | sourcemap.Runs) -> None:
        self._origins: list[Origin] | None
        self._runs: sourcemap.Runs | None
        if isinstance(origins, tuple):
            self._origins, self._runs = None, origins
        else:
            self._origins, self._runs = origins, None

    @property
    def origins(self) -> list[Origin]:
        """One :class:`Origin` per character (made once, on first use)."""
        if self._origins is None:
            self._origins = sourcemap.materialize(self._runs or ())
        return self._origins

    @origins.setter
    def origins(self, origins: list[Origin] | sourcemap.Runs) -> None:
        _Mapped.__init__(self, origins)

    @property
    def view(self) -> Sequence[Origin]:
        """The origins as a sequence that makes each item when read (the list itself if it
        was made already): for a reader that looks at a few characters, if any."""
        if self._origins is not None:
            return self._origins
        return sourcemap.OriginView(self._runs or ())

    @property
    def runs(self) -> sourcemap.Runs:
        """The same origins as runs (made from the list when that is what was given)."""
        if self._runs is None:
            self._runs = sourcemap.from_origins(self._origins or [])
        return self._runs


class Entry(_Mapped):
    """The current definition of one knob. ``origins`` may be given as a list or as runs."""

    __slots__ = ("file", "history", "line", "name", "value")

    def __init__(
        self,
        name: str,
        value: str,
        origins: list[Origin] | sourcemap.Runs,
        file: str | None,
        line: int | None,
        history: list[tuple[str | None, int | None]] | None = None,
    ) -> None:
        super().__init__(origins)
        self.name = name
        self.value = value
        self.file = file
        self.line = line
        self.history = history if history is not None else []

    def _key(self) -> tuple[object, ...]:
        return (self.name, self.value, self.origins, self.file, self.line, self.history)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Entry) and self._key() == other._key()

    __hash__ = None  # type: ignore[assignment]  # mutable, as the dataclass it was

    def __repr__(self) -> str:
        return (
            f"Entry(name={self.name!r}, value={self.value!r}, origins={self.origins!r}, "
            f"file={self.file!r}, line={self.line!r}, history={self.history!r})"
        )


class Expanded(_Mapped):
    """An expanded value with one origin per character (list or runs) and the steps taken."""

    __slots__ = ("cycles", "steps", "text")

    def __init__(
        self,
        text: str,
        origins: list[Origin] | sourcemap.Runs,
        steps: list[str],
        cycles: list[str] | None = None,
    ) -> None:
        super().__init__(origins)
        self.text = text
        self.steps = steps
        self.cycles = cycles if cycles is not None else []

    def _key(self) -> tuple[object, ...]:
        return (self.text, self.origins, self.steps, self.cycles)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Expanded) and self._key() == other._key()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"Expanded(text={self.text!r}, origins={self.origins!r}, steps={self.steps!r}, "
            f"cycles={self.cycles!r})"
        )


@dataclass(frozen=True)
class CycleCheck:
    """What the cycle check found for one definition (``cycle``: the first cycle of its
    expansion, or None) and every lookup its expansion made, with the name and value of
    the definition each one found. The expansion's text, and so its cycles, follows from
    the definition's own name and value and those answers alone (outside ``$ENV``, which
    reads the process environment): when every lookup finds the same again, so would the
    expansion. The language server keeps these from one edit to the next, so an edit
    re-expands only the definitions it could have changed."""

    cycle: str | None
    lookups: tuple[tuple[str, tuple[str, str] | None], ...]


@dataclass(frozen=True)
class IncludeCommand:
    """An ``include command`` (or ``include : cmd |``) statement: HTCondor runs the command
    and reads its output as configuration. classadlint records it and runs nothing unless
    asked (``run_include_commands``): a linter must never execute what a repository says."""

    file: str
    line: int
    command: str  # macro-expanded, as HTCondor expands it when it reads the line
    into: str | None  # `include command into FILE`: HTCondor reads FILE instead if it exists
    ifexist: bool
    #: what classadlint did: "not-run", "read-into-file" or "run"
    action: str = "not-run"


@dataclass
class ConfigModel:
    """The result of reading config files: the macro table plus what was noticed."""

    subsystem: str = "TOOL"
    local_name: str | None = None
    env: bool = False
    root: Path | None = None
    machine: dict[str, str] = field(default_factory=dict)
    entries: dict[str, Entry] = field(default_factory=dict)
    files: dict[str, ConfigFile] = field(default_factory=dict)
    errors: list[tuple[str, ConfigError]] = field(default_factory=list)
    notes: list[tuple[str, int, str]] = field(default_factory=list)  # (file, line, message)
    #: every `include command` met, in order (see IncludeCommand)
    include_commands: list[IncludeCommand] = field(default_factory=list)
    #: run `include command` commands and read their output (opt-in, never the default)
    run_include_commands: bool = False
    assignments: list[tuple[str, Assignment]] = field(default_factory=list)
    #: How files are read, not what they mean: text to use instead of the file on disk (an
    #: editor's unsaved buffer, by resolved path) and parses kept from an earlier model (by
    #: path, reused while the text is the same), so the language server re-parses only what
    #: changed.
    texts: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)
    parsed: MutableMapping[str, ConfigFile] | None = field(default=None, repr=False, compare=False)
    # every `if`/`elif` HTCondor decides, with how many assignments were read before it:
    # what a condition can see (CA109)
    conditions: list[tuple[str, Conditional, int]] = field(default_factory=list)
    #: The cycle check's answers kept from an earlier model (see :class:`CycleCheck`): like
    #: ``parsed``, how the model is built, not what it means.
    cycle_memo: MutableMapping[tuple[str, str], CycleCheck] | None = field(
        default=None, repr=False, compare=False
    )
    #: While set, every lookup is appended here (what an answer of the cycle check rests on).
    recording: list[tuple[str, tuple[str, str] | None]] | None = field(
        default=None, repr=False, compare=False
    )

    # --- lookup -------------------------------------------------------------------------
    def _candidates(self, name: str) -> list[str]:
        low = name.lower()
        out = []
        if self.local_name:
            out.append(f"{self.local_name.lower()}.{low}")
        out.append(f"{self.subsystem.lower()}.{low}")
        out.append(low)
        return out

    def lookup(self, name: str) -> Entry | None:
        """The definition HTCondor's lookup order finds (local name, subsystem, plain)."""
        found = self._lookup(name)
        if self.recording is not None:
            self.recording.append((name, None if found is None else (found.name, found.value)))
        return found

    def _lookup(self, name: str) -> Entry | None:
        upper = name.upper()
        fixed = upper in NOT_OVERRIDABLE or name.lower() not in self.entries
        if upper in self.machine and fixed:
            text = self.machine[upper]
            return Entry(name, text, sourcemap.nowhere(len(text)), None, None)
        if upper in PREDEFINED and fixed:
            text = f"$({name})"  # unknown host facts stay symbolic
            return Entry(name, text, sourcemap.nowhere(len(text)), None, None)
        defaults = default_values()
        for key in self._candidates(name):
            entry = self.entries.get(key)
            if entry is not None:
                return entry
            if key in defaults:
                text = defaults[key]
                return Entry(name, text, sourcemap.nowhere(len(text)), None, None)
        if name.lower() == "subsystem":
            return Entry(name, self.subsystem, sourcemap.nowhere(len(self.subsystem)), None, None)
        if name.lower() == "localname":
            text = self.local_name or self.subsystem
            return Entry(name, text, sourcemap.nowhere(len(text)), None, None)
        return None

    def value(self, name: str) -> str | None:
        """The fully expanded value, or None when the knob is undefined or empty."""
        entry = self.lookup(name)
        if entry is None or not entry.value:
            return None
        text = self.expand_entry(entry).text
        return text or None

    def expand_entry(self, entry: Entry) -> Expanded:
        return expand(entry.value, entry.runs, self, ((entry.name, entry.file, None),))

    def defined_names(self) -> list[str]:
        return [e.name for e in self.entries.values()]


# --- macro scanning and expansion ----------------------------------------------------------

_MACRO = re.compile(r"\$(?P<fn>\$|[A-Za-z][A-Za-z0-9_]*)?\(")
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_./]+")


@dataclass(frozen=True)
class Macro:
    start: int
    end: int  # one past the closing parenthesis
    fn: str  # "" for $(NAME)
    name: str
    default: str | None  # $(NAME:default)
    body: str


def find_macro(text: str, pos: int = 0) -> Macro | None:
    """The next macro reference HTCondor would expand, from ``pos``; malformed ``$(``
    (``$( X)``, ``$(X )``, ``$(a=b)``) is skipped, as HTCondor leaves it verbatim."""
    while True:
        m = _MACRO.search(text, pos)
        if m is None:
            return None
        fn = m.group("fn") or ""
        body_start = m.end()
        if fn == "$":
            end = text.find("])", body_start) + 1 if text.startswith("[", body_start) else -1
            if end <= 0:
                end = text.find(")", body_start)
            pos = (end + 1) if end >= 0 else m.end()
            continue  # $$(...) is never expanded by config
        if fn:
            close = text.find(")", body_start)
            if close < 0 or (fn not in MACRO_FUNCTIONS and not FILENAME_FUNCTION.match(fn)):
                pos = m.end()
                continue
            return Macro(m.start(), close + 1, fn, "", None, text[body_start:close])
        nm = _PLAIN_NAME.match(text, body_start)
        if nm is None:
            pos = m.end()
            continue
        after = nm.end()
        if after < len(text) and text[after] == ")":
            return Macro(m.start(), after + 1, "", nm.group(0), None, nm.group(0))
        if after < len(text) and text[after] == ":":
            i = after + 1
            depth = 0
            while i < len(text):
                c = text[i]
                if c == "(":
                    depth += 1
                elif c == ")":
                    if depth == 0:
                        break
                    depth -= 1
                elif depth == 0 and not (c.isalnum() or c in "_./$ ,\\:"):
                    i = -1
                    break
                i += 1
            if 0 <= i < len(text):
                return Macro(
                    m.start(), i + 1, "", nm.group(0), text[after + 1 : i], text[body_start:i]
                )
        pos = m.end()


#: HTCondor's macro functions, spelled as it requires (case-sensitive, config.cpp).
MACRO_FUNCTIONS = {
    "ENV",
    "INT",
    "REAL",
    "STRING",
    "EVAL",
    "SUBSTR",
    "CHOICE",
    "RANDOM_CHOICE",
    "RANDOM_INTEGER",
    "BASENAME",
    "DIRNAME",
}


def expand(
    text: str,
    origins: list[Origin] | sourcemap.Runs,
    model: ConfigModel,
    chain: sourcemap.Chain = (),
    *,
    max_steps: int = 10_000,
) -> Expanded:
    """Expand every macro as HTCondor does (left to right, substituted text re-scanned).

    ``origins``: where each character of ``text`` came from, as a list or as runs (see
    :mod:`classadlint.config.sourcemap`); the result keeps runs, spliced as the text is."""
    runs = origins if isinstance(origins, tuple) else sourcemap.from_origins(origins)
    steps: list[str] = []
    cycles: list[str] = []
    runs = sourcemap.prefix_chain(runs, chain)
    total = sourcemap.length(runs)
    pos = 0
    count = 0
    while True:
        macro = find_macro(text, pos)
        if macro is None:
            break
        count += 1
        if count > max_steps:
            cycles.append("expansion does not terminate")
            break
        here = sourcemap.at(runs, macro.start) if macro.start < total else None
        here = here or sourcemap.NOWHERE
        link = (*here.chain, (macro.name or macro.fn, here.file, here.offset))
        names_in_chain = [c[0].lower() for c in here.chain]
        new_text: str
        new_runs: sourcemap.Runs
        if macro.fn == "":
            if macro.name.upper() == "DOLLAR":
                pos = macro.end
                continue  # substituted at the very end
            if macro.name.lower() in names_in_chain:
                cycles.append(" -> ".join([*(c[0] for c in here.chain), macro.name]))
                new_text, new_runs = "", ()
            else:
                entry = model.lookup(macro.name)
                value = entry.value if entry is not None else ""
                if value == text[macro.start : macro.end]:  # symbolic host fact: keep it
                    pos = macro.end
                    continue
                if value == "" and macro.default is not None:
                    new_text = macro.default
                    base = macro.start + 2 + len(macro.name) + 1
                    # the default's own characters, then (past the known ones) nowhere
                    new_runs = sourcemap.set_chain(
                        sourcemap.cut(runs, base, base + len(new_text)), link
                    )
                else:
                    new_text = value
                    src = entry.runs if entry is not None else ()
                    new_runs = sourcemap.prefix_chain(sourcemap.cut(src, 0, len(new_text)), link)
                short = len(new_text) - sourcemap.length(new_runs)
                if short > 0:
                    new_runs = (*new_runs, (short, None, None, 0, link))
        else:
            try:
                new_text = _function(macro, model, here.chain)
            except MacroCycle as cycle:
                cycles.append(str(cycle))
                new_text = ""
            if new_text == text[macro.start : macro.end]:
                pos = macro.end  # kept as written (run-time value): do not expand it again
                continue
            new_runs = ((len(new_text), here.file, here.offset, 0, link),) if new_text else ()
        steps.append(f"{text[macro.start : macro.end]} -> {new_text!r}")
        text = text[: macro.start] + new_text + text[macro.end :]
        runs = (
            *sourcemap.cut(runs, 0, macro.start),
            *new_runs,
            *sourcemap.cut(runs, macro.end),
        )
        total = sourcemap.length(runs)
        pos = macro.start
    # $(DOLLAR) last, so that its `$` never starts a macro
    while True:
        m = re.search(r"\$\(DOLLAR\)", text, re.I)
        if m is None:
            break
        o = sourcemap.at(runs, m.start()) or sourcemap.NOWHERE
        text = text[: m.start()] + "$" + text[m.end() :]
        runs = (
            *sourcemap.cut(runs, 0, m.start()),
            (1, o.file, o.offset, 0, o.chain),
            *sourcemap.cut(runs, m.end()),
        )
    return Expanded(text, runs, steps, cycles)


class MacroCycle(Exception):
    """A macro function reads a macro whose expansion is under way (``B = $SUBSTR(B, 1)``):
    HTCondor recurses until its stack overflows (htcondor2.param segfaults); the text is
    the chain of names, as for ``$(B)`` cycles."""


def _function(macro: Macro, model: ConfigModel, chain: sourcemap.Chain = ()) -> str:
    """The config macro functions whose result does not depend on the running machine.
    ``chain``: the macros being expanded around this call; reading one of them again is a
    :class:`MacroCycle`."""
    fn, body = macro.fn, macro.body
    args = [a.strip() for a in body.split(",")]

    def expanded(name: str) -> str | None:
        """``name``'s value expanded inside this chain, or None when it is not defined."""
        if name.lower() in (c[0].lower() for c in chain):
            raise MacroCycle(" -> ".join([*(c[0] for c in chain), name]))
        entry = model.lookup(name)
        if entry is None or not entry.value:
            return None
        out = expand(entry.value, entry.runs, model, (*chain, (entry.name, entry.file, None)))
        if out.cycles:
            raise MacroCycle(out.cycles[0])
        return out.text or None

    def value_of(arg: str) -> str:
        v = expanded(arg) if re.fullmatch(r"[A-Za-z0-9_./]+", arg) else None
        return v if v is not None else arg

    if fn == "ENV":
        name, _, default = body.partition(":")
        if model.env:
            return os.environ.get(name, default if _ else "UNDEFINED")
        return f"$ENV({body})"  # stays symbolic unless --env
    if fn in ("INT", "REAL"):
        from classadlint.classad.errors import ClassAdSyntaxError
        from classadlint.classad.evaluate import evaluate

        try:
            v = evaluate(value_of(args[0]))
        except ClassAdSyntaxError:
            return ""
        if v.__class__ not in (int, float, bool):
            return ""
        if fn == "INT":
            fmt = args[1] if len(args) > 1 else "%d"
            try:
                return fmt % int(v)
            except (TypeError, ValueError):
                return ""
        fmt = args[1] if len(args) > 1 else "%.16G"
        try:
            out = fmt % float(v)
        except (TypeError, ValueError):
            return ""
        return out if len(args) > 1 or "." in out or "E" in out else out + ".0"
    if fn == "SUBSTR":
        s = value_of(args[0])
        try:
            start = int(value_of(args[1]))
            length = int(value_of(args[2])) if len(args) > 2 else None
        except (ValueError, IndexError):
            return ""
        if start < 0:
            start = max(0, len(s) + start)
        if length is None:
            return s[start:]
        return s[start : len(s) + length] if length < 0 else s[start : start + length]
    if fn == "CHOICE":
        try:
            index = int(value_of(args[0]))
        except ValueError:
            return ""
        items = args[1:]
        if len(items) == 1:
            listed = expanded(items[0]) if re.fullmatch(r"[A-Za-z0-9_./]+", items[0]) else None
            if listed is not None:
                items = [i.strip() for i in listed.split(",")]
        return items[index] if 0 <= index < len(items) else ""
    if fn in ("BASENAME", "DIRNAME") or FILENAME_FUNCTION.match(fn):
        name, suffix = split_basename_suffix(fn, body)
        if name.lower() in (c[0].lower() for c in chain):
            raise MacroCycle(" -> ".join([*(c[0] for c in chain), name]))
        entry = model.lookup(name)
        mval = entry.value if entry is not None else name
        if "$" in mval:
            inner = (*chain, (entry.name if entry is not None else name, None, None))
            whole = expand(mval, sourcemap.nowhere(len(mval)), model, inner)
            if whole.cycles:
                raise MacroCycle(whole.cycles[0])
            mval = whole.text
            if find_macro(mval) is not None:  # a symbolic value (host fact, $ENV): keep it
                return f"${fn}({body})"
        return filename_function(fn, mval, suffix)
    return f"${fn}({body})"  # EVAL, STRING, RANDOM_*: depend on run time; kept as written


#: ``$F<letters>(x)``: HTCondor recognises the function when every letter after an upper-case
#: F is one of p n x d q a b f w u, in any case (config.cpp is_special_config_macro).
FILENAME_FUNCTION = re.compile(r"F[pnxdqabfwuPNXDQABFWU]*\Z")


def split_basename_suffix(fn: str, body: str) -> tuple[str, str | None]:
    """``$BASENAME(x, .tar.gz)``: the name and the suffix to drop; the other filename
    functions take the whole body as the name (config.cpp, evaluate_macro_func)."""
    if fn == "BASENAME":
        comma = body.rfind(",")
        if comma >= 0 and ")" not in body[comma:]:
            return body[:comma], body[comma + 1 :].lstrip()
    return body, None


def filename_function(fn: str, value: str, kill_suffix: str | None = None) -> str:
    """``$F<letters>(x)``, ``$BASENAME(x[, suffix])`` and ``$DIRNAME(x)`` of ``x``'s value.

    A line-by-line port of HTCondor's code (config.cpp evaluate_macro_func, the char*
    version that both ``param()`` and transforms use; strcpy_quoted, strdup_path_quoted,
    condor_basename, condor_basename_extension_ptr, condor_basename_plus_dirs), quirks
    included: ``$Fx(.bashrc)`` is empty but ``$Fqx(.bashrc)`` is ``".bashrc"``, because
    the extension search never looks at the first character of the buffer, which is the
    quote when one is added. ``f`` (make absolute) needs the submit file's directory,
    which a config file has not, so it changes nothing here, as in HTCondor.
    """
    parts, num_dirs = 0, 0
    quoted = bare = arg_quote = False
    to_path_char = ""
    if fn == "BASENAME":
        parts = 1 | 2
    elif fn == "DIRNAME":
        parts = 4
    else:
        for ch in fn[1:].lower():
            if ch == "x":
                parts |= 1
            elif ch == "n":
                parts |= 2
            elif ch == "p":
                parts |= 4
            elif ch == "d":
                parts |= 8
                num_dirs += 1
            elif ch == "a":
                arg_quote = True
            elif ch == "b":
                bare = True
            elif ch == "f":
                pass  # make absolute: needs the submit directory (ctx.cwd), unset here
            elif ch == "w":
                to_path_char = "\\"
            elif ch == "u":
                to_path_char = "/"
            elif ch == "q":
                quoted = True
    quote_char = ("'" if arg_quote else '"') if quoted else ""
    # strlen_unquote: one pair of matching outer quotes goes
    if len(value) > 1 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1]
    # strcpy_quoted: a leading " (or the requested quote) and its partner go, then the
    # requested quotes are added
    text, cch = value, len(value)
    strip = ""
    if text[:1] == '"' or (text and quote_char and text[0] == quote_char):
        strip, text, cch = text[0], text[1:], cch - 1
    if cch > 0 and strip and text[cch - 1] == strip:
        cch -= 1
    buf = list(quote_char + text[:cch] + quote_char)
    if to_path_char:  # strdup_path_quoted converts out[0..cch], cch the unquoted length
        other = "\\" if to_path_char == "/" else "/"
        for k in range(min(len(value) + 1, len(buf))):
            if buf[k] == other:
                buf[k] = to_path_char
    buf.extend("\0\0\0")  # the room malloc leaves for quotes and the terminator
    ixend = len(buf) - 3
    ixn = 0
    for k in range(ixend):
        if buf[k] == "/":
            ixn = k + 1
    ixx = ixend
    for k in range(ixend, ixn, -1):
        if buf[k] == ".":
            ixx = k
            break
    if kill_suffix is not None:
        n = len(kill_suffix)
        if ixend - n >= ixn and "".join(buf[ixend - n : ixend]).lower() == kill_suffix.lower():
            ixx = ixend - n
            parts &= ~1
    if not ixn and parts & 3:
        parts &= ~(4 | 8)
    start = 0
    kind = parts & 0xF
    if kind == 1:
        start = ixx + (1 if bare and ixx < ixend else 0)
    elif kind == 3:
        start = ixn
    elif kind == 2:
        start, ixend = ixn, ixx
    elif kind in (0, 7, 5):
        start = 0
    elif kind == 4:
        start, ixend = 0, (ixn - 1 if bare and ixn > 0 else ixn)
    elif kind == 6:
        start, ixend = 0, ixx
    elif ixn > 0:
        start = _basename_plus_dirs(buf[:ixend], num_dirs)
        if parts & 3 == 2:
            ixend = ixx
        elif parts & 3 == 0:
            ixend = ixn - 1 if bare and ixn > 0 else ixn
    else:
        start = ixend = 1
    if quoted:
        if buf[start] != quote_char:
            start -= 1
            buf[start] = quote_char
        if ixend > 1 and buf[ixend - 1] == quote_char:
            ixend -= 1
        buf[ixend] = quote_char
        ixend += 1
    return "".join(buf[start:ixend])


def _basename_plus_dirs(buf: list[str], num_dirs: int) -> int:
    """Index where the basename plus ``num_dirs`` parent directories starts."""
    seps: list[int] = []
    p = 0
    if buf[:2] == ["\\", "\\"]:
        p = 4 if buf[2:4] == [".", "\\"] else 2
        seps.append(p)
    for k in range(p, len(buf)):
        if buf[k] in "\\/":
            seps.append(k + 1)
    del seps[max(0, len(seps) - num_dirs) :]
    return seps[-1] if seps else 0


# --- building the model from files --------------------------------------------------------


def build_model(
    paths: list[Path],
    *,
    subsystem: str = "TOOL",
    local_name: str | None = None,
    env: bool = False,
    root: Path | None = None,
    machine: dict[str, str] | None = None,
    texts: Mapping[str, str] | None = None,
    parsed: MutableMapping[str, ConfigFile] | None = None,
    run_include_commands: bool = False,
    cycle_memo: MutableMapping[tuple[str, str], CycleCheck] | None = None,
) -> ConfigModel:
    """Read config files in order (as HTCondor reads its root file then local files).

    ``machine`` gives the host facts HTCondor detects (FULL_HOSTNAME, IP_ADDRESS, ...);
    without them those macros stay symbolic. ``texts`` and ``parsed``: see
    :attr:`ConfigModel.texts` (the language server's buffers and parse cache).
    ``run_include_commands``: run the commands of ``include command`` lines (opt-in;
    otherwise they are only recorded in :attr:`ConfigModel.include_commands`).
    ``cycle_memo``: the cycle check's answers from earlier models (see :class:`CycleCheck`;
    the language server's), used where they still hold and updated.
    """
    model = ConfigModel(subsystem.upper(), local_name, env, root, dict(machine or {}))
    model.texts = texts or {}
    model.parsed = parsed
    model.cycle_memo = cycle_memo
    model.run_include_commands = run_include_commands
    # A model is many small acyclic objects (statements, entries, runs); the cyclic garbage
    # collector would rescan them again and again while they are made (superlinear time).
    paused = gc.isenabled()
    gc.disable()
    try:
        for path in paths:
            _load_file(model, path, depth=0, stack=[])
        _check_local_config_file(model)
        _check_cycles(model)
        _check_transforms(model)
    finally:
        if paused:
            gc.enable()
    return model


#: Past this many remembered answers the cycle memo starts again empty.
MAX_CYCLE_MEMO = 50_000


def _check_cycles(model: ConfigModel) -> None:
    """A macro that refers back to itself makes HTCondor hang while loading (reference
    section 1.4): report each such knob at its assignment. An answer in
    :attr:`ConfigModel.cycle_memo` whose lookups all find the same definitions again is
    taken as it is; any other definition is expanded (and its answer remembered)."""
    memo = model.cycle_memo if not model.env else None  # $ENV reads the environment
    found: dict[str, tuple[str, str] | None] = {}  # lookups do not change during the check

    def same(name: str, then: tuple[str, str] | None) -> bool:
        if name not in found:
            entry = model.lookup(name)
            found[name] = None if entry is None else (entry.name, entry.value)
        return found[name] == then

    for entry in list(model.entries.values()):
        if "$" not in entry.value:  # $(X), and $SUBSTR(X, 1) & co. reading X
            continue
        key = (entry.name, entry.value)
        known = memo.get(key) if memo is not None else None
        if known is not None and all(same(n, then) for n, then in known.lookups):
            cycle = known.cycle
        else:
            model.recording = [] if memo is not None else None
            try:
                cycles = model.expand_entry(entry).cycles
            finally:
                lookups, model.recording = model.recording, None
            cycle = cycles[0] if cycles else None
            if memo is not None and lookups is not None:
                if len(memo) >= MAX_CYCLE_MEMO:
                    memo.clear()
                memo[key] = CycleCheck(cycle, tuple(dict.fromkeys(lookups)))
        if cycle is not None:
            model.notes.append(
                (
                    entry.file or "",
                    entry.line or 0,
                    f"macro cycle: {cycle} (HTCondor hangs expanding it)",
                )
            )


def _check_transforms(model: ConfigModel) -> None:
    """Native transform knobs hold a language of their own: a line HTCondor refuses makes
    the transform fail for every job (CA101), an unclosed block fails it at its end
    (CA102). Reported at the file, line and column of the knob's text."""
    from classadlint.config.transform.load import config_transforms, file_errors

    texts = {path: cf.text for path, cf in model.files.items()}
    # a heredoc never closed swallowed the rest of its file: CA102 says so already
    unterminated = {(f, e.line) for f, e in model.errors if e.code == "CA102"}
    for found in config_transforms(model):
        entry = found.entry
        if not found.old_style and (entry.file, entry.line) not in unterminated:
            model.errors.extend(file_errors(found.transform, texts))


def _check_local_config_file(model: ConfigModel) -> None:
    """HTCondor reads LOCAL_CONFIG_FILE after the root file and, while
    REQUIRE_LOCAL_CONFIG_FILE is true (the default), refuses to start without it."""
    entry = model.entries.get("local_config_file")
    if entry is None or entry.file is None:
        return
    value = model.value("LOCAL_CONFIG_FILE") or ""
    require = (model.value("REQUIRE_LOCAL_CONFIG_FILE") or "true").strip().lower()
    if require in ("false", "0", "no") or "$(" in value:
        return
    base = Path(entry.file).parent
    for item in re.split(r"[,\s]+", value):
        if item and not item.endswith("|") and not (base / item).exists():
            model.notes.append(
                (
                    entry.file,
                    entry.line or 0,
                    f"LOCAL_CONFIG_FILE {item} does not exist and "
                    "REQUIRE_LOCAL_CONFIG_FILE is true: HTCondor will not start",
                )
            )


def _read(model: ConfigModel, path: Path, where: tuple[str, int] | None) -> str | None:
    if model.texts:
        buffer = model.texts.get(str(path.resolve()))
        if buffer is not None:
            return buffer
    try:
        data = path.read_bytes()
    except OSError as exc:
        _note(model, where, f"cannot read {path}: {exc.strerror or exc}", str(path))
        return None
    if b"\0" in data:
        _note(model, where, f"{path} is a binary file, not HTCondor configuration", str(path))
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        _note(model, where, f"{path}:{line}: not valid UTF-8", str(path))
        return None


def _note(model: ConfigModel, where: tuple[str, int] | None, message: str, path: str) -> None:
    file, line = where if where else (path, 0)
    model.notes.append((file, line, message))


def _load_file(
    model: ConfigModel,
    path: Path,
    depth: int,
    stack: list[Path],
    where: tuple[str, int] | None = None,
) -> None:
    resolved = path.resolve()
    if resolved in stack:
        _note(
            model,
            where,
            f"include cycle: {' -> '.join(str(p) for p in [*stack, resolved])}",
            str(path),
        )
        return
    if depth > 20:
        _note(model, where, "includes nested too deep (HTCondor stops at 20)", str(path))
        return
    text = _read(model, path, where)
    if text is None:
        return
    cached = model.parsed.get(str(path)) if model.parsed is not None else None
    if cached is not None and cached.text == text:
        parsed = cached
    else:
        # an edited buffer: only the lines around the edit are parsed again
        parsed = reparse(cached, text) if cached is not None else parse_config(text, str(path))
        if model.parsed is not None:
            model.parsed[str(path)] = parsed
    model.files[str(path)] = parsed
    model.errors.extend((str(path), e) for e in parsed.errors)
    _apply(model, parsed, str(path), path.parent, depth, [*stack, resolved])


def _apply(
    model: ConfigModel,
    parsed: ConfigFile,
    file: str,
    directory: Path,
    depth: int,
    stack: list[Path],
) -> None:
    # if-stack: each entry is (this branch active, some branch already taken, else seen)
    conds: list[list[bool | None]] = []

    def active() -> bool:
        return all(c[0] is not False for c in conds)

    for stmt in parsed.statements:
        if isinstance(stmt, Conditional):
            _conditional(model, stmt, conds, file, active)
            continue
        if conds and not active():
            continue
        if isinstance(stmt, Assignment):
            _assign(model, stmt, file)
        elif isinstance(stmt, Keyword):
            _keyword(model, stmt, file, directory, depth, stack)
        elif isinstance(stmt, Section):
            pass
    if conds:
        model.notes.append(
            (
                file,
                parsed.statements[-1].lineno if parsed.statements else 0,
                "`if` without `endif` before the end of the file",
            )
        )


def _conditional(
    model: ConfigModel, stmt: Conditional, conds: list[list[bool | None]], file: str, active: Any
) -> None:
    kw = stmt.keyword
    if kw in ("if", "elif") and active():
        model.conditions.append((file, stmt, len(model.assignments)))
        problem = condition_problem(stmt.condition)
        if problem is not None:
            model.notes.append((file, stmt.lineno, f"`{kw} {stmt.condition}`: {problem}"))
    if kw == "if":
        outer = active()
        value = evaluate_condition(stmt.condition, model) if outer else False
        conds.append([value, value is True, False])
    elif not conds:
        model.notes.append((file, stmt.lineno, f"`{kw}` without a matching `if`"))
    elif kw == "elif":
        top = conds[-1]
        if top[2]:
            model.notes.append((file, stmt.lineno, "`elif` after `else`"))
        if top[1]:
            top[0] = False
        else:
            conds.pop()
            outer = active()
            conds.append(top)
            value = evaluate_condition(stmt.condition, model) if outer else False
            top[0] = value
            top[1] = value is True
    elif kw == "else":
        top = conds[-1]
        if top[2]:
            model.notes.append((file, stmt.lineno, "`else` after `else`"))
        top[2] = True
        top[0] = None if top[0] is None and not top[1] else not top[1]
    else:  # endif
        conds.pop()


def condition_problem(cond: str) -> str | None:
    """Why HTCondor refuses this ``if`` condition (fatal there), or None if it accepts it."""
    c = cond.strip()
    while c.startswith("!"):
        c = c[1:].strip()
    low = c.lower()
    if low.startswith("defined "):
        arg = c[8:].strip()
        if arg.lower().startswith("use "):
            return None if re.fullmatch(r"use\s+\S+", arg, re.I) else "will never match"
        if re.fullmatch(r"[A-Za-z0-9_./$()]+", arg):
            return None
        return "defined argument must be param name, boolean, or number"
    if low.startswith("version"):
        if re.fullmatch(r"version\s*(==|=|!=|<=|>=|<|>)\s*v?([6-9]|\d\d+)\.\d+(\.\d+)?", low):
            return None
        return "the version literal is invalid (write X.Y or X.Y.Z)"
    plain = re.sub(r"\$\([A-Za-z0-9_./]+(?::[^)]*)?\)", "X", c)  # only real macro references
    if re.search(r"[&|=<>()!#]", plain) or len(plain.split()) > 1:
        return (
            "complex conditionals are not supported: HTCondor's `if` takes one value, "
            "`defined NAME` or `version OP X.Y`"
        )
    return None


def evaluate_condition(cond: str, model: ConfigModel) -> bool | None:
    """An ``if`` condition with the values known now; None when it cannot be decided
    statically (both branches are then kept, by treating it as not false)."""
    negate = False
    c = cond.strip()
    while c.startswith("!"):
        negate = not negate
        c = c[1:].strip()
    result: bool | None
    low = c.lower()
    if low.startswith("defined "):
        arg = c[8:].strip()
        if arg.lower().startswith("use "):
            cat, _, tpl = arg[4:].partition(":")
            if tpl:
                result = metaknob_catalog.metaknob(cat.strip(), tpl.strip()) is not None
            else:
                result = bool(metaknob_catalog.templates(cat.strip()))
        else:
            entry = model.lookup(arg)
            result = entry is not None and entry.value != ""
    elif low.startswith("version"):
        m = re.match(r"version\s*(==|=|!=|<=|>=|<|>)\s*v?(\d+)\.(\d+)(?:\.(\d+))?\s*$", low)
        if m is None:
            return None
        op = m.group(1)
        want = (
            int(m.group(2)),
            int(m.group(3)),
            int(m.group(4)) if m.group(4) else CURRENT_VERSION[2],
        )
        have = CURRENT_VERSION
        result = {
            "==": have == want,
            "=": have == want,
            "!=": have != want,
            "<": have < want,
            "<=": have <= want,
            ">": have > want,
            ">=": have >= want,
        }[op]
    else:
        text = expand(c, sourcemap.nowhere(len(c)), model).text.strip().lower()
        if "$env(" in text:
            return None
        if text in ("", "false", "no", "f"):
            result = False
        elif text in ("true", "yes", "t"):
            result = True
        else:
            try:
                result = float(text) != 0
            except ValueError:
                return None
    return (not result) if negate and result is not None else result


_SELF = re.compile(r"\$\((?P<name>[A-Za-z0-9_./]+)(?::(?P<default>[^)]*))?\)")


def _assign(model: ConfigModel, stmt: Assignment, file: str) -> None:
    name_text = stmt.name
    if "$(" in name_text:
        name_text = expand(name_text, sourcemap.nowhere(len(name_text)), model).text
    key = name_text.lower()
    model.assignments.append((file, stmt))
    value, runs = _value_with_runs(stmt, file)
    plain = key.split(".")[-1] if "." in key else key
    # self references are expanded at once, with the value visible now
    refs = (
        [m for m in _SELF.finditer(value) if m.group("name").lower() in (key, plain)]
        if "$(" in value
        else []
    )
    # the visible value matters only to a self reference or an append (most assignments
    # have neither: the lookup, three table probes, is skipped)
    current = model.lookup(name_text) if refs or stmt.op.startswith("+") else None
    for m in reversed(refs):
        old = current.value if current is not None else ""
        old_runs = current.runs if current is not None else ()
        if old == "" and m.group("default") is not None:
            old = m.group("default")
            old_runs = sourcemap.cut(runs, m.start("default"), m.end("default"))
        value = value[: m.start()] + old + value[m.end() :]
        runs = (*sourcemap.cut(runs, 0, m.start()), *old_runs, *sourcemap.cut(runs, m.end()))
    if "$F" in value or "$f" in value:
        value, runs = _expand_self_filenames(model, value, runs, (key, plain))
    if stmt.op.startswith("+"):
        old = current.value if current is not None else ""
        sep = stmt.op[1:-1]
        joiner = {"": " ", ",": ",", ";": ";", "|": "|", "&": "&", "*": "*"}.get(sep, f" {sep} ")
        if old and current is not None:
            value = old + joiner + value
            runs = (*current.runs, (len(joiner), file, None, 0, ()), *runs)
    line = stmt.line.line
    earlier = model.entries.get(key)
    history: list[tuple[str | None, int | None]] = [(file, line)]
    if earlier is not None:
        history[:0] = earlier.history
    model.entries[key] = Entry(name_text, value, runs, file, line, history)


def _expand_self_filenames(
    model: ConfigModel, value: str, runs: sourcemap.Runs, names: tuple[str, str]
) -> tuple[str, sourcemap.Runs]:
    """``D = $Fn(D)``: at load time HTCondor expands a filename function of the knob being
    defined with the value visible now, as it does ``$(D)`` (config.cpp expand_self_macro,
    SelfOnlyBody: normal and filename macros only, so ``$SUBSTR(D, 1)`` is left, and loops
    when read)."""
    pos = 0
    while (macro := find_macro(value, pos)) is not None:
        pos = macro.end
        if not FILENAME_FUNCTION.match(macro.fn) or macro.body.strip().lower() not in names:
            continue
        new_text = _function(macro, model)
        here = sourcemap.at(runs, macro.start) or sourcemap.NOWHERE
        new_runs = ((len(new_text), here.file, here.offset, 0, ()),) if new_text else ()
        value = value[: macro.start] + new_text + value[macro.end :]
        runs = (*sourcemap.cut(runs, 0, macro.start), *new_runs, *sourcemap.cut(runs, macro.end))
        pos = macro.start + len(new_text)
    return value, runs


def _value_with_origins(stmt: Assignment, file: str) -> tuple[str, list[Origin]]:
    """An assignment's value and where each of its characters is in ``file``."""
    value, runs = _value_with_runs(stmt, file)
    return value, sourcemap.materialize(runs)


def _value_with_runs(stmt: Assignment, file: str) -> tuple[str, sourcemap.Runs]:
    if stmt.heredoc_tag is None:
        segments = stmt.line.segments
        value, start = stmt.value, stmt.value_start
        if len(segments) == 1:  # one physical line (most): one run, if any text
            seg_start, file_start, _ = segments[0]
            at = file_start + start - seg_start
            return value, ((len(value), file, at, 1, ()),) if value else ()
        pieces = stmt.line.file_pieces(start, len(value))
        return value, sourcemap.file_runs(file, pieces)
    text = ""
    runs: list[sourcemap.Run] = []
    for k, body in enumerate(stmt.body):
        if k:
            text += "\n"
            runs.append((1, file, None, 0, ()))
        piece = body.text.strip()
        lead = len(body.text) - len(body.text.lstrip())
        text += piece
        runs.extend(sourcemap.file_runs(file, body.file_pieces(lead, len(piece))))
    return text, tuple(runs)


def _keyword(
    model: ConfigModel, stmt: Keyword, file: str, directory: Path, depth: int, stack: list[Path]
) -> None:
    kw = stmt.keyword
    arg = expand(stmt.argument, sourcemap.nowhere(len(stmt.argument)), model).text
    if kw == "include":
        words = stmt.options.lower().split()
        if "command" in words or "output" in words or arg.rstrip().endswith("|"):
            _include_command(model, stmt, arg, file, directory, depth, stack)
            return
        target = (directory / arg).resolve() if not os.path.isabs(arg) else Path(arg)
        if model.root is not None and not str(target).startswith(str(model.root.resolve())):
            model.notes.append((file, stmt.lineno, f"include outside the tree not read: {arg}"))
            return
        if not target.exists():
            if "ifexist" in words or "ifexists" in words:
                return
            model.notes.append((file, stmt.lineno, f"included file not found: {arg}"))
            return
        _load_file(model, target, depth + 1, stack, (file, stmt.lineno))
    elif kw == "use":
        _use(model, stmt, arg, file, directory, depth, stack)
    elif kw == "error":
        model.notes.append((file, stmt.lineno, f"error : {arg}"))


def _include_command(
    model: ConfigModel,
    stmt: Keyword,
    arg: str,
    file: str,
    directory: Path,
    depth: int,
    stack: list[Path],
) -> None:
    """``include [ifexist] command [into FILE] : cmd`` and ``include : cmd |``.

    HTCondor (config.cpp Parse_macros) reads the ``into`` file when it exists instead of
    running the command, so that file is read here too (it is plain configuration). The
    command itself runs only when the caller opted in; its output is then read as a file
    named ``<include command: cmd>``. The cache file is never written.
    """
    words = stmt.options.split()
    lower = [w.lower() for w in words]
    into = None
    if "into" in lower and lower.index("into") + 1 < len(words):
        raw_into = words[lower.index("into") + 1]
        into = expand(raw_into, sourcemap.nowhere(len(raw_into)), model).text
    command = arg.rstrip()
    if command.endswith("|"):
        command = command[:-1].rstrip()
    ifexist = "ifexist" in lower or "ifexists" in lower
    where = (file, stmt.lineno)
    record = IncludeCommand(file, stmt.lineno, command, into, ifexist)
    if into is not None:
        target = (directory / into).resolve() if not os.path.isabs(into) else Path(into)
        inside = model.root is None or str(target).startswith(str(model.root.resolve()))
        if inside and target.is_file():
            model.include_commands.append(dataclasses.replace(record, action="read-into-file"))
            _load_file(model, target, depth + 1, stack, where)
            return
    if not model.run_include_commands:
        model.include_commands.append(record)
        model.notes.append(
            (
                file,
                stmt.lineno,
                f"include command not run: `{command}` (HTCondor runs it and reads its output "
                "as configuration; classadlint runs no commands unless asked with "
                "--run-include-commands, so what it would define is unknown here)",
            )
        )
        return
    model.include_commands.append(dataclasses.replace(record, action="run"))
    name = f"<include command: {command}>"
    try:
        proc = subprocess.run(command_argv(command), capture_output=True, timeout=60, check=False)
    except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
        if not ifexist:
            model.notes.append((file, stmt.lineno, f"include command failed: {command}: {exc}"))
        return
    if proc.returncode != 0:
        if not ifexist:
            model.notes.append(
                (file, stmt.lineno, f"include command exited {proc.returncode}: {command}")
            )
        return
    try:
        text = proc.stdout.decode("utf-8")
    except UnicodeDecodeError:
        model.notes.append((file, stmt.lineno, f"include command output is not UTF-8: {command}"))
        return
    if depth + 1 > 20:
        model.notes.append((file, stmt.lineno, "includes nested too deep (HTCondor stops at 20)"))
        return
    parsed = parse_config(text, name)
    model.files[name] = parsed
    model.errors.extend((name, e) for e in parsed.errors)
    _apply(model, parsed, name, directory, depth + 1, stack)


def command_argv(command: str) -> list[str]:
    """The argument vector HTCondor builds for an include command
    (ArgList::AppendArgsV1RawOrV2Quoted): V1 raw splits on white space with no quoting;
    a command line that starts with a double quote is V2 syntax, where single quotes
    group words and ``''`` inside them is one quote."""
    text = command.strip()
    if not text.startswith('"'):
        return text.split()
    end = text.rfind('"')
    if end <= 0 or text[end + 1 :].strip():
        raise ValueError("unterminated V2 argument string")
    body = text[1:end]
    out: list[str] = []
    word: str | None = None
    i = 0
    while i < len(body):
        c = body[i]
        if c == "'":
            j = i + 1
            piece = ""
            while True:
                k = body.find("'", j)
                if k < 0:
                    raise ValueError("unterminated single quote in V2 arguments")
                piece += body[j:k]
                if body[k + 1 : k + 2] == "'":
                    piece += "'"
                    j = k + 2
                    continue
                i = k + 1
                break
            word = (word or "") + piece
            continue
        if c.isspace():
            if word is not None:
                out.append(word)
                word = None
        else:
            word = (word or "") + c
        i += 1
    if word is not None:
        out.append(word)
    return out


def _use(
    model: ConfigModel,
    stmt: Keyword,
    arg: str,
    file: str,
    directory: Path,
    depth: int,
    stack: list[Path],
) -> None:
    category = stmt.options.strip().lstrip("@").upper()
    if not metaknob_catalog.templates(category):
        model.notes.append((file, stmt.lineno, f"use {category}: unknown category"))
        return
    for name, args in _use_items(arg):
        template = metaknob_catalog.metaknob(category, name)
        if template is None:
            model.notes.append((file, stmt.lineno, f"use {category}: does not recognise {name}"))
            continue
        if depth > 20:
            model.notes.append((file, stmt.lineno, "use ... nesting too deep"))
            return
        # the body is config text in its own right: if/else, error, nested use, appends
        try:
            body = template.expand(args or "")
        except ValueError:  # the arguments refer to themselves: HTCondor loops forever
            model.notes.append(
                (
                    file,
                    stmt.lineno,
                    f"use {category}:{name}: its arguments "
                    "expand without end (HTCondor hangs loading this file)",
                )
            )
            continue
        parsed = parse_config(body, f"<use {category}:{name}>")
        _apply(model, parsed, f"<use {category}:{name}>", directory, depth + 1, stack)


def _use_items(text: str) -> list[tuple[str, str | None]]:
    """``A, B(x, f(y)) C`` -> [("A", None), ("B", "x, f(y)"), ("C", None)]; the argument
    list ends at the parenthesis that closes it (nested () and [] are skipped)."""
    items: list[tuple[str, str | None]] = []
    i, n = 0, len(text)
    while i < n:
        m = re.compile(r"[\s,]*([A-Za-z0-9_]+)").match(text, i)
        if m is None:
            break
        name, i = m.group(1), m.end()
        args = None
        if i < n and text[i] == "(":
            depth, j = 0, i
            while j < n:
                if text[j] in "([":
                    depth += 1
                elif text[j] in ")]":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            args, i = text[i + 1 : j], j + 1
        items.append((name, args))
    return items


def logical_line_of(stmt: Assignment) -> LogicalLine:
    return stmt.line
