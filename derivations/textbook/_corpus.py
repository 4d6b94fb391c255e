"""The decorator of the textbook corpus: one factory, two derivations (the identity, its planted mistake).

>>> import derivations.textbook
>>> from derivations._registry import names
>>> {"tb_trace_of_product_gradient", "tb_trace_of_product_gradient_wrong"} <= set(names())
True
"""

from __future__ import annotations

import inspect
import sys
import textwrap
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
                       source=Source(self.reference, self.family, "planted" if wrong else "textbook"))
        self.factory(d, wrong)
        return d

    def loc(self) -> int:
        """Lines of user code: the factory's body (declarations and steps), without the decorator,
        the ``def`` line, the docstring, blank lines and comments.

        >>> import derivations.textbook
        >>> IDENTITIES["trace_of_product_gradient"].loc()
        3
        """
        return user_lines(self.factory)


def user_lines(fn: Callable) -> int:
    """Non-blank, non-comment lines of ``fn``'s body (its decorator, ``def`` line and docstring left out).

    >>> def f(d, wrong):
    ...     'Doc.'
    ...     n = d.dim("n")  # a dimension
    ...
    ...     # the claim
    ...     d.claim(n, "=", n, "1")
    >>> user_lines(f)
    2
    """
    import ast

    source = textwrap.dedent(inspect.getsource(fn))
    node = ast.parse(source).body[0]
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]
    if not body:
        return 0
    lines = source.splitlines()[body[0].lineno - 1:body[-1].end_lineno]
    return sum(1 for x in lines if x.strip() and not x.strip().startswith("#"))


def textbook(reference: str, mistake: str) -> Callable:
    """Register ``factory(d, wrong)`` as identity ``tb_<name>`` and its planted mistake ``tb_<name>_wrong``.

    The factory declares its symbols on ``d`` and writes the identity; where
    ``wrong`` is true it writes the planted mistake instead.  The identity's
    source version is ``textbook``, the mistake's ``planted`` (a review
    derivation); ``reference`` is the source's file, the module (the family)
    its question.  Both factories are registered as built-ins and set as
    attributes ``tb_<name>``, ``tb_<name>_wrong`` of the family's module.
    A name registered twice is an error.
    """
    def deco(factory: Callable[[Derivation, bool], None]) -> Callable:
        family = factory.__module__.rsplit(".", 1)[-1]
        ident = Identity(factory.__name__, factory, reference, family, mistake)
        if ident.name in IDENTITIES:
            raise ValueError(f"textbook identity {ident.name!r} is defined twice "
                             f"({IDENTITIES[ident.name].family} and {family})")
        IDENTITIES[ident.name] = ident
        module = sys.modules.get(factory.__module__)
        for wrong in (False, True):
            def make(ident=ident, wrong=wrong) -> Derivation:
                return ident.build(wrong)
            make.__name__ = make.__qualname__ = f"tb_{ident.name}_wrong" if wrong else f"tb_{ident.name}"
            make.__module__ = factory.__module__
            register(make)
            if module is not None:  # the family's module holds its derivations' factories, so that the file
                setattr(module, make.__name__, make)  # loaded by `stepcheck check FILE` or pytest yields them
        return factory
    return deco


def _finite(value) -> bool:
    """A side's value in a counterexample is defined: a finite number, or nested lists of them."""
    import math

    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return math.isfinite(value)
    if isinstance(value, (list, tuple)):
        return bool(value) and all(_finite(v) for v in value)
    return False


def correct_outcome(result) -> str:
    """``proved`` when every step of an identity's result is PROVED, ``confirmed`` when every step is
    PROVED or CONFIRMED, else ``other``.

    >>> from symbolic import Derivation, check
    >>> d = Derivation("demo"); x = d.scalar("x"); _ = d.claim(x + x, "=", 2 * x, "1")
    >>> correct_outcome(check(d, cache=False))
    'proved'
    """
    verdicts = {s.verdict.value for s in result.steps}
    if verdicts and verdicts <= {"PROVED"}:
        return "proved"
    if verdicts and verdicts <= {"PROVED", "CONFIRMED"}:
        return "confirmed"
    return "other"


def wrong_outcome(result) -> str:
    """``refuted`` when some step of a planted mistake's result is REFUTED by a counterexample at which
    both sides are defined (finite numbers), else ``other``.

    >>> from symbolic import Derivation, check
    >>> d = Derivation("demo"); x = d.scalar("x"); _ = d.claim(x + x, "=", 3 * x, "1")
    >>> wrong_outcome(check(d, cache=False))
    'refuted'
    """
    for s in result.steps:
        ce = s.counterexample
        if s.verdict.value == "REFUTED" and ce is not None and _finite(ce.lhs) and _finite(ce.rhs):
            return "refuted"
    return "other"
