"""Everything a step check needs to know about its derivation, computed once.

>>> from symbolic import Derivation
>>> d = Derivation("demo"); b = d.scalar("beta", interval="(0, 1)")
>>> ctx = CheckContext.build(d, seed=0)
>>> ctx.intervals.abs_below_one(b)
True
"""

from __future__ import annotations

from dataclasses import dataclass

from ..algebra import Norm, sp
from ..algebra.canon import Context
from ..algebra.lemmas import Prover, facts_from_hypotheses, strict_facts_from_hypotheses
from ..algebra.prove import Intervals
from ..algebra.rewrite import Moments, reduce_expectations, substitute
from ..model.declarations import SYMMETRIC_KINDS, FunctionDecl, MatrixDecl, ScalarDecl, SequenceDecl
from ..model.entrywise import prover_hypotheses
from .sampling import Sampler
from .expectation import ClosedForms, WithMeanSequences, mean_sequences, random_sequences


@dataclass
class CheckContext:
    derivation: object
    seed: int
    canon: Context
    intervals: Intervals
    moments: Moments
    rules: list
    prover: Prover
    sampler: Sampler
    samples: int = 24
    closed: ClosedForms | None = None

    @classmethod
    def build(cls, d, seed: int = 0, samples: int = 24, stress: bool = False) -> "CheckContext":
        symmetric = [x.symbol for x in d.decls.values() if isinstance(x, MatrixDecl) and x.kinds & SYMMETRIC_KINDS]
        orthogonal = [x.symbol for x in d.decls.values() if isinstance(x, MatrixDecl) and "orthogonal" in x.kinds]
        unit = [x.symbol for x in d.decls.values() if isinstance(x, MatrixDecl) and "unit" in x.kinds]
        dists = dict(getattr(d, "distributions", {}))
        bounds = {x.symbol: (x.lower, x.upper, x.lower_open, x.upper_open)
                  for x in d.decls.values() if isinstance(x, ScalarDecl)}
        randoms = [x.symbol for x in d.decls.values() if isinstance(x, MatrixDecl) and x.random]
        randoms += [x for x in dists if x not in randoms]  # random scalars declared with a law
        means = {x.name: x.mean for x in d.decls.values() if isinstance(x, SequenceDecl) and x.mean is not None}
        mom = getattr(d, "moments", {})
        means.update({k: v[0] for k, v in mom.items() if v[0] is not None})
        seconds = {k: v[1] for k, v in mom.items() if v[1] is not None}
        # E[m(t)] of a random recurrence: the term of its exact mean sequence E[m], never the sampled m(t)
        random_funcs = random_sequences(d, set(randoms))
        mean_seqs = mean_sequences(d, set(randoms), means, seconds)
        rules = list(d.definitions)
        rules += [(Norm(u), sp.Integer(1)) for u in unit]  # a declared unit vector: ||u|| = 1
        for lemma in d.lemmas:
            rules.extend(lemma_rules(lemma))
        dbounds = {x.prime_name: x.derivative_bound for x in d.decls.values()
                   if isinstance(x, FunctionDecl) and x.derivative_bound is not None}
        iv = Intervals(bounds)
        kinds = {x.symbol: x.kinds for x in d.decls.values() if isinstance(x, MatrixDecl)}
        psd = [m for m, k in kinds.items() if k & {"psd", "pd", "spd"}]
        canon = Context(symmetric, orthogonal, unit, psd,
                        positive_definite=[m for m, k in kinds.items() if k & {"spd", "pd"}],
                        invertible=[m for m, k in kinds.items() if k & {"spd", "pd", "invertible", "orthogonal", "identity"}])
        hyps = prover_hypotheses(d)  # the stated ones, and what free indices and entry declarations state per index
        hyps += [h for _, h in getattr(d, "cases", ())]  # the case the steps hold under (d.suppose)
        prover = Prover(facts_from_hypotheses(hyps), dbounds, canon, iv,
                        strict_facts=strict_facts_from_hypotheses(hyps))
        moments = Moments(randoms, means, seconds, random_funcs, {k: v.term for k, v in mean_seqs.items()}, dists)
        prover.expectation = lambda e: reduce_expectations(e, moments)  # Jensen's inequality reads E[X] reduced
        prover.random_symbols = frozenset(moments.randoms)
        prover.function_kinds = {x.name: x.kind for x in d.decls.values() if isinstance(x, FunctionDecl)}
        view = WithMeanSequences(d, mean_seqs) if mean_seqs else d
        return cls(view, seed, canon, iv, moments, rules, prover, Sampler(view, seed, stress=stress), samples,
                   ClosedForms(mean_seqs, canon, iv))

    def prepare(self, expr):
        """Definitions and cited lemmas substituted, expectations reduced."""
        if not isinstance(expr, sp.Basic):
            return expr
        return in_case(reduce_expectations(substitute(expr, self.rules), self.moments),
                       [h for _, h in getattr(self.derivation, "cases", ())])

    def closed_forms(self, expr):
        """``(expr, note)``: terms of mean sequences ``E[m]`` replaced by closed forms proved by induction.

        For the symbolic attempt only; the numeric checks evaluate the mean recurrence itself.

        >>> from symbolic import Derivation
        >>> d = Derivation("demo"); x = d.scalar("x")
        >>> CheckContext.build(d).closed_forms(x + 1)
        (x + 1, None)
        """
        if self.closed is None:
            return expr, None
        return self.closed.substitute(expr)

    def mean_note(self, *exprs) -> str:
        """A note naming the mean sequences the numeric checks evaluate (exactly, by their recurrence); or "".

        >>> from symbolic import Derivation
        >>> CheckContext.build(Derivation("demo")).mean_note(sp.Integer(1))
        ''
        """
        if self.closed is None:
            return ""
        names = self.closed.used(*exprs)
        return (f"{', '.join(names)} evaluated exactly by the mean recurrence (no sampled random term)"
                if names else "")


def _seq_terms(e, decl):
    from ..algebra import SeqTerm

    out = []
    for a in sp.preorder_traversal(e):
        if decl.is_vector and isinstance(a, SeqTerm) and str(a.name) == decl.name:
            out.append((a, a.index))
        elif not decl.is_vector and isinstance(a, sp.core.function.AppliedUndef) and type(a).__name__ == decl.name:
            out.append((a, a.args[0]))
    return out


def unroll_to_common(lhs, rhs, d):
    """Unroll recurrent sequences so both sides use the same lowest index.

    ``v(t)`` on one side and ``beta*v(t-1) + ...`` on the other: the term at
    ``t`` is rewritten by its recurrence until only ``v(t-1)`` remains.
    """
    from ..model.declarations import SequenceDecl

    for decl in d.decls.values():
        if not isinstance(decl, SequenceDecl) or decl.step is None:
            continue
        for _ in range(12):
            terms = _seq_terms(lhs, decl) + _seq_terms(rhs, decl)
            groups: dict = {}
            for term, idx in terms:
                off, base = sp.sympify(idx).as_coeff_Add()
                groups.setdefault(base, set()).add(int(off) if off.is_Integer else None)
            todo = {}
            for base, offs in groups.items():
                if None in offs or len(offs) < 2:
                    continue
                low = min(offs)
                for term, idx in terms:
                    off, b2 = sp.sympify(idx).as_coeff_Add()
                    if b2 == base and off.is_Integer and int(off) > low:
                        prev = decl.term(idx - 1)
                        todo[term] = decl.step.xreplace({decl.prev: prev, decl.index: idx})
            if not todo:
                break
            lhs, rhs = lhs.xreplace(todo), rhs.xreplace(todo)
    return lhs, rhs


def lemma_rules(lemma) -> list:
    """Rewrite rules a cited derivation provides: each induction claim and its chain's conclusion."""
    out = []
    for s in lemma.steps:
        if s.kind == "induction":
            out.append((s.lhs, s.rhs))
    return out


def in_case(expr, cases: list):
    """``expr`` where the cases ``k != y`` (``Derivation.suppose``) hold: ``KroneckerDelta(k, y)`` is 0 (so is
    ``KroneckerDelta(k - 1, y - 1)``), and 1 under ``k = y``; an identity of the instances of the case.

    >>> k, y = sp.symbols("k y", integer=True)
    >>> in_case(2 * sp.KroneckerDelta(k - 1, y - 1) + 1, [sp.Ne(k, y)])
    1
    """
    if not cases or not isinstance(expr, sp.Basic) or not expr.has(sp.KroneckerDelta):
        return expr
    gaps = [(c.lhs - c.rhs, 0 if isinstance(c, sp.Ne) else 1) for c in cases if isinstance(c, (sp.Ne, sp.Eq))]

    def delta(p, q):
        for gap, value in gaps:
            if sp.expand(p - q - gap) == 0 or sp.expand(p - q + gap) == 0:
                return sp.Integer(value)
        return sp.KroneckerDelta(p, q)

    return expr.replace(sp.KroneckerDelta, delta) if gaps else expr
