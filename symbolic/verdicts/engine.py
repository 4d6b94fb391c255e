"""Check a derivation: validate it, then give every step an earned verdict.

>>> from symbolic import Derivation, check
>>> d = Derivation("demo"); a, b = d.scalar("a"), d.scalar("b")
>>> _ = d.start((a + b)**2).eq(a**2 + 2*a*b + b**2, "1")
>>> check(d, cache=False).verdicts()
{'1': 'PROVED'}
"""

from __future__ import annotations

import hashlib
import time
from typing import Iterable

from ..algebra import SeqTerm, sp
from ..algebra.depth import MAX_DEPTH, expr_depth, shorten, too_deep, walk
from ..budget import budget, expirations
from .cache import VerdictCache, engine_fingerprint
from ..model.steps import check_relation
from ..exceptions import BudgetExceeded, InvalidInputError, StepcheckError
from ..model.results import DerivationResult, StepResult, Verdict

DEFAULT_SAMPLES = 24


def validate(d) -> None:
    """Raise InvalidInputError for undeclared symbols and mismatched shapes."""
    declared = set(d.decls)
    for decl in d.decls.values():
        if getattr(decl, "prev", None) is not None:
            declared.add(str(decl.prev.name))
    for s in d.steps:
        exprs = _exprs(s)
        for e in exprs:
            _check_declared(e, declared, d.name, s.label)
        if expr_depth(exprs) > MAX_DEPTH:
            continue  # too deep to inspect its shapes safely: check() makes the step UNDECIDED, saying why
        if s.kind in ("chain", "claim", "exists"):
            check_relation(s.lhs, s.relation, s.rhs, d.name, s.label)
        if s.kind == "implies":
            for lhs, rhs in (s.lhs, s.rhs):
                check_relation(lhs, "=", rhs, d.name, s.label)
    for sym, expr in d.definitions:
        _check_declared(expr, declared, d.name, f"definition of {sym}")
    for name, h in [*d.hypotheses, *getattr(d, "cases", ())]:
        _check_declared(h, declared, d.name, f"hypothesis {name}")


def _check_declared(e, declared: set, dname: str, label: str) -> None:
    if not isinstance(e, sp.Basic):
        return
    bound = set()
    for a in walk(e):
        if isinstance(a, (sp.Sum, sp.Product)):
            bound |= {lim[0].name for lim in a.limits}
        if isinstance(a, sp.Limit):
            bound |= {a.args[1].name, str(a.args[3])}  # the variable and the direction marker
        if a.__class__.__name__ in ("MatProd", "MatSum"):
            bound.add(a.args[1].name)
        if isinstance(a, sp.Lambda):  # the bound variable of an element-wise function's body
            bound |= {v.name for v in a.variables}
    for a in walk(e):
        if isinstance(a, (sp.Symbol, sp.MatrixSymbol)) and not isinstance(a, sp.Dummy):
            if a.name not in declared and a.name not in bound and a.name.rstrip("'") not in declared:
                raise InvalidInputError("undeclared symbol", derivation=dname, step=label, symbol=a.name)
        if isinstance(a, sp.core.function.AppliedUndef):
            name = type(a).__name__
            if name not in declared and name.rstrip("'") not in declared:
                raise InvalidInputError("undeclared function or sequence", derivation=dname, step=label, symbol=name)


def step_key(d, step, seed: int, samples: int) -> str:
    """Content hash of a step and everything its verdict depends on, the step's time budget included.

    A verdict reached under one budget answers only a run under the same
    budget: a short budget degrades verdicts (a proof that timed out is only
    CONFIRMED, a counterexample is not shrunk), and must never answer a
    longer one.

    >>> from symbolic import Derivation
    >>> from symbolic.read.loader import with_budget
    >>> d = Derivation("demo"); x = d.scalar("x"); _ = d.start(x + x).eq(2*x, "1")
    >>> step_key(d, d.steps[0], 0, 24) == step_key(with_budget(d, 0.01), d.steps[0], 0, 24)
    False
    """
    used = _names_in(_exprs(step))
    defs = []
    changed = True
    while changed:  # definitions reachable from the step
        changed = False
        for sym, expr in d.definitions:
            names = _names_in([sym])
            if names & used and not _names_in([expr]) <= used:
                used |= _names_in([expr])
                changed = True
    for sym, expr in d.definitions:
        if _names_in([sym]) & used:
            defs.append(sp.srepr(sym) + ":=" + sp.srepr(expr))
    decls = [repr(d.decls[n]) for n in sorted(used) if n in d.decls]
    # everything a declaration mentions (e.g. a sequence's recurrence) is in its repr
    hyps = [sp.srepr(h) for _, h in d.hypotheses] + ["case " + sp.srepr(h) for _, h in getattr(d, "cases", ())]
    lemmas = [sp.srepr(s.lhs) + sp.srepr(s.rhs) for lem in d.lemmas for s in lem.steps if s.kind == "induction"]
    moments = [sp.srepr(k) + repr(v) for k, v in d.moments.items()]
    moments += [sp.srepr(k) + repr(v) for k, v in getattr(d, "distributions", {}).items()]
    parts = [engine_fingerprint(), d.name, str(seed), str(samples), "budget=" + repr(_effective_budget(d, step)),
             step.label, step.kind, step.relation,
             _srepr(step.lhs), _srepr(step.rhs), repr(step.options), *decls, *defs, *hyps, *lemmas, *moments]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _exprs(step) -> list:
    """The expressions of a step: its two sides (an implication's sides are tuples of equations)."""
    return [step.lhs, step.rhs] if step.kind != "implies" else [*step.lhs, *step.rhs]


def _effective_budget(d, step) -> float:
    """The time budget a step runs under: its own, else its derivation's."""
    return float(step.budget or d.budget)


def _srepr(x) -> str:
    if isinstance(x, tuple):
        return "(" + ",".join(_srepr(y) for y in x) + ")"
    return sp.srepr(x) if isinstance(x, sp.Basic) else repr(x)


def _names_in(exprs) -> set:
    out = set()
    for e in exprs:
        if isinstance(e, tuple):
            out |= _names_in(e)
            continue
        if not isinstance(e, sp.Basic):
            continue
        for a in sp.preorder_traversal(e):
            if isinstance(a, (sp.Symbol, sp.MatrixSymbol)):
                out.add(a.name)
            elif isinstance(a, sp.core.function.AppliedUndef):
                out.add(type(a).__name__.rstrip("'"))
            elif isinstance(a, SeqTerm):
                out.add(str(a.name))
            elif a.__class__.__name__ == "Apply":
                out.add(str(a.args[0]).rstrip("'"))
    return out


def _context_too_deep(d) -> str | None:
    """Why no step of ``d`` can be checked: a definition, hypothesis or declaration nested too deep."""
    parts = [(f"definition of {sym}", (sym, e)) for sym, e in d.definitions]
    parts += [(f"hypothesis {name}", h) for name, h in [*d.hypotheses, *getattr(d, "cases", ())]]
    parts += [(f"the moments of {k}", (k, *v)) for k, v in d.moments.items()]
    for name, decl in d.decls.items():
        fields = [getattr(decl, f, None) for f in ("step", "initial", "mean", "bound", "derivative_bound", "upper")]
        parts.append((f"the declaration of {name}", tuple(x for x in fields if isinstance(x, sp.Basic))))
    for lem in d.lemmas:
        parts += [(f"lemma {lem.name}, step {s.label}", (s.lhs, s.rhs)) for s in lem.steps if s.kind == "induction"]
    for where, e in parts:
        reason = too_deep(e)
        if reason:
            return f"{where}: {reason}"
    return None


def _step_too_deep(step) -> str | None:
    opts = [v for _, v in step.options if isinstance(v, sp.Basic)]
    return too_deep([*_exprs(step), *opts])


def _run_step(ctx, step, step_budget: float) -> StepResult:
    from ..checks.implication import check_implication
    from ..checks.induction import check_induction
    from ..checks.steps import check_exists, check_relation

    if step.kind in ("chain", "claim"):
        return check_relation(ctx, step, step.lhs, step.relation, step.rhs, step_budget)
    if step.kind == "induction":
        return check_induction(ctx, step, step_budget)
    if step.kind == "implies":
        return check_implication(ctx, step, step_budget)
    if step.kind == "exists":
        return check_exists(ctx, step)
    return StepResult(step.label, step.relation, Verdict.UNDECIDED, reason=f"unsupported step kind {step.kind!r}")


def _lemma_gate(d, seed, samples, cache) -> str | None:
    """Why ``d``'s steps cannot stand (a cited lemma is not established), or None; ``cache`` is shared, so its counts include the lemmas'."""
    for lemma in d.lemmas:
        res = check(lemma, seed=seed, samples=samples, cache=cache)
        bad = res.first_unsettled_step
        if bad is not None:
            return f"cites {lemma.name}, whose step {bad} is not established"
    return None


def check(d, *, seed: int = 0, samples: int = DEFAULT_SAMPLES, cache: bool | VerdictCache = True,
          only: Iterable[str] | None = None, stress: bool = False, memo=None) -> DerivationResult:
    """Check every step (or those labelled in ``only``) of derivation ``d``.

    ``stress`` makes every third random instance extreme (huge and tiny
    magnitudes, near-singular matrices, values at the ends of intervals).
    ``memo`` (a :class:`symbolic.verdicts.step_memo.StepMemo`) answers a step checked before as the same
    computation (the same step, declarations, definitions, hypotheses, seed and sampler state).
    """
    from ..algebra.ops import operators

    next(operators(), None)  # the vocabulary loads here, never under a step's time limit
    try:
        validate(d)
    except StepcheckError:
        raise
    except Exception as exc:  # sympy refusing an expression is bad input, said in one line
        raise InvalidInputError(f"cannot read the derivation ({type(exc).__name__}: {shorten(exc)})",
                                derivation=getattr(d, "name", None)) from None
    too_deep_all = _context_too_deep(d)
    store = cache if isinstance(cache, VerdictCache) else (VerdictCache() if cache else None)
    ignored_before = store.ignored if store is not None else 0
    ctx = None
    gate = None
    results = []
    wanted = set(only) if only is not None else None
    if memo is not None and hasattr(memo, "begin"):
        memo.begin(d)  # its keys read the whole derivation afresh
    for step in d.steps:
        if wanted is not None and step.label not in wanted:
            continue
        deep = too_deep_all or _step_too_deep(step)
        if deep:  # measured before anything recurses through it (hashing, printing, checking)
            results.append(StepResult(step.label, step.relation, Verdict.UNDECIDED, reason=deep))
            continue
        key = step_key(d, step, seed, samples if not stress else -samples) if store else None
        if store is not None:
            hit = store.get(key)
            if hit is not None:
                results.append(hit)
                continue
        if ctx is None:
            ctx, gate = _prepare(d, seed, samples, stress, store)
        mkey = None
        if memo is not None and ctx is not True and gate is None:
            sampler = ctx.sampler
            mkey = memo.key(d, step, seed, samples if not stress else -samples,
                            (sampler._found == 0, min(sampler._hopeless, 3)))
            hit = memo.get(mkey)
            if hit is not None:  # the same computation: its result, and its change to the sampler's state
                res, found, failed = hit
                sampler._found += found
                sampler._hopeless += failed
                results.append(res)
                continue
            before = (sampler._found, sampler._hopeless)
        t0 = time.perf_counter()
        step_budget = _effective_budget(d, step)
        timed_out = False
        expired_before = expirations()
        if gate is not None:
            res = StepResult(step.label, step.relation, Verdict.UNDECIDED, reason=gate)
        else:
            try:
                with budget(step_budget):
                    res = _run_step(ctx, step, step_budget)
            except BudgetExceeded:
                timed_out = True
                res = StepResult(step.label, step.relation, Verdict.UNDECIDED,
                                 reason=f"timeout: the step's budget of {step_budget:g} s ran out")
            except StepcheckError as err:
                raise err.with_context(derivation=d.name, step=step.label) from None
            except RecursionError:
                res = StepResult(step.label, step.relation, Verdict.UNDECIDED,
                                 reason="the expression is too deeply nested to check (Python's recursion limit); "
                                        f"the depth limit is {MAX_DEPTH}")
            except Exception as exc:  # a backend failure never passes a step
                res = StepResult(step.label, step.relation, Verdict.UNDECIDED,
                                 reason=f"internal error while checking ({type(exc).__name__}: {shorten(exc, 200)})")
        res = _with_seconds(res, time.perf_counter() - t0)
        # a result a time limit touched (even one caught inside a check) depends on the machine's speed:
        # never remembered; and a gate is cheap to try again
        timed_out = timed_out or expirations() != expired_before
        if store is not None and not timed_out and gate is None:
            store.put(key, res)
        if mkey is not None:  # a timed-out result too: within one audit the same step is the same computation,
            # and its second run would only spend the same budget again (and may differ from the first by the load)
            memo.put(mkey, res, ctx.sampler._found - before[0], ctx.sampler._hopeless - before[1],
                     timed=timed_out)
        results.append(res)
    ignored = (store.ignored - ignored_before) if store is not None else 0
    return DerivationResult(d.name, tuple(results), seed, d.source, cache_ignored=ignored)


def _prepare(d, seed, samples, stress, store):
    """The check context of ``d`` (True when it is too deeply nested) and the gate of its lemmas."""
    from ..checks.context import CheckContext

    gate = None
    try:
        ctx = CheckContext.build(d, seed, samples, stress)
    except StepcheckError:
        raise
    except RecursionError:
        ctx, gate = True, "the derivation is too deeply nested to prepare (Python's recursion limit)"
    except Exception as exc:
        raise InvalidInputError(f"cannot prepare the derivation ({type(exc).__name__}: {shorten(exc)})",
                                derivation=d.name) from None
    if gate is None:
        gate = _lemma_gate(d, seed, samples, store if store is not None else False) if d.lemmas else None
    return ctx, gate


def _with_seconds(r: StepResult, seconds: float) -> StepResult:
    from dataclasses import replace

    return replace(r, seconds=seconds)


def check_step(d, label: str, **kw) -> StepResult:
    """Check the single step labelled ``label``.

    >>> from symbolic import Derivation
    >>> d = Derivation("demo"); x = d.scalar("x")
    >>> _ = d.start(x + x).eq(3*x, "1")
    >>> check_step(d, "1", cache=False).verdict.value
    'REFUTED'
    """
    res = check(d, only=[label], **kw)
    if not res.steps:
        raise InvalidInputError("no such step", derivation=d.name, step=label)
    return res.steps[0]
