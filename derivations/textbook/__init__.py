"""The textbook corpus: identities of ML matrix calculus, each next to a planted wrong form.

Every module of this package holds one family of identities (The Matrix
Cookbook's traces, determinants, inverses, norms; standard ML gradients;
expectations; inequalities).  Each identity is one short factory written as
a user would, decorated with :func:`._corpus.textbook`; it registers two
built-in derivations, ``tb_<name>`` (the identity) and ``tb_<name>_wrong``
(the planted mistake, a review derivation).
"""

from __future__ import annotations

import importlib
import pkgutil


def load() -> list[str]:
    """Import every family module of the corpus (registering its identities); their names.

    >>> "derivations.textbook.traces" in load()
    True
    """
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))
    mods = [f"{__name__}.{n}" for n in names]
    for mod in mods:
        importlib.import_module(mod)
    return mods


load()
