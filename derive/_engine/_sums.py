r"""Sums and products over a symbolic number of terms, as the notes write likelihoods.

Two helpers for the rungs:

- :func:`doit_keeping_open_sums` is ``expr.doit()`` that does not ask SymPy for a
  closed form of :math:`\sum_{i=1}^{N} f(x_i)` when the summand depends on the
  index only through draws ``x[i]`` (there is none; SymPy's summation algorithms
  can spend seconds finding that out).  Such sums are kept as they are, with
  their summand evaluated.
- :func:`expanded_sums` is a canonical form for sums of logs of products:
  :math:`\log \prod_i f_i = \sum_i \log f_i` for non-zero :math:`f_i` (through
  :math:`\prod_i f_i = \exp \sum_i \log f_i`), logs expanded where the
  assumptions allow, and every sum split into terms with the factors that do not
  depend on the index pulled out: :math:`\sum_i (c\,a_i + b_i) = c \sum_i a_i
  + \sum_i b_i`, :math:`\sum_{i=1}^{N} c = N c`.
"""

from __future__ import annotations

from typing import Any

import sympy
from sympy import (
    Add,
    Derivative,
    Dummy,
    Function,
    Indexed,
    KroneckerDelta,
    MatrixBase,
    Mul,
    Pow,
    Product,
    Sum,
)

__all__ = ["doit_keeping_open_sums", "expanded_sums", "products_as_sums_of_logs"]

# Nodes whose doit() only evaluates their arguments: it is safe to look for sums inside them.
# (Inside a Derivative or Subs a sum must stay a sum, so those are left to doit() whole.)
_TRANSPARENT = (Add, Mul, Pow, Function, Sum, Product)


def _has_symbolic_bounds(total: Sum) -> bool:
    return any(not (upper - lower).is_number for _, lower, upper in total.limits)


def _indexes_draws(total: Sum) -> bool:
    """Whether the summand depends on a summation index through draws ``x[i]``, each
    indexed by bare indices (a shifted ``x[i + 1]`` may telescope: that is left to SymPy)."""
    indices = set(total.variables)
    draws = [d for d in total.function.atoms(Indexed)
             if set().union(*(k.free_symbols for k in d.indices)) & indices]
    return bool(draws) and all(k.is_Symbol or not k.free_symbols & indices
                               for d in draws for k in d.indices)


def _has_no_closed_form(expr: Any) -> bool:
    return (isinstance(expr, Sum) and _has_symbolic_bounds(expr) and _indexes_draws(expr)
            and not expr.has(KroneckerDelta))


def _derivative_of_sums(derivative: Derivative, held: dict[Any, Any]) -> Any:
    r"""A derivative of an expression holding sums, taken after its sums are kept open:
    :math:`\partial_w \sum_i f_i = \sum_i \partial_w f_i`, without asking SymPy for a
    closed form of the sum first (``doit()`` does, and finds none).  A derivative SymPy
    leaves unevaluated is returned as it is, for ``doit()``."""
    value = sympy.diff(doit_keeping_open_sums(derivative.expr), *derivative.variable_count)
    if isinstance(value, Derivative):
        return derivative
    return _hold(value, held)


def _hold(expr: Any, held: dict[Any, Any]) -> Any:
    """``expr`` with every open sum replaced by a placeholder recorded in ``held``."""
    if _has_no_closed_form(expr):
        placeholder = Dummy("open_sum")
        held[placeholder] = expr.func(doit_keeping_open_sums(expr.function), *expr.limits)
        return placeholder
    if isinstance(expr, Derivative) and expr.expr.has(Sum):
        return _derivative_of_sums(expr, held)
    if not isinstance(expr, _TRANSPARENT):
        return expr
    args = [_hold(arg, held) for arg in expr.args]
    if all(new is old for new, old in zip(args, expr.args, strict=True)):
        return expr
    return expr.func(*args)


def doit_keeping_open_sums(expr: Any) -> Any:
    """``expr.doit()``, except that sums with symbolic bounds whose summand depends on the
    index through indexed draws (and holds no Kronecker delta) are kept as sums.

    SymPy has no closed form for :math:`\\sum_{i=1}^{N} g(x_i)` either; the result
    is the same, only faster.
    """
    if isinstance(expr, MatrixBase):
        return expr.applyfunc(doit_keeping_open_sums)
    if not isinstance(expr, sympy.Basic):
        return expr
    held: dict[Any, Any] = {}
    value = _hold(expr, held).doit()
    return value.xreplace(held) if held else value


def _product_as_sum_of_logs(product: Product) -> Any:
    """:math:`\\prod_i f_i = \\exp \\sum_i \\log f_i`, valid when every factor is non-zero."""
    if product.function.is_nonzero:
        return sympy.exp(Sum(sympy.log(product.function), *product.limits))
    return product


def _split_over(expr: Any, limit: tuple[Any, Any, Any]) -> Any:
    """:math:`\\sum_i (c\\,a_i + b_i) = c \\sum_i a_i + \\sum_i b_i` for one index."""
    index, lower, upper = limit
    result = sympy.S.Zero
    for term in Add.make_args(sympy.expand(expr)):
        constant, varying = term.as_independent(index, as_Add=False)
        result += constant * (Sum(varying, limit) if varying != 1 else upper - lower + 1)
    return result


def _split(total: Sum) -> Any:
    """A sum split term by term, innermost index first (SymPy merges nested sums into one
    sum with several limits, so the limits are taken one at a time)."""
    if any(len(limit) != 3 for limit in total.limits):
        return total
    value = total.function
    for limit in total.limits:
        value = _split_over(value, limit)
    return value


def products_as_sums_of_logs(expr: Any) -> Any:
    """Every product of non-zero factors written as :math:`\\exp \\sum_i \\log f_i`, so
    that :math:`\\log \\prod_i f_i` becomes :math:`\\sum_i \\log f_i` (for real sums) and
    differentiates term by term."""
    return expr.replace(lambda e: isinstance(e, Product), _product_as_sum_of_logs)


def expanded_sums(expr: Any) -> Any:
    """Canonical form of sums of logs of products (see the module docstring), then
    ``cancel(together(.))`` so that rational functions of the sums (a matrix inverse built
    from :math:`\\sum_i x_i x_i^T`, say) cancel too.  Expressions without sums or products
    are returned unchanged: the other transforms cover them."""
    if not expr.has(Sum, Product):
        return expr
    value = products_as_sums_of_logs(expr)
    value = sympy.expand(sympy.expand_log(value, force=False))
    value = sympy.expand(value.replace(lambda e: isinstance(e, Sum), _split))
    return value if value == 0 else sympy.cancel(sympy.together(value))
