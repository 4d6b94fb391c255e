r"""How a read line is taken when the text leaves a choice: a condition, a premise in words, a restatement.

These are the audit's judgements about a line's role (claim, definition, hypothesis, condition), made
from what was read and the words around it, never from the line's verdict.

>>> join("read as the definition of c", None)
'read as the definition of c'
"""

from __future__ import annotations

import re

from ..algebra import sp
from ..model.derivation import Derivation
from ..exceptions import StepcheckError
from .source import Line

REL = {"<=": sp.Le, "<": sp.Lt, ">=": sp.Ge, ">": sp.Gt, "=": sp.Eq}
CUE = re.compile(r"(?:\bon pose|\bposons|\bsoit|\bsoient|\blet|\bwhere|\bwith|\bavec|\bdefine|\bdenote|"
                 r"\bnotons|\bo[uù]|\bset|\bpour)\W*$", re.I)
_IMPLY = re.compile(r"(?:\bimpl(?:y|i\w*)|\bdonc|\bhence|\bthus|\btherefore|\bso|\bgives?|\bdonne|\bentra[iî]ne)\W*$", re.I)
_AND = re.compile(r"\b(?:et|and)\W*$", re.I)
# "we have y = A ... we have y = B" (two models, two cases): an inline line giving a name defined before another value
_HAVE = re.compile(r"(?:\bon a(?: que)?|\bwe have|\bwe get|\bon obtient|\bone has|\bone gets)\W*$", re.I)


def condition(exprs: list, rels: list[str], table) -> bool:
    """``beta = alpha``, ``epsilon = delta (1 - beta)``: only declared scalar parameters, and not an identity.

    >>> from symbolic.read.context import context_from_dict
    >>> t = context_from_dict({"symbols": {"a": {}, "b": {}}})
    >>> a, b = sp.symbols("a b")
    >>> condition([a, 2 * b], ["="], t), condition([a + b, b + a], ["="], t)
    (True, False)
    """
    if rels != ["="] or any(isinstance(e, sp.MatrixExpr) for e in exprs):
        return False
    names = [s for e in exprs for s in getattr(e, "free_symbols", ())]
    if not names or not all(str(s) in table.symbols and table.symbols[str(s)].kind == "scalar" for s in names):
        return False
    try:
        return sp.simplify(exprs[0] - exprs[1]) != 0
    except (TypeError, ValueError):
        return False


def antecedents(lines: list[Line]) -> set[int]:
    """Positions of the inline lines just before an inline line introduced by "implies" ("donc", "hence"...),
    joined by "and": the premises of an implication stated in words.

    >>> ls = [Line("a.md", 1, 1, "a = b", None, "", "a = b", display=False, intro="so"),
    ...       Line("a.md", 1, 9, "c = d", None, "", "c = d", display=False, intro="and"),
    ...       Line("a.md", 1, 20, "e = f", None, "", "e = f", display=False, intro="implies")]
    >>> sorted(antecedents(ls))
    [0, 1]
    """
    out: set[int] = set()
    for k in range(1, len(lines)):
        if lines[k].display or not _IMPLY.search(lines[k].intro):
            continue
        j = k - 1
        while j >= 0 and not lines[j].display and not CUE.search(lines[j].intro):  # "let a = b, so": a definition
            out.add(j)
            if not _AND.search(lines[j].intro):
                break
            j -= 1
    return out


def declared_already(d: Derivation, exprs: list, rels: list[str], line: int) -> bool:
    """Assume the hypothesis ``gamma > 0``; True (nothing assumed) when the declarations already imply it: it is
    then checked as a claim the declarations prove.

    >>> d = Derivation("d"); g = d.scalar("gamma", positive=True)
    >>> declared_already(d, [g, 0], [">"], 3)
    True
    """
    try:
        for k, rel in enumerate(rels):
            d.assume(REL[rel](exprs[k], exprs[k + 1]), name=f"line {line}")
    except StepcheckError as err:
        if "always True" in err.message:
            return True
        raise
    return False


def join(first: str, then: str | None) -> str:
    """``first``, then ``then`` when there is one (a reason and a reading note)."""
    return first if not then else f"{first}; {then}"


def redefines(earlier: list, exprs: list, rels: list[str], continues: bool, ln: Line) -> bool:
    """A line ``name = value`` giving a name defined before another value (not a restatement): a display or
    after "let"/"with", unlabelled (a labelled line (17) is a result).

    >>> a = sp.Symbol("a")
    >>> redefines([2 * a], [sp.Symbol("r"), 3 * a], ["="], False, Line("a.md", 4, 1, "r = 3a", None, "", "r = 3a"))
    True
    """
    if continues or len(rels) != 1 or rels[0] not in ("=", ":=") or ln.label is not None:
        return False
    if not ln.display and not CUE.search(ln.intro) and not _HAVE.search(ln.intro):
        return False
    return all(v != exprs[1] for v in earlier) and exprs[0] not in getattr(exprs[1], "free_symbols", ())


def excluded_case(cases: list[tuple[int, set]], values: dict | None, line: int) -> str | None:
    r"""The inline ``k 
eq y`` (line, names) before ``line`` that a counterexample's ``values`` contradict
    (it takes ``k = y``, the case the text sets aside in words, "pour $k 
eq y$"), as text; or None.

    >>> excluded_case([(3, {"k", "y"})], {"k": 2, "y": 2, "x": [[1]]}, 5)
    'k = y, the case the text excludes (k \\neq y, line 3)'
    >>> excluded_case([(3, {"k", "y"})], {"k": 1, "y": 2}, 5) is None
    True
    """
    for at, names in cases:
        if at < line and values and names <= set(values) and len({repr(values[n]) for n in names}) == 1:
            a, b = sorted(names)
            return f"{a} = {b}, the case the text excludes ({a} \\neq {b}, line {at})"
    return None


def index_case(exprs: list, rels: list[str], table) -> bool:
    """``t = 0`` where the context declares ``t`` an index: a case of the index (the base of an induction), never a
    definition substituted in the whole question (lines on ``g_{t-1}`` would then be read at ``t = 0``).

    >>> from symbolic.read.context import context_from_dict
    >>> t = context_from_dict({"symbols": {"t": {"kind": "index", "lower": 1}}})
    >>> index_case([sp.Symbol("t"), sp.Integer(0)], ["="], t), index_case([sp.Symbol("t"), sp.Symbol("a")], ["="], t)
    (True, False)
    """
    if rels != ["="] or not isinstance(exprs[0], sp.Symbol) or not getattr(exprs[1], "is_Integer", False):
        return False
    spec = table.symbols.get(exprs[0].name)
    return spec is not None and spec.kind == "index"
