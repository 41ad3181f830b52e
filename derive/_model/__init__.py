"""What a derivation states: Source, Hypothesis, Step, Correction, Derivation, CrossCheck.

Imports only :mod:`derive._base`: the data model does not know how it is checked.
"""
