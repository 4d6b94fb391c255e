"""The built-in derivations: the seed submissions, as submitted and corrected.

>>> from derivations import get, names
>>> d = get(names()[0])
>>> d.name == names()[0]
True
"""

from ._registry import all_derivations, fresh, get, names, register

__all__ = ["all_derivations", "fresh", "get", "names", "register"]
