"""How one claim is checked: the rung ladder, budgets, random admissible points, the
expectation algebra, sums over samples, and the per-process answer cache.

Imports :mod:`derive._base` and :mod:`derive._processes`.
"""
