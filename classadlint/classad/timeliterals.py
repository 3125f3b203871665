"""The time-string formats of ``absTime("...")`` and ``relTime("...")``.

HTCondor converts these calls to time literals while *parsing* when the argument is a
string literal, so a malformed string is a syntax error of the whole expression. The
readers below follow HTCondor's own scanners (literals.cpp) step by step, including their
leniency (``2020-13-01`` rolls over into the next year, ``1:70`` is 130 seconds), because
accept/reject must match exactly.
"""

from __future__ import annotations

import time

from classadlint.classad.values import AbsTime, RelTime

_INT32_MAX = 2**31 - 1


def _atoi(s: str) -> int:
    """C ``atoi``: optional white space and sign, then the leading digits (0 if none)."""
    i = 0
    n = len(s)
    while i < n and s[i] in " \t\n\r\f\v":
        i += 1
    sign = 1
    if i < n and s[i] in "+-":
        sign = -1 if s[i] == "-" else 1
        i += 1
    j = i
    while j < n and s[j].isdigit():
        j += 1
    return sign * int(s[i:j]) if j > i else 0


def _is_digit(c: str) -> bool:
    return "0" <= c <= "9"


def _days_from_civil(y: int, m: int, d: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date (month 1..12)."""
    y -= m <= 2
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _timegm(year: int, mon0: int, mday: int, hour: int, minute: int, sec: int) -> int:
    """``timegm`` with ``mktime``'s normalisation of out-of-range fields."""
    year += mon0 // 12
    mon0 %= 12
    days = _days_from_civil(year, mon0 + 1, 1) + mday - 1
    return days * 86400 + hour * 3600 + minute * 60 + sec


def _local_offset(secs: int) -> int:
    try:
        return time.localtime(secs).tm_gmtoff
    except (OverflowError, OSError, ValueError):
        return 0


def parse_abstime_literal(text: str) -> AbsTime | None:
    """The value of ``absTime(text)``, or None where HTCondor's parser refuses it."""
    s = text
    length = len(s)
    i = length - 1
    while i >= 0 and s[i].isspace():
        i -= 1
    has_offset = False
    tzhr = tzmin = 0
    if i > 0 and s[i] in "zZ":
        has_offset = True
        s = s[:i] + s[i + 1 :]
    elif length > 5 and s[length - 5] in "+-":
        has_offset, s, tzhr, tzmin = _extract_zone(s)
    elif length > 6 and s[length - 6] in "+-" and s[length - 3] == ":":
        s = s[: length - 3] + s[length - 2 :]
        has_offset, s, tzhr, tzmin = _extract_zone(s)

    n = len(s)
    i = 0

    def next_digit(k: int) -> int:
        while k < n and not _is_digit(s[k]):
            k += 1
        return k

    i = next_digit(i)
    if i > n - 4:
        return None
    year = _atoi(s[i : i + 4])
    i = next_digit(i + 4)
    # struct tm starts zeroed: an absent month is January, an absent day is day 0.
    fields = [0, 0, 0, 0, 0]  # tm_mon, tm_mday, tm_hour, tm_min, tm_sec
    for k in range(5):
        if i <= n - 2:
            fields[k] = _atoi(s[i : i + 2]) - (1 if k == 0 else 0)
            i += 2
        i = next_digit(i)
    if i <= n - 1 and _is_digit(s[i]):
        return None
    secs = _timegm(year, *fields)
    offset = tzhr * 3600 + tzmin * 60 if has_offset else _local_offset(secs)
    if secs - _local_offset(secs) == -1:
        return None  # mktime's failure value
    return AbsTime(secs - offset, offset)


def _extract_zone(s: str) -> tuple[bool, str, int, int]:
    """HTCondor's extractTimeZone: a trailing ``+hhmm``/``-hhmm``."""
    n = len(s)
    off = s[n - 5 :]
    if off[0] in "+-" and all(_is_digit(c) for c in off[1:5]):
        hr = _atoi(off[1:3])
        mn = _atoi(off[3:5])
        if off[0] == "-":
            hr, mn = -hr, -mn
        return True, s[: n - 5], hr, mn
    return False, s, 0, 0


def parse_reltime_literal(text: str) -> RelTime | None:
    """The value of ``relTime(text)`` (``[-][[[days+]hh:]mm:]ss``, or ``1d2h3m4s``), or None."""
    s = text
    i = len(s) - 1

    def skip_space(k: int) -> int:
        while k >= 0 and s[k].isspace():
            k -= 1
        return k

    def digits_back(k: int) -> tuple[int, str]:
        out = []
        while k >= 0 and _is_digit(s[k]):
            out.append(s[k])
            k -= 1
        return k, "".join(reversed(out))

    secs = 0.0
    i = skip_space(i)
    if i >= 0 and (s[i] in "sS" or _is_digit(s[i])):
        if s[i] in "sS":
            i -= 1
        i = skip_space(i)
        i, frac_or_int = digits_back(i)
        sec_text = frac_or_int
        if i >= 0 and s[i] == ".":
            i -= 1
            i, int_part = digits_back(i)
            sec_text = int_part + "." + frac_or_int
        secs = _strtod_prefix(sec_text)

    def unit(k: int, markers: str) -> tuple[int, int]:
        k = skip_space(k)
        if k >= 0 and s[k] in markers:
            k = skip_space(k - 1)
            k, num = digits_back(k)
            value = int(num) if num else 0
            return k, value if value <= _INT32_MAX else 0
        return k, 0

    i, mins = unit(i, "mM:")
    i, hrs = unit(i, "hH:")
    i, days = unit(i, "dD+")
    i = skip_space(i)
    negative = False
    if i >= 0 and s[i] == "-":
        negative = True
        i -= 1
    i = skip_space(i)
    if i >= 0 and not s[i].isspace():
        return None
    total = days * 86400 + hrs * 3600 + mins * 60 + secs
    return RelTime(-total if negative else total)


def _strtod_prefix(text: str) -> float:
    """C ``strtod`` on text made only of digits and at most one dot."""
    if not text or text == ".":
        return 0.0
    return float(text if not text.endswith(".") else text + "0")
