"""The built-in functions of ClassAds: the core library and HTCondor's additions.

The registry (:data:`FUNCTIONS`) is data the linter reads too (arity, which layer defines
a function): a call with the wrong number of arguments, or of a name that is not
registered, evaluates to ERROR in HTCondor rather than failing to parse, which is exactly
why a linter must say so. Behaviour follows the reference (section 4) and classad2.
"""

from __future__ import annotations

import math
import re
import time as _time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any
from typing import Literal as TLiteral

from classadlint.classad import ast
from classadlint.classad.ad import ClassAd
from classadlint.classad.evaluate import (
    MAX_DEPTH,
    Compiled,
    Env,
    EvaluationFailed,
    Unit,
    Value,
    c_int,
    compare,
    compile_conditional,
    compile_expr,
    identical,
    truth,
)
from classadlint.classad.parser import DEFAULT_VERSION, SUFFIX_REMOVED, Version
from classadlint.classad.timeliterals import parse_abstime_literal, parse_reltime_literal
from classadlint.classad.values import (
    ERROR,
    UNDEFINED,
    AbsTime,
    RelTime,
    abstime_text,
    real_text,
    reltime_text,
)

Impl = Callable[[list[Value], Env], Value]
#: A call compiled by hand: (call, compiled arguments, position, checked) -> closure.
Special = Callable[[ast.Call, list[Compiled], int, bool], Compiled]
Layer = TLiteral["core", "htcondor"]


@dataclass(frozen=True)
class Function:
    """A built-in: its name as documented, arity bounds (None = unbounded) and layer."""

    name: str
    min_args: int
    max_args: int | None
    layer: Layer
    impl: Impl | None = None  # None for the lazy ones compiled specially


FUNCTIONS: dict[str, Function] = {}


def _register(name: str, lo: int, hi: int | None, layer: Layer = "core") -> Callable[[Impl], Impl]:
    def deco(fn: Impl) -> Impl:
        FUNCTIONS[name.lower()] = Function(name, lo, hi, layer, fn)
        return fn

    return deco


def _lazy(name: str, lo: int, hi: int | None, layer: Layer = "core") -> None:
    FUNCTIONS[name.lower()] = Function(name, lo, hi, layer, None)


def lookup_function(name: str, semantics: str = "daemon") -> Function | None:
    """The registered function of that name (any case) available in this mode."""
    fn = FUNCTIONS.get(name.lower())
    if fn is None or (fn.layer == "htcondor" and semantics != "daemon"):
        return None
    return fn


# --- conversions shared by many functions ----------------------------------------------


def unparse_value(v: Value) -> str:
    """A value as HTCondor's unparser writes it (new syntax)."""
    from classadlint.classad.unparse import quote_name, quote_string

    if v is UNDEFINED:
        return "undefined"
    if v is ERROR:
        return "error"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return real_text(v)
    if isinstance(v, str):
        return quote_string(v)
    if isinstance(v, list):
        source = getattr(v, "source", None)
        if source is not None:
            from classadlint.classad.unparse import unparse_condor

            return "{ " + ",".join(unparse_condor(x) for x in source) + " }"
        return "{ " + ",".join(unparse_value(x) for x in v) + " }"
    if isinstance(v, AbsTime):
        return f'absTime("{abstime_text(v)}")'
    if isinstance(v, RelTime):
        return f'relTime("{reltime_text(v.seconds)}")'
    if isinstance(v, ClassAd):
        from classadlint.classad.unparse import unparse_condor

        inner = "; ".join(f"{quote_name(n)} = {unparse_condor(v[n])}" for n in v)
        return f"[ {inner} ]" if inner else "[  ]"
    raise TypeError(repr(v))


def to_str(v: Value) -> str:
    """``string()`` conversion of a defined, non-error value."""
    if isinstance(v, str):
        return v
    if isinstance(v, AbsTime):
        return abstime_text(v)
    if isinstance(v, RelTime):
        return reltime_text(v.seconds)
    return unparse_value(v)


_STRTOD = re.compile(
    r"\s*(?P<hex>[+-]?0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?\d+)?)"
    r"|\s*[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan)",
    re.I,
)


def _strtod(s: str) -> tuple[float, int] | None:
    """C's ``strtod`` of the start of ``s``: the value and where it stopped, or None when
    it reads nothing. Hexadecimal too (``0x10`` is 16.0, ``0x1p4`` 16.0), as glibc's."""
    m = _STRTOD.match(s)
    if m is None:
        return None
    if m.group("hex") is not None:
        return float.fromhex(m.group("hex")), m.end()
    return float(m.group(0)), m.end()


def _strtod_prefix(s: str) -> float | None:
    read = _strtod(s)
    return None if read is None else read[0]


#: Unit letters a string-to-number conversion scaled by before 23.9 (v23.8.1
#: src/classad/value.cpp:515-528 and 605-618, the letter right after the number), removed
#: with the literal suffixes (v23.9.6 value.cpp sets NO_FACTOR; HTCONDOR-2455).
_STRING_SCALE = {"B": 1.0, "K": 1024.0, "M": 1024.0**2, "G": 1024.0**3, "T": 1024.0**4}


def _suffix_scale(s: str, end: int) -> float:
    return _STRING_SCALE.get(s[end : end + 1].upper(), 1.0)


def _first_bad(args: list[Value]) -> Value | None:
    """ERROR if any argument is ERROR, else UNDEFINED if any is UNDEFINED, else None."""
    bad = None
    for a in args:
        if a is ERROR:
            return ERROR
        if a is UNDEFINED:
            bad = UNDEFINED
    return bad


# HTCondor's convertValueTo*Value (value.cpp): the coercions most functions apply.
def conv_real(v: Value, suffixes: bool = False) -> float | None:
    """A real for a number, bool, time or numeric-prefix string; None where HTCondor fails.
    ``suffixes``: before 23.9 a unit letter after the number scales it (``"2K"`` 2048.0)."""
    c = v.__class__
    if c is float:
        return v  # type: ignore[no-any-return]
    if c is int or c is bool:
        return float(v)
    if c is str:
        read = _strtod(v)
        if read is None:
            return None
        return read[0] * _suffix_scale(v, read[1]) if suffixes else read[0]
    if c is AbsTime:
        return float(v.seconds)
    if c is RelTime:
        return float(int(v.seconds))
    return None


def c_long(x: float) -> int:
    """C's ``(long long)`` of a double on x86: out of range, inf and NaN give INT64_MIN."""
    if math.isfinite(x) and -(2.0**63) <= x < 2.0**63:
        return int(x)
    return -(2**63)


def conv_int(v: Value, suffixes: bool = False) -> int | None:
    """An integer as ``convertValueToIntegerValue``; a string through strtod and a C cast.
    ``suffixes``: before 23.9 the truncated number is then scaled by a unit letter after it
    (``"1.5K"`` is 1024: ``(long long)(ivalue * factor)``)."""
    c = v.__class__
    if c is int:
        return v  # type: ignore[no-any-return]
    if c is bool:
        return int(v)
    if c is float:
        return c_long(v)
    if c is str:
        read = _strtod(v)
        if read is None:
            return None
        value = c_long(read[0])
        if suffixes:
            scale = _suffix_scale(v, read[1])
            if scale != 1.0:
                return c_long(value * scale)
        return value
    if c is AbsTime:
        return v.seconds  # type: ignore[no-any-return]
    if c is RelTime:
        return int(v.seconds)
    return None


def conv_str(v: Value) -> str | None:
    """The string form, or None for UNDEFINED/ERROR."""
    if v is UNDEFINED or v is ERROR:
        return None
    return to_str(v)


def natural_cmp(a: str, b: str) -> int:
    """HTCondor's natural_cmp (strverscmp-like), byte for byte, including its return values."""
    x = a.encode("utf-8", "surrogateescape") + b"\0"
    y = b.encode("utf-8", "surrogateescape") + b"\0"

    def ch(s: bytes, i: int) -> int:
        c = s[i] if i < len(s) else 0
        return c - 256 if c > 127 else c  # char is signed on the platforms HTCondor ships

    def isdigit(s: bytes, i: int) -> bool:
        return i < len(s) and 48 <= s[i] <= 57

    i = 0
    while x[i] and x[i] == y[i]:
        i += 1
    if x[i] == y[i]:
        return 0
    n_beg = i
    while n_beg > 0 and isdigit(x, n_beg - 1):
        n_beg -= 1
    back = i - n_beg
    n2_beg = i - back
    if n_beg == i and (not isdigit(x, i) or not isdigit(y, i)):
        return ch(x, i) - ch(y, i)
    z1 = n_beg
    while x[z1] == 48:
        z1 += 1
    z2 = n2_beg
    while y[z2] == 48:
        z2 += 1
    if z1 > n_beg and not isdigit(x, z1):
        z1 -= 1
    if z2 > n2_beg and not isdigit(y, z2):
        z2 -= 1
    if z1 - n_beg != z2 - n2_beg:
        return (z2 - n2_beg) - (z1 - n_beg)
    if z1 > n_beg:
        return ch(x, i) - ch(y, i)
    e1 = z1
    while isdigit(x, e1):
        e1 += 1
    e2 = z2
    while isdigit(y, e2):
        e2 += 1
    if e1 - n_beg != e2 - n2_beg:
        return (e1 - n_beg) - (e2 - n2_beg)
    return ch(x, i) - ch(y, i)


# --- type predicates ------------------------------------------------------------------

for _name, _test in [
    ("isUndefined", lambda v: v is UNDEFINED),
    ("isError", lambda v: v is ERROR),
    ("isString", lambda v: isinstance(v, str)),
    ("isInteger", lambda v: v.__class__ is int),
    ("isReal", lambda v: v.__class__ is float),
    ("isBoolean", lambda v: v.__class__ is bool),
    ("isList", lambda v: isinstance(v, list)),
    ("isClassAd", lambda v: isinstance(v, ClassAd)),
    ("isAbsTime", lambda v: isinstance(v, AbsTime)),
    ("isRelTime", lambda v: isinstance(v, RelTime)),
]:
    _register(_name, 1, 1)(lambda a, env, t=_test: bool(t(a[0])))  # type: ignore[misc]


# --- lists ------------------------------------------------------------------------------


@_register("member", 2, 2)
def _member(a: list[Value], env: Env) -> Value:
    x, lst = a
    if lst is UNDEFINED or x is UNDEFINED:
        return UNDEFINED
    if x is ERROR or lst is ERROR or not isinstance(lst, list):
        return ERROR
    if isinstance(x, list | ClassAd):
        return ERROR
    return any(compare("==", x, item) is True for item in lst)


@_register("identicalMember", 2, 2)
def _identical_member(a: list[Value], env: Env) -> Value:
    x, lst = a
    if lst is UNDEFINED:
        return UNDEFINED
    if not isinstance(lst, list) or isinstance(x, list | ClassAd):
        return ERROR
    return any(identical(x, item) is True for item in lst)


_COMPARE_OPS = {"<": "<", "<=": "<=", "==": "==", "!=": "!=", ">": ">", ">=": ">=",
                "is": "=?=", "isnt": "=!="}  # fmt: skip


def _any_all(a: list[Value], want_all: bool) -> Value:
    op, lst, x = a
    if op is UNDEFINED:
        return UNDEFINED
    if not isinstance(op, str) or op not in _COMPARE_OPS:
        return ERROR
    if lst is UNDEFINED:
        return UNDEFINED
    if not isinstance(lst, list):
        return ERROR
    canon = _COMPARE_OPS[op]
    for item in lst:
        if canon == "=?=":
            r = identical(item, x)
        elif canon == "=!=":
            r = identical(item, x)
            r = r if r is ERROR else not r
        else:
            r = compare(canon, item, x)
        if r is ERROR:
            return ERROR
        if r is UNDEFINED:
            return False  # HTCondor stops at the first undecidable element
        if r is True and not want_all:
            return True
        if r is False and want_all:
            return False
    return want_all


_register("anyCompare", 3, 3)(lambda a, env: _any_all(a, False))
_register("allCompare", 3, 3)(lambda a, env: _any_all(a, True))


@_register("size", 1, 1)
def _size(a: list[Value], env: Env) -> Value:
    v = a[0]
    if v is UNDEFINED:
        return UNDEFINED
    if isinstance(v, str):
        return len(v.encode("utf-8", "surrogateescape"))
    if isinstance(v, list | ClassAd):
        return len(v)
    return ERROR


def _numbers(lst: Value) -> list[Value] | Value:
    if lst is UNDEFINED:
        return UNDEFINED
    if not isinstance(lst, list):
        return ERROR
    out = []
    for item in lst:
        if item is UNDEFINED:
            continue
        if item.__class__ not in (int, float, bool):
            return ERROR
        out.append(item)
    return out


@_register("sum", 1, 1)
def _sum(a: list[Value], env: Env) -> Value:
    nums = _numbers(a[0])
    if not isinstance(nums, list):
        return nums
    if len(nums) == 1:
        return nums[0]  # HTCondor starts from the first element itself: sum({true}) is true
    if any(n.__class__ is float for n in nums):
        return float(sum(nums))
    return sum(int(n) for n in nums)


@_register("avg", 1, 1)
def _avg(a: list[Value], env: Env) -> Value:
    nums = _numbers(a[0])
    if not isinstance(nums, list):
        return nums
    if not nums:
        return 0  # an integer, unlike the average of a non-empty list
    return float(sum(nums)) / len(nums)


def _minmax(a: list[Value], pick: Callable[..., Any]) -> Value:
    nums = _numbers(a[0])
    if not isinstance(nums, list):
        return nums
    if not nums:
        return UNDEFINED
    if len(nums) == 1:
        return nums[0]  # the first element itself: min({true}) is true
    best = pick(nums)
    if any(n.__class__ is float for n in nums):
        return float(best)
    return int(best)


_register("min", 1, 1)(lambda a, env: _minmax(a, min))
_register("max", 1, 1)(lambda a, env: _minmax(a, max))


# --- time ---------------------------------------------------------------------------------


def _local_offset(secs: float) -> int:
    try:
        return _time.localtime(secs).tm_gmtoff
    except (OverflowError, OSError, ValueError):
        return 0


_register("time", 0, 0)(lambda a, env: int(env.clock()))
_register("currentTime", 0, 0)(lambda a, env: AbsTime(int(env.clock()), _local_offset(env.clock())))
_register("timeZoneOffset", 0, 0)(lambda a, env: RelTime(float(_local_offset(env.clock()))))


@_register("dayTime", 0, 0)
def _day_time(a: list[Value], env: Env) -> Value:
    now = env.clock()
    local = now + _local_offset(now)
    return RelTime(float(int(local) % 86400))


@_register("absTime", 0, 2)
def _abs_time(a: list[Value], env: Env) -> Value:
    return _conv_time(a, env, relative=False)


@_register("relTime", 1, 1)
def _rel_time(a: list[Value], env: Env) -> Value:
    return _conv_time(a, env, relative=True)


def _c_int(v: float) -> int:
    """A C ``(int)`` conversion: wraps an integer, INT_MIN for a real out of range."""
    if isinstance(v, float):
        if not math.isfinite(v) or not -(2**31) <= v < 2**31:
            return -(2**31)
        return int(v)
    return c_int(v)


def _conv_time(a: list[Value], env: Env, relative: bool) -> Value:
    """fnCall.cpp ``convTime`` for values known only at run time (a string literal as the
    single argument was already turned into a time when parsed, see ``_time_literal``)."""
    if not a:
        now = int(env.clock())
        return AbsTime(now, _local_offset(now))
    offset: int | None = None
    if len(a) == 2:
        if relative:
            return ERROR
        second = a[1]
        if second.__class__ in (int, float):
            offset = _c_int(second)
        elif isinstance(second, RelTime):
            offset = int(second.seconds)
        else:
            return ERROR
    v = a[0]
    if v is UNDEFINED:
        return UNDEFINED
    if v is ERROR or v.__class__ is bool or isinstance(v, list | ClassAd):
        return ERROR
    if v.__class__ in (int, float):
        if relative:
            return RelTime(float(_c_int(v) if v.__class__ is int else v))
        secs = _c_int(v)
        return AbsTime(secs, offset if offset is not None else _local_offset(secs))
    if isinstance(v, str):
        # convTime's string case falls through to the absolute-time case, which reads no
        # time from a string: absTime gives the string back, relTime zero seconds
        return RelTime(0.0) if relative else v
    if isinstance(v, AbsTime):
        return RelTime(float(v.seconds)) if relative else v
    if isinstance(v, RelTime):
        if relative:
            return v
        secs = int(v.seconds)
        return AbsTime(secs, offset if offset is not None else _local_offset(secs))
    return ERROR


def _time_literal(call: ast.Call, fns: list[Compiled], position: int, checked: bool) -> Compiled:
    """``absTime("...")``/``relTime("...")`` with one string literal: HTCondor's parser
    turns it into a time literal; every other form is converted at run time."""
    relative = call.name.lower() == "reltime"
    arg = call.args[0] if len(call.args) == 1 else None
    if isinstance(arg, ast.Literal) and isinstance(arg.value, str):
        parsed = parse_reltime_literal(arg.value) if relative else parse_abstime_literal(arg.value)
        value: Value = ERROR if parsed is None else parsed
        return lambda env: value

    def run(env: Env) -> Value:
        return _conv_time([f(env) for f in fns], env, relative)

    return run


@_register("interval", 1, 1)
def _interval(a: list[Value], env: Env) -> Value:
    """``[days+]h:mm:ss`` with leading zero fields dropped: 67 is "1:07", 1 is "1"."""
    total = conv_int(a[0], _suffixes(env))
    if total is None:
        return ERROR
    total = c_int(total)  # HTCondor keeps it in a C int

    def cdiv(x: int, y: int) -> tuple[int, int]:
        q = _cdiv(x, y)
        return q, x - q * y

    days, rest = cdiv(total, 86400)
    hours, rest = cdiv(rest, 3600)
    minutes, secs = cdiv(rest, 60)
    if days:
        return f"{days}+{abs(hours):02d}:{abs(minutes):02d}:{abs(secs):02d}"
    if hours:
        return f"{hours}:{abs(minutes):02d}:{abs(secs):02d}"
    if minutes:
        return f"{minutes}:{abs(secs):02d}"
    return f"{secs}"


# --- strings ----------------------------------------------------------------------------


def _strcat_join(a: list[Value], is_join: bool) -> Value:
    """strCat in fnCall.cpp, shared by strcat and join."""
    args = list(a)
    if is_join and 0 < len(args) <= 2 and isinstance(args[-1], list):
        items = args[-1]
        args = [args[0] if len(args) == 2 else "", *items]
    return _concatenate(iter(args), is_join)


def _concatenate(args: Iterator[Value], is_join: bool) -> Value:
    """The loop of strCat: it stops at the first ERROR, and strcat at the first UNDEFINED,
    without evaluating the arguments after it (``args`` may be lazy)."""
    buf: list[str] = []
    sep = ""
    undef = defined = False
    for k, v in enumerate(args):
        if v is ERROR:
            return ERROR
        if v is UNDEFINED:
            undef = True
            if is_join:
                continue
            defined = False
            break
        s = to_str(v)
        if is_join:
            if k == 0:
                sep = s
                continue
            if any(buf):  # HTCondor tests the text so far: empty items add no separator
                buf.append(sep)
        defined = True
        buf.append(s)
    if undef and not defined:
        return UNDEFINED
    return "".join(buf)


_register("strcat", 0, None)(lambda a, env: _strcat_join(a, False))
_register("join", 0, None)(lambda a, env: _strcat_join(a, True))


def _str_fn(fn: Callable[[str], Value]) -> Impl:
    def impl(a: list[Value], env: Env) -> Value:
        v = a[0]
        if v is UNDEFINED:
            return UNDEFINED
        if v is ERROR:
            return ERROR
        return fn(to_str(v))  # lists and ads are unparsed first

    return impl


_register("toUpper", 1, 1)(_str_fn(str.upper))
_register("toLower", 1, 1)(_str_fn(str.lower))


@_register("substr", 2, 3)
def _substr(a: list[Value], env: Env) -> Value:
    if any(v is UNDEFINED for v in a):
        return UNDEFINED
    if any(v is ERROR for v in a):
        return ERROR
    s, off = a[0], a[1]
    if not isinstance(s, str) or off.__class__ is not int:
        return ERROR
    n = len(s)
    if off < 0:
        off = max(0, n + off)
    off = min(off, n)
    if len(a) == 3:
        length = a[2]
        if length.__class__ is not int:
            return ERROR
        end = n + length if length < 0 else off + length
        end = max(off, min(end, n))
        return s[off:end]
    return s[off:]


def _cmp_fn(fold: bool) -> Impl:
    def impl(a: list[Value], env: Env) -> Value:
        if a[0] is UNDEFINED or a[1] is UNDEFINED:
            return UNDEFINED
        x, y = conv_str(a[0]), conv_str(a[1])
        if x is None or y is None:
            return ERROR
        if fold:
            x, y = x.lower(), y.lower()
        bx, by = x.encode("utf-8", "surrogateescape"), y.encode("utf-8", "surrogateescape")
        return (bx > by) - (bx < by)

    return impl


_register("strcmp", 2, 2)(_cmp_fn(False))
_register("stricmp", 2, 2)(_cmp_fn(True))


def _version_fn(test: Callable[[int], bool] | None) -> Impl:
    def impl(a: list[Value], env: Env) -> Value:
        if a[0] is UNDEFINED or a[1] is UNDEFINED:
            return UNDEFINED
        x, y = conv_str(a[0]), conv_str(a[1])
        if x is None or y is None:
            return ERROR
        c = natural_cmp(x, y)
        return c if test is None else test(c)

    return impl


_register("versioncmp", 2, 2)(_version_fn(None))
_register("versionGT", 2, 2)(_version_fn(lambda c: c > 0))
_register("versionGE", 2, 2)(_version_fn(lambda c: c >= 0))
_register("versionLT", 2, 2)(_version_fn(lambda c: c < 0))
_register("versionLE", 2, 2)(_version_fn(lambda c: c <= 0))
_register("versionEQ", 2, 2)(_version_fn(lambda c: c == 0))


@_register("version_in_range", 3, 3)
def _version_in_range(a: list[Value], env: Env) -> Value:
    if a[1] is UNDEFINED or a[2] is UNDEFINED:
        return UNDEFINED
    v, lo, hi = (conv_str(x) for x in a)
    if v is None or lo is None or hi is None:
        return ERROR
    return natural_cmp(lo, v) <= 0 and natural_cmp(v, hi) <= 0


# --- regular expressions ---------------------------------------------------------------


def regex_flags(options: str) -> tuple[int, bool, bool]:
    """(re flags, full replace ``f``, global ``g``); only lower-case letters count."""
    flags = 0
    if "i" in options:
        flags |= re.IGNORECASE
    if "m" in options:
        flags |= re.MULTILINE
    if "s" in options:
        flags |= re.DOTALL
    if "x" in options:
        flags |= re.VERBOSE
    return flags, "f" in options, "g" in options


def _compile_regex(pattern: str, options: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern, regex_flags(options)[0])
    except re.error:
        return None


def _regex_args(a: list[Value], n_strings: int) -> tuple[list[str], str] | Value:
    bad = _first_bad(a)
    if bad is not None:
        return bad
    strings = a[:n_strings]
    if not all(isinstance(s, str) for s in strings):
        return ERROR
    options = ""
    if len(a) > n_strings:
        if not isinstance(a[n_strings], str):
            return ERROR
        options = a[n_strings]
    return list(strings), options


@_register("regexp", 2, 3)
def _regexp(a: list[Value], env: Env) -> Value:
    parsed = _regex_args(a, 2)
    if not isinstance(parsed, tuple):
        return parsed
    (pattern, target), options = parsed
    rx = _compile_regex(pattern, options)
    if rx is None:
        return ERROR
    return rx.search(target) is not None


@_register("regexpMember", 2, 3)
def _regexp_member(a: list[Value], env: Env) -> Value:
    """fnCall.cpp ``matchPatternMember``: ERROR in any argument, then UNDEFINED in any,
    then the options' type, then the pattern's and the list's."""
    if any(v is ERROR for v in a):
        return ERROR
    if any(v is UNDEFINED for v in a):
        return UNDEFINED
    options = a[2] if len(a) == 3 else ""
    if not isinstance(options, str):
        return ERROR
    pattern, lst = a[0], a[1]
    if not isinstance(pattern, str) or not isinstance(lst, list):
        return ERROR
    rx = _compile_regex(pattern, options)
    if rx is None:
        return ERROR
    saw_undefined = False
    for item in lst:
        if item is UNDEFINED:
            saw_undefined = True
            continue
        if not isinstance(item, str):
            return ERROR
        if rx.search(item):
            return True
    return UNDEFINED if saw_undefined else False


def _substitute(a: list[Value], forced: str) -> Value:
    """fnCall.cpp ``substPattern`` + ``regexp_helper``, loop for loop: without ``f`` the
    result is the replacement alone ("" when nothing matches); ``\\N`` past the groups
    that matched is ERROR; after an empty match the next one must be non-empty and
    anchored, else one character is copied — past the end of the text that is ERROR."""
    parsed = _regex_args(a, 3)
    if not isinstance(parsed, tuple):
        return parsed
    (pattern, target, replacement), options = parsed
    options += forced
    rx = _compile_regex(pattern, options)
    if rx is None:
        return ERROR
    _flags, full, find_all = regex_flags(options)
    out: list[str] = []
    idx = 0
    empty = False
    while True:
        if idx > len(target):
            return ERROR  # pcre2_match with an offset past the end
        m = rx.match(target, idx) if empty else rx.search(target, idx)
        if empty and (m is None or m.end() == idx):
            out.append(target[idx : idx + 1] or "\0")
            idx += 1
            empty = False
            if not find_all:
                break
            continue
        if m is None:
            break
        if full:
            out.append(target[idx : m.start()])
        matched = [k for k in range(1, (rx.groups or 0) + 1) if m.start(k) != -1]
        ngroups = (max(matched) if matched else 0) + 1
        k = 0
        while k < len(replacement):
            c = replacement[k]
            if c == "\\" and k + 1 < len(replacement) and replacement[k + 1].isdigit():
                group = int(replacement[k + 1])
                if group >= ngroups:
                    return ERROR
                out.append(m.group(group) or "")
                k += 2
                continue
            out.append(c)
            k += 1
        idx = m.end()
        empty = m.start() == m.end()
        if not find_all:
            break
    if full:
        out.append(target[idx:])
    return "".join(out)


_register("regexps", 3, 4)(lambda a, env: _substitute(a, ""))
_register("replace", 3, 4)(lambda a, env: _substitute(a, "f"))
_register("replaceAll", 3, 4)(lambda a, env: _substitute(a, "fg"))


# --- conversions ---------------------------------------------------------------------------


def _suffixes(env: Env) -> bool:
    """Whether this version's string-to-number conversions read unit letters."""
    return env.version < SUFFIX_REMOVED


@_register("int", 1, 1)
def _int(a: list[Value], env: Env) -> Value:
    """convertValueToIntegerValue: strtod for strings, a C cast for reals."""
    v = a[0]
    if v is UNDEFINED:
        return UNDEFINED
    result = conv_int(v, _suffixes(env))
    return ERROR if result is None else result


@_register("real", 1, 1)
def _real(a: list[Value], env: Env) -> Value:
    v = a[0]
    if v is UNDEFINED:
        return UNDEFINED
    c = v.__class__
    if c in (bool, int, float):
        return float(v)
    if c is str:
        d = conv_real(v, _suffixes(env))
        return ERROR if d is None else d
    if c is AbsTime:
        return float(v.seconds)
    if c is RelTime:
        return float(v.seconds)
    return ERROR


@_register("string", 1, 1)
def _string(a: list[Value], env: Env) -> Value:
    v = a[0]
    if v is UNDEFINED:
        return UNDEFINED
    if v is ERROR:
        return ERROR
    return to_str(v)


@_register("bool", 1, 1)
def _bool(a: list[Value], env: Env) -> Value:
    v = a[0]
    if v is UNDEFINED:
        return UNDEFINED
    c = v.__class__
    if c in (bool, int, float):
        return bool(v)
    if c is str:
        low = v.lower()
        if low == "true":
            return True
        if low == "false":
            return False
        return UNDEFINED
    return ERROR


def _rounder(fn: Callable[[float], float]) -> Impl:
    """doRound: integers pass through, anything convertible to real is rounded."""

    def impl(a: list[Value], env: Env) -> Value:
        v = a[0]
        if v.__class__ is int:
            return v
        r = conv_real(v, _suffixes(env))
        if r is None:
            return ERROR
        return c_long(fn(r)) if math.isfinite(r) else _INT_MIN_VALUE

    return impl


_INT_MIN_VALUE = -(2**63)  # (long long) of inf/nan on x86
_register("floor", 1, 1)(_rounder(math.floor))
_register("ceiling", 1, 1)(_rounder(math.ceil))
_register("ceil", 1, 1)(_rounder(math.ceil))
_register("round", 1, 1)(_rounder(round))


@_register("pow", 2, 2)
def _pow(a: list[Value], env: Env) -> Value:
    x, y = a
    if x.__class__ is int and y.__class__ is int and y >= 0:
        try:
            r = math.pow(float(x), float(y)) + 0.5
        except OverflowError:
            return _INT_MIN_VALUE
        return int(r) if math.isfinite(r) and abs(r) < 2**63 else _INT_MIN_VALUE
    suffixes = _suffixes(env)
    rx, ry = conv_real(x, suffixes), conv_real(y, suffixes)
    if rx is None or ry is None:
        return ERROR
    try:
        return math.pow(rx, ry)
    except OverflowError:
        return math.inf
    except ValueError:  # C's pow: 0 to a negative power is infinite, else NaN
        return math.inf if rx == 0 and ry < 0 else math.nan


@_register("quantize", 2, 2)
def _quantize(a: list[Value], env: Env) -> Value:
    """doMath2 "quantize", ported with its quirks (a list picks the first step >= x)."""
    arg, arg2 = a
    suffixes = _suffixes(env)
    rval = conv_real(arg, suffixes)
    if rval is None:
        return ERROR
    if isinstance(arg2, list):
        base: Value = 0.0
        rbase = 0.0
        for item in arg2:
            base = item
            r = conv_real(item, suffixes)
            if r is None:
                return ERROR
            rbase = r
            if rbase >= rval:
                return item
        arg2 = base
    else:
        r = conv_real(arg2, suffixes)
        if r is None:
            return ERROR
        rbase = r
    if arg2.__class__ is int:
        if not arg2:
            return arg
        if arg.__class__ is int:
            from classadlint.classad.evaluate import wrap

            n = wrap(arg + arg2 - 1)  # C int64 arithmetic, overflow included
            q = abs(n) // abs(arg2)
            q = q if (n >= 0) == (arg2 >= 0) else -q
            return wrap(q * arg2)
        return math.ceil(rval / arg2) * float(arg2)
    if -1e-8 <= rbase <= 1e-8:
        return arg
    return math.ceil(rval / rbase) * rbase


@_register("random", 0, 1)
def _random(a: list[Value], env: Env) -> Value:
    if not a:
        return env.rng.random()
    n = a[0]
    if n.__class__ is int and n > 0:
        return env.rng.randrange(n)
    if n.__class__ is float and n > 0:
        return env.rng.random() * n
    return ERROR


@_register("debug", 1, 1)
def _debug(a: list[Value], env: Env) -> Value:
    return a[0]


@_register("stringListsIntersect", 2, 3)
def _lists_intersect(a: list[Value], env: Env) -> Value:
    bad = _first_bad(a)
    if bad is not None:
        return bad
    if not all(isinstance(v, str) for v in a):
        return ERROR
    delims = a[2] if len(a) == 3 else ", \t\r\n"
    x = set(split_items(a[0], delims))
    return any(item in x for item in split_items(a[1], delims))


# --- HTCondor's string lists ---------------------------------------------------------------


def split_items(text: str, delims: str = ", \t\r\n") -> list[str]:
    """StringTokenIterator: any run of delimiter characters separates; no empty items;
    items are trimmed of white space."""
    if not delims:
        return [text.strip()] if text.strip() else []
    out = []
    for t in re.split("[" + re.escape(delims) + "]+", text):
        t = t.strip()
        if t:
            out.append(t)
    return out


def _sscanf_double(text: str) -> float | None:
    m = re.match(r"\s*[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan)", text, re.I)
    return float(m.group(0)) if m else None


def _string_args(a: list[Value], defaults: list[str | None]) -> list[str] | None:
    """All arguments must be strings (the optional ones take these defaults)."""
    out: list[str] = []
    for k, default in enumerate(defaults):
        if k < len(a):
            if not isinstance(a[k], str):
                return None
            out.append(a[k])
        else:
            assert default is not None
            out.append(default)
    return out


@_register("stringListSize", 1, 2, "htcondor")
def _sl_size(a: list[Value], env: Env) -> Value:
    args = _string_args(a, [None, ", "])
    if args is None:
        return ERROR
    return len(split_items(args[0], args[1]))


_FLT_MAX = 3.4028234663852886e38
_FLT_MIN = 1.1754943508222875e-38


def _sl_reduce(kind: str) -> Impl:
    """stringListSummarize_func, with its quirks: max starts from FLT_MIN (a tiny positive
    number), and the result is an integer unless some item has a non-digit character."""

    def impl(a: list[Value], env: Env) -> Value:
        args = _string_args(a, [None, ", "])
        if args is None:
            return ERROR
        acc = {"sum": 0.0, "avg": 0.0, "min": _FLT_MAX, "max": _FLT_MIN}[kind]
        is_real = False
        count = 0
        for item in split_items(args[0], args[1]):
            count += 1
            d = _sscanf_double(item)
            if d is None:
                return ERROR
            if item.strip("+-0123456789"):
                is_real = True
            if kind in ("sum", "avg"):
                acc += d
            elif kind == "min":
                acc = d if d < acc else acc
            else:
                acc = d if d > acc else acc
        if count == 0:
            return 0.0 if kind in ("sum", "avg") else UNDEFINED
        if kind == "avg":
            acc /= count
        if is_real:
            return acc
        return int(acc) if math.isfinite(acc) else _INT_MIN_VALUE

    return impl


for _kind in ("Sum", "Avg", "Min", "Max"):
    _register(f"stringList{_kind}", 1, 2, "htcondor")(_sl_reduce(_kind.lower()))


def _member_args(a: list[Value]) -> tuple[str, str, str] | Value:
    """stringListMember_func: strings or UNDEFINED (read as ""), both UNDEFINED is UNDEFINED."""
    parts = []
    for k, default in enumerate(("", "", ", \t\r\n")):
        v = a[k] if k < len(a) else default
        if v is UNDEFINED:
            v = default
        elif not isinstance(v, str):
            return ERROR
        parts.append(v)
    if a[0] is UNDEFINED and a[1] is UNDEFINED:
        return UNDEFINED
    return parts[0], parts[1], parts[2]


def _sl_member(fold: bool) -> Impl:
    def impl(a: list[Value], env: Env) -> Value:
        parsed = _member_args(a)
        if not isinstance(parsed, tuple):
            return parsed
        item, lst, delims = parsed
        items = split_items(lst, delims)
        if fold:
            return item.lower() in (x.lower() for x in items)
        return item in items

    return impl


_register("stringListMember", 2, 3, "htcondor")(_sl_member(False))
_register("stringListIMember", 2, 3, "htcondor")(_sl_member(True))


def _sl_subset(fold: bool) -> Impl:
    def impl(a: list[Value], env: Env) -> Value:
        parsed = _member_args(a)
        if not isinstance(parsed, tuple):
            return parsed
        items, lst, delims = parsed
        if not items:
            return True
        have = split_items(lst, delims)
        want = split_items(items, delims)
        if fold:
            have = [x.lower() for x in have]
            want = [x.lower() for x in want]
        ok = False
        for w in want:
            ok = w in have
            if not ok:
                break
        return ok

    return impl


_register("stringListSubsetMatch", 2, 3, "htcondor")(_sl_subset(False))
_register("stringListISubsetMatch", 2, 3, "htcondor")(_sl_subset(True))


@_register("stringList_regexpMember", 2, 4, "htcondor")
def _sl_regexp_member(a: list[Value], env: Env) -> Value:
    args = _string_args(a, [None, None, ", ", ""])
    if args is None:
        return ERROR
    pattern, lst, delims, options = args
    rx = _compile_regex(pattern, options.lower())  # this one also takes upper-case letters
    if rx is None:
        return ERROR
    items = split_items(lst, delims)
    if not items:
        return UNDEFINED
    return any(rx.search(item) for item in items)


@_register("split", 1, 2, "htcondor")
def _split(a: list[Value], env: Env) -> Value:
    """compat_classad.cpp ``splitArb_func``, step for step: a piece between separators is
    kept; an empty piece only where the same non-space separator repeats (``a,,b``)."""
    if not all(isinstance(v, str) for v in a):
        return ERROR
    s: str = a[0]
    seps: str = a[1] if len(a) == 2 else ", \t"
    out: list[str] = []
    last = 0
    if seps:
        prev = ""  # the last non-space separator seen (C's int ch = -1)
        ix = next((k for k in range(last, len(s)) if s[k] in seps), len(s))
        while ix < len(s):
            if ix - last > 0:
                out.append(s[last:ix])
            elif not prev.isspace() and prev == s[ix]:
                out.append("")
            if not _c_isspace(s[ix]):
                prev = s[ix]
            last = ix + 1
            ix = next((k for k in range(last, len(s)) if s[k] in seps), len(s))
    if len(s) > last:
        out.append(s[last:])
    return out


def _c_isspace(c: str) -> bool:
    return c in " \t\n\v\f\r"


@_register("splitUserName", 1, 1, "htcondor")
def _split_user(a: list[Value], env: Env) -> Value:
    v = a[0]
    if not isinstance(v, str):
        return ERROR
    name, at, domain = v.partition("@")
    return [name, domain] if at else [v, ""]


@_register("splitSlotName", 1, 1, "htcondor")
def _split_slot(a: list[Value], env: Env) -> Value:
    v = a[0]
    if not isinstance(v, str):
        return ERROR
    slot, at, host = v.partition("@")
    return [slot, host] if at else ["", v]


@_register("userMap", 2, 4, "htcondor")
def _user_map(a: list[Value], env: Env) -> Value:
    """userMap_func. Maps come from the caller (the config's CLASSAD_USER_MAP_* files):
    map name -> {input: comma-separated outputs}."""
    map_name, key = a[0], a[1]
    has_default = len(a) == 4
    default: Value = a[3] if has_default else UNDEFINED
    if not isinstance(map_name, str) or not isinstance(key, str):
        if map_name is ERROR or key is ERROR:
            return ERROR
        return default
    table = {k.lower(): v for k, v in env.user_maps.items()}.get(map_name.lower())
    value = None if table is None else table.get(key)
    if value is None:
        return default
    if len(a) == 2:
        return value
    items = [t for t in value.split(",") if t]
    preferred = a[2]
    if isinstance(preferred, str):
        for item in items:
            if item.lower() == preferred.lower():
                return item
    return items[0] if items else default


@_register("userHome", 1, 2, "htcondor")
def _user_home(a: list[Value], env: Env) -> Value:
    """No user database is consulted: the default, or UNDEFINED for a valid name."""
    if not isinstance(a[0], str) and a[0] is not UNDEFINED:
        return ERROR
    return a[1] if len(a) == 2 else UNDEFINED


# --- environments, as HTCondor's Env class (env.cpp) and argument quoting (condor_arglist.cpp)

_NO_VALUE = "\x01\x02\x03\x04\x05\x06"  # a `$$(...)` entry kept without `=`
_V1_DELIMS = "!#$%&*+,-/:;<>?@^`|~\x1f"


def _env_set(table: dict[str, str], entry: str) -> bool:
    """``SetEnvWithErrorMessage``: ``NAME=value``; a ``$$(...)`` macro alone is kept."""
    if not entry:
        return False
    name, eq, value = entry.partition("=")
    if not eq and "$$" in entry:
        table[entry] = _NO_VALUE
        return True
    if not eq or not name:
        return False
    table[name] = value
    return True


def _env_text(table: dict[str, str]) -> str:
    """``getDelimitedStringV2Raw``: entries in std::map (byte) order, V2-quoted."""
    items = sorted(table.items(), key=lambda kv: kv[0].encode("utf-8", "surrogateescape"))
    out = ""
    for name, value in items:
        out = _append_arg(name if value == _NO_VALUE else f"{name}={value}", out)
    return out


def _append_arg(arg: str, result: str) -> str:
    """``append_arg``: white space and quotes each in a single-quoted section, adjacent
    sections merged, a quote doubled."""
    if result:
        result += " "
    if not arg:
        return result + "''"
    for c in arg:
        if c in " \t\n\r'":
            result = result[:-1] if result.endswith("'") else result + "'"
            result += ("''" if c == "'" else c) + "'"
        else:
            result += c
    return result


def _split_args(text: str) -> list[str] | None:
    """``split_args``: V2 words, `''` inside quotes a quote; None for an unbalanced quote."""
    out: list[str] = []
    buf = ""
    token = False
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "'":
            token = True
            i += 1
            while i < n and not (text[i] == "'" and text[i + 1 : i + 2] != "'"):
                if text[i] == "'":
                    i += 1  # a doubled quote
                buf += text[i]
                i += 1
            if i >= n:
                return None
            i += 1
        elif c in " \t\n\r":
            i += 1
            if token:
                out.append(buf)
                buf, token = "", False
        else:
            token = True
            buf += c
            i += 1
    if token:
        out.append(buf)
    return out


@_register("envV1ToV2", 1, 1, "htcondor")
def _env_v1_to_v2(a: list[Value], env: Env) -> Value:
    v = a[0]
    if v is UNDEFINED:
        return UNDEFINED
    if not isinstance(v, str):
        return ERROR
    table: dict[str, str] = {}
    delim = ";"
    if v[:1] == delim:
        v = v[1:]
    elif v[:1] and v[0] in _V1_DELIMS:
        delim, v = v[0], v[1:]
    i, n = 0, len(v)
    while i < n:
        while i < n and v[i] in " \t\n\r":
            i += 1
        j = i
        while j < n and v[j] not in ("\n", delim):
            j += 1
        entry = v[i:j]
        i = j + 1
        if entry and not _env_set(table, entry):
            return ERROR
    return _env_text(table)


@_register("mergeEnvironment", 0, None, "htcondor")
def _merge_env(a: list[Value], env: Env) -> Value:
    table: dict[str, str] = {}
    for v in a:
        if v is UNDEFINED:
            continue
        if not isinstance(v, str):
            return ERROR
        words = _split_args(v)
        if words is None or not all(_env_set(table, w) for w in words):
            return ERROR
    return _env_text(table)


@_register("argsToList", 1, 2, "htcondor")
def _args_to_list(a: list[Value], env: Env) -> Value:
    """compat_classad.cpp ``ArgsToList``: the version (1 or 2, an integer) is checked
    first; V1 splits at white space, V2 also reads single-quoted sections."""
    version = 2
    if len(a) == 2:
        if a[1].__class__ is not int or a[1] not in (1, 2):
            return ERROR
        version = a[1]
    v = a[0]
    if not isinstance(v, str):
        return ERROR
    if version == 1:
        return [w for w in re.split(r"[ \t\n\r]+", v) if w]
    words = _split_args(v)
    return ERROR if words is None else words


@_register("listToArgs", 1, 2, "htcondor")
def _list_to_args(a: list[Value], env: Env) -> Value:
    v = a[0]
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        return ERROR
    import shlex

    return " ".join(shlex.quote(x) for x in v)


# --- lazy functions: compiled specially ---------------------------------------------------

_lazy("ifThenElse", 3, 3)
_lazy("unparse", 1, 1)
_lazy("unresolved", 1, 2)
_lazy("eval", 1, 1)
_lazy("evalInEachContext", 2, 2, "htcondor")
_lazy("countMatches", 2, 2, "htcondor")
for _name in (
    "getYear",
    "getMonth",
    "getDayOfYear",
    "getDayOfMonth",
    "getDayOfWeek",
    "getDays",
    "getHours",
    "getMinutes",
    "getSeconds",
    "splitTime",
    "formatTime",
):
    pass  # implemented below
del _name


def _time_field(which: str) -> Impl:
    def impl(a: list[Value], env: Env) -> Value:
        v = a[0]
        if isinstance(v, AbsTime):
            t = _time.gmtime(v.seconds + v.offset)
            return {
                "getyear": t.tm_year, "getmonth": t.tm_mon, "getdayofyear": t.tm_yday - 1,
                "getdayofmonth": t.tm_mday, "getdayofweek": (t.tm_wday + 1) % 7,
                "getdays": None, "gethours": t.tm_hour, "getminutes": t.tm_min,
                "getseconds": t.tm_sec,
            }.get(which, ERROR) or (ERROR if which == "getdays" else 0)  # fmt: skip
        if isinstance(v, RelTime):
            secs = int(v.seconds)
            fields = {"getdays": secs // 86400, "gethours": secs % 86400 // 3600,
                      "getminutes": secs % 3600 // 60, "getseconds": secs % 60}  # fmt: skip
            return fields.get(which, ERROR)
        return ERROR

    return impl


for _which in ("getYear", "getMonth", "getDayOfYear", "getDayOfMonth", "getDayOfWeek",
               "getDays", "getHours", "getMinutes", "getSeconds"):  # fmt: skip
    _register(_which, 1, 1)(_time_field(_which.lower()))


@_register("formatTime", 0, 2)
def _format_time(a: list[Value], env: Env) -> Value:
    bad = _first_bad(a)
    if bad is not None:
        return ERROR
    t = a[0] if a else AbsTime(int(env.clock()), _local_offset(env.clock()))
    fmt = a[1] if len(a) == 2 else "%c"
    if isinstance(t, int | float) and not isinstance(t, bool):
        t = AbsTime(int(t), _local_offset(int(t)))
    if isinstance(t, ClassAd) and isinstance(fmt, str):
        return _c_strftime(fmt, _tm_of_split_ad(t, env))
    if not isinstance(t, AbsTime) or not isinstance(fmt, str):
        return ERROR
    return _time.strftime(fmt, _time.gmtime(t.seconds + t.offset))


def _tm_of_split_ad(ad: ClassAd, env: Env) -> tuple[int, ...]:
    """formatTime of an ad: its splitTime fields (an integer each, else 0), as fnCall.cpp
    builds its ``struct tm``, weekday and year day from its own calendar arithmetic."""

    def field(name: str) -> int | None:
        expr = ad.lookup(name)
        v = compile_expr(expr)(env.scoped(ad)) if expr is not None else None
        return _c_int(v) if v.__class__ is int else None

    sec, minute, hour, mday = (field(n) or 0 for n in ("Seconds", "Minutes", "Hours", "Day"))
    month = field("Month")
    mon = month - 1 if month is not None else 0
    year = field("Year")
    tm_year = year - 1900 if year is not None else 0
    wday, yday = _day_numbers(tm_year + 1900, mon + 1, mday)
    return (sec, minute, hour, mday, mon, tm_year, wday, yday)


def _cdiv(x: int, y: int) -> int:
    """C's integer division: the quotient truncated toward zero."""
    q = abs(x) // abs(y)
    return q if (x >= 0) == (y > 0) else -q


def _day_numbers(year: int, month: int, day: int) -> tuple[int, int]:
    """util.cpp ``day_numbers``: weekday and day of the year, in C integer arithmetic."""

    def fixed(y: int, m: int, d: int) -> int:
        mod400 = y - _cdiv(y, 400) * 400  # C's remainder: negative for a negative year
        leap = y % 4 == 0 and mod400 not in (100, 200, 300)
        adjust = 0 if m <= 2 else (-1 if leap else -2)
        return (
            365 * (y - 1) + _cdiv(y - 1, 4) - _cdiv(y - 1, 100) + _cdiv(y - 1, 400)
            + _cdiv(367 * m - 362, 12) + adjust + d
        )  # fmt: skip

    f = fixed(year, month, day)
    return f - _cdiv(f, 7) * 7, f - fixed(year, 1, 1)


@cache
def _libc_strftime() -> tuple[Any, type[Any]]:
    """libc's strftime and a ``struct tm`` to call it with, loaded once."""
    import ctypes
    import ctypes.util

    class Tm(ctypes.Structure):
        _fields_ = [
            (n, ctypes.c_int)
            for n in ("sec", "min", "hour", "mday", "mon", "year", "wday", "yday", "isdst")
        ]
        _fields_ += [("gmtoff", ctypes.c_long), ("zone", ctypes.c_char_p)]  # fmt: skip

    return ctypes.CDLL(ctypes.util.find_library("c")).strftime, Tm


def _c_strftime(fmt: str, tm: tuple[int, ...]) -> Value:
    """C's strftime on exactly these ``struct tm`` fields (Python's would normalise a day 0
    to 1), into HTCondor's 1024-byte buffer."""
    import ctypes

    strftime, tm_type = _libc_strftime()
    value = tm_type(*tm, 0, 0, None)
    out = ctypes.create_string_buffer(1024)
    n = strftime(out, 1023, fmt.encode("utf-8", "surrogateescape"), ctypes.byref(value))
    return out.raw[:n].decode("utf-8", "surrogateescape")


@_register("splitTime", 1, 1)
def _split_time(a: list[Value], env: Env) -> Value:
    v = a[0]
    if v is UNDEFINED:
        return UNDEFINED
    if isinstance(v, int | float) and not isinstance(v, bool):
        v = AbsTime(int(v), _local_offset(int(v)))  # a number is read as an absolute time
    if isinstance(v, RelTime):
        secs = v.seconds
        whole = int(secs)
        return ClassAd({"Type": "RelativeTime", "Days": whole // 86400,
                        "Hours": whole % 86400 // 3600, "Minutes": whole % 3600 // 60,
                        "Seconds": secs - whole // 60 * 60})  # fmt: skip
    if isinstance(v, AbsTime):
        t = _time.gmtime(v.seconds + v.offset)
        return ClassAd({"Type": "AbsoluteTime", "Year": t.tm_year, "Month": t.tm_mon,
                        "Day": t.tm_mday, "Hours": t.tm_hour, "Minutes": t.tm_min,
                        "Seconds": t.tm_sec, "Offset": v.offset})  # fmt: skip
    return ERROR


# --- the call compiler ---------------------------------------------------------------------


def compile_call(call: ast.Call, position: int = 0, checked: bool = False) -> Compiled:
    """Compile a call; unknown names and wrong arity evaluate to ERROR, as in HTCondor.

    A call spends no level of HTCondor's depth bound (``position``, see
    :func:`~classadlint.classad.evaluate.compile_expr`): its arguments sit where it sits,
    except for ``strcat``/``join``, which spend one per argument.
    """
    lname = call.name.lower()
    nargs = len(call.args)
    below = position + 1 if lname in ("strcat", "join") else position
    fns = [compile_expr(x, below, checked) for x in call.args]
    info = FUNCTIONS.get(lname)

    def unknown(env: Env) -> Value:
        return ERROR

    if info is None:
        return unknown
    if nargs < info.min_args or (info.max_args is not None and nargs > info.max_args):
        return unknown
    special = _SPECIAL.get(lname)
    if special is not None:
        compiled = special(call, fns, position, checked)
    else:
        impl = info.impl
        assert impl is not None

        def compiled(env: Env) -> Value:
            return impl([f(env) for f in fns], env)

    if info.layer == "htcondor":
        inner = compiled

        def layered(env: Env) -> Value:
            return inner(env) if env.semantics == "daemon" else ERROR

        return layered
    return compiled


def _strcat_fn(is_join: bool) -> Special:
    """strcat/join evaluate their arguments one at a time, each a level down (fnCall.cpp
    strCat checks the bound before each), and stop at the first ERROR (strcat: or
    UNDEFINED): an argument after it is never evaluated, so it cannot fail."""

    def build(call: ast.Call, fns: list[Compiled], position: int, checked: bool) -> Compiled:
        def level(env: Env) -> None:
            if env.base + position >= MAX_DEPTH:
                raise EvaluationFailed

        listed = is_join and 0 < len(fns) <= 2
        head = (fns[0] if len(fns) == 2 else _empty_string) if listed else _empty_string
        written = call.args[-1] if listed else None
        # join(sep, {a, b}): HTCondor's list holds the element expressions, which join
        # evaluates itself, one level down each like any argument; ours would be
        # evaluated when the list is built, so a written list is taken apart here.
        items = (
            [compile_expr(x, position + 1, checked) for x in written.items]
            if isinstance(written, ast.ListExpr)
            else None
        )

        def run(env: Env) -> Value:
            sources: list[Compiled] = fns
            if listed:
                # join(sep, list) / join(list): the list is evaluated first, with a level.
                level(env)
                if items is not None:
                    sources = [head, *items]
                else:
                    last = fns[-1](env)
                    if isinstance(last, list):
                        sources = [head, *(_constant(v) for v in last)]

            def values() -> Iterator[Value]:
                for f in sources:
                    level(env)
                    yield f(env)

            return _concatenate(values(), is_join)

        return run

    return build


def _empty_string(env: Env) -> Value:
    return ""


def _constant(v: Value) -> Compiled:
    return lambda env: v


def _if_then_else(call: ast.Call, fns: list[Compiled], position: int, checked: bool) -> Compiled:
    fc, ft, fo = fns
    return compile_conditional(fc, ft, fo)  # lazy in every version (fnCall.cpp ifThenElse)


def _unparse_fn(call: ast.Call, fns: list[Compiled], position: int, checked: bool) -> Compiled:
    arg = call.args[0]
    while isinstance(arg, ast.Paren):
        arg = arg.inner
    if not isinstance(arg, ast.AttrRef):
        return lambda env: ERROR
    name = arg.name

    def run(env: Env) -> Value:
        from classadlint.classad.unparse import unparse

        ad = env.ad
        while ad is not None:
            expr = ad.lookup(name)
            if expr is not None:
                return unparse(expr)
            ad = ad.parent
        return ""

    return run


def _unresolved_fn(call: ast.Call, fns: list[Compiled], position: int, checked: bool) -> Compiled:
    arg = call.args[0]
    if not isinstance(arg, ast.AttrRef):
        return lambda env: ERROR
    name = arg.name
    regex = fns[1] if len(fns) == 2 else None

    def run(env: Env) -> Value:
        ad = env.ad
        expr = ad.lookup(name) if ad is not None else None
        if expr is None:
            return UNDEFINED
        # HTCondor keeps them in a case-insensitive std::set of reference texts
        # ("target.Cpus" sorts under t) and strips "target." when printing.
        found: dict[str, str] = {}
        for node in ast.walk(expr):
            if isinstance(node, ast.AttrRef) and node.name.lower() not in ("my", "target"):
                if ad is None or node.name not in ad:
                    found.setdefault(node.name.lower(), node.name)
            elif isinstance(node, ast.Select) and node.scope == "TARGET":
                found.setdefault("target." + node.name.lower(), node.name)
        refs = [found[k] for k in sorted(found)]
        text = ",".join(refs)
        if regex is None:
            return text
        pattern = regex(env)
        if not isinstance(pattern, str):
            return ERROR
        return any(re.search(pattern, r, re.I) for r in refs)

    return run


def _eval_fn(call: ast.Call, fns: list[Compiled], position: int, checked: bool) -> Compiled:
    """eval(text): the text is parsed and evaluated in the caller's scope, one level down
    (fnCall.cpp eval checks the bound after evaluating its argument, before parsing)."""
    (fa,) = fns

    def run(env: Env) -> Value:
        v = fa(env)
        if v is UNDEFINED or v is ERROR:
            return ERROR
        text = to_str(v)
        if env.base + position >= MAX_DEPTH:
            raise EvaluationFailed
        unit = _eval_unit(text, env.semantics, env.version)
        if unit is None:
            return ERROR
        saved = env.base
        env.base = base = saved + position + 1
        try:
            return unit.at(base)(env)
        finally:
            env.base = saved

    return run


@lru_cache(maxsize=1024)
def _eval_unit(
    text: str, semantics: TLiteral["daemon", "strict"], version: Version = DEFAULT_VERSION
) -> Unit | None:
    """The compiled text of an ``eval()`` (None when it does not parse), read as the target
    version reads it: a policy evaluates the same few texts over and over."""
    from classadlint.classad.errors import ClassAdSyntaxError
    from classadlint.classad.parser import ParseOptions, parse_expr

    try:
        return Unit(parse_expr(text, ParseOptions(semantics=semantics, version=version)))
    except ClassAdSyntaxError:
        return None


def _each_context(
    call: ast.Call, fns: list[Compiled], position: int, checked: bool, count: bool
) -> Compiled:
    fe = compile_expr(call.args[0], position, checked)
    fl = fns[1]

    def run(env: Env) -> Value:
        ads = fl(env)
        if ads is UNDEFINED:
            return 0 if count else UNDEFINED
        if not isinstance(ads, list):
            return ERROR
        results = []
        for ad in ads:
            if not isinstance(ad, ClassAd):
                results.append(ERROR)
                continue
            inner = env.scoped(ad)
            saved = inner.base
            inner.base = env.base
            try:
                results.append(fe(inner))
            finally:
                inner.base = saved
        if count:
            return sum(1 for r in results if truth(r) is True)
        return results

    return run


_SPECIAL: dict[str, Special] = {
    "ifthenelse": _if_then_else,
    "unparse": _unparse_fn,
    "unresolved": _unresolved_fn,
    "eval": _eval_fn,
    "evalineachcontext": lambda c, f, p, k: _each_context(c, f, p, k, False),
    "countmatches": lambda c, f, p, k: _each_context(c, f, p, k, True),
    "abstime": _time_literal,
    "reltime": _time_literal,
    "strcat": _strcat_fn(False),
    "join": _strcat_fn(True),
}
