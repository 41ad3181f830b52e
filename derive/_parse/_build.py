r"""From a parse tree to SymPy: names, calls, operators and the notes' conventions.

Conventions (the README lists them for readers):

- a big operator (``\sum``, ``\prod``, ``\int``, ``\lim``, ``\argmax``, ``\nabla``,
  ``\partial_x``, ``\frac{d}{dt}``, ``\mathbb{E}`` without brackets, ``\log`` without
  parentheses) applies to the rest of the product it stands in;
- ``f(x)`` is a call when ``f`` is a declared function, or an undeclared name that is
  conventionally a function (``f``, ``g``, ``h``, ``p``, ``q``, ``P``, ``L``, ``C``,
  ``V``, ...; any ``\text`` or decorated name); otherwise it is a product;
- ``x_i`` and ``x^{(i)}`` index a declared sample or ``IndexedBase``; a subscript that
  names a declared symbol (``z_{\max}``, ``X_0``) is that symbol;
- ``w^\top``, ``w^T`` transpose (a scalar is its own transpose); ``|w|`` and ``\|w\|``
  are the Euclidean norm of a vector and the absolute value of a scalar;
- ``\log`` and ``\ln`` are natural logarithms; ``e`` is Euler's number unless declared.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from typing import Any

import lark
import sympy
from lark import Token, Tree
from sympy import Indexed, IndexedBase, MatrixBase, Symbol
from sympy.core.function import AppliedUndef, FunctionClass, UndefinedFunction
from sympy.matrices.exceptions import ShapeError

from .._base._errors import LatexError
from .._engine._expectation import Cov, E, RandomVariable, Sample, Var
from ._formula import RELATIONS, Formula, relation_of
from ._grammar import error_at, parse_tree
from ._objects import OPTIMA
from ._scope import Name, Scope, squash

__all__ = ["Builder"]

Node = Tree[Token]

_FUNCTION_LETTERS = frozenset(["f", "g", "h", "p", "q", "r", "u", "v", "P", "Q", "L", "C",
                               "F", "G", "H", "K", "V", "D", "J", "phi", "varphi", "psi",
                               "sigma", "pi_", "ell"])
_INDEX_LETTERS = frozenset(["i", "j", "k", "l", "m", "n", "t", "s"])
_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "exp": sympy.exp, "log": sympy.log, "ln": sympy.log, "sin": sympy.sin, "cos": sympy.cos,
    "tan": sympy.tan, "sinh": sympy.sinh, "cosh": sympy.cosh, "tanh": sympy.tanh,
    "sign": sympy.sign, "sgn": sympy.sign, "det": lambda a: sympy.det(a) if isinstance(
        a, MatrixBase) else a, "tr": sympy.trace, "Tr": sympy.trace, "trace": sympy.trace,
    "sigmoid": lambda a: 1 / (1 + sympy.exp(-a)),
    "asinh": sympy.asinh, "arcsinh": sympy.asinh, "acosh": sympy.acosh, "arccosh": sympy.acosh,
    "atanh": sympy.atanh, "arctanh": sympy.atanh, "arctan": sympy.atan, "Si": sympy.Si,
}
_DECORATION_SUFFIX = {"hat": "hat", "widehat": "hat", "bar": "bar", "overline": "bar",
                      "tilde": "tilde", "widetilde": "tilde", "vec": "", "dot": "dot",
                      "ddot": "ddot", "mathbf": "", "boldsymbol": "", "bm": "", "mathit": "",
                      "mathsf": "", "mathcal": "cal", "mathbb": "bb"}
_DERIVATIVE_TOP = re.compile(r"^(d|\\partial)(?:\^\{?(\d)\}?)?(.*)$")
_DERIVATIVE_BOTTOM = re.compile(
    r"^(d|\\partial)([A-Za-z]|\\[A-Za-z]+(?:\{[A-Za-z]\})?)(?:\^\{?(\d)\}?)?$")
_DERIVATIVE_BOTTOM_INDEXED = re.compile(
    r"^(d|\\partial)((?:[A-Za-z]|\\[A-Za-z]+)_(?:[A-Za-z0-9]|\{[^{}]+\}))(?:\^\{?(\d)\}?)?$")


class _DerivativeOperator:
    """``\\frac{d}{dt}``: waits for the rest of the product."""

    def __init__(self, variable: Symbol, order: int) -> None:
        self.variable, self.order = variable, order


class _Hessian:
    """``H(f)``: applied to a point ``a`` it is ``f''(a)`` (one variable)."""

    def __init__(self, function: Any) -> None:
        self.function = function

    def __call__(self, point: Any) -> Any:
        u = sympy.Dummy("u", real=True)
        return sympy.Subs(self.function(u).diff(u, 2), u, point).doit()


def _derivative_at(function: Any, point: Any, order: int = 1) -> Any:
    u = sympy.Dummy("u", real=True)
    return sympy.Subs(function(u).diff(u, order), u, point).doit()


def _scalar(value: Any) -> Any:
    if isinstance(value, MatrixBase) and value.shape == (1, 1):
        return value[0, 0]
    return value


def _times(a: Any, b: Any) -> Any:
    if a is sympy.S.One:
        return b
    return _scalar(a * b)


def _plus(a: Any, b: Any) -> Any:
    """``a + b``, where a zero added to a vector (``w - 0``) leaves the vector."""
    if isinstance(a, MatrixBase) and b == 0:
        return a
    if isinstance(b, MatrixBase) and a == 0:
        return b
    return a + b


def _transpose(value: Any) -> Any:
    if isinstance(value, (MatrixBase, sympy.MatrixExpr)):
        return value.T
    return value


def _norm(value: Any, order: Any = 2) -> Any:
    if isinstance(value, MatrixBase):
        if order == 1:
            return sum(sympy.Abs(entry) for entry in value)
        return sympy.sqrt(sum(sympy.Abs(entry) ** 2 for entry in value))
    return sympy.Abs(value)


def _normal_density(value: Any, mean: Any, variance: Any) -> Any:
    return sympy.exp(-(value - mean) ** 2 / (2 * variance)) / sympy.sqrt(2 * sympy.pi * variance)


def _is_function(obj: Any) -> bool:
    return isinstance(obj, (FunctionClass, _Hessian, sympy.Lambda)) or (
        callable(obj) and not isinstance(obj, (sympy.Basic, MatrixBase, Sample, RandomVariable)))


class Builder:
    """Turns the parse tree of ``text`` into a :class:`Formula` under ``scope``."""

    def __init__(self, text: str, scope: Scope) -> None:
        self.text, self.scope = text, scope
        self.in_index = 0

    # ------------------------------------------------------------ helpers
    def fail(self, node: Node | Token, message: str = "") -> LatexError:
        """An error at ``node``'s position."""
        position = node.start_pos if isinstance(node, Token) else node.meta.start_pos
        return error_at(self.text, position or 0, message)

    def source(self, node: Node | Token) -> str:
        """The text ``node`` was read from."""
        if isinstance(node, Token):
            return str(node)
        return self.text[node.meta.start_pos:node.meta.end_pos]

    def build(self, node: Node | Token) -> Any:
        """The SymPy value of ``node``; SymPy's own errors become a :class:`LatexError`."""
        if isinstance(node, Token):
            return self.build(Tree("letter" if node.type == "LETTER" else node.type.lower(),
                                   [node], meta=_token_meta(node)))
        handler = getattr(self, "on_" + node.data, None)
        if handler is None:
            raise self.fail(node, f"no reading for {node.data}")
        try:
            return handler(node, *node.children)
        except LatexError:
            raise
        except (TypeError, ValueError, AttributeError, IndexError, KeyError,
                sympy.SympifyError, ShapeError, NotImplementedError) as error:
            raise self.fail(node, f"{type(error).__name__}: {error}") from None

    # ------------------------------------------------------------ formula
    def formula(self, tree: Node) -> Formula:
        """The chain of relations in the rows of ``tree`` (the start symbol).

        A clause ``\\quad g(x) = ...`` (or ``b = ...``, ``u_m = ...``) that defines a name
        the scope does not know defines it for the whole formula, so that the formula is read
        with it (``\\partial_x p, \\quad p = e^{-x^2}`` differentiates ``e^{-x^2}``).
        """
        saved = dict(self.scope.names)
        try:
            for clause in tree.find_data("clause"):
                self._define(clause)
            return self._chain(tree)
        finally:
            self.scope.names = saved

    def _define(self, clause: Node) -> None:
        """Declare, in the scope, the undeclared names that ``clause`` defines."""
        for lst in (c for c in clause.children if isinstance(c, Tree)):
            for item in (c for c in lst.children if isinstance(c, Tree)):
                rels = [squash(c) for c in item.children if isinstance(c, Token)]
                if item.data != "relation" or not rels or set(rels) != {"="}:
                    continue  # a definition: g = 1, or a chain g = 1 = \operatorname{sign} x
                lhs, rhs = [c for c in item.children if isinstance(c, Tree)][:2]
                known = set(self.scope.undeclared)
                target = self.build(lhs)
                head = getattr(target, "func", None) if isinstance(target, AppliedUndef) else \
                    getattr(target, "base", target)
                new = [k for k in self.scope.undeclared
                       if k not in known and self.scope.undeclared[k] == head]
                meaning = _definition(target, self.build(rhs))
                if meaning is not None and new:
                    del self.scope.undeclared[new[0]]
                    self.scope.names[re.sub(r"(\|\d+)?(\(\)|\[\])$", "", new[0])] = meaning
                elif isinstance(target, Symbol) and target in self.scope.names.values():
                    self.scope.names[squash(self.source(lhs))] = meaning  # v = ...: this v

    def _chain(self, tree: Node) -> Formula:
        links: list[list[Any]] = []
        conditions: list[Any] = []
        dangling: str | None = None
        for row in (c for c in tree.children if isinstance(c, Tree)):
            items, row_conditions = self._row(row)
            conditions += row_conditions
            for kind, value, node in items:
                if kind == "rel":
                    dangling = value
                    continue
                if dangling is None and links:
                    if not _starts_with_sign(node):
                        raise self.fail(node, "two formulas without a relation between them")
                    links[-1][1] = links[-1][1] + value
                    continue
                links.append([dangling, value])
                dangling = None
        if dangling is not None or not links:
            raise error_at(self.text, len(self.text))
        parts = [part for c in conditions
                 for part in (c.args if isinstance(c, sympy.And) else (c,))]
        definitions = {c.lhs: c.rhs for c in parts
                       if isinstance(c, sympy.Eq) and isinstance(c.lhs, (Symbol, AppliedUndef))}
        chain = tuple((rel, _substitute(expr, definitions)) for rel, expr in links)
        for name in [key for key, value in self.scope.undeclared.items() if value in definitions]:
            del self.scope.undeclared[name]  # defined by the line itself (", \quad m = ...")
        return Formula(chain, tuple(conditions), tuple(self.scope.undeclared))

    def _row(self, row: Node) -> tuple[list[tuple[str, Any, Any]], list[Any]]:
        items: list[tuple[str, Any, Any]] = []
        conditions: list[Any] = []
        for child in row.children:
            if isinstance(child, Token):
                if child.type == "REL":
                    items.append(("rel", RELATIONS[squash(child)], child))
                continue
            if child.data == "end":
                continue
            if child.data in ("rel_tail", "dangling"):
                items += self._rel_tail(child)
            elif child.data == "clause" or child.data == "subject":
                conditions += self._conditions(child)
            elif child.data == "cond_list":
                conditions += [self.build(c) for c in child.children if isinstance(c, Tree)]
            else:
                items.append(("expr", self.build(child), child))
        return items, conditions

    def _rel_tail(self, node: Node) -> list[tuple[str, Any, Any]]:
        items: list[tuple[str, Any, Any]] = []
        for child in node.children:
            if isinstance(child, Token) and child.type == "REL":
                items.append(("rel", RELATIONS[squash(child)], child))
            elif isinstance(child, Tree):
                items.append(("expr", self.build(child), child))
        return items

    def _conditions(self, clause: Node) -> list[Any]:
        lists = [c for c in clause.children if isinstance(c, Tree)]
        return [self.build(item) for lst in lists for item in lst.children
                if isinstance(item, Tree)]

    # ------------------------------------------------------------ arithmetic
    def on_add(self, node: Node, a: Any, _op: Token, b: Any) -> Any:
        closing = _closing_evalbar(b)
        if closing is not None:  # a + b |_{w = c}: the bar closes the whole sum
            rest, bar = closing
            return self._script_evalbar(_plus(self.build(a), self.build(rest)), bar)
        return _plus(self.build(a), self.build(b))

    def on_sub(self, node: Node, a: Any, _op: Token, b: Any) -> Any:
        closing = _closing_evalbar(b)
        if closing is not None:
            rest, bar = closing
            return self._script_evalbar(_plus(self.build(a), -self.build(rest)), bar)
        operator = self._trailing_derivative(a)
        if operator is not None:  # \frac{d}{dz} -[...]: the derivative of the negated rest
            head, derivative = operator
            return _times(head, sympy.diff(-self.build(b), (derivative.variable,
                                                            derivative.order)))
        return _plus(self.build(a), -self.build(b))

    def _trailing_derivative(self, node: Node) -> tuple[Any, _DerivativeOperator] | None:
        """``(c, d/dz)`` when ``node`` is a product ``c \\frac{d}{dz}`` ending in the operator."""
        factors = list(node.children) if node.data == "implicit" else [node]
        last = factors[-1]
        if not (isinstance(last, Tree) and last.data == "postfix" and len(last.children) == 1
                and isinstance(last.children[0], Tree) and last.children[0].data == "frac"):
            return None
        value = self.build(last.children[0])
        if not isinstance(value, _DerivativeOperator):
            return None
        return self.product(factors[:-1]), value

    def on_neg(self, node: Node, _op: Token, a: Any) -> Any:
        return -self.build(a)

    def on_sum(self, node: Node, _op: Token, a: Any) -> Any:
        return self.build(a)

    def on_plusminus(self, node: Node, *children: Any) -> Any:
        """``a \\pm b``: the set ``{a + b, a - b}``; ``\\pm b``: ``{b, -b}``."""
        values = [self.build(c) for c in children if isinstance(c, Tree)]
        if len(values) == 1:
            return sympy.FiniteSet(values[0], -values[0])
        return sympy.FiniteSet(values[0] + values[1], values[0] - values[1])

    def on_mul(self, node: Node, a: Any, _op: Token, b: Any) -> Any:
        return _times(self.build(a), self.build(b))

    def on_div(self, node: Node, a: Any, _op: Token, b: Any) -> Any:
        return self.build(a) / self.build(b)

    def on_relation(self, node: Node, *children: Any) -> Any:
        values = [self.build(c) for c in children if isinstance(c, Tree)]
        words = [RELATIONS[squash(c)] for c in children if isinstance(c, Token)]
        if not words:
            return values[0]
        pairs = [relation_of(w, a, b) for w, a, b in zip(words, values, values[1:], strict=False)]
        return pairs[0] if len(pairs) == 1 else sympy.And(*pairs)

    def on_membership(self, node: Node, a: Any, _in: Token, b: Any) -> Any:
        return relation_of("in", self.build(a), self._set(b))

    def on_tends(self, node: Node, a: Any, _to: Token, b: Any) -> Any:
        return relation_of("to", self.build(a), self.build(b))

    def _set(self, node: Node) -> Any:
        text = squash(self.source(node))
        if text.startswith(r"\mathbb{R}"):
            return Symbol(text.replace("\\", ""))
        return self.build(node)

    # ------------------------------------------------------------ products
    def on_implicit(self, node: Node, *factors: Any) -> Any:
        return self.product(list(factors))

    def product(self, factors: Sequence[Any]) -> Any:
        """The product of ``factors`` (postfix trees and a trailing big operator)."""
        result: Any = sympy.S.One
        index = 0
        while index < len(factors):
            factor = factors[index]
            if factor.data == "bigop":
                return _times(result, self.build(factor))
            value, used = self._joined_name(factors, index)
            if used == 0:
                value, used = self._factor(factors, index)
            if isinstance(value, _DerivativeOperator):
                if index + used == len(factors):
                    raise self.fail(factor, "a derivative with nothing to differentiate")
                rest, bar = _without_evalbar(list(factors[index + used:]))
                derivative = sympy.diff(self.product(rest), (value.variable, value.order))
                if bar is not None:  # d/dz f(z) |_{z = a}: the derivative evaluated at a
                    derivative = self._script_evalbar(derivative, bar)
                return _times(result, derivative)
            result = _times(result, value)
            index += used
        return result

    def _joined_name(self, factors: Sequence[Any], index: int) -> tuple[Any, int]:
        r"""Adjacent names that spell one declared name (``\delta x``, ``RSE``, ``D_u f(a)``):
        its value (called on the arguments that follow, for a function) and how many factors."""
        for size in (3, 2):
            run = factors[index:index + size]
            if len(run) < size or any(f.data != "postfix" or self._primary_name(
                    f.children[0]) is None for f in run):  # \Delta W_n: W_n may be indexed
                continue
            found = self._declared(squash("".join(self.source(f) for f in run)))
            power = run[-1].children[-1] if len(run[-1].children) > 1 else None
            if found is None and power is not None and power.data == "sup":
                # \Delta W_n^2: the declared \Delta W_n, squared
                end = power.meta.start_pos - run[0].meta.start_pos
                found = self._declared(squash(self.text[run[0].meta.start_pos:][:end]))
                if found is not None and not _is_function(found):
                    return self._scripts(found, [power]), size
                found = None
            spelled = None if found is None else self._spelled(found, factors, index + size)
            if spelled is not None:
                return spelled[0], size + spelled[1]
        return None, 0

    def _spelled(self, found: Any, factors: Sequence[Any], after: int) -> tuple[Any, int] | None:
        """The value of a declared name spelled by the factors before ``after``, with the call
        that follows it for a function, and how many factors that call used; ``None`` for a
        function that no call follows."""
        if not _is_function(found):
            return found, 0
        if after < len(factors) and _is_call_group(factors[after]):
            args, given = self._call_args(factors[after].children[0])
            return self._scripts(found(*args, *given), factors[after].children[1:]), 1
        return None

    def _factor(self, factors: Sequence[Any], index: int) -> tuple[Any, int]:
        """The value of ``factors[index]``, with the call it starts; how many factors it used."""
        word = self._declared_word(factors, index)
        if word is not None:
            return word
        factor = factors[index]
        following = factors[index + 1] if index + 1 < len(factors) else None
        head = self._head(factor)
        if head is None:
            return self.build(factor), 1
        callee = self._callee(head)
        if callee is None and self.scope.lookup(head) is None and following is not None and \
                _is_call_group(following) and _argument_count(following) > 1:
            callee = self.scope.default_function(head)
        if callee is None and following is not None and _is_call_group(following):
            found = self.scope.lookup(head)
            if _depends_only_on(found, self._call_args(following.children[0])[0]):
                return found, 2  # b(x, t) for a declared b(x, t): the point restated
        used = 1
        while callee is not None and following is not None and _is_call_group(following):
            args, given = self._call_args(following.children[0], functions=callee is _Hessian)
            value = self._conditional(head, callee, args, given)
            value = self._scripts(value, following.children[1:])
            used += 1
            if not _is_function(value):
                return value, used
            callee, following = value, (factors[index + used]
                                        if index + used < len(factors) else None)
        if callee is not None and used > 1:
            raise self.fail(factor, "a function is missing its arguments")
        return self._name_value(head, factor), used

    def _declared(self, key: str) -> Any:
        """What the notation (not the expressions) declares under ``key``, or ``None``."""
        return None if key in self.scope.inferred else self.scope.names.get(key)

    def _declared_word(self, factors: Sequence[Any], index: int) -> tuple[Any, int] | None:
        """Letters spelling a declared name (``RSE``, ``MSE(f; D)``): its value, factors used."""
        letters = []
        for factor in factors[index:]:
            if not (factor.data == "postfix" and len(factor.children) == 1 and isinstance(
                    factor.children[0], Tree) and factor.children[0].data == "letter"):
                break
            letters.append(str(factor.children[0].children[0]))
        fragment = self._declared_fragment(factors, index)
        if fragment is not None:
            return fragment
        for length in range(len(letters), 1, -1):
            word = "".join(letters[:length])
            found = self._declared(word)
            spelled = None if found is None else self._spelled(found, factors, index + length)
            if spelled is not None:
                return spelled[0], length + spelled[1]
        return None

    def _declared_fragment(self, factors: Sequence[Any], index: int) -> tuple[Any, int] | None:
        """A run of factors written as a declared fragment (``{"w^\\top x": t}``)."""
        for length in range(min(3, len(factors) - index), 1, -1):
            start, end = factors[index].meta.start_pos, _end_pos(factors[index + length - 1])
            found = self._declared(squash(self.text[start:end]))
            if found is not None and not _is_function(found):
                return found, length
        return None

    # ------------------------------------------------------------ names
    def _head(self, factor: Node) -> Name | None:
        """The name ``factor`` spells (with its naming scripts), or ``None`` if it is not a name."""
        if factor.data != "postfix":
            return None
        primary, scripts = factor.children[0], self._name_order(factor.children[1:])
        name = self._primary_name(primary)
        if name is None:
            return None
        for script in scripts:
            name = self._extend(name, script)
            if name is None:
                return None
        return name

    def _name_order(self, scripts: Sequence[Any]) -> list[Any]:
        """``y_i^\\prime`` as ``y^\\prime_i``: a prime after an index marks the name."""
        scripts = list(scripts)
        if len(scripts) >= 2 and scripts[0].data == "sub" and scripts[1].data == "sup" and \
                squash(self.source(scripts[1].children[0])).strip("{}") == r"\prime":
            scripts[0], scripts[1] = scripts[1], scripts[0]
        return scripts

    def _primary_name(self, primary: Node | Token) -> Name | None:
        if isinstance(primary, Token):
            return None
        if primary.data in ("letter", "greek", "named"):
            token = str(primary.children[0])
            return Name(token, squash(token).lstrip("\\"))
        if primary.data == "text":
            word = re.sub(r"^\\[A-Za-z*]+\s*\{|\}$", "", str(primary.children[0])).strip()
            return Name(squash(str(primary.children[0])), re.sub(r"\s+", "_", word))
        if primary.data == "decorated":
            return self._decorated_name(primary)
        return None

    def _decorated_name(self, node: Node) -> Name | None:
        command = str(node.children[0]).lstrip("\\")
        inner = self._inner_name(node.children[1])
        if inner is None:
            return None
        suffix = _DECORATION_SUFFIX.get(command, command)
        plain = inner.plain if not suffix else (
            f"{suffix}{inner.plain}" if command in ("mathcal", "mathbb") else
            f"{inner.plain}_{suffix}")
        return Name(squash(self.source(node)), plain)

    def _inner_name(self, node: Node | Token) -> Name | None:
        text = squash(self.source(node)).strip("{}")
        if re.fullmatch(r"[A-Za-z]|\\[A-Za-z]+|[0-9]", text):
            return Name(text, text.lstrip("\\"))
        return None

    def _extend(self, name: Name, script: Any) -> Name | None:
        """``name`` with a subscript, star or prime that is part of the name, else ``None``."""
        kind = script.data
        if kind == "prime":
            return Name(name.latex + "'", name.plain + "_prime")
        if kind == "sup":
            text = squash(self.source(script.children[0])).strip("{}")
            suffix = {"*": "star", r"\ast": "star", r"\star": "star", r"\prime": "prime"}.get(text)
            if suffix is None:
                return None
            return Name(f"{name.latex}^{text}", f"{name.plain}_{suffix}")
        if kind == "sub":
            full = self._subscripted(name, script)
            if self.scope.lookup(full) is not None:
                return full
            base = self.scope.lookup(name)
            if (base is not None and not isinstance(base, (Symbol,))) or self._index_like(script):
                return None
            return full
        return None

    def _subscripted(self, name: Name, script: Node) -> Name:
        text = re.sub(r"\\[A-Za-z]+|[A-Za-z]", lambda m: str(self.scope.fixed.get(
            m.group(0), m.group(0))), squash(self.source(script.children[0])))
        plain = re.sub(r"[\\{}\s]", "", re.sub(r"\\(text|mathrm)\{([^{}]*)\}", r"\2", text))
        inner = text[1:-1] if text.startswith("{") and text.endswith("}") else text
        return Name(f"{name.latex}_{{{inner}}}" if len(inner) > 1 else f"{name.latex}_{inner}",
                    f"{name.plain}_{plain}")

    def _index_like(self, script: Node) -> bool:
        text = re.sub(r"[{}\s]", "", self.source(script.children[0]))
        if re.fullmatch(r"[0-9]+", text):
            return False
        letters = re.findall(r"(?<!\\)[A-Za-z]", re.sub(r"\\[A-Za-z]+", "", text))
        bound = {s.name for s in self.scope.bound}
        return bool(letters) and all(
            ch in bound or ch in _INDEX_LETTERS or (isinstance(
                self.scope.lookup(Name(ch, ch)), Symbol) and self.scope.lookup(
                Name(ch, ch)).is_integer) for ch in letters)

    def _callee(self, name: Name) -> Any:
        """What calling ``name`` means: a function, or ``None`` (then ``f (x)`` is a product)."""
        found = self.scope.lookup(name)
        if found is not None:
            return found if _is_function(found) else None
        if name.plain in _FUNCTIONS:
            return _FUNCTIONS[name.plain]
        if name.latex == r"\mathcal{N}":
            return lambda *args: _normal_density(*args) if len(args) == 3 else (
                self.scope.default_function(name)(*args))
        if name.latex == r"\mathbf{1}":
            return lambda condition: sympy.Piecewise((1, condition), (0, True))
        if name.plain == "H":
            return _Hessian
        if name.plain.endswith("_prime"):
            stem, order = _unprimed(name)
            base = self.scope.lookup(stem)
            function = base if _is_function(base) else self.scope.default_function(stem)
            return lambda point: _derivative_at(function, point, order)
        if not _conventional_function(name):
            return None
        return lambda *args: self.scope.default_function(name)(*args)

    def _name_value(self, name: Name, factor: Node) -> Any:
        """The value of a name (with all its scripts) standing alone."""
        primary, scripts = factor.children[0], self._name_order(factor.children[1:])
        base = self._primary_name(primary)
        assert base is not None
        value, consumed = self._resolve_prefix(base, scripts)
        return self._scripts(value, scripts[consumed:])

    def _resolve_prefix(self, name: Name, scripts: Sequence[Any]) -> tuple[Any, int]:
        """The longest run of naming scripts, resolved; how many scripts it took."""
        consumed = 0
        for script in scripts:
            extended = self._extend(name, script)
            if extended is None:
                primed = self._primed_transpose(name, script)
                if primed is not None:  # x^{\prime\top}: the transpose of x'
                    return _transpose(self._value_of_name(primed, ())), consumed + 1
                break
            name, consumed = extended, consumed + 1
        return self._value_of_name(name, scripts[consumed:] if consumed < len(scripts) else ()), \
            consumed

    def _primed_transpose(self, name: Name, script: Any) -> Name | None:
        """The primed name of ``x^{\\prime\\top}`` (or ``x^{\\prime T}``), else None."""
        if script.data != "sup" or not re.fullmatch(
                r"\\prime(\\top|T)", squash(self.source(script.children[0])).strip("{}")):
            return None
        return Name(name.latex + "'", name.plain + "_prime")

    def _value_of_name(self, name: Name, rest: Sequence[Node]) -> Any:
        found = self.scope.lookup(name)
        if isinstance(found, Sample):
            indexed = rest and rest[0].data in ("sub", "sup") and self._is_index_script(rest[0])
            return found.base if indexed else self.scope.generic_draw(found)
        indexed = bool(rest) and rest[0].data == "sub" and self._index_like(rest[0])
        if isinstance(found, (RandomVariable, Symbol)) and indexed:
            return self.scope.default_base(name)
        if isinstance(found, RandomVariable):
            return found.symbol
        if isinstance(found, UndefinedFunction):
            args = self.scope.applied.get(found)
            if args is None:
                raise LatexError(f"{name.latex} is a function: write its arguments")
            return found(*args)
        if found is not None:
            return found
        if name.plain in _GREEK_VALUES:
            return _GREEK_VALUES[name.plain]
        if name.plain == "e" and rest and rest[0].data == "sup":
            return sympy.E
        if rest and rest[0].data in ("sub", "sup") and self._is_index_script(rest[0]):
            return self.scope.default_base(name)
        if name.plain == "e":
            return sympy.E
        if self.in_index and name.plain in _INDEX_LETTERS:
            return self.scope.index_symbol(name)
        return self.scope.default_symbol(name)

    def _is_index_script(self, script: Node) -> bool:
        if script.data == "sub":
            return True
        text = squash(self.source(script.children[0]))
        return text.startswith(("{(", "("))

    # ------------------------------------------------------------ scripts
    def on_postfix(self, node: Node, primary: Any, *scripts: Node) -> Any:
        if primary.data in ("norm", "abs") and scripts and scripts[0].data == "sub":
            order = self.build(_only_value(scripts[0].children[0]))
            value = _norm(self.build(primary.children[1]), order)
            return self._scripts(value, scripts[1:])
        head = self._primary_name(primary)
        if head is not None:
            return self._name_value(head, node)
        return self._scripts(self.build(primary), scripts)

    def _scripts(self, value: Any, scripts: Sequence[Any]) -> Any:
        for script in scripts:
            value = getattr(self, "_script_" + script.data)(value, script)
        return value

    def _index_values(self, node: Node | Token) -> list[Any]:
        """Values in an index position: undeclared ``i``, ``j``, ``k`` are integer indices."""
        self.in_index += 1
        try:
            letters = squash(self.source(node)).strip("{}")
            if re.fullmatch(r"[a-z]{2,3}", letters) and all(  # D_{ij}: two indices, not i j
                    ch in _INDEX_LETTERS or ch in self.scope.fixed for ch in letters):
                return [self._value_of_name(Name(ch, ch), ()) for ch in letters]
            return self._values(node)
        finally:
            self.in_index -= 1

    def _script_sub(self, value: Any, script: Node) -> Any:
        point = self._evaluation_point(value, script)
        if point is not None:  # [f(\lambda)]_{\lambda = a}: f evaluated at a
            return sympy.Subs(value, point.lhs, point.rhs)
        indices = self._juxtaposed_indices(script) or self._index_values(script.children[0])
        if isinstance(value, IndexedBase):
            return value[tuple(indices)]
        if isinstance(value, MatrixBase) and all(i.is_Integer for i in indices):
            return value[tuple(int(i) - 1 for i in indices)] if value.cols > 1 else value[
                int(indices[0]) - 1]
        if _is_function(value) and not isinstance(value, FunctionClass):
            return value(*indices)
        raise self.fail(script, "a subscript on something that is not indexed")

    def _evaluation_point(self, value: Any, script: Node) -> Any:
        """``variable = value`` in the subscript of a value that takes no index, or None."""
        if isinstance(value, (IndexedBase, MatrixBase)) or _is_function(value) or \
                "=" not in self.source(script):
            return None
        condition = self.build(_only_value(script.children[0]))
        return condition if isinstance(condition, sympy.Eq) and isinstance(
            condition.lhs, Symbol) else None

    def _juxtaposed_indices(self, script: Node) -> list[Any] | None:
        """``\\lambda_{i1}``, ``x_{ij}``: one index per letter or digit (not ``x_{12}``)."""
        text = squash(self.source(script.children[0])).strip("{}")
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]+|[0-9][A-Za-z]", text):
            return None
        return [self.build_index(char) for char in text]

    def build_index(self, text: str) -> Any:
        """One index written as a letter or a digit."""
        self.in_index += 1
        try:
            return self.build_text(text)
        finally:
            self.in_index -= 1

    def _script_sup(self, value: Any, script: Node) -> Any:
        arg = script.children[0]
        text = squash(self.source(arg)).strip("{}")
        if text in ("T", r"\top", r"\intercal", r"\T"):
            return _transpose(value)
        if text in (r"\prime", "*", r"\ast") and isinstance(value, Indexed):
            suffix = "prime" if text == r"\prime" else "star"
            base = self.scope.default_base(Name(f"{value.base.label}^{text}",
                                                f"{value.base.label}_{suffix}"))
            return base[value.indices]
        if isinstance(arg, Tree) and arg.data == "marks":
            return self._marks(value, arg)
        marked = re.fullmatch(r"\((.+)\)(.*)", text)
        if isinstance(value, IndexedBase) and marked:
            self.in_index += 1
            try:
                index = self.build_text(marked.group(1))
            finally:
                self.in_index -= 1
            return self._index_marks(value[index], marked.group(2), script)
        if isinstance(value, IndexedBase):
            return value[tuple(self._index_values(arg))]
        if _is_function(value) and not isinstance(value, FunctionClass):
            return self._iterate(value, text, marked, script)
        return self._power(value, self.build(_only_value(arg)))

    def _iterate(self, value: Any, text: str, marked: Any, script: Node) -> Any:
        r"""``w^{(t)}``, ``x^t``, ``w^{(t+1)T}`` of a declared function of the iteration."""
        if marked is None and not re.fullmatch(r"(?:[a-z]|[0-9]+)(?:[+-][0-9]+)?", text):
            raise self.fail(script, "a power of a function")
        self.in_index += 1
        try:
            index = self.build_text(marked.group(1) if marked else text)
        finally:
            self.in_index -= 1
        return self._index_marks(value(index), marked.group(2) if marked else "", script)

    def _index_marks(self, value: Any, marks: str, script: Node) -> Any:
        """What follows ``(i)`` in ``x^{(i)2}`` or ``w^{(t)T}``: a power or a transpose."""
        if marks in ("T", r"\top"):
            return _transpose(value)
        if re.fullmatch(r"[0-9]+", marks):
            return value ** int(marks)
        if marks:
            raise self.fail(script, f"cannot read {marks!r} after the index")
        return value

    def _power(self, value: Any, exponent: Any) -> Any:
        if isinstance(value, MatrixBase) and exponent == -1:
            return value.inv()
        return _scalar(value**exponent)

    def _marks(self, value: Any, arg: Any) -> Any:
        for mark in arg.children:
            first = mark.children[0] if isinstance(mark, Tree) and mark.children else mark
            if isinstance(first, Tree) and _is_function(value) and not isinstance(
                    value, FunctionClass):  # w^{(t)\top} of a declared function of t
                value = value(self._index_values(first)[0])
                continue
            if isinstance(first, Tree):
                index = self.build(first)
                value = value[index] if isinstance(value, IndexedBase) else _times(value, index)
                continue
            text = str(first)
            if text in ("T", r"\top", r"\intercal"):
                value = _transpose(value)
            elif text in ("*", r"\ast", r"\star") and isinstance(value, Symbol):
                starred = Name(value.name + "^*", value.name + "_star")
                found = self.scope.lookup(starred)
                value = self.scope.default_symbol(starred) if found is None else found
            elif first.type == "NUMBER":
                value = self._power(value, sympy.Integer(text))
            else:
                raise self.fail(first, "a mark that is not a transpose or a power")
        return value

    def _script_factorial(self, value: Any, script: Node) -> Any:
        return sympy.factorial(value)

    def _script_prime(self, value: Any, script: Node) -> Any:
        raise self.fail(script, "a prime on something that is not a name")

    def _script_evalbar(self, value: Any, script: Node) -> Any:
        condition = self.build(_only_value(script.children[1]))
        if not isinstance(condition, sympy.Eq):
            raise self.fail(script, "an evaluation bar needs 'variable = value'")
        return sympy.Subs(value, condition.lhs, condition.rhs)

    def _values(self, node: Node | Token) -> list[Any]:
        """The comma-separated values of a script or group (``{i,j}`` gives two)."""
        node = _only_value(node)
        if isinstance(node, Token):
            return [self.build(node)]
        lists = [c for c in node.iter_subtrees_topdown()  # type: ignore[no-untyped-call]
                 if c.data == "cond_list"]
        if not lists:
            return [self.build(node)]
        return [self.build(item) for item in lists[0].children if isinstance(item, Tree)]

    # ------------------------------------------------------------ primaries
    def on_letter(self, node: Node, token: Token) -> Any:
        return self._value_of_name(Name(str(token), str(token)), ())

    def on_greek(self, node: Node, token: Token) -> Any:
        return self._value_of_name(Name(str(token), str(token)[1:]), ())

    on_named = on_greek

    def on_text(self, node: Node, token: Token) -> Any:
        name = self._primary_name(node)
        assert name is not None
        return self._value_of_name(name, ())

    def on_decorated(self, node: Node, *children: Any) -> Any:
        name = self._decorated_name(node)
        if name is None:
            raise self.fail(node, "a decoration on something that is not a name")
        return self._value_of_name(name, ())

    def on_number(self, node: Node, token: Token) -> Any:
        whole, _, fraction = str(token).partition(".")
        return sympy.Rational(int(whole + fraction), 10 ** len(fraction))

    def on_infty(self, node: Node, token: Token) -> Any:
        return sympy.oo

    def on_single(self, node: Node, token: Token) -> Any:
        return self.build(token)

    def on_inner(self, node: Node, items: Node) -> Any:
        return self._group(items, node)

    def on_frac(self, node: Node, *children: Any) -> Any:
        top, bottom = children[1], children[-1]
        text = self.text[children[1].start_pos:_end_pos(children[-2])] if isinstance(
            top, Token) else self.source(top)
        derivative = self._derivative_fraction(text, self.source(bottom))
        if derivative is not None:
            return derivative
        if isinstance(top, Token):
            raise self.fail(node, "\\partial over something that is not a variable")
        return self.build(top) / self.build(bottom)

    def _derivative_fraction(self, top: str, bottom: str) -> Any:
        upper = _DERIVATIVE_TOP.match(squash(top))
        lower = _DERIVATIVE_BOTTOM.match(squash(bottom)) or _DERIVATIVE_BOTTOM_INDEXED.match(
            squash(bottom))
        if not upper or not lower or upper.group(1) != lower.group(1):
            return None
        order = int(upper.group(2) or 1)
        if order != int(lower.group(3) or 1):
            return None
        variable = self._derivative_variable(lower.group(2))
        rest = upper.group(3)
        if not rest:
            return _DerivativeOperator(variable, order)
        found = self.scope.lookup(Name(rest, rest.lstrip("\\")))
        if found is None or _is_function(found):
            return sympy.diff(self._function_named(rest)(variable), (variable, order))
        return sympy.diff(self.build_text(rest), (variable, order))

    def _derivative_variable(self, text: str) -> Any:
        """The ``x`` of ``\\partial x``: a name, or an indexed entry (``z_m``)."""
        if re.fullmatch(r"[A-Za-z]|\\[A-Za-z]+", text):
            return self._value_of_name(Name(text, text.lstrip("\\")), ())
        self.in_index += 1
        try:
            variable = self.build_text(text)
        finally:
            self.in_index -= 1
        if not isinstance(variable, (Symbol, Indexed)):
            raise LatexError(f"cannot differentiate along {text!r}: not a variable")
        return variable

    def build_text(self, text: str) -> Any:
        """A formula of its own (a bound, a numerator), read under the same scope."""
        builder = Builder(text, self.scope)
        builder.in_index = self.in_index
        return builder.formula(parse_tree(text)).links[0][1]

    def on_sqrt(self, node: Node, _cmd: Token, *parts: Node) -> Any:
        if len(parts) == 2:
            return sympy.root(self.build(parts[1]), self.build(parts[0]))
        return sympy.sqrt(self.build(parts[0]))

    def on_binom(self, node: Node, _cmd: Token, top: Node, bottom: Node) -> Any:
        return sympy.binomial(self.build(top), self.build(bottom))

    def _group(self, items: Node, node: Node) -> Any:
        values = [self.build(c) for c in items.children if isinstance(c, Tree)]
        return values[0] if len(values) == 1 else sympy.Tuple(*values)

    def on_paren(self, node: Node, *children: Any) -> Any:
        lists = [c for c in children if isinstance(c, Tree)]
        if not lists:
            raise self.fail(node, "empty parentheses")
        if len(lists) > 1:
            return relation_of("given", self._group(lists[0], node),
                               sympy.Tuple(*self._given(lists[1])))
        return self._group(lists[0], node)

    on_bracket = on_paren
    on_group = on_paren

    def on_setbraces(self, node: Node, _l: Token, items: Node, _r: Token) -> Any:
        return self._group(items, node)

    def on_abs(self, node: Node, _l: Token, inner: Node, _r: Token) -> Any:
        value = self.build(inner)
        if isinstance(value, MatrixBase) and value.rows == value.cols > 1:
            return value.det()  # |\Sigma|: the determinant of a square matrix
        return _norm(value)

    def on_norm(self, node: Node, _l: Token, inner: Node, _r: Token) -> Any:
        return _norm(self.build(inner))

    def on_dots(self, node: Node, token: Token) -> Any:
        raise self.fail(node, "elided lines cannot be checked")

    def on_cases(self, node: Node, *children: Any) -> Any:
        rows = [c for c in children if isinstance(c, Tree)]
        pieces = []
        for row in rows:
            parts = [c for c in row.children if isinstance(c, Tree)]
            pieces.append((self.build(parts[0]), self.build(parts[1])))
        return sympy.Piecewise(*pieces)

    def _call_args(self, paren: Any, functions: bool = False) -> tuple[list[Any], list[Any]]:
        """The arguments of a call, and those after a conditional bar (``P(y | x, w)``)."""
        lists = [c for c in paren.children if isinstance(c, Tree)]
        if not lists:
            return [], []
        if functions:
            return [self._function_named(squash(self.source(lists[0])))], []
        args = [self.build(c) for c in lists[0].children if isinstance(c, Tree)]
        return args, (self._given(lists[1]) if len(lists) > 1 else [])

    def _conditional(self, head: Name, callee: Any, args: list[Any], given: list[Any]) -> Any:
        """``P(a | b)``: the function ``P|1`` of ``(a, b)``, so ``P(a, b)`` stays different."""
        if isinstance(callee, UndefinedFunction):
            args = _spread(args)
        if not given:
            return callee(*args)
        declared = self.scope.lookup(head)
        if declared is None and head.latex == r"\mathcal{N}" and len(args) + len(given) == 3:
            return _normal_density(*args, *given)  # N(y | mean, variance)
        if isinstance(declared, UndefinedFunction):  # a declared p: p(a | b) is p|1(a, b)
            return sympy.Function(f"{declared}|{len(args)}")(*args, *given)
        if declared is None:
            name = Name(f"{head.latex}|{len(args)}", f"{head.plain}|{len(args)}")
            return self.scope.default_function(name)(*_spread(args), *given)
        return callee(*args, *given)

    def _given(self, bar_tail: Node) -> list[Any]:
        items = next(c for c in bar_tail.children if isinstance(c, Tree))
        return [self.build(c) for c in items.children if isinstance(c, Tree)]

    def _function_named(self, text: str) -> Any:
        name = Name(text, text.lstrip("\\"))
        found = self.scope.lookup(name)
        return found if _is_function(found) else self.scope.default_function(name)

    def on_func_call(self, node: Node, token: Token, items: Node) -> Any:
        function = self._named_function(token)
        return function(*[self.build(c) for c in items.children if isinstance(c, Tree)])

    def _named_function(self, token: Any) -> Any:
        word = re.sub(r"^\\(text|operatorname|mathrm)\s*\{\s*|\s*\}$|^\\", "", str(token))
        if word in _FUNCTIONS:
            return _FUNCTIONS[word]
        found = self.scope.lookup(Name(squash(str(token)), word))
        if _is_function(found):
            return found
        return self.scope.default_function(Name(squash(str(token)), word))

    def on_expectation(self, node: Node, token: Token, *parts: Node) -> Any:
        if parts[-1].data == "bar_tail":
            given = self._given(parts[-1])
            if self._random(given):
                raise self.fail(parts[-1], "conditional expectations are not supported")
            parts = parts[:-1]  # E[y | x', X] given fixed values: the expectation itself
        items = [self.build(c) for c in parts[-1].children if isinstance(c, Tree)]
        opening = self.text[node.meta.start_pos:parts[-1].meta.start_pos]
        declared: Any = self.scope.names.get(
            squash(re.sub(r"(\\left)?\s*[\[(]\s*$", "", opening)))
        if _is_function(declared):  # {r"\mathbb{E}_B": ...}: an expectation of the notation's
            return declared(*items)
        return self._moment(node, token, items)

    def _random(self, values: list[Any]) -> bool:
        """Whether any of ``values`` holds a declared sample or random variable."""
        atoms = [family.family.atom for family in self.scope.families()]
        return bool(atoms) and any(sympy.sympify(v).has(*atoms) for v in values
                                if isinstance(v, (sympy.Basic, int)))

    def _moment(self, node: Node | Token, token: Any, items: list[Any]) -> Any:
        word = re.sub(r"^\\(text|operatorname|mathrm|mathbb)\s*\{\s*|\s*\}$", "", str(token))
        families = self._families(node, items)
        if word == "Cov":
            if len(items) != 2:
                raise self.fail(node, "Cov takes two arguments")
            return Cov(items[0], items[1], *families)
        if len(items) != 1:
            raise self.fail(node, f"{word} takes one argument")
        return (Var if word == "Var" else E)(items[0], *families)

    def _families(self, node: Node | Token, items: list[Any]) -> list[Any]:
        declared = self.scope.families()
        if not declared:
            raise self.fail(node, "an expectation needs a declared sample or random variable")
        atoms = [f for f in declared if any(sympy.sympify(item).has(f.family.atom)
                                            for item in items)]
        return atoms or declared

    # ------------------------------------------------------------ big operators
    def on_bigop(self, node: Node, operator: Node, body: Node) -> Any:
        return getattr(self, "_op_" + operator.data)(operator, body)

    def on_negated_bigop(self, node: Node, operator: Node, _minus: Token, body: Node) -> Any:
        return getattr(self, "_op_" + operator.data)(operator, Tree(
            "neg", [_minus, body], meta=body.meta))

    def _op_func_op(self, operator: Node, body: Node) -> Any:
        factors: list[Any] = list(body.children) if body.data == "implicit" else []
        if factors and _is_call_group(factors[0]) and len(factors[0].children) == 1:
            # \cos^2(a) b: the parentheses are the argument, b multiplies
            return _times(self._op_func_op(operator, factors[0]), self.product(factors[1:]))
        split = _next_function(factors)
        if split:  # \sin x \cos y: each function takes the factors up to the next one
            head = Tree("implicit", factors[:split], meta=body.meta)
            return _times(self._op_func_op(operator, head), self.build(factors[split]))
        given_call = self._conditional_call(operator, body)
        if given_call is not None:
            return given_call
        return self._apply_function(operator, self.build(body))

    def _apply_function(self, operator: Node, argument: Any) -> Any:
        value = self._named_function(operator.children[0])(argument)
        powers = [c for c in operator.children if isinstance(c, Tree)]
        return self._power(value, self.build(_only_value(powers[0]))) if powers else value

    def _conditional_call(self, operator: Node, body: Node) -> Any:
        """``\\text{Bias}[f(x) | x]^2``: a named function of a group given fixed values."""
        single: Any = body.children[0] if body.data == "implicit" and len(
            body.children) == 1 else body
        group = single.children[0] if single.data == "postfix" else None
        if not (isinstance(group, Tree) and group.data in ("paren", "bracket") and any(
                isinstance(c, Tree) and c.data == "bar_tail" for c in group.children)):
            return None
        args, given = self._call_args(group)
        if self._random(given):
            raise self.fail(group, "a condition on a random quantity is not supported")
        value = self._named_function(operator.children[0])(*args)
        return self._scripts(value, single.children[1:])

    def _op_expect_op(self, operator: Node, body: Node) -> Any:
        return self._moment(operator, operator.children[0], [self.build(body)])

    def _op_sum_op(self, operator: Node, body: Node) -> Any:
        return self._indexed_operator(operator, body, sympy.Sum)

    def _op_prod_op(self, operator: Node, body: Node) -> Any:
        return self._indexed_operator(operator, body, sympy.Product)

    def _indexed_operator(self, operator: Node, body: Node, kind: Any) -> Any:
        bounds = self._limits(operator)
        known = set(self.scope.undeclared)
        try:
            value, failure = self._bound_body(bounds, body), None
        except LatexError as error:
            value, failure = None, error
        fresh = {key: self.scope.undeclared[key] for key in self.scope.undeclared
                 if key not in known and not key.startswith("N_")}
        if (failure is not None or fresh) and self._pair_condition(operator) == 1:
            unrolled = self._unrolled(bounds, body, kind, fresh, strict=failure is None)
            if unrolled is not None:
                return unrolled
        if failure is not None:
            raise failure
        limits = []
        for index, lower, upper in bounds:
            if upper is None:
                span = self.scope.index_range(index, sympy.sympify(value))
                if span is None:
                    span = (sympy.S.One, self.scope.default_count(index))
                lower, upper = (span[0] if lower is None else lower), span[1]
            limits.append((index, sympy.S.One if lower is None else lower, upper))
        value = value * self._pair_condition(operator) if kind is sympy.Sum else value
        if isinstance(value, MatrixBase) and kind is sympy.Sum:  # a sum of vectors
            return value.applyfunc(lambda entry: kind(entry, *limits))
        return kind(value, *limits)

    def _bound_body(self, bounds: list[tuple[Symbol, Any, Any]], body: Node) -> Any:
        indices = [index for index, _, _ in bounds]
        self.scope.bound += indices
        try:
            return self.build(body)
        finally:
            del self.scope.bound[len(self.scope.bound) - len(indices):]

    def _unrolled(self, bounds: list[tuple[Symbol, Any, Any]], body: Node, kind: Any,
                  fresh: dict[str, Any], strict: bool) -> Any:
        """The sum (product) term by term, when its body cannot be read for a symbolic index
        (``\\partial_i`` along declared coordinates, ``\\beta_k`` naming ``\\beta_1``...)
        and its range is concrete: ``None`` when that does not help. ``strict`` (the body
        could be read, with undeclared names): ``None`` too when the terms name more."""
        spans = [self._concrete_span(index, lower, upper) for index, lower, upper in bounds]
        if any(span is None for span in spans):
            return None
        for key in fresh:
            del self.scope.undeclared[key]
        known, terms = set(self.scope.undeclared), []
        try:
            for values in itertools.product(*spans):  # type: ignore[arg-type]
                self.scope.fixed.update(zip((i.name for i, _, _ in bounds), values, strict=True))
                terms.append(self.build(body))
        except LatexError:
            terms = []
        finally:
            for index, _, _ in bounds:
                self.scope.fixed.pop(index.name, None)
        if not terms or (strict and any(key not in known and key not in fresh
                                       for key in self.scope.undeclared)):
            for key in [k for k in self.scope.undeclared if k not in known]:
                del self.scope.undeclared[key]
            self.scope.undeclared.update(fresh)
            return None
        return sympy.Add(*terms) if kind is sympy.Sum else sympy.Mul(*terms)

    def _concrete_span(self, index: Symbol, lower: Any, upper: Any) -> list[int] | None:
        """The values of an index with integer bounds (or running over the coordinates of
        ``\\nabla`` when the formula gives no upper bound), at most 64 of them."""
        lower = sympy.S.One if lower is None else sympy.sympify(lower)
        if upper is None:
            coordinates = self.scope.names.get(r"\nabla")
            learned = self.scope.ranges.get(index)
            upper = len(coordinates) if coordinates is not None else (
                learned[1] if learned is not None else None)
        upper = sympy.sympify(upper)
        if not (lower.is_Integer and getattr(upper, "is_Integer", False)) or \
                upper - lower >= 64:
            return None
        return list(range(int(lower), int(upper) + 1))

    def _limits(self, operator: Node) -> list[tuple[Symbol, Any, Any]]:
        limits = [c for c in operator.children if isinstance(c, Tree)]
        if not limits:
            raise self.fail(operator, "a sum or product needs its index")
        parts = [c for c in limits[0].children if isinstance(c, Tree)]
        lower_part = next((p for p in parts if p.data != "sup_arg"), None)
        upper_part = next((p for p in parts if p.data == "sup_arg"), None)
        upper = self.build(_only_value(upper_part.children[0])) if upper_part else None
        if lower_part is None:
            raise self.fail(operator, "a sum or product needs its index")
        return [(i, lo, upper if hi is None else hi) for i, lo, hi in self._indices(lower_part)]

    def _indices(self, part: Node) -> list[tuple[Symbol, Any, Any]]:
        source = squash(self.source(part)).strip("{}")
        pair = re.fullmatch(r"([a-z])(=|\\neq|\\ne)([a-z])", source)
        if pair:
            return [(self.scope.index_symbol(Name(c, c)), None, None) for c in pair.group(1, 3)]
        found = []
        for item in re.split(r",", source):
            match = re.fullmatch(r"([A-Za-z])(?:(=|<|\\geq?)(.+))?", item)
            if match is None:
                raise self.fail(part, f"cannot read the index {item!r}")
            index = self.scope.index_symbol(Name(match.group(1), match.group(1)))
            bound = self._bound_value(match.group(3)) if match.group(3) else None
            if match.group(2) == "<" and bound is not None:
                found.append((index, None, bound - 1))
            elif bound is not None and match.group(2) and match.group(2).startswith("\\ge"):
                found.append((index, bound, sympy.oo))  # \sum_{k \ge 1}
            else:
                found.append((index, bound, None))
        return found

    def _bound_value(self, text: str) -> Any:
        return self.build_text(text)

    def _pair_condition(self, operator: Node) -> Any:
        source = squash(self.source(operator))
        pair = re.search(r"_\{([a-z])(=|\\neq|\\ne)([a-z])\}", source)
        if not pair:
            return sympy.S.One
        delta = sympy.KroneckerDelta(*(self.scope.index_symbol(Name(c, c))
                                       for c in pair.group(1, 3)))
        return delta if pair.group(2) == "=" else 1 - delta

    def _op_int_op(self, operator: Node, body: Node) -> Any:
        factors: list[Any] = list(body.children) if body.data == "implicit" else [body]
        trailing = len(factors) >= 2 and self._is_differential(factors[-2])
        variable = None if trailing else self._differential_fraction(factors[0])
        if variable is not None:  # \int \frac{d\theta}{g} h: the integrand h / g
            first: Any = factors[0]
            bottom = self.build(first.children[0].children[-1])
            return self._integral(operator, self.product(factors[1:]) / bottom, [variable])
        value, variables = self._integrand(body)
        if not variables:
            raise self.fail(operator, "an integral without its d(variable)")
        return self._integral(operator, value, variables)

    def _differential_fraction(self, factor: Any) -> Any:
        """The variable of ``\\frac{d\\theta}{...}``, or ``None``."""
        if not (factor.data == "postfix" and len(factor.children) == 1 and isinstance(
                factor.children[0], Tree) and factor.children[0].data == "frac"):
            return None
        top = factor.children[0].children[1]
        match = re.fullmatch(r"d([A-Za-z]|\\[A-Za-z]+)", squash(self.source(top)).strip("{}"))
        if match is None or isinstance(top, Token):
            return None
        return self._value_of_name(Name(match.group(1), match.group(1).lstrip("\\")), ())

    def _integral(self, operator: Node, value: Any, variables: list[Any]) -> Any:
        bounds = self._integral_bounds(operator)
        if bounds is not None and len(variables) == 1:
            return sympy.Integral(value, (variables[0], *bounds))
        return sympy.Integral(value, *[(v, -sympy.oo, sympy.oo) for v in variables])

    def _integrand(self, body: Any) -> tuple[Any, list[Any]]:
        """An integral's body without its trailing ``d x`` (found also after a leading minus
        and inside ``\\cos^2(k x) \\, dx``), and the variables of integration."""
        if body.data == "neg":
            negated, inner = self._integrand(body.children[1])
            return -negated, inner
        factors: list[Any] = list(body.children) if body.data == "implicit" else [body]
        variables: list[Any] = []
        while len(factors) >= 2 and self._is_differential(factors[-2]):
            variables.insert(0, self.build(factors[-1]))
            factors = factors[:-2]
        last = factors[-1] if factors else None
        if not variables and last is not None and last.data == "bigop" and \
                last.children[0].data == "func_op":
            argument, variables = self._integrand(last.children[1])
            if variables:
                function = self._apply_function(last.children[0], argument)
                return _times(self.product(factors[:-1]), function), variables
        return self.product(factors), variables

    def _integral_bounds(self, operator: Node) -> tuple[Any, Any] | None:
        """``\\int_a^b``: the bounds, or ``None`` for an integral over the whole line."""
        limits = [c for c in operator.children if isinstance(c, Tree)]
        if not limits:
            return None
        parts = {p.data: p for p in limits[0].children if isinstance(p, Tree)}
        if "sub_arg" not in parts or "sup_arg" not in parts:
            raise self.fail(operator, "an integral needs both bounds or none")
        return (self.build(_only_value(parts["sub_arg"].children[0])),
                self.build(_only_value(parts["sup_arg"].children[0])))

    def _is_differential(self, factor: Any) -> bool:
        return factor.data == "postfix" and len(factor.children) == 1 and squash(
            self.source(factor)) == "d"

    def _op_lim_op(self, operator: Node, body: Node) -> Any:
        condition = self.build(_only_value(operator.children[1]))
        if not (isinstance(condition, sympy.Basic) and getattr(condition, "name", "") == "to"):
            raise self.fail(operator, "a limit needs 'variable \\to value'")
        return sympy.Limit(self.build(body), condition.args[1], condition.args[2])

    def _op_opt_op(self, operator: Node, body: Node) -> Any:
        token = str(operator.children[0])
        word = re.sub(r"[^a-z]", "", re.sub(r"^\\(text|operatorname|mathrm)", "", token))
        glued = re.search(r"\}([a-z])$", token)
        kind = next(k for k in ("argmax", "argmin", "max", "min", "sup", "inf") if word.startswith(
            k) or word == k)
        self.in_index += 1
        try:
            variables, constraints = self._optimum_over(operator,
                                                        glued.group(1) if glued else None)
        finally:
            self.in_index -= 1
        indices = [s for s in sympy.Tuple(*variables, *constraints).free_symbols
                   if s.is_integer and s.name in _INDEX_LETTERS]
        self.scope.bound += indices
        try:
            objective = self.build(body)
        finally:
            del self.scope.bound[len(self.scope.bound) - len(indices):]
        if not variables and isinstance(objective, sympy.Tuple) and kind in ("max", "min"):
            return (sympy.Max if kind == "max" else sympy.Min)(*objective)
        if kind in ("max", "min", "sup", "inf") and variables and not constraints and not (
                sympy.sympify(objective).free_symbols & sympy.Tuple(*variables).free_symbols):
            return objective  # the optimum of a constant
        return OPTIMA[kind](objective, variables, constraints)

    def _optimum_over(self, operator: Node, glued: str | None) -> tuple[list[Any], list[Any]]:
        variables: list[Any] = [self._value_of_name(Name(glued, glued), ())] if glued else []
        constraints: list[Any] = []
        subs = [c for c in operator.children if isinstance(c, Tree)]
        for item in (self._values(subs[0].children[0]) if subs else []):
            if isinstance(item, (Symbol, Indexed, sympy.Tuple, MatrixBase)):
                variables.append(item)
            elif getattr(item, "name", "") == "in":
                variables.append(item.args[1])
            else:
                constraints.append(item)
        return variables, constraints

    def _op_diff_op(self, operator: Node, body: Node) -> Any:
        scripts = {c.data: c for c in operator.children if isinstance(c, Tree)}
        if "sub_arg" not in {c.data for c in operator.children if isinstance(c, Tree)}:
            raise self.fail(operator, "\\partial needs its variable")
        subs = [c for c in operator.children if isinstance(c, Tree)]
        variable = self.build(_only_value(subs[0].children[0]))
        order = self.build(_only_value(subs[1].children[0])) if len(subs) > 1 else 1
        del scripts
        coordinates = self.scope.names.get(r"\nabla")
        if getattr(variable, "is_Integer", False) and coordinates is not None and \
                1 <= variable <= len(coordinates):  # \partial_1: along the first coordinate
            variable = list(coordinates)[int(variable) - 1]
        if variable in self.scope.bound:
            raise self.fail(operator, "a derivative along an index needs declared coordinates")
        return sympy.diff(self.build(body), (variable, int(order)))

    def _op_nabla_op(self, operator: Node, body: Node) -> Any:
        parts = [c for c in operator.children if isinstance(c, Tree)]
        divergence = any(isinstance(c, Token) and c.type == "TIMES" for c in operator.children)
        if any(p.data == "sup_arg" for p in parts):
            raise self.fail(operator, "Hessians are not supported")
        declared = None if parts else self._declared_gradient(body)
        if declared is not None:
            return declared
        if not parts and r"\nabla" not in self.scope.names:
            return self._gradient_at_point(operator, body)
        value = self.build(body)
        variables = self._coordinates(operator, parts, value)
        if variables is None:
            raise self.fail(operator, "\\nabla needs coordinates: declare {'\\nabla': (x, y)}")
        if divergence:
            if isinstance(value, MatrixBase) and value.shape == (len(variables),) * 2:
                return sympy.ImmutableMatrix([  # (\nabla \cdot D)_i = \sum_j \partial_j D_{ij}
                    sum(sympy.diff(value[i, j], v) for j, v in enumerate(variables))
                    for i in range(value.rows)])
            if isinstance(value, MatrixBase):
                return sum(sympy.diff(entry, v) for entry, v in zip(value, variables, strict=False))
            if len(variables) != 1:
                raise self.fail(operator, "the divergence of a scalar")
        if len(variables) == 1:
            return sympy.diff(value, variables[0])
        return sympy.Matrix([sympy.diff(value, v) for v in variables])

    def _declared_gradient(self, body: Node) -> Any:
        r"""``\nabla f(a)`` where ``\nabla f`` is declared (a gradient function or value)."""
        factors: list[Any] = list(body.children) if body.data == "implicit" else [body]
        first = factors[0]
        if not isinstance(first, Tree) or first.data != "postfix":
            return None
        primary, scripts = first.children[0], first.children[1:]
        readings = [(self.scope.names.get(squash(r"\nabla" + text)), rest) for text, rest in
                    ((self.source(first), ()), (self.source(primary), scripts))]
        found, rest = next(((v, r) for v, r in readings if v is not None), (None, ()))
        if found is None:
            return None
        value, used = self._scripts(found, rest), 1
        while _is_function(value) and used < len(factors) and _is_call_group(factors[used]):
            args, _ = self._call_args(factors[used].children[0])
            value = self._scripts(value(*args), factors[used].children[1:])
            used += 1
        return _times(value, self.product(factors[used:]))

    def _gradient_at_point(self, operator: Node, body: Node) -> Any:
        """``\\nabla f(a)``: the derivative of a one-variable function at the point ``a``."""
        factors: list[Any] = list(body.children) if body.data == "implicit" else [body]
        value, used = self._factor(factors, 0) if factors[0].data == "postfix" else (None, 0)
        if not (isinstance(value, AppliedUndef) and len(value.args) == 1):
            raise self.fail(operator, "\\nabla needs coordinates: declare {'\\nabla': (x, y)}")
        return _times(_derivative_at(value.func, value.args[0]), self.product(factors[used:]))

    def _coordinates(self, operator: Node, parts: list[Node], value: Any) -> list[Any] | None:
        declared = self.scope.names.get(squash(self.source(operator)))
        if parts and declared is not None:  # {r"\nabla_w": (w1, w2)}
            return list(declared)
        if parts:
            found = self.build(_only_value(parts[0].children[0]))
            return list(found) if isinstance(found, MatrixBase) else [found]
        declared = self.scope.names.get(r"\nabla")
        return list(declared) if declared is not None else None


_GREEK_VALUES: dict[str, Any] = {"pi": sympy.pi, "infty": sympy.oo}


def _spread(args: Sequence[Any]) -> list[Any]:
    """Arguments of a function with a vector spread into its coordinates: p(x, t) with
    x = (x_1, x_2) is p(x_1, x_2, t)."""
    spread: list[Any] = []
    for arg in args:
        if isinstance(arg, MatrixBase) and 1 in arg.shape:
            spread += list(arg)
        else:
            spread.append(arg)
    return spread


def _depends_only_on(value: Any, args: Sequence[Any]) -> bool:
    """Whether ``value`` is a declared quantity of functions whose free symbols are among
    the symbols ``args`` (``b`` declared as ``b(x, t)``, written ``b(x, t)``)."""
    if not isinstance(value, (sympy.Expr, MatrixBase)) or isinstance(value, Symbol):
        return False
    point = _spread(args)
    return bool(point) and all(isinstance(a, Symbol) for a in point) and bool(
        value.atoms(AppliedUndef)) and value.free_symbols <= set(point)


def _unprimed(name: Name) -> tuple[Name, int]:
    """``f''`` as ``f`` and the order 2 of its derivative."""
    latex, plain, order = name.latex, name.plain, 0
    while plain.endswith("_prime"):
        plain, order = plain[: -len("_prime")], order + 1
        latex = latex[:-1] if latex.endswith("'") else latex.removesuffix(r"^\prime")
    return Name(latex, plain), order


def _conventional_function(name: Name) -> bool:
    """Whether an undeclared name followed by parentheses is a call (``f(x)``, ``\\hat{p}(x)``)."""
    stem = name.plain.split("_")[0]
    written_as_word = name.latex.startswith((r"\text", r"\operatorname", r"\mathrm", r"\hat",
                                             r"\tilde", r"\mathcal"))
    return name.plain in _FUNCTION_LETTERS or stem in _FUNCTION_LETTERS or written_as_word


def _only_value(node: Node | Token) -> Node | Token:
    """The value node inside a script argument (``single`` or braced ``inner``)."""
    while isinstance(node, Tree) and node.data in ("single", "sub_arg", "sup_arg") and len(
            node.children) == 1:
        node = node.children[0]
    return node


def _concrete_range(bounds: list[tuple[Symbol, Any, Any]]) -> range | None:
    """The values of the one index of a sum with numeric bounds (at most 50 of them), or None."""
    if len(bounds) != 1:
        return None
    _, lower, upper = bounds[0]
    if upper is None:
        return None
    lower = sympy.S.One if lower is None else sympy.sympify(lower)
    upper = sympy.sympify(upper)
    if not (lower.is_Integer and upper.is_Integer) or upper - lower > 50:
        return None
    return range(int(lower), int(upper) + 1)


def _without_evalbar(factors: list[Any]) -> tuple[list[Any], Any]:
    """The factors without an evaluation bar ``\\Big|_{z=a}`` closing the last one, and the bar."""
    last = factors[-1]
    if not (isinstance(last, Tree) and last.data == "postfix" and len(last.children) > 1):
        return factors, None
    bar = last.children[-1]
    if not (isinstance(bar, Tree) and bar.data == "evalbar"):
        return factors, None
    return [*factors[:-1], Tree("postfix", last.children[:-1], meta=last.meta)], bar


def _closing_evalbar(node: Node) -> tuple[Node, Node] | None:
    """``node`` (a product) without the evaluation bar that ends it, and the bar; or None."""
    if not isinstance(node, Tree) or node.data not in ("implicit", "postfix"):
        return None
    factors = list(node.children) if node.data == "implicit" else [node]
    rest, bar = _without_evalbar(factors)
    if bar is None:
        return None
    return Tree("implicit", rest, meta=node.meta), bar


def _end_pos(node: Node | Token) -> int:
    if isinstance(node, Token):
        return node.end_pos or 0
    return node.meta.end_pos


def _token_meta(token: Token) -> Any:
    meta = lark.tree.Meta()  # type: ignore[no-untyped-call]
    meta.start_pos, meta.end_pos = token.start_pos or 0, token.end_pos or 0
    meta.empty = False
    return meta


def _argument_count(factor: Any) -> int:
    lists = [c for c in factor.children[0].children if isinstance(c, Tree)]
    return len([c for c in lists[0].children if isinstance(c, Tree)]) if lists else 0


def _next_function(factors: Sequence[Any]) -> int:
    """The position after the first factor of a named function's application (0 if none)."""
    return next((k for k, factor in enumerate(factors) if k and isinstance(factor, Tree)
                 and factor.data == "bigop" and factor.children[0].data == "func_op"), 0)


def _is_call_group(factor: Node) -> bool:
    return factor.data == "postfix" and isinstance(factor.children[0], Tree) and \
        factor.children[0].data == "paren"


def _starts_with_sign(node: Node | Token) -> bool:
    while isinstance(node, Tree):
        if node.data in ("neg", "sum"):
            return True
        if node.data not in ("add", "sub"):
            return False
        node = node.children[0]
    return False


def _definition(target: Any, value: Any) -> Any:
    """What ``target = value`` defines: ``value`` for a name, a function of the arguments
    for ``g(x)`` or ``u_m`` (symbols as arguments), or ``None``."""
    if isinstance(target, Symbol):
        return value
    if isinstance(target, AppliedUndef):
        parameters = target.args
    elif isinstance(target, Indexed):
        parameters = target.indices
    else:
        return None
    if not all(isinstance(p, Symbol) for p in parameters) or len(set(parameters)) != len(
            parameters):
        return None

    def defined(*args: Any) -> Any:
        if len(args) != len(parameters):
            raise ValueError(f"{target} takes {len(parameters)} arguments, got {len(args)}")
        given = dict(zip((p.name for p in parameters), args, strict=True))
        body = sympy.sympify(value)  # ``u_m = 2m - 1``: the m of the body is the index's
        return body.xreplace({s: given[s.name] for s in body.free_symbols if s.name in given})
    return defined


def _substitute(expr: Any, definitions: dict[Any, Any]) -> Any:
    if not definitions or not isinstance(expr, sympy.Basic):
        return expr
    return expr.xreplace(definitions)
