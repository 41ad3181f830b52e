"""Defaults shared by every layer (importing this loads nothing else)."""

from __future__ import annotations

__all__ = ["DEFAULT_BUDGET"]

DEFAULT_BUDGET = 5.0  # CPU seconds per check
