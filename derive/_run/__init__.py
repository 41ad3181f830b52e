"""Checking derivations: one derivation's chain and cross-checks, collecting proof files,
parallel runs, and the report object that holds the results.

Imports the layers below: base, processes, engine, model.
"""
