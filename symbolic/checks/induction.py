"""Induction claims ``s(t) = F(t)``: a symbolic induction, then numeric unrolling.

Unrolling evaluates the sequence and the closed form at increasing ``t`` on
a few random instances.  The first indices past the base case (where a wrong
closed form usually fails) are checked on every instance before a low
budget may stop it; only indices past the base case count as samples, and
CONFIRMED needs :data:`~.steps.MIN_SAMPLES` of them.

>>> from symbolic import Derivation, check
>>> d = Derivation("demo"); t = d.index("t", lower=0)
>>> v = d.sequence("v", index=t, recurrence=lambda t, prev: 2 * prev, start=0, initial=1)
>>> r = check(d.induction(v, 2**t + t, "1"), cache=False).step("1")
>>> r.verdict.value, r.counterexample.values["t"]
('REFUTED', 1)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..algebra import MatrixExpr
from ..algebra.evaluate import EvalError, Instance, evaluate
from ..algebra.prove import prove_equal, prove_zero
from ..budget import budget, check_time, cut_short, remaining
from ..exceptions import BudgetExceeded, StepcheckError
from ..model.results import Evidence, StepResult, Verdict
from .context import CheckContext
from .numeric import hp_violated, tolerance, violation
from .steps import MIN_SAMPLES, _symbolic_share, refuted


def check_induction(ctx: CheckContext, step, total_budget: float) -> StepResult:
    """``s(t) = F(t)`` for all t >= start: base case and inductive step, then unrolling."""
    d = ctx.derivation
    decl = d.decls[step.option("sequence")]
    t = decl.index
    F = ctx.prepare(step.rhs)
    seq_t = step.lhs
    method = None
    notes = []
    share = _symbolic_share(total_budget)
    # falsify first: a closed form wrong just past the base case (where a wrong one usually is) is refuted there,
    # the failure the full unrolling would meet first, with no symbolic induction tried
    early = _unroll(ctx, step, seq_t, F, t, decl, total_budget, priority_only=True)
    if early.failure is not None:
        return refuted(ctx, step, seq_t, "=", F, early.failure,
                       f"unrolling the recurrence (first failure at {t} = {early.failure_index})")
    try:
        with budget(share):
            base_rhs = decl.initial if decl.initial is not None else seq_t.xreplace({t: decl.start})
            F0 = F.xreplace({t: decl.start})
            F0 = F0.doit() if not isinstance(F0, MatrixExpr) else F0
            base = prove_equal(F0, ctx.prepare(base_rhs), ctx.canon, ctx.intervals)
            stepped = ctx.prepare(decl.step.xreplace({decl.prev: F.xreplace({t: t - 1})}))
            lhs_t, stepped = _unroll_others(F, d, decl, t), _unroll_others(stepped, d, decl, t)
            if isinstance(lhs_t, MatrixExpr):
                ind = prove_equal(lhs_t, stepped, ctx.canon, ctx.intervals) if base else None
            else:
                ind = prove_zero(lhs_t - stepped, ctx.canon, ctx.intervals) if base else None
            if base and ind:
                method = f"induction on {t}: base case ({base}), inductive step ({ind})"
            else:
                notes.append("no symbolic induction: the " + ("base case" if not base else "inductive step")
                             + " could not be proved symbolically")
    except BudgetExceeded:
        notes.append("no symbolic induction within the time budget")
    except StepcheckError:
        raise
    except Exception as exc:  # noqa: BLE001 - sympy crashing (any exception) only means no symbolic proof
        notes.append(f"no symbolic induction: sympy raised {type(exc).__name__} on this recurrence")
    unrolled = _unroll(ctx, step, seq_t, F, t, decl, total_budget, resume=early)
    if unrolled.failure is not None:
        dis = f"symbolic induction claimed a proof ({method}) but unrolling disagrees" if method else None
        return refuted(ctx, step, seq_t, "=", F, unrolled.failure,
                       f"unrolling the recurrence (first failure at {t} = {unrolled.failure_index})", dis)
    notes.extend(unrolled.notes(t, decl.start))
    n = unrolled.past_base
    if method:
        return StepResult(step.label, step.relation, Verdict.PROVED, Evidence(method, n, unrolled.max_err, tuple(notes), tolerance(F)))
    if n >= MIN_SAMPLES and unrolled.suspect is None:
        return StepResult(step.label, step.relation, Verdict.CONFIRMED,
                          Evidence("numeric unrolling", n, unrolled.max_err, tuple(notes), tolerance(F)))
    if unrolled.suspect is not None:
        why = "before the budget ran out" if unrolled.stopped else f"({unrolled.errors[-1]})"
        reason = f"a float64 mismatch at {t} = {unrolled.suspect} could not be re-verified at high precision {why}"
    elif not unrolled.evaluated_any and unrolled.stopped:
        reason = "the budget ran out before the recurrence could be unrolled"
    elif not unrolled.evaluated_any:
        reason = "the recurrence could not be evaluated" + (f": {unrolled.errors[0]}" if unrolled.errors else "")
    else:
        why = " before the budget ran out" if unrolled.stopped else ""
        reason = (f"only {n} index value(s) past the base case {t} = {decl.start} could be checked{why}; "
                  f"{MIN_SAMPLES} are needed")
    notes = [x for x in notes if not (unrolled.stopped and "budget" in reason and x.startswith("unrolling stopped"))]
    return StepResult(step.label, step.relation, Verdict.UNDECIDED, reason="; ".join([reason, *notes]))


PRIORITY_INDICES = 6  # indices just past the base case, checked on every instance before any budget-based stop
UNROLL_INSTANCES = 2


@dataclass
class _Unrolled:
    """What numeric unrolling evaluated: indices per instance, the largest error, a verified failure."""

    indices: dict = field(default_factory=dict)  # instance number -> indices evaluated
    past_base: int = 0
    max_err: float = 0.0
    float_only: int = 0
    failure: Instance | None = None
    failure_index: int | None = None
    suspect: int | None = None  # an index whose float64 mismatch was being re-verified when time ran out
    stopped: bool = False
    errors: list = field(default_factory=list)
    done: int = 0  # the entries of the unrolling order evaluated (or skipped) so far
    ended: bool = False  # stopped for good: a failure, the budget, an instance that could not be drawn
    instances: dict = field(default_factory=dict, repr=False)  # instance number -> the instance drawn

    @property
    def evaluated_any(self) -> bool:
        return any(self.indices.values())

    def notes(self, t, start: int) -> list[str]:
        out = []
        groups: dict = {}
        for k, idx in sorted(self.indices.items()):
            if idx:
                groups.setdefault(tuple(sorted(idx)), []).append(k)
        where = []
        for idx, ks in groups.items():
            past = format_indices(i for i in idx if i > start)
            at = ", ".join(x for x in (f"{start} (base case)" if start in idx else "", past) if x)
            who = f"{len(ks)} instances" if len(ks) > 1 else f"instance {ks[0] + 1}"
            where.append(f"{t} = {at} on {who}")
        if where:
            out.append("unrolled at " + "; and at ".join(where))
        if self.float_only:
            out.append(f"{self.float_only} float64 mismatches vanished at 60 digits (rounding; "
                       "max error includes their high-precision residual)")
        if self.stopped:
            out.append("unrolling stopped early: the budget ran low")
        return out


def _unroll(ctx: CheckContext, step, seq_t, F, t, decl, total_budget: float, *,
            priority_only: bool = False, resume: _Unrolled | None = None) -> _Unrolled:
    """Evaluate ``s(t)`` and ``F(t)`` at increasing ``t`` on a few instances.

    The first indices past the base case (where a wrong closed form usually
    fails) are checked on every instance first; only then may a low budget
    stop the unrolling.  A verified failure stops it at once.  ``priority_only``: those first indices alone;
    ``resume``: an unrolling of those that went on to the end, continued (each instance drawn once, as in one pass).
    """
    top = int(step.option("check_up_to", 200))
    start = decl.start
    ts = list(range(start, min(top, start + 20) + 1)) + list(range(start + 30, top + 1, 10))
    first = [tv for tv in ts if tv <= start + PRIORITY_INDICES]
    rest = [tv for tv in ts if tv > start + PRIORITY_INDICES]
    order = ([(k, tv, True) for k in range(UNROLL_INSTANCES) for tv in first]
             + ([] if priority_only else [(k, tv, False) for k in range(UNROLL_INSTANCES) for tv in rest]))
    if resume is not None and resume.ended:
        return resume
    out = resume if resume is not None else _Unrolled(indices={k: [] for k in range(UNROLL_INSTANCES)})
    tol = tolerance(F)
    insts = out.instances
    try:
        for k, tv, priority in order[out.done:]:
            out.done += 1
            if not priority and remaining() < 0.2 * total_budget:
                out.stopped = out.ended = True
                cut_short()
                break
            check_time()
            if k not in insts:
                insts[k] = ctx.sampler.instance(k)
            inst_t = insts[k].with_values({t: tv}, share_memo=True)
            try:
                with np.errstate(all="ignore"):
                    a, c = evaluate(seq_t, inst_t), evaluate(F, inst_t)
            except (EvalError, ArithmeticError, ValueError) as exc:
                out.errors.append(str(exc))
                continue
            bad, err = violation("=", a, c, tol)
            if bad:
                out.suspect = tv
                verified, err = hp_violated("=", seq_t, F, inst_t)
                out.suspect = None
                if verified:
                    out.failure, out.failure_index = inst_t, tv
                    out.ended = True
                    return out
                out.float_only += 1
            out.indices[k].append(tv)
            out.past_base += tv > start
            out.max_err = max(out.max_err, float(err))
    except BudgetExceeded:
        out.stopped = out.ended = True
    except (EvalError, ArithmeticError, ValueError, ZeroDivisionError) as exc:  # drawing or re-checking failed
        out.errors.append(str(exc))
        out.ended = True
    return out


def format_indices(xs) -> str:
    """Sorted integers compressed into runs and progressions.

    >>> format_indices([1, 2, 3, 4, 30, 40, 50, 60, 7])
    '1..4, 7, 30, 40, ..., 60'
    """
    xs = sorted(set(int(x) for x in xs))
    parts, i = [], 0
    while i < len(xs):
        j = i
        while j + 1 < len(xs) and xs[j + 1] == xs[j] + 1:
            j += 1
        if j - i >= 2:
            parts.append(f"{xs[i]}..{xs[j]}")
            i = j + 1
            continue
        if i + 1 < len(xs):
            s, j = xs[i + 1] - xs[i], i + 1
            while j + 1 < len(xs) and xs[j + 1] - xs[j] == s:
                j += 1
            if j - i >= 3:
                parts.append(f"{xs[i]}, {xs[i] + s}, ..., {xs[j]}")
                i = j + 1
                continue
        parts.append(str(xs[i]))
        i += 1
    return ", ".join(parts)


def _unroll_others(e, d, decl, t):
    """Apply, once, the recurrence of every *other* sequence at index ``t``."""
    from ..model.declarations import SequenceDecl

    for other in d.decls.values():
        if not isinstance(other, SequenceDecl) or other is decl or other.step is None:
            continue
        term_prev = other.term(t - 1)
        body = other.step.xreplace({other.prev: term_prev, other.index: t})
        key = other.term(t)
        e = e.xreplace({key: body})
    return e
