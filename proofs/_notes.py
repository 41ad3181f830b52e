"""Names of the two documents whose derivations are checked here."""

LECTURE_NOTES = "003_b6f26f14e280a54b.txt"
"""Lecture notes "Deep Learning - Numerical Optimization & Learning Theory"."""

ASSIGNMENT = "000_9465c14a4de97d64.txt"
"""Assignment "Machine Learning Assignment 11": unanswered questions."""
