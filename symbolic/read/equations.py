r"""Equations a submission solves: a line that sets an expression to zero, or equates two expressions, and the
lines derived from it, which are checked as implications (every solution of the equation solves them), never
as identities of their own.

* ``\nabla_x \hat f(x) = 0`` after "given by", "setting", "en posant", ... : the relation to zero is a condition
  (an equation in the unknown), not a claim that the gradient vanishes everywhere;
  ``\nabla_x \hat f(x) = g + H(x - x_0) = 0`` checks its first relation and takes the last as the equation.
* "En les égalisant, on trouve a = b" (equating them): ``a = b`` is the student's claim (checked) and the
  equation the following lines are derived from.
* The display lines ``a = b`` that follow (definitions in between allowed) are implications of the equation
  before them, solved for the *unknown*: the name a later display line of the question isolates (``x = ...``), else
  the first name written in the equation (a vector before a scalar).

These are judgements on a line's role from the words around it and its form, never from its verdict.

>>> from symbolic.read.source import Line
>>> zero = Line("a.md", 3, 1, r"\nabla f = 0", None, "", "", display=False, intro="the algorithm is given by")
>>> sets_to_zero([sp.Symbol("a") + 1, sp.Integer(0)], ["="], zero, active=False)
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..algebra import sp
from .source import Line

_ZERO_CUE = re.compile(r"(?:\bsett?ing\b|\bset\b|\bfixant\b|\ben posant\b|\bposons\b|donn[ée]e? par|\bgiven by|"
                       r"\bannul\w*|\bsolv\w*|\br[ée]sol\w*|\bégal(?:is\w*|ant)|\bequat(?:ing|e[sd]?)\b)\W*$", re.I)
_EQUATE_CUE = re.compile(r"(?:\bégalis\w*|\bégalant|\bequating|\bequate[sd]?|\bsetting (?:them|both|the two)"
                         r" equal)\b", re.I)  # "equation" is not a cue: it names a line, it does not equate
_BARE = (sp.Symbol, sp.MatrixSymbol)


@dataclass(frozen=True)
class Equation:
    """The equation in force: its line and the unknown it is solved for."""

    line: int
    unknown: sp.Basic


def _is_zero(e) -> bool:
    return isinstance(e, sp.ZeroMatrix) or (isinstance(e, sp.Basic) and not hasattr(e, "shape") and e == 0)


def sets_to_zero(exprs: list, rels: list[str], ln: Line, active: bool) -> bool:
    """Whether the last relation of the line, ``... = 0``, is an equation to solve: the side before it is an
    expression in names (not a bare name: ``mu = 0`` defines mu), and the words before the line say so or an
    equation is in force (the line rewrites it).

    >>> ln = Line("a.md", 3, 1, "a = 0", None, "", "", display=True, intro="so")
    >>> sets_to_zero([sp.Symbol("a"), sp.Integer(0)], ["="], ln, active=True)
    False
    """
    if not rels or rels[-1] != "=" or len(exprs) != len(rels) + 1 or not _is_zero(exprs[-1]):
        return False
    side = exprs[-2]
    if isinstance(side, _BARE) or not getattr(side, "free_symbols", None) or _is_zero(side):
        return False
    return active or bool(_ZERO_CUE.search(ln.intro))


def equates(ln: Line, exprs: list, rels: list[str]) -> bool:
    """Whether the words before the line say it equates two expressions ("en les égalisant", "equating").

    >>> equates(Line("a.md", 3, 1, "a = b", None, "", "", intro="Equating them, we find"),
    ...         [sp.Symbol("a"), sp.Symbol("b")], ["="])
    True
    """
    return rels == ["="] and len(exprs) == 2 and not _is_zero(exprs[1]) and bool(_EQUATE_CUE.search(ln.intro))


def unknown_of(eq: tuple, written: list[str], later: list[str]):
    """The name the equation ``eq`` is solved for: one a later line isolates (``x = ...``, texts ``later``), else
    the first of ``written`` (the names in the order the line writes them) in the equation, a vector first.

    >>> x, a = sp.MatrixSymbol("x", 3, 1), sp.Symbol("a")
    >>> str(unknown_of((a * x, sp.ZeroMatrix(3, 1)), ["a", "x"], [r"x = 2", "y = 1"]))
    'x'
    >>> str(unknown_of((a * x, sp.ZeroMatrix(3, 1)), ["a", "x"], []))
    'x'
    """
    names = {str(s): s for e in eq for s in getattr(e, "free_symbols", ())}
    for text in later:
        m = re.match(r"\s*(?:\\mathbf\{|\\boldsymbol\{)?\\?([A-Za-z]+(?:_\{?[A-Za-z0-9]+\}?)?)\}?\s*=(?!=)", text)
        if m and m.group(1).replace("{", "").replace("}", "") in names:
            return names[m.group(1).replace("{", "").replace("}", "")]
    order = [names[n] for n in written if n in names] + sorted(names.values(), key=str)
    vectors = [s for s in order if isinstance(s, sp.MatrixSymbol)]
    return (vectors or order or [None])[0]
