"""An in-memory memo of step results within one audit, for a step checked again unchanged.

A question of a submission is checked once per reading (two update rules of a sequence, a name
defined twice, a capital read as a scalar or a matrix): most of its steps are then the same
computation every time.  :class:`StepMemo` answers such a step from the first run, and only when
it *is* the same computation: its key (:func:`memo_key`) holds everything the engine's check of
the step reads -- the step's content key (:func:`symbolic.engine.step_key`: sides, relation,
options, budget, seed, samples, the declarations it uses, the definitions it reaches, every
hypothesis, lemma and moment), the definitions the hypotheses reach, every declaration that
draws from the random instances' shared stream (in order: a changed one changes every draw), and
the state of the derivation's sampler when the step starts (whether an instance was found yet,
how many draws failed: the sampler gives up on hopeless hypotheses).  A result a time limit
touched, or a gated one, is never stored (as in the engine's disk cache).  Nothing persists: a
memo lives for one audit.

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

from .algebra import sp

__all__ = ["StepMemo", "memo_key"]


def memo_key(d, step, seed: int, samples: int, state: tuple[bool, int]) -> str:
    """The key of ``step`` of ``d`` checked with ``seed`` and ``samples`` from sampler ``state``
    (no instance found yet, failed draws capped at 3).

    >>> from symbolic import Derivation
    >>> d = Derivation("demo"); x = d.scalar("x"); _ = d.start(x + x).eq(2*x, "1")
    >>> e = Derivation("demo"); y = e.scalar("x", positive=True); _ = e.start(y + y).eq(2*y, "1")
    >>> memo_key(d, d.steps[0], 0, 24, (True, 0)) == memo_key(e, e.steps[0], 0, 24, (True, 0))
    False
    """
    from .declarations import SequenceDecl
    from .engine import _names_in, step_key

    # the definitions the hypotheses reach (step_key has those the step reaches)
    used = _names_in([h for _, h in d.hypotheses])
    changed = True
    while changed:
        changed = False
        for sym, expr in d.definitions:
            if _names_in([sym]) & used and not _names_in([expr]) <= used:
                used |= _names_in([expr])
                changed = True
    defs = [sp.srepr(sym) + ":=" + sp.srepr(expr) for sym, expr in d.definitions if _names_in([sym]) & used]
    step_names = _names_in([step.lhs, step.rhs] if step.kind != "implies" else [*step.lhs, *step.rhs])
    # every declaration in order; a sequence draws from its own stream: its name only, unless the step uses it
    decls = [f"{name}:{type(x).__name__}" if isinstance(x, SequenceDecl) and name not in step_names
             else f"{name}:{x!r}" for name, x in d.decls.items()]
    dists = [sp.srepr(k) + repr(v) for k, v in getattr(d, "distributions", {}).items()]
    parts = [step_key(d, step, seed, samples), repr(state), *defs, "decls", *decls, "dists", *dists]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


class StepMemo:
    """Step results by :func:`memo_key`, with the change each made to its sampler's state."""

    def __init__(self) -> None:
        self._store: dict[str, tuple] = {}
        self.hits = 0

    def get(self, key: str):
        """The stored ``(result, instances_found, failed_draws)`` of ``key``, or None.

        >>> StepMemo().get("nothing") is None
        True
        """
        hit = self._store.get(key)
        if hit is not None:
            self.hits += 1
        return hit

    def put(self, key: str, result, found: int, failed: int) -> None:
        """Remember ``result`` and the sampler's change (instances found, failed draws) under ``key``.

        >>> m = StepMemo(); m.put("k", "r", 2, 0); m.get("k")
        ('r', 2, 0)
        """
        self._store[key] = (result, found, failed)
