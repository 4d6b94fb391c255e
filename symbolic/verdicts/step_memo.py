"""An in-memory memo of step results within one audit, for a step checked again unchanged.

A question of a submission is checked once per reading (two update rules of a sequence, a name
defined twice, a capital read as a scalar or a matrix): most of its steps are then the same
computation every time.  :class:`StepMemo` answers such a step from the first run, and only when
it *is* the same computation: its key (:func:`memo_key`) holds everything the engine's check of
the step reads -- the step's sides, relation, options, label, budget, seed and samples; the definitions of the names
it, the hypotheses, lemmas and moments read (to a fixed point); every hypothesis, lemma, moment and
law; every declaration (in order: one random stream draws them all, a changed one changes every
draw; a sequence that is not read by its name only, it draws from its own stream); the sequences
whose start mean the derivation names (:mod:`symbolic.checks.expectation` reads them from all of it); and
the state of the derivation's sampler when the step starts (whether an instance was found yet,
how many draws failed: the sampler gives up on hopeless hypotheses).  A gated result is never
stored.  A result a time limit touched *is* (unlike the engine's disk cache, which never keeps one):
the memo lives for one audit, on one machine, so the second reading of a step gets the verdict its
first reading got instead of spending the same budget again (and maybe reaching another verdict only
because the load changed).  Nothing persists.

>>> from symbolic import Derivation, check
>>> memo = StepMemo()
>>> d = Derivation("demo"); x = d.scalar("x"); _ = d.start(x + x).eq(3*x, "1")
>>> check(d, cache=False, memo=memo).verdicts(), memo.hits
({'1': 'REFUTED'}, 0)
>>> check(d, cache=False, memo=memo).verdicts(), memo.hits
({'1': 'REFUTED'}, 1)
"""

from __future__ import annotations

import hashlib

from ..algebra import sp

__all__ = ["StepMemo", "memo_key", "whole_parts"]


def memo_key(d, step, seed: int, samples: int, state: tuple[bool, int], whole: dict | None = None) -> str:
    """The key of ``step`` of ``d`` checked with ``seed`` and ``samples`` from sampler ``state``
    (no instance found yet, failed draws capped at 3); ``whole``: :func:`whole_parts` of ``d``, when known.

    >>> from symbolic import Derivation
    >>> d = Derivation("demo"); x = d.scalar("x"); _ = d.start(x + x).eq(2*x, "1")
    >>> e = Derivation("demo"); y = e.scalar("x", positive=True); _ = e.start(y + y).eq(2*y, "1")
    >>> memo_key(d, d.steps[0], 0, 24, (True, 0)) == memo_key(e, e.steps[0], 0, 24, (True, 0))
    False
    """
    from .engine import _effective_budget, _exprs, _names_in, _srepr
    from ..checks.shrink import SHRINKING

    w = whole if whole is not None else whole_parts(d)
    # the names the check reads: the step's, the hypotheses', the lemmas', the moments'; then, to a fixed
    # point, those of a definition of a name read (by the defined name, not its shape) and of a sequence read
    used = _names_in(_exprs(step)) | w["used"]
    changed = True
    while changed:
        changed = False
        for defined, names, _text in w["defs"]:
            if defined & used and not names <= used:
                used |= names
                changed = True
        for name, more in w["seqs"].items():
            if name in used and not more <= used:
                used |= more
                changed = True
    defs = [text for defined, _names, text in w["defs"] if defined & used]
    # every declaration in order (one random stream draws them all); a sequence draws from its own stream:
    # its name only, unless it is read
    decls = [short if short is not None and name not in used else full for name, short, full in w["decls"]]
    parts = [w["engine"], d.name, str(seed), str(samples), "budget=" + repr(_effective_budget(d, step)),
             "shrinking=" + repr(SHRINKING.get()),
             repr(state), step.label, step.kind, step.relation, _srepr(step.lhs), _srepr(step.rhs),
             repr(step.options), "defs", *defs, "decls", *decls, *w["rest"]]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def whole_parts(d) -> dict:
    """What :func:`memo_key` reads of the whole derivation ``d``, the same for each of its steps: worked out
    once per check of ``d`` (:meth:`StepMemo.begin`).

    >>> from symbolic import Derivation
    >>> d = Derivation("demo"); x = d.scalar("x"); _ = d.start(x + x).eq(2*x, "1")
    >>> [name for name, _short, _full in whole_parts(d)["decls"]]
    ['x']
    """
    from .cache import engine_fingerprint
    from ..checks.expectation import _named_start_means
    from ..model.declarations import SequenceDecl
    from .engine import _names_in, _srepr

    hyps = [h for _, h in d.hypotheses]
    cases = [h for _, h in getattr(d, "cases", ())]
    lemmas = [(s.lhs, s.rhs) for lem in d.lemmas for s in lem.steps if s.kind == "induction"]
    seqs = {name: x for name, x in d.decls.items() if isinstance(x, SequenceDecl)}
    seq_names = {}
    for name, x in seqs.items():
        fields = [getattr(x, f, None) for f in ("step", "initial", "mean", "bound", "prev")]
        seq_names[name] = _names_in([f for f in fields if isinstance(f, sp.Basic)])
    rest = ["hyps", *map(sp.srepr, hyps), "cases", *map(sp.srepr, cases), "lemmas", *[_srepr(pair) for pair in lemmas],
            "moments", *[sp.srepr(k) + repr(v) for k, v in d.moments.items()],
            "dists", *[sp.srepr(k) + repr(v) for k, v in getattr(d, "distributions", {}).items()],
            "start means", *sorted(_named_start_means(d))]
    return {"engine": engine_fingerprint(),
            "used": _names_in([*hyps, *cases, *[e for pair in lemmas for e in pair], *d.moments]),
            "defs": [(_defined(sym), _names_in([expr]), sp.srepr(sym) + ":=" + sp.srepr(expr))
                     for sym, expr in d.definitions],
            "seqs": seq_names,
            "decls": [(name, f"{name}:{type(x).__name__}" if name in seqs else None, f"{name}:{x!r}")
                      for name, x in d.decls.items()],
            "rest": rest}


def _defined(sym) -> set:
    """The name a definition defines (a symbol's own name, never its shape's); else every name it holds."""
    from .engine import _names_in

    return {sym.name} if isinstance(sym, (sp.Symbol, sp.MatrixSymbol)) else _names_in([sym])


class StepMemo:
    """Step results by :func:`memo_key`, with the change each made to its sampler's state."""

    def __init__(self) -> None:
        self._store: dict[str, tuple] = {}
        self.hits = 0
        self.checked = 0  # results put: the steps this memo saw checked
        self._whole: tuple | None = None  # (the derivation being checked, its whole_parts)

    def begin(self, d) -> None:
        """A check of ``d`` starts (the engine says so): what its keys read of the whole derivation is worked
        out anew, at its first key, never carried over from an earlier check.

        >>> StepMemo().begin(None)
        """
        self._whole = None

    def key(self, d, step, seed: int, samples: int, state: tuple[bool, int]) -> str:
        """:func:`memo_key` (the engine asks the memo, and never imports this module).

        >>> from symbolic import Derivation
        >>> d = Derivation("demo"); x = d.scalar("x"); _ = d.start(x + x).eq(2*x, "1")
        >>> StepMemo().key(d, d.steps[0], 0, 24, (True, 0)) == memo_key(d, d.steps[0], 0, 24, (True, 0))
        True
        """
        if self._whole is None or self._whole[0] is not d:
            self._whole = (d, whole_parts(d))
        return memo_key(d, step, seed, samples, state, self._whole[1])

    def get(self, key: str):
        """The stored ``(result, instances_found, failed_draws)`` of ``key``, or None.

        >>> StepMemo().get("nothing") is None
        True
        """
        hit = self._store.get(key)
        if hit is not None:
            self.hits += 1
        return hit

    def put(self, key: str, result, found: int, failed: int, timed: bool = False) -> None:
        """Remember ``result`` and the sampler's change (instances found, failed draws) under ``key``;
        ``timed``: a time limit touched it (kept all the same: the memo lives for one audit).

        >>> m = StepMemo(); m.put("k", "r", 2, 0); m.get("k")
        ('r', 2, 0)
        """
        self._store[key] = (result, found, failed)
        self.checked += 1
