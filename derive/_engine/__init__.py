"""How one claim is checked: the rung ladder, budgets, random admissible points, the
expectation algebra (i.i.d. samples and mini-batches drawn without replacement), sums over
samples, and the per-process answer cache.

Imports :mod:`derive._base` and :mod:`derive._processes`.
"""
