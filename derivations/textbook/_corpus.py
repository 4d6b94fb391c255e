"""The decorator of the textbook corpus: one factory, two derivations (the identity, its planted mistake).

>>> import derivations.textbook
>>> from derivations._registry import names
>>> {"tb_trace_of_product_gradient", "tb_trace_of_product_gradient_wrong"} <= set(names())
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from symbolic import Derivation, Source

from .._registry import register

#: Every identity of the corpus, by name (without the ``tb_`` prefix).
IDENTITIES: dict[str, "Identity"] = {}


@dataclass(frozen=True)
class Identity:
    """One identity of the corpus: its factory, where it comes from, and the planted mistake."""

    name: str
    factory: Callable[[Derivation, bool], None]
    reference: str
    family: str
    mistake: str

    def build(self, wrong: bool = False) -> Derivation:
        """The derivation of the identity (``wrong``: of its planted mistake)."""
        name = f"tb_{self.name}_wrong" if wrong else f"tb_{self.name}"
        statement = f"{self.reference}" + (f" (planted mistake: {self.mistake})" if wrong else "")
        d = Derivation(name, statement=statement, review=wrong,
                       source=Source(self.reference, self.family, "submitted" if wrong else "corrected"))
        self.factory(d, wrong)
        return d


def textbook(reference: str, mistake: str) -> Callable:
    """Register ``factory(d, wrong)`` as identity ``tb_<name>`` and its planted mistake ``tb_<name>_wrong``.

    The factory declares its symbols on ``d`` and writes the identity; where
    ``wrong`` is true it writes the planted mistake instead.
    """
    def deco(factory: Callable[[Derivation, bool], None]) -> Callable:
        family = factory.__module__.rsplit(".", 1)[-1]
        ident = Identity(factory.__name__, factory, reference, family, mistake)
        IDENTITIES[ident.name] = ident
        for wrong in (False, True):
            def make(ident=ident, wrong=wrong) -> Derivation:
                return ident.build(wrong)
            make.__name__ = f"tb_{ident.name}_wrong" if wrong else f"tb_{ident.name}"
            register(make)
        return factory
    return deco
