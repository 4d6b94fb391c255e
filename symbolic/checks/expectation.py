"""Random sequences and the deterministic mean sequences of their expectations.

A sequence is random when it is free (its terms are drawn), or when its
recurrence or its initial term involves something random.  ``E[m(t)]`` of a
random recurrence is never the sampled ``m(t)``: when the recurrence is affine
in the previous term and in random terms of known mean, ``E[m(t)]`` is the term
of a derived deterministic sequence ``E[m]`` (recurrence ``E[step]``, initial
``E[m_start]``), evaluated exactly; otherwise the expectation stays unreduced
and the numeric checks cannot evaluate it (the step is UNDECIDED, with that
reason).

>>> from symbolic import Derivation, Expect
>>> d = Derivation("demo"); b = d.scalar("b", interval="(0, 1)"); t = d.index("t", lower=1)
>>> mu = d.scalar("mu"); g = d.sequence("g", mean=mu)
>>> m = d.sequence("m", index=t, initial=0, recurrence=lambda t, p: b*p + (1 - b)*g(t))
>>> sorted(random_sequences(d, set()))
['g', 'm']
>>> means = mean_sequences(d, set(), {"g": mu}, {})
>>> means["m"].name, means["m"].step - (b*means["m"].prev + (1 - b)*mu).expand()
('E[m]', 0)
"""

from __future__ import annotations

from ..algebra import Expect, MatExpect, MatrixExpr, SeqTerm, sp
from ..algebra.expectation import closed_form, mean_step
from ..algebra.rewrite import Moments, reduce_expectations
from ..model.declarations import SequenceDecl


def _seq_names(e) -> set:
    out = set()
    for a in sp.preorder_traversal(e):
        if isinstance(a, SeqTerm):
            out.add(str(a.name))
        elif isinstance(a, sp.core.function.AppliedUndef):
            out.add(type(a).__name__)
    return out


def random_sequences(d, randoms: set) -> set:
    """Names of the random sequences: free ones, and recurrences driven by something random (a fixed point).

    >>> from symbolic import Derivation
    >>> d = Derivation("demo"); t = d.index("t"); _ = d.sequence("s", index=t, initial=1, recurrence=lambda t, p: 2*p)
    >>> random_sequences(d, set())
    set()
    """
    seqs = [x for x in d.decls.values() if isinstance(x, SequenceDecl)]
    out = {x.name for x in seqs if x.step is None or x.initial is None}
    changed = True
    while changed:
        changed = False
        for x in seqs:
            if x.name in out:
                continue
            parts = [x.step, x.initial]
            if any(_seq_names(p) & out or (p.free_symbols & randoms) for p in parts):
                out.add(x.name)
                changed = True
    return out


def mean_sequences(d, randoms: set, means: dict, seconds: dict) -> dict:
    """``name -> SequenceDecl`` of ``E[name]`` for every random recurrence whose mean recurrence reduces exactly.

    >>> from symbolic import Derivation
    >>> d = Derivation("demo"); t = d.index("t"); g = d.sequence("g")  # no mean declared
    >>> _ = d.sequence("s", index=t, initial=0, recurrence=lambda t, p: p + g(t))
    >>> mean_sequences(d, set(), {}, {})
    {}
    """
    rnd = random_sequences(d, randoms)
    out: dict = {}
    named = _named_start_means(d)
    todo = [x for x in d.decls.values() if isinstance(x, SequenceDecl) and x.step is not None and x.name in rnd
            and (x.initial is not None or x.name in named)]
    progress = True
    while todo and progress:
        progress = False
        m = Moments(randoms, means, seconds, rnd, {k: v.term for k, v in out.items()})
        for x in list(todo):
            name = f"E[{x.name}]"
            if isinstance(x.prev, MatrixExpr):
                mprev = sp.MatrixSymbol(f"{name}_prev", *x.prev.shape)
            else:
                mprev = sp.Symbol(f"{name}_prev", real=True)
            init = x.initial  # None: a free start whose mean the derivation names: an unknown of its own
            if init is not None:
                init = reduce_expectations(MatExpect(init) if isinstance(init, MatrixExpr) else Expect(init), m)
            step = mean_step(x.step, x.prev, mprev, m)
            if step is None or init is not None and (init.has(Expect, MatExpect) or m.is_random(init)):
                continue
            out[x.name] = SequenceDecl(name, x.rows, x.cols, x.index, mprev, step, x.start, init, None, None,
                                       rf"\mathbb{{E}}[{x.latex or x.name}]")
            todo.remove(x)
            progress = True
    return out


def _named_start_means(d) -> set:
    """Sequences with a free start whose mean ``E[m(start)]`` a step or definition of ``d`` writes: that mean is then
    one of the derivation's unknowns (a claim on ``E[m(t)]`` that never names it may rest on an unstated start).

    >>> from symbolic import Derivation, Expect
    >>> d = Derivation("demo"); t = d.index("t", lower=1); g = d.sequence("g", mean=0)
    >>> m = d.sequence("m", index=t, recurrence=lambda t, p: p + g(t))
    >>> _ = d.claim(Expect(m(t)), "=", Expect(m(0)), "1")
    >>> _named_start_means(d)
    {'m'}
    """
    starts = {x.name: x.start for x in d.decls.values() if isinstance(x, SequenceDecl) and x.initial is None}
    exprs = [e for s in d.steps for e in (getattr(s, "lhs", None), getattr(s, "rhs", None))]
    exprs += [value for _, value in d.definitions]
    out = set()
    for e in exprs:
        if not isinstance(e, sp.Basic):
            continue
        for a in sp.preorder_traversal(e):
            if isinstance(a, (Expect, MatExpect)) and isinstance(a.args[0], SeqTerm):
                term = a.args[0]
                if str(term.name) in starts and sp.sympify(term.index) == starts[str(term.name)]:
                    out.add(str(term.name))
            elif isinstance(a, Expect) and isinstance(a.args[0], sp.core.function.AppliedUndef):
                name, idx = type(a.args[0]).__name__, a.args[0].args[0]
                if name in starts and sp.sympify(idx) == starts[name]:
                    out.add(name)
    return out


class WithMeanSequences:
    """A derivation seen by the checks, with the mean sequences ``E[m]`` declared too (the derivation is untouched).

    >>> from symbolic import Derivation
    >>> d = Derivation("demo"); view = WithMeanSequences(d, {})
    >>> view.name, view.decls == d.decls
    ('demo', True)
    """

    def __init__(self, derivation, means: dict) -> None:
        self._derivation = derivation
        self.decls = {**derivation.decls, **{v.name: v for v in means.values()}}

    def __getattr__(self, attr):
        return getattr(self._derivation, attr)


class ClosedForms:
    """Closed forms of the mean sequences, each kept only if proved by induction (computed once, on demand)."""

    def __init__(self, means: dict, canon=None, iv=None) -> None:
        self.by_name = {v.name: v for v in means.values()}
        self.canon, self.iv = canon, iv
        self._cache: dict = {}

    def get(self, name: str):
        """The proved closed form of mean sequence ``name`` in its index, or ``None``."""
        if name not in self._cache:
            x = self.by_name[name]
            self._cache[name] = closed_form(x.step, x.prev, x.index, x.start, x.initial, self.canon, self.iv)
        return self._cache[name]

    def used(self, *exprs) -> list:
        """Names of the mean sequences whose terms occur in ``exprs``."""
        out: list = []
        for e in exprs:
            if isinstance(e, sp.Basic):
                out += [n for n in sorted(_seq_names(e)) if n in self.by_name and n not in out]
        return out

    def substitute(self, expr):
        """``(expr with mean-sequence terms replaced by their proved closed forms, note or None)``.

        A term is replaced only at an index known to be at least the sequence's start.
        """
        if not self.by_name or not isinstance(expr, sp.Basic):
            return expr, None
        rep, used = {}, []
        for a in sp.preorder_traversal(expr):
            name = str(a.name) if isinstance(a, SeqTerm) else (
                type(a).__name__ if isinstance(a, sp.core.function.AppliedUndef) else None)
            if name not in self.by_name:
                continue
            x = self.by_name[name]
            idx = a.index if isinstance(a, SeqTerm) else a.args[0]
            if not (sp.sympify(idx) - x.start).is_nonnegative:
                continue
            sol = self.get(name)
            if sol is not None:
                rep[a] = sol.xreplace({x.index: idx})
                used.append(name)
        if not rep:
            return expr, None
        names = ", ".join(dict.fromkeys(used))
        return expr.xreplace(rep), f"{names} in closed form (mean recurrence solved, proved by induction)"
