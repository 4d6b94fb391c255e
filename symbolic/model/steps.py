"""The value objects of a derivation, and the shape rules every step obeys.

:class:`Source` says where a derivation comes from; :class:`Step` is one
checked step.  :func:`check_relation` is the one place that decides whether
two sides may stand in a relation (equal shapes for ``=``, scalars for
inequalities); the builder applies it as steps are written, and
:func:`symbolic.verdicts.engine.validate` again before checking.

>>> Step("1", "chain", "<=", 1, 2).option("sequence", "none")
'none'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..algebra import MatrixExpr, sp
from ..exceptions import InvalidInputError

RELATIONS = ("=", "<=", "<", ">=", ">", "=>", "<=>", "exists", "->")

#: Versions of a :class:`Source`: a student's ``submitted`` answer and its ``corrected`` version, an
#: ``example``, and the textbook corpus's identity (``textbook``) and its ``planted`` mistake.
VERSIONS = ("submitted", "corrected", "example", "textbook", "planted")
#: The versions that are reviewed (findings reported, not failing): a submission, a planted mistake.
REVIEW_VERSIONS = ("submitted", "planted")


@dataclass(frozen=True)
class Source:
    """Where a derivation comes from.

    ``file`` and ``question`` say where it comes from (a submission's file and question, or a
    textbook identity's reference and family); ``version`` is one of :data:`VERSIONS`.

    >>> Source("000_fb61d5ace7e02265.txt", "1.2", "submitted").version
    'submitted'
    >>> Source("The Matrix Cookbook, eq. (100)", "traces", "planted").version
    'planted'
    """

    file: str = ""
    question: str = ""
    version: str = "corrected"

    def __post_init__(self) -> None:
        if self.version not in VERSIONS:
            raise InvalidInputError(
                f'Unknown source version "{self.version}"; expected one of '
                + ", ".join(f'"{v}"' for v in VERSIONS)
            )

    def to_json(self) -> dict:
        return {"file": self.file, "question": self.question, "version": self.version}


@dataclass(frozen=True)
class Step:
    """One checked step: ``lhs relation rhs`` with its label and justification.

    ``kind`` is ``chain`` (relation to the previous expression), ``claim``
    (a standalone statement), ``implies`` (an equation implied by the
    previous one), ``induction`` (a claim about a sequence for every index)
    or ``exists`` (a claim shown by a witness).
    """

    label: str
    kind: str
    relation: str
    lhs: Any
    rhs: Any
    why: str = ""
    rule: str | None = None
    options: tuple = ()
    budget: float | None = None

    def option(self, key: str, default=None):
        for k, v in self.options:
            if k == key:
                return v
        return default


def strict(x):
    """sympify without ever parsing text (text goes through Derivation.parse)."""
    if isinstance(x, str):
        raise InvalidInputError(f'Expected an expression, got text "{x}": text is parsed only where an expression is written')
    return sp.sympify(x, strict=True)


def freeze(v):
    if isinstance(v, (list, tuple)):
        return tuple(freeze(x) for x in v)
    return v


def check_same_shape(a, b, derivation: str, step: str, symbol: str | None = None) -> None:
    sa = a.shape if isinstance(a, MatrixExpr) else (1, 1)
    sb = b.shape if isinstance(b, MatrixExpr) else (1, 1)
    if sp.sympify(sa[0]) != sp.sympify(sb[0]) or sp.sympify(sa[1]) != sp.sympify(sb[1]):
        raise InvalidInputError(f"shape mismatch: {sa[0]} x {sa[1]} against {sb[0]} x {sb[1]}",
                                derivation=derivation, step=step, symbol=symbol)


def check_relation(lhs, relation: str, rhs, derivation: str, label: str) -> None:
    """Shapes must agree for ``=``; inequalities need scalars."""
    sa = lhs.shape if isinstance(lhs, MatrixExpr) else (1, 1)
    sb = rhs.shape if isinstance(rhs, MatrixExpr) else (1, 1)
    if relation in ("<=", "<", ">=", ">"):
        for s in (sa, sb):
            if (sp.sympify(s[0]), sp.sympify(s[1])) != (1, 1):
                raise InvalidInputError(f"an inequality between non-scalar objects of shape {s[0]} x {s[1]}",
                                        derivation=derivation, step=label)
        return
    if sp.sympify(sa[0]) != sp.sympify(sb[0]) or sp.sympify(sa[1]) != sp.sympify(sb[1]):
        raise InvalidInputError(f"relation between incompatible objects: {sa[0]} x {sa[1]} against {sb[0]} x {sb[1]}",
                                derivation=derivation, step=label)
