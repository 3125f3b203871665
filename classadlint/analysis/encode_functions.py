"""The built-in functions policies use, encoded exactly; the rest left uninterpreted.

Names and arities come from the evaluator's registry (``classadlint.classad.functions``):
an unknown name or a wrong argument count is ERROR in HTCondor, and exactly that here.
Functions encoded: the ``is*`` predicates, ``ifThenElse``, ``debug``, ``strcat``, ``size``,
``member``/``identicalMember`` and ``min``/``max`` over literal lists,
``stringListMember``/``stringListIMember``, ``regexp`` with a literal pattern, ``bool``,
``int``, ``real``, ``string`` of numbers, ``floor``/``ceiling``, and ``time()`` as one free
integer per query. Any other known function is an uninterpreted function of its
arguments (or a fresh value where it depends on more than them, as ``eval`` does).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import z3  # type: ignore[import-untyped]

from classadlint.analysis import values as V
from classadlint.analysis.values import ERR, UNDEF, Sym, all_of, any_of, choose
from classadlint.analysis.z3regex import Unsupported, caseless_literal, search_regex
from classadlint.classad import ast
from classadlint.classad.functions import lookup_function, split_items

if TYPE_CHECKING:
    from classadlint.analysis.encode import Encoder, Scope

DEFAULT_DELIMS = ", \t\r\n"
_SPACES = " \t\n\v\f\r"
_ANY = z3.Star(z3.AllChar(z3.ReSort(z3.StringSort())))

#: Functions whose value depends on more than their arguments' values.
_CONTEXTUAL = frozenset(
    {"eval", "unparse", "unresolved", "random", "evalineachcontext", "countmatches",
     "currenttime", "daytime", "timezoneoffset", "abstime", "formattime"}
)  # fmt: skip


def encode_call(enc: Encoder, call: ast.Call, scope: Scope) -> Sym:
    lname = call.name.lower()
    info = lookup_function(lname, scope.semantics)
    n = len(call.args)
    if info is None or n < info.min_args or (info.max_args is not None and n > info.max_args):
        for arg in call.args:
            enc.encode(arg, scope)
        return ERR
    if lname == "ifthenelse":
        c, t, o = call.args
        return enc.conditional(call, c, t, o, scope)
    if lname == "member" or lname == "identicalmember":
        return _member(enc, call, scope, identical=lname == "identicalmember")
    if lname in ("min", "max"):
        return _min_max(enc, call, scope, lname)
    args = [enc.encode(a, scope) for a in call.args]
    if lname == "time":
        enc.u.uses_time = True
        return V.integer(enc.u.time)
    if lname == "debug":
        return args[0]
    predicate = _PREDICATES.get(lname)
    if predicate is not None:
        a = args[0]
        if predicate in "UEBIRS":
            return V.boolean(a.is_(predicate))
        if "O" not in a.kinds:
            return V.boolean(False)
        return choose(
            [(a.is_("O"), enc.u.fresh(f"{call.name} of a list, ad or time", frozenset("B")))],
            V.boolean(False),
        )
    if lname == "strcat":
        return _strcat(enc, args)
    if lname == "size":
        a = args[0]
        return choose(
            [
                (a.is_("U"), UNDEF),
                (a.is_("S"), V.integer(z3.Length(a.sval))),
                (a.is_("O"), enc.u.fresh("size of a list or ad", frozenset("IE"))),
            ],
            ERR,
        )
    if lname in ("stringlistmember", "stringlistimember"):
        return _string_list_member(enc, args, fold=lname == "stringlistimember")
    if lname == "regexp":
        return _regexp(enc, args)
    if lname in ("bool", "int", "real", "string", "floor", "ceiling", "ceil"):
        return _conversion(enc, lname, args[0])
    if lname in _CONTEXTUAL:
        return enc.u.fresh(f"{info.name}() is not modelled")
    return enc.u.uninterpreted(info.name, args, f"{info.name}() is not modelled")


_PREDICATES = {
    "isundefined": "U", "iserror": "E", "isboolean": "B", "isinteger": "I", "isreal": "R",
    "isstring": "S", "islist": "list", "isclassad": "classad", "isabstime": "abstime",
    "isreltime": "reltime",
}  # fmt: skip


def int_to_str(x: z3.ArithRef) -> z3.SeqRef:
    return z3.If(x >= 0, z3.IntToStr(x), z3.Concat(z3.StringVal("-"), z3.IntToStr(-x)))


def to_string(enc: Encoder, a: Sym) -> z3.SeqRef:
    """``string()`` of a defined, non-error value (reals and lists are not modelled)."""
    parts: list[tuple[z3.BoolRef, z3.SeqRef]] = []
    if "S" in a.kinds:
        parts.append((a.is_("S"), a.sval))
    if "I" in a.kinds:
        parts.append((a.is_("I"), int_to_str(a.ival)))
    if "B" in a.kinds:
        parts.append((a.is_("B"), z3.If(a.bval, z3.StringVal("true"), z3.StringVal("false"))))
    if a.kinds & {"R", "O"}:
        fn = enc.u.uninterpreted_fn(
            "string/1", V.SORTS, z3.StringSort(), "string() of a real, list or time"
        )
        parts.append((V.TRUE, fn(*a.term.flat())))
    if not parts:
        return z3.StringVal("")
    term = parts[-1][1]
    for guard, value in reversed(parts[:-1]):
        term = z3.If(guard, value, term)
    return term


def _strcat(enc: Encoder, args: list[Sym]) -> Sym:
    """The first ERROR or UNDEFINED argument, left to right, decides; else concatenation."""
    cases: list[tuple[z3.BoolRef, Sym]] = []
    clean: list[z3.BoolRef] = []
    for a in args:
        cases.append((all_of([*clean, a.is_("E")]), ERR))
        cases.append((all_of([*clean, a.is_("U")]), UNDEF))
        clean.append(z3.Not(a.is_any("EU")))
    if not args:
        return V.string("")
    pieces = [to_string(enc, a) for a in args]
    joined = pieces[0] if len(pieces) == 1 else z3.Concat(*pieces)
    return choose(cases, V.string(joined))


def _literal_list(expr: ast.Expr) -> ast.ListExpr | None:
    while isinstance(expr, ast.Paren):
        expr = expr.inner
    return expr if isinstance(expr, ast.ListExpr) else None


def _is_true(s: Sym) -> z3.BoolRef:
    return all_of([s.is_("B"), s.bval]) if "B" in s.kinds else V.FALSE


def _member(enc: Encoder, call: ast.Call, scope: Scope, identical: bool) -> Sym:
    x = enc.encode(call.args[0], scope)
    lst = _literal_list(call.args[1])
    if lst is None:
        other = enc.encode(call.args[1], scope)
        if "O" in other.kinds:
            return enc.u.fresh(f"{call.name} of a list that is not written out")
        if identical:
            return choose([(other.is_("U"), UNDEF)], ERR)
        return choose([(any_of([other.is_("U"), x.is_("U")]), UNDEF)], ERR)
    items = [enc.encode(i, scope) for i in lst.items]
    if identical:
        hits = [_is_true(enc.identical(x, it)) for it in items]
        return choose(
            [(x.is_("O"), enc.u.fresh("identicalMember of a list or ad", frozenset("BE")))],
            V.boolean(any_of(hits)),
        )
    hits = [_is_true(enc.compare("==", x, it)) for it in items]
    return choose(
        [
            (x.is_("U"), UNDEF),
            (x.is_("E"), ERR),
            (x.is_("O"), enc.u.fresh("member of a list or ad", frozenset("BE"))),
        ],
        V.boolean(any_of(hits)),
    )


def _min_max(enc: Encoder, call: ast.Call, scope: Scope, which: str) -> Sym:
    lst = _literal_list(call.args[0])
    if lst is None:
        other = enc.encode(call.args[0], scope)
        if "O" in other.kinds:
            return enc.u.fresh(f"{call.name} of a list that is not written out")
        return choose([(other.is_("U"), UNDEF)], ERR)
    items = [enc.encode(i, scope) for i in lst.items]
    bad = any_of([it.is_any("ESO") for it in items])
    present = [it.is_any("BIR") for it in items]
    live = [(p, it) for p, it in zip(present, items, strict=True) if not z3.is_false(p)]
    if not live:
        return choose([(bad, ERR)], UNDEF)
    count = z3.Sum([z3.If(p, 1, 0) for p, _ in live]) if len(live) > 1 else z3.If(live[0][0], 1, 0)
    seen: z3.BoolRef = V.FALSE
    best: z3.ArithRef = z3.RealVal(0)
    any_real: z3.BoolRef = V.FALSE
    for p, it in live:
        v = it.realval()
        better = v < best if which == "min" else v > best
        best = z3.If(p, z3.If(seen, z3.If(better, v, best), v), best)
        seen = any_of([seen, p])
        any_real = any_of([any_real, it.is_("R")])
    # one number is returned as it is (min({true}) is true); more are promoted
    single = [(z3.And(p, count == 1), it) for p, it in live]
    return choose(
        [(bad, ERR), (count == 0, UNDEF), *single, (any_real, V.real(best))],
        V.integer(z3.ToInt(best)),
    )


def _string_list_member(enc: Encoder, args: list[Sym], fold: bool) -> Sym:
    """stringListMember_func: UNDEFINED arguments read as "" (both UNDEFINED: UNDEFINED)."""
    not_string = any_of([a.is_any("EBIRO") for a in args])
    both_undefined = all_of([args[0].is_("U"), args[1].is_("U")])
    item = (
        z3.If(args[0].is_("U"), z3.StringVal(""), args[0].sval)
        if "S" in args[0].kinds
        else z3.StringVal("")
    )
    text = (
        z3.If(args[1].is_("U"), z3.StringVal(""), args[1].sval)
        if "S" in args[1].kinds
        else z3.StringVal("")
    )
    delims: str | None = DEFAULT_DELIMS
    if len(args) == 3:
        d = args[2]
        delims = d.const_str() if d.kinds == {"S"} else None
        if d.kinds == {"U"}:
            delims = DEFAULT_DELIMS
    if delims is None:
        member = enc.u.fresh("string list with computed delimiters", frozenset("B"))
    else:
        item = enc.u.named_string(item, "item")
        text = enc.u.named_string(text, "list")
        member = V.boolean(_list_member(enc, item, text, delims, fold))
    return choose([(not_string, ERR), (both_undefined, UNDEF)], member)


def _list_member(
    enc: Encoder, item: z3.SeqRef, text: z3.SeqRef, delims: str, fold: bool
) -> z3.BoolRef:
    known_item = item.as_string() if z3.is_string_value(item) else None
    known_text = text.as_string() if z3.is_string_value(text) else None
    if known_text is not None:
        items = split_items(known_text, delims)
        if known_item is not None:
            if fold:
                return z3.BoolVal(known_item.lower() in (i.lower() for i in items))
            return z3.BoolVal(known_item in items)
        if fold:
            return any_of([z3.InRe(item, caseless_literal(i)) for i in items])
        return any_of([item == z3.StringVal(i) for i in items])
    if known_item is not None:
        if not known_item or any(c in delims for c in known_item):
            return V.FALSE
        if known_item != known_item.strip(_SPACES):
            return V.FALSE
        body = caseless_literal(known_item) if fold else z3.Re(z3.StringVal(known_item))
        delim = (
            z3.Union(*[z3.Re(z3.StringVal(c)) for c in delims])
            if len(delims) > 1
            else z3.Re(z3.StringVal(delims))
        )
        space = z3.Star(z3.Union(*[z3.Re(z3.StringVal(c)) for c in _SPACES]))
        rx = z3.Concat(
            z3.Option(z3.Concat(_ANY, delim)), space, body, space, z3.Option(z3.Concat(delim, _ANY))
        )
        return z3.InRe(text, rx)
    if enc.u.abstract:
        enc.u.abstractions.add("string lists of two computed strings")
        key = "stringListIMember" if fold else "stringListMember"
        fn = enc.u.uninterpreted_fn(f"{key}[{delims!r}]", [z3.StringSort()] * 2, z3.BoolSort(), "")
        return fn(item, text)
    if delims != DEFAULT_DELIMS and not set(delims) >= set(" \t"):
        enc.u.approximations.add("string list member of two computed strings, custom delimiters")
        key = f"{'stringListIMember' if fold else 'stringListMember'}[{delims!r}]"
        fn = enc.u.uninterpreted_fn(key, [z3.StringSort()] * 2, z3.BoolSort(), "")
        return fn(item, text)
    if fold:
        item, text = enc.u.lower(item), enc.u.lower(text)
    # an item is a maximal run of non-delimiters: look for it between two delimiters of
    # the list framed by delimiters (faster for z3 than separate prefix/suffix cases)
    seps = [z3.StringVal(c) for c in delims]
    framed = z3.Concat(z3.StringVal(delims[0]), text, z3.StringVal(delims[0]))
    delim = z3.Union(*[z3.Re(c) for c in seps])
    no_delims = z3.Plus(z3.Intersect(z3.AllChar(z3.ReSort(z3.StringSort())), z3.Complement(delim)))
    options = [z3.Contains(framed, z3.Concat(c1, item, c2)) for c1 in seps for c2 in seps]
    return all_of([z3.InRe(item, no_delims), any_of(options)])


def _regexp(enc: Encoder, args: list[Sym]) -> Sym:
    any_error = any_of([a.is_("E") for a in args])
    any_undefined = any_of([a.is_("U") for a in args])
    not_string = any_of([a.is_any("BIRO") for a in args])
    pattern = args[0].const_str()
    options = args[2].const_str() if len(args) == 3 else ""
    result: Sym
    if pattern is None or options is None:
        result = enc.u.fresh("regexp with a computed pattern", frozenset("BE"))
    else:
        try:
            rx = search_regex(pattern, options)
        except re.error:
            result = ERR
        except Unsupported as e:
            result = enc.u.fresh(f"regexp {pattern!r}: {e}", frozenset("B"))
        else:
            target = args[1]
            result = V.boolean(z3.InRe(target.sval, rx)) if "S" in target.kinds else ERR
    return choose([(any_error, ERR), (any_undefined, UNDEF), (not_string, ERR)], result)


def _conversion(enc: Encoder, name: str, a: Sym) -> Sym:
    strict = [(a.is_("U"), UNDEF)] if name in ("bool", "int", "real", "string") else []
    cases = [*strict, (a.is_("E"), ERR)]
    if name == "bool":
        cases += [
            (a.is_any("BIR"), V.boolean(a.truthy())),
            (
                a.is_("S"),
                choose(
                    [
                        (z3.InRe(a.sval, caseless_literal("true")), V.boolean(True)),
                        (z3.InRe(a.sval, caseless_literal("false")), V.boolean(False)),
                    ],
                    UNDEF,
                ),
            ),
        ]
        return choose(cases, ERR)
    if name == "string":
        cases += [(a.is_any("SIB"), V.string(to_string(enc, a)))]
        if a.kinds & {"R", "O"}:
            cases.append(
                (a.is_any("RO"), enc.u.fresh("string() of a real, list or time", frozenset("S")))
            )
        return choose(cases, ERR)
    if name == "real":
        cases.append((a.is_any("BIR"), V.real(a.realval())))
        if a.kinds & {"S", "O"}:
            cases.append(
                (a.is_any("SO"), enc.u.fresh("real() of a string or time", frozenset("RE")))
            )
        return choose(cases, ERR)
    # int, floor, ceiling: integers pass, booleans become 0/1, reals are cut
    cases.append((a.is_any("BI"), V.integer(a.intval())))
    if "R" in a.kinds:
        r = a.rval
        if name == "int":
            cut = z3.If(r >= 0, z3.ToInt(r), -z3.ToInt(-r))
        elif name == "floor":
            cut = z3.ToInt(r)
        else:
            cut = -z3.ToInt(-r)
        cases.append((a.is_("R"), V.integer(cut)))
    if a.kinds & {"S", "O"}:
        cases.append(
            (a.is_any("SO"), enc.u.fresh(f"{name}() of a string or time", frozenset("IE")))
        )
    if name != "int":
        cases.append((a.is_("U"), ERR))
    return choose(cases, ERR)
