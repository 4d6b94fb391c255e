r"""The conclusions of an implication stated in words whose premises are the lines just before it: "term by term,
$a p = b p$ and $c q = k q$ imply $a = b$ and $c = k$ (respectively)".

A premise ``P`` compares coefficients of one vector ``x`` that it holds for every value of (it is an identity
in ``x``, compared term by term); its conclusion ``Q`` (``a = b``) follows when P's two sides differ by Q's
difference times ``c x``, ``c`` nonzero by the declarations: ``P_l - P_r = (Q_l - Q_r) c x`` for every ``x``
gives ``Q_l = Q_r``.  The factorisation
is the engine's claim; a conclusion whose premise does not factor so is not proved (nor refuted: a premise
that does not give it is no counterexample to it).

>>> from .source import Line
>>> ls = [Line("a.md", 1, 1, "a = b", None, "", "a = b", display=False, intro="so"),
...       Line("a.md", 1, 9, "c = d", None, "", "c = d", display=False, intro="and"),
...       Line("a.md", 1, 20, "e = f", None, "", "e = f", display=False, intro="implies"),
...       Line("a.md", 1, 30, "g = h", None, "", "g = h", display=False, intro="and")]
>>> conclusions(ls)
{2: [0], 3: [1]}
"""

from __future__ import annotations

from ..algebra import SeqTerm, sp
from .premises import _AND, _IMPLY, antecedents
from .source import Line


def conclusions(lines: list[Line]) -> dict[int, list[int]]:
    """Position of each conclusion of an implication in words (the inline line introduced by "implies" and the
    inline lines joined to it by "and") -> the positions of its premises: the one of the same rank when there
    are as many premises as conclusions ("respectively"), else all of them (see the module docstring)."""
    out: dict[int, list[int]] = {}
    for k, ln in enumerate(lines):
        if ln.display or not _IMPLY.search(ln.intro) or k == 0:
            continue
        before, run = antecedents(lines[:k + 1]), []
        while k - len(run) - 1 in before:  # the premises of this "implies": the block just before it
            run.insert(0, k - len(run) - 1)
        if not run:
            continue
        after = [k]
        while after[-1] + 1 < len(lines) and not lines[after[-1] + 1].display and _AND.search(lines[after[-1] + 1].intro):
            after.append(after[-1] + 1)
        for r, c in enumerate(after):
            out[c] = [run[r]] if len(run) == len(after) else run
    return out


def common_vector(diff) -> object | None:
    """The one vector ``x`` (a declared vector, or a term of a sequence) of ``diff`` when there is exactly one,
    else None: the vector a premise compares the coefficients of.

    >>> p = sp.MatrixSymbol("p", 3, 1); a, b = sp.symbols("a b")
    >>> common_vector(a * p - b * p), common_vector(a - b)
    (p, None)
    """
    if not isinstance(diff, sp.MatrixExpr):
        return None
    found = {e for e in sp.preorder_traversal(diff) if isinstance(e, (sp.MatrixSymbol, SeqTerm)) and e.shape[1] == 1}
    return next(iter(found)) if len(found) == 1 else None


def from_premise(d, scope, premises: list[Line], exprs: list, label: str) -> tuple[str, str] | None:
    """State the conclusion ``exprs`` (``a = b``) of an implication in words as the engine's claim that a premise's
    sides differ by its difference times the one vector of that premise (module docstring): ``(label, note)``,
    or None when no premise is read or has one vector.

    >>> from symbolic.model.derivation import Derivation
    >>> d = Derivation("d"); n = d.dim("n"); a, b = d.scalar("a"), d.scalar("b"); p = d.vector("p", n)
    >>> scope = type("S", (), {})()
    >>> from_premise(d, scope, [], [a, b], "1"), len(d.steps)
    (None, 0)
    """
    from ..exceptions import StepcheckError
    from .latex import ReadError, read_chain

    found = []
    for ln in premises:
        try:
            chain = read_chain(ln.text, scope)
        except (ReadError, StepcheckError):
            continue
        except Exception:  # noqa: BLE001 - a premise not read proves nothing: the line stays as it was
            continue
        if list(chain.relations) != ["="]:
            continue
        diff = chain.exprs[0] - chain.exprs[1]
        x = common_vector(diff)
        if x is not None:
            found.append((ln, diff, x))
    a, q = exprs[0], exprs[0] - exprs[1]
    if not found or not isinstance(a, sp.Symbol):
        return None
    for ln, diff, x in found:  # the premise whose coefficient of a is a nonzero multiple of its vector
        f = coefficient(diff, a, x)
        if f is not None:
            break
    else:
        return None
    d.claim(diff, "=", q * f, label)
    x = f"{x.args[0]}_({x.args[1]})" if isinstance(x, SeqTerm) else x
    return label, (f"the conclusion of an implication in words: its premise (line {ln.line}, ${ln.text}$), an "
                   f"identity in {x} compared term by term, is checked to have sides that differ by this line's "
                   f"difference times {f} (a nonzero multiple of {x}): the premise holding for every {x}, this line follows")


def coefficient(diff, a, x):
    """The coefficient ``f`` of the scalar ``a`` in ``diff`` (linear in ``a``) when it is ``c x`` with ``c`` nonzero
    by the declarations, else None.

    >>> p = sp.MatrixSymbol("p", 3, 1); a, b = sp.symbols("a b"); k = sp.Symbol("k", positive=True)
    >>> coefficient(-k * a * p + k * b * p, a, p), coefficient(b * a * p, a, p)
    ((-k)*p, None)
    """
    try:
        f = sp.simplify((diff.xreplace({a: 1}) - diff.xreplace({a: 0})).doit())
    except Exception:  # noqa: BLE001 - no coefficient read: the line stays as it was
        return None
    parts = f.args if isinstance(f, sp.MatMul) else (f,)
    c = sp.Mul(*[y for y in parts if not isinstance(y, sp.MatrixExpr)])
    if [y for y in parts if isinstance(y, sp.MatrixExpr)] != [x] or not c.is_nonzero:
        return None
    return f
