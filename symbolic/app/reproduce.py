"""Reproduce a counterexample, and assert that a derivation checks.

>>> from symbolic import Derivation
>>> d = Derivation("demo"); x = d.scalar("x")
>>> _ = d.start(x + x).eq(3*x, "1")
>>> lhs, rhs = replay(d, "1", {"x": 1})
>>> (lhs, rhs)
(2, 3)
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from ..algebra.evaluate import evaluate, to_plain
from ..exceptions import InvalidInputError, StepcheckError


def _resolve(derivation):
    if isinstance(derivation, str):
        from derivations import get

        return get(derivation)
    return derivation


def replay(derivation, label: str, values: Mapping[str, Any], *, show: bool = False):
    """Evaluate both sides of step ``label`` at ``values``; returns ``(lhs, rhs)`` as plain numbers/lists.

    ``derivation`` is a Derivation or the name of a built-in one.
    """
    from ..checks.context import CheckContext
    from ..checks.steps import witness_instance

    d = _resolve(derivation)
    step = next((s for s in d.steps if s.label == str(label)), None)
    if step is None:
        raise InvalidInputError("no such step", derivation=d.name, step=str(label))
    ctx = CheckContext.build(d, 0)
    from ..checks.witness import WITNESS_PREFIX, witness_claim

    laws = {k for k, v in values.items() if isinstance(v, str) and v.startswith(WITNESS_PREFIX)}
    values = {k: v for k, v in values.items() if k not in laws}  # a witness law: its sides are finite sums
    try:
        inst = witness_instance(d, dict(values), ctx)
    except (KeyError, ValueError) as exc:
        raise InvalidInputError(f"bad replay values: {exc}", derivation=d.name, step=str(label)) from None
    if step.kind == "implies":
        from ..checks.implication import _residual

        lhs, rhs = ctx.prepare(_residual(step.rhs)), 0
    elif step.kind == "induction":
        lhs, rhs = step.lhs, ctx.prepare(step.rhs)
    else:
        lhs, rhs = ctx.prepare(step.lhs), ctx.prepare(step.rhs)
    w = witness_claim(ctx, lhs, rhs) if laws else None
    if w is not None:
        lhs, rhs = w.lhs, w.rhs
    from ..algebra.evaluate import DomainError

    def side(e):
        if isinstance(e, int):
            return e
        try:
            with np.errstate(all="ignore"):
                return to_plain(evaluate(e, inst))
        except (DomainError, ZeroDivisionError):
            return "undefined"

    from ..checks.counterexample import sides_at_60_digits

    exact = sides_at_60_digits(inst, lhs, rhs)  # as the counterexample shows them: the same on every machine
    a, c = (to_plain(exact[0]), to_plain(exact[1])) if exact is not None else (side(lhs), side(rhs))
    if show:
        print(f"step {label} ({step.relation}):\n  lhs = {a}\n  rhs = {c}")
    return a, c


class DerivationFailed(AssertionError):
    """Raised by :func:`assert_checks` with the first wrong step and its counterexample."""


def assert_checks(derivation, *, seed: int = 0, allow_confirmed: bool = True, cache: bool = True):
    """Assert that no step is REFUTED or UNDECIDED (or merely CONFIRMED, if not allowed).

    >>> from symbolic import Derivation
    >>> d = Derivation("ok"); x = d.scalar("x")
    >>> _ = d.start(2*x).eq(x + x, "1")
    >>> assert_checks(d, cache=False).ok
    True
    """
    from ..verdicts.engine import check

    d = _resolve(derivation)
    try:
        res = check(d, seed=seed, cache=cache)
    except StepcheckError as err:
        raise DerivationFailed(str(err)) from None
    for s in res.steps:
        if s.ok and (allow_confirmed or s.verdict.value == "PROVED"):
            continue
        msg = [f"derivation {d.name!r}, step {s.label}: {s.verdict.value}"]
        if s.reason:
            msg.append(f"reason: {s.reason}")
        if s.counterexample is not None:
            from ..read.loader import origin_of, reproduce_code

            ce = s.counterexample
            msg.append(f"counterexample: {ce.values} (dims {ce.dims})")
            msg.append(f"lhs = {ce.lhs}\nrhs = {ce.rhs}\n{ce.gap}")
            msg.append(f"reproduce with:\n{reproduce_code(ce.code, d.name, origin_of(d))}")
        raise DerivationFailed("\n".join(msg))
    return res
