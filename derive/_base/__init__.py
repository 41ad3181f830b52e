"""The vocabulary every layer shares: errors, argument validation, verdict words, relations.

Imports nothing else of ``derive``.
"""
