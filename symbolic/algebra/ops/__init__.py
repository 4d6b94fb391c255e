"""The vocabulary of stepcheck: operators declared once, by family (see :mod:`.registry`).

>>> from symbolic.algebra.ops import lookup, by_text
>>> by_text("no_such_operator") is None
True
"""

from .registry import (
    Bound, Operator, Rewrite, apply_rewrites, by_text, exported, families, lookup, operators, register, text_names,
)

__all__ = ["Bound", "Operator", "Rewrite", "apply_rewrites", "by_text", "exported", "families", "lookup", "operators",
           "register", "text_names"]
