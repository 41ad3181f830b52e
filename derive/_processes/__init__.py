"""Killable worker processes: fresh interpreters that run a function under a CPU-time budget.

Imports only :mod:`derive._base`.
"""
