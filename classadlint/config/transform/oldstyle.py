"""Old-style ``[ ... ]`` job transforms and job router routes, converted to native syntax.

HTCondor (up to 25.7 for the schedd, still in ``condor_transform_ads -convertoldroutes``)
converts an old route with ConvertClassadJobRouterRouteToXForm (xform_utils.cpp); this
module follows that function line by line:

* ``copy_<A> = "B"`` -> ``COPY A B`` (only when the value evaluates to a string),
  ``delete_<A>`` -> ``DELETE A``, ``set_<A> = e`` -> ``SET A e``,
  ``eval_set_<A> = e`` -> ``EVALSET A e`` — in that order of groups (all COPY, then all
  DELETE, then SET, then EVALSET), each group sorted by attribute name ignoring case;
* ``Name`` -> NAME, ``TargetUniverse`` -> UNIVERSE, ``Requirements`` -> REQUIREMENTS with
  the route's own attributes inlined and ``TARGET.`` removed (the old route saw the job as
  TARGET, a native transform sees it as MY);
* every other attribute (``GridResource``, ``MaxJobs``, ``rename_X``...) becomes a
  transform variable ``name = value``; the route flags (``EditJobInPlace``...) are
  flattened with ``TARGET.`` turned into ``MY.``;
* an ``eval_set_`` value that refers to route attributes has them inlined ("flattened");
  route attributes still referred to afterwards are SET for the EVALSETs and DELETEd
  after them.

The native text is then read by the same parser as any native transform, so an old route
yields the same :class:`~classadlint.config.transform.ast.Transform` (and applies the same
way). Each character of the converted text points at the route text it came from: the
value of ``set_Foo = 1 + x`` at ``1 + x``, character by character when HTCondor's
rendering is the text as written, else at the start of the value.

Flattening follows ClassAd's FlattenAndInline for what routes use (references to route
attributes, operators and function calls whose operands are all values, ``true && x``);
the reassociation of chains of one operator (``1 + x + 2``) is not modelled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from classadlint.classad import ast
from classadlint.classad.ad import ClassAd
from classadlint.classad.adfile import _matching_bracket
from classadlint.classad.errors import ClassAdSyntaxError
from classadlint.classad.evaluate import evaluate
from classadlint.classad.parser import ParseOptions, parse_record
from classadlint.classad.values import ErrorType, UndefinedType
from classadlint.config.model import Origin
from classadlint.config.transform.apply import old_expr_text, value_expr
from classadlint.config.transform.ast import Transform, TransformError, TransformSource
from classadlint.config.transform.parser import parse_transform
from classadlint.source import Span

_NEW = ParseOptions()

#: route attributes the converter knows (RouterAttrItems): name -> (flatten, untarget, mytarget)
_FLAT_MY = ("editjobinplace", "failureratethreshold", "jobfailuretest", "jobshouldbesandboxed",
            "overrideroutingentry", "sharedx509userproxy", "usesharedx509userproxy")  # fmt: skip
_NONDETERMINISTIC = {"time", "random", "currenttime", "gettime", "localtimestring", "now"}


@dataclass
class ConvertedRoute:
    """One old route in native syntax: the lines HTCondor writes, each character's origin."""

    name: str
    lines: list[str]
    origins: list[list[Origin]]
    errors: list[TransformError] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def source(self, label: str) -> TransformSource:
        origins: list[Origin] = []
        for k, line_origins in enumerate(self.origins):
            if k:
                origins.append(line_origins[0] if line_origins else Origin(None, None))
            origins.extend(line_origins)
        return TransformSource(label, self.text, origins, "converted")


class _Line:
    """A converted line being built: text plus one origin per character."""

    def __init__(self) -> None:
        self.text = ""
        self.origins: list[Origin] = []

    def add(self, text: str, origins: list[Origin] | Origin) -> _Line:
        if isinstance(origins, Origin):
            origins = [origins] * len(text)
        self.text += text
        self.origins.extend(origins[: len(text)])
        self.origins.extend([origins[-1] if origins else Origin(None, None)] * (
            len(text) - len(origins)))  # fmt: skip
        return self


def split_routes(text: str) -> list[tuple[int, int]]:
    """(start, end) of each ``[ ... ]`` ad in a route text (JOB_ROUTER_ENTRIES may hold
    several; a JOB_TRANSFORM_<name> holds one)."""
    out: list[tuple[int, int]] = []
    pos = 0
    while True:
        m = re.compile(r"\S").search(text, pos)
        if m is None or text[m.start()] != "[":
            return out
        end = _matching_bracket(text, m.start())
        if end is None:
            out.append((m.start(), len(text)))
            return out
        out.append((m.start(), end + 1))
        pos = end + 1


def convert_route(source: TransformSource, start: int = 0, end: int | None = None,
                  name: str = "") -> ConvertedRoute:  # fmt: skip
    """ConvertClassadJobRouterRouteToXForm of the ad ``source.text[start:end]``."""
    end = len(source.text) if end is None else end
    text = source.text[start:end]

    def origins_of(span: Span) -> list[Origin]:
        return [source.origin(start + k) or Origin(None, None) for k in range(span.start, span.end)]

    try:
        record = parse_record(text, _NEW)
    except ClassAdSyntaxError as exc:
        err = TransformError(
            start + exc.span.start, start + max(exc.span.end, exc.span.start + 1),
            f"the route is not a ClassAd: {exc.message}", "CA103",
        )  # fmt: skip
        return ConvertedRoute(name, [], [], [err])
    route = ClassAd.from_record(record)
    attrs: dict[str, ast.RecordAttr] = {}
    for attr in record.attrs:  # a later duplicate wins, as in the ad
        attrs[attr.name.lower()] = attr

    assignments: dict[str, tuple[str, str, ast.RecordAttr]] = {}  # low -> (name, rhs, attr)
    strings: set[str] = set()
    copies: dict[str, tuple[str, str, ast.RecordAttr]] = {}
    deletes: dict[str, tuple[str, ast.RecordAttr]] = {}
    sets: dict[str, tuple[str, str, ast.RecordAttr]] = {}
    evalsets: dict[str, tuple[str, str, ast.RecordAttr]] = {}
    evalset_refs: dict[str, str] = {}
    requirements: tuple[str, ast.RecordAttr] | None = None
    universe: tuple[int, ast.RecordAttr] | None = None
    for low, attr in attrs.items():
        n = attr.name
        if low.startswith("copy_"):
            value = evaluate(attr.value, route)
            if isinstance(value, str):
                copies[n[5:].lower()] = (n[5:], value, attr)
        elif low.startswith("delete_"):
            deletes[n[7:].lower()] = (n[7:], attr)
        elif low.startswith("set_"):
            rhs = old_expr_text(attr.value)
            if rhs:
                sets[n[4:].lower()] = (n[4:], rhs, attr)
        elif low.startswith("eval_set_"):
            rhs = old_expr_text(attr.value)
            refs = _internal_refs(attr.value, route)
            if refs:
                flat = _flatten(attr.value, route, mytarget=True)
                rhs = old_expr_text(flat)
                refs = _internal_refs(flat, route)
            if rhs:
                evalsets[n[9:].lower()] = (n[9:], rhs, attr)
                for r in refs:
                    evalset_refs.setdefault(r.lower(), r)
        elif low == "name":
            value = evaluate(attr.value, route)
            if isinstance(value, str):
                name = value
        elif low == "targetuniverse":
            value = evaluate(attr.value, route)
            if isinstance(value, int) and not isinstance(value, bool):
                universe = (value, attr)
        elif low == "requirements":
            flat = _flatten(attr.value, route, untarget=True)
            requirements = (old_expr_text(flat), attr)
        elif low == "gridresource":
            assignments[low] = (n, old_expr_text(attr.value), attr)
            strings.add(low)
        else:
            is_string = True
            if low in _FLAT_MY:
                rhs = old_expr_text(_flatten(attr.value, route, mytarget=True))
            elif isinstance(_unparen(attr.value), ast.Literal) and isinstance(
                _unparen(attr.value).value,  # type: ignore[union-attr]
                str,
            ):
                rhs = _unparen(attr.value).value  # type: ignore[union-attr,assignment]
            else:
                is_string = False
                rhs = old_expr_text(attr.value)
            if rhs:
                assignments[low] = (n, rhs, attr)
                if is_string:
                    strings.add(low)

    out = ConvertedRoute(name, [], [])
    head = Origin(None, None)
    if record.attrs:
        first = record.attrs[0]
        head = (
            origins_of(first.name_span)[0] if first.name_span.end > first.name_span.start else head
        )

    def emit(line: _Line | str) -> None:
        if isinstance(line, str):
            line = _Line().add(line, head)
        out.lines.append(line.text)
        out.origins.append(line.origins)

    def name_origins(attr: ast.RecordAttr, skip: int) -> list[Origin]:
        span = attr.name_span
        return origins_of(Span(span.start + skip, span.end))

    def value_origins(attr: ast.RecordAttr, rendered: str) -> list[Origin]:
        written = text[attr.value.span.start : attr.value.span.end]
        got = origins_of(attr.value.span)
        if written == rendered:
            return got
        return [got[0] if got else head] * len(rendered)

    emit(f"# autoconversion of route '{name}' from old route syntax")
    if name:
        name_attr = attrs.get("name")
        line = _Line().add("NAME ", head)
        line.add(name, value_origins(name_attr, name) if name_attr is not None else head)
        emit(line)
    if universe is not None:
        emit(_Line().add("UNIVERSE ", head).add(str(universe[0]), value_origins(universe[1], "")))
    if requirements is not None and requirements[0]:
        rhs, attr = requirements
        line = _Line().add("REQUIREMENTS ", name_origins(attr, 0)[:1] or head)
        emit(line.add(rhs, value_origins(attr, rhs)))
    emit("")
    for low in sorted(assignments, key=str.lower):
        n, rhs, attr = assignments[low]
        line = _Line().add(n, name_origins(attr, 0)).add(" = ", head)
        emit(line.add(rhs, value_origins(attr, rhs)))

    def group(title: str, items: list[tuple[str, _Line]]) -> None:
        if not items:
            return
        emit("")
        emit(title)
        for _key, line in sorted(items, key=lambda kv: kv[0].lower()):
            emit(line)

    def copy_line(n: str, value: str, attr: ast.RecordAttr) -> _Line:
        line = _Line().add("COPY ", name_origins(attr, 0)[:1] or head)
        line.add(n, name_origins(attr, 5)).add(" ", head)
        return line.add(value, value_origins(attr, f'"{value}"')[1:] or head)

    def delete_line(n: str, attr: ast.RecordAttr) -> _Line:
        line = _Line().add("DELETE ", name_origins(attr, 0)[:1] or head)
        return line.add(n, name_origins(attr, 7))

    def set_line(kw: str, skip: int, n: str, rhs: str, attr: ast.RecordAttr) -> _Line:
        line = _Line().add(f"{kw} ", name_origins(attr, 0)[:1] or head)
        line.add(n, name_origins(attr, skip)).add(" ", head)
        return line.add(rhs, value_origins(attr, rhs))

    group("# copy_* rules", [(n, copy_line(n, v, a)) for n, v, a in copies.values()])
    group("# delete_* rules", [(n, delete_line(n, a)) for n, a in deletes.values()])
    group("# set_* rules", [(n, set_line("SET", 4, n, r, a)) for n, r, a in sets.values()])
    temporary = [
        (evalset_refs[low], low)
        for low in sorted(evalset_refs)
        if low in assignments and low not in sets
    ]
    if temporary:
        emit("")
        emit("# temporarily SET attrs because eval_set_ rules refer to them")
        for ref, low in temporary:
            quoted = f'"$({ref})"' if low in strings else f"$({ref})"
            origin = name_origins(assignments[low][2], 0)
            emit(_Line().add(f"SET {ref} {quoted}", origin[:1] or head))
    group(
        "# eval_set_* rules",
        [(n, set_line("EVALSET", 9, n, r, a)) for n, r, a in evalsets.values()],
    )
    if temporary:
        emit("")
        emit("# remove temporary attrs")
        for ref, low in temporary:
            origin = name_origins(assignments[low][2], 0)
            emit(_Line().add(f"DELETE {ref}", origin[:1] or head))
    return out


def parse_old_transform(source: TransformSource, name: str | None = None) -> Transform:
    """An old ``[ ... ]`` transform or route, as the native transform HTCondor converts it
    into (its first ad; see :func:`split_routes` for texts holding several)."""
    spans = split_routes(source.text)
    start, end = spans[0] if spans else (0, len(source.text))
    converted = convert_route(source, start, end, name or "")
    if not converted.lines:
        transform = Transform(source, name or "")
        transform.errors.extend(converted.errors)
        transform.valid = False
        return transform
    transform = parse_transform(converted.source(source.name), name)
    if not name:
        transform.name = converted.name
    transform.errors.extend(converted.errors)
    return transform


def convert_old_transform(text: str, name: str = "") -> list[str]:
    """The native text of each route in ``text`` (an old transform or JOB_ROUTER_ENTRIES),
    as ``condor_transform_ads -convertoldroutes`` writes it."""
    source = TransformSource(name or "<route>", text, [Origin(None, k) for k in range(len(text))])
    out = []
    for start, end in split_routes(text) or [(0, len(text))]:
        converted = convert_route(source, start, end, name)
        if converted.errors:
            raise ValueError(converted.errors[0].message)
        out.append(converted.text)
    return out


# --- flattening ---------------------------------------------------------------------------


def _internal_refs(expr: ast.Expr, route: ClassAd, *, check: bool = True) -> list[str]:
    """GetExprReferences' internal references: names the route ad itself holds, referred
    to bare or as ``MY.name`` (none when following them loops: HTCondor's walk fails)."""
    if check and _has_cycle(expr, route):
        return []
    out: list[str] = []
    for node in ast.walk(expr):
        name = None
        if (isinstance(node, ast.AttrRef) and node.name.upper() not in ("MY", "TARGET")) or (
            isinstance(node, ast.Select)
            and isinstance(node.base, ast.AttrRef)
            and node.base.name.upper() == "MY"
        ):
            name = node.name
        if name is not None and name in route and name.lower() not in (o.lower() for o in out):
            out.append(name)
    return out


def _unparen(node: ast.Expr) -> ast.Expr:
    """ExprTreeIsLiteralString looks through parentheses."""
    while isinstance(node, ast.Paren):
        node = node.inner
    return node


def _is_value(node: ast.Expr | None) -> bool:
    return isinstance(node, ast.Literal)


def _fold(node: ast.Expr) -> ast.Expr:
    value = evaluate(node, ClassAd())
    if isinstance(value, ClassAd | list):
        return node
    return value_expr(value)


_ASSOCIATIVE = {"+", "*", "&", "|", "^", "&&", "||"}
Flat = tuple[str | None, ast.Expr | None, ast.Expr | None]  # (pending op, value, tree)


def _flatten(expr: ast.Expr, route: ClassAd, *, untarget: bool = False,
             mytarget: bool = False) -> ast.Expr:  # fmt: skip
    """ClassAd's FlattenAndInline in the route ad (operators.cpp Operation::_Flatten,
    combine, flattenSpecials; attrrefs.cpp; fnCall.cpp), then TARGET. removed (untarget)
    or made MY. (mytarget), as unparse_special does.

    A flattened node is a value, a tree, or — below an associative operator — a pending
    ``value op tree`` that the parent may merge with its own value (``1 + x + 2``); where
    the split is not allowed it is written value first, as MakeOperation(op, val, tree)."""
    active: set[str] = set()

    def lit(value: ast.Expr | None, tree: ast.Expr | None) -> ast.Expr:
        if tree is not None:
            return tree
        assert value is not None
        return value

    def done(f: Flat) -> tuple[ast.Expr | None, ast.Expr | None]:
        op, value, tree = f
        if op is not None and tree is not None and value is not None:
            return None, ast.Binary(op, value, tree, tree.span)
        return value, tree

    def go(node: ast.Expr, split: bool = False) -> Flat:
        match node:
            case ast.Literal():
                return None, node, None
            case ast.AttrRef(name=name):
                low = name.lower()
                target = route.lookup(name)
                if target is None or name.upper() in ("MY", "TARGET"):
                    return None, None, node
                if low in active:  # FindExpr on a cycle fails: so does the whole flatten
                    raise _Cycle(name)
                active.add(low)
                try:
                    value, tree = done(go(target))
                finally:
                    active.discard(low)
                return None, value, tree
            case ast.Select(base=ast.AttrRef(name=base), name=name) if base.upper() == "MY":
                if route.lookup(name) is None:
                    return None, None, node
                return go(ast.AttrRef(name, node.span))
            case ast.Select(base=ast.AttrRef(name=base), name=name) if base.upper() == "TARGET":
                if untarget:
                    return None, None, ast.AttrRef(name, node.span)
                if mytarget:
                    return (
                        None,
                        None,
                        ast.Select(ast.AttrRef("MY", node.base.span), name, node.span),
                    )
                return None, None, node
            case ast.Paren(inner=inner):
                value, tree = done(go(inner))
                return (
                    (None, value, None)
                    if tree is None
                    else (None, None, ast.Paren(tree, node.span))
                )
            case ast.Unary(op=op, operand=o):
                value, tree = done(go(o))
                if tree is None:
                    return None, _fold(ast.Unary(op, lit(value, None), node.span)), None
                return None, None, ast.Unary(op, tree, node.span)
            case ast.Binary(op=op, left=left, right=right) if op in _ASSOCIATIVE:
                result = _combine(op, go(left, True), go(right, True), node.span)
                return result if split else (None, *done(result))
            case ast.Binary(op=op, left=left, right=right):
                v1, t1 = done(go(left))
                v2, t2 = done(go(right))
                if t1 is None and t2 is None:
                    return None, _fold(ast.Binary(op, lit(v1, t1), lit(v2, t2), node.span)), None
                return None, None, ast.Binary(op, lit(v1, t1), lit(v2, t2), node.span)
            case ast.Conditional(cond=c, then=t, otherwise=o):
                vc, tc = done(go(c))
                if (
                    tc is None
                    and vc is not None
                    and not (isinstance(vc, ast.Literal) and isinstance(vc.value, UndefinedType))
                ):
                    chosen = _truth(vc)
                    if chosen is None:
                        return None, ast.Literal(ErrorType(), node.span), None
                    return go(t if chosen else o)
                vt, tt = done(go(t))
                vo, to = done(go(o))
                cond = tc if tc is not None else c
                return None, None, ast.Conditional(cond, lit(vt, tt), lit(vo, to), node.span)
            case ast.Elvis(left=left, right=right) | ast.Subscript(base=left, index=right):
                v1, t1 = done(go(left))
                v2, t2 = done(go(right))
                if isinstance(node, ast.Elvis):
                    new: ast.Expr = ast.Elvis(lit(v1, t1), lit(v2, t2), node.span)
                else:
                    new = ast.Subscript(lit(v1, t1), lit(v2, t2), node.span)
                return (None, _fold(new), None) if t1 is None and t2 is None else (None, None, new)
            case ast.Call(name=fname, args=args):
                flat = [done(go(a)) for a in args]
                call = ast.Call(fname, tuple(lit(v, t) for v, t in flat), node.span)
                if all(t is None for _v, t in flat) and fname.lower() not in _NONDETERMINISTIC:
                    folded = _fold(call)
                    if _is_value(folded):
                        return None, folded, None
                return None, None, call
            case ast.ListExpr(items=items):
                flat_items = [done(go(i)) for i in items]
                return None, None, ast.ListExpr(tuple(lit(v, t) for v, t in flat_items), node.span)
        return None, None, node

    try:
        value, tree = done(go(expr))
    except _Cycle:
        # unparse_special: FlattenAndInline failed, the expression is kept with only its
        # TARGET. references rewritten
        return _rescope(expr, untarget=untarget, mytarget=mytarget)
    return lit(value, tree)


class _Cycle(Exception):
    """A route attribute that refers to itself (``K = K``)."""


def _rescope(expr: ast.Expr, *, untarget: bool, mytarget: bool) -> ast.Expr:
    def go(node: ast.Expr) -> ast.Expr:
        match node:
            case ast.Select(base=ast.AttrRef(name=base), name=name) if base.upper() == "TARGET":
                if untarget:
                    return ast.AttrRef(name, node.span)
                if mytarget:
                    return ast.Select(ast.AttrRef("MY", node.base.span), name, node.span)
                return node
            case ast.Select(base=b, name=name):
                return ast.Select(go(b), name, node.span)
            case ast.Subscript(base=b, index=i):
                return ast.Subscript(go(b), go(i), node.span)
            case ast.Unary(op=op, operand=o):
                return ast.Unary(op, go(o), node.span)
            case ast.Binary(op=op, left=left, right=right):
                return ast.Binary(op, go(left), go(right), node.span)
            case ast.Conditional(cond=c, then=t, otherwise=o):
                return ast.Conditional(go(c), go(t), go(o), node.span)
            case ast.Elvis(left=left, right=right):
                return ast.Elvis(go(left), go(right), node.span)
            case ast.Call(name=fname, args=args):
                return ast.Call(fname, tuple(go(a) for a in args), node.span)
            case ast.ListExpr(items=items):
                return ast.ListExpr(tuple(go(i) for i in items), node.span)
            case ast.Paren(inner=inner):
                return ast.Paren(go(inner), node.span)
        return node

    return go(expr)


def _has_cycle(expr: ast.Expr, route: ClassAd) -> bool:
    """Whether following route attributes from ``expr`` loops (GetExprReferences then
    fails and reports no reference)."""
    path: list[str] = []

    def refs(node: ast.Expr) -> list[str]:
        return _internal_refs(node, route, check=False)

    def visit(name: str) -> bool:
        low = name.lower()
        if low in path:
            return True
        target = route.lookup(name)
        if target is None:
            return False
        path.append(low)
        try:
            return any(visit(r) for r in refs(target))
        finally:
            path.pop()

    return any(visit(r) for r in refs(expr))


def _truth(node: ast.Expr) -> bool | None:
    if isinstance(node, ast.Literal):
        v = node.value
        if isinstance(v, bool):
            return v
        if isinstance(v, int | float):
            return v != 0
    return None


def _combine(op: str, f1: Flat, f2: Flat, span: Span) -> Flat:
    """Operation::combine (operators.cpp) for an associative operator."""
    op1, v1, t1 = f1
    op2, v2, t2 = f2

    def make(o: str, a: ast.Expr, b: ast.Expr) -> ast.Expr:
        return ast.Binary(o, a, b, span)

    if (t1 is None) != (t2 is None) and op in ("&&", "||"):
        # _doOperation converts a number on the value side to a boolean in place (as
        # observed: `3 && x` flattens to `x`, `0 || x` to `false || x`)
        if t1 is None:
            v1 = _as_bool_literal(v1)
        else:
            v2 = _as_bool_literal(v2)
        value = v1 if t1 is None else v2
        assert value is not None
        undefined = ast.Literal(UndefinedType(), span)
        probe = make(op, value, undefined) if t1 is None else make(op, undefined, value)
        decided = evaluate(probe, ClassAd())
        if isinstance(decided, bool):
            return None, ast.Literal(decided, span), None
        if op == "&&" and t1 is None and _literal_true(v1):
            return None, None, t2
        if op == "&&" and t2 is None and _literal_true(v2):
            return None, None, t1
    if t1 is None and t2 is None:
        assert v1 is not None and v2 is not None
        return None, _fold(make(op, v1, v2)), None
    if t1 is None and t2 is not None and op2 is None:
        return op, v1, t2
    if t2 is None and t1 is not None and op1 is None:
        return op, v2, t1
    if t1 is not None and op1 is None and t2 is not None and op2 is None:
        return None, None, make(op, t1, t2)
    if (op1 is not None or op2 is not None) and op != op1 and op != op2:
        n1 = make(op1, v1, t1) if op1 is not None and v1 is not None and t1 is not None else (
            t1 if t1 is not None else v1)  # fmt: skip
        n2 = make(op2, v2, t2) if op2 is not None and v2 is not None and t2 is not None else (
            t2 if t2 is not None else v2)  # fmt: skip
        assert n1 is not None and n2 is not None
        return None, None, make(op, n1, n2)
    if op == op1 and op == op2:
        assert t1 is not None and t2 is not None and v1 is not None and v2 is not None
        return op, _fold(make(op, v1, v2)), make(op, t1, t2)
    if op == op1:
        assert t1 is not None and v1 is not None
        if t2 is None:
            assert v2 is not None
            return op, _fold(make(op, v1, v2)), t1
        return op, v1, make(op, t1, t2)
    assert t2 is not None and v2 is not None
    if t1 is None:
        assert v1 is not None
        return op, _fold(make(op, v1, v2)), t2
    return op, v2, make(op, t1, t2)


def _as_bool_literal(node: ast.Expr | None) -> ast.Expr | None:
    if (
        isinstance(node, ast.Literal)
        and not isinstance(node.value, bool)
        and isinstance(node.value, int | float)
    ):
        return ast.Literal(node.value != 0, node.span)
    return node


def _literal_true(node: ast.Expr | None) -> bool:
    return isinstance(node, ast.Literal) and node.value is True
