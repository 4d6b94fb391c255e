"""Checking derivations, in parallel processes when asked, and their results as JSON.

The layer between the command line and the engine: :func:`run_checks`
checks a list of derivations (forked workers for ``jobs > 1``, results in
the input order, the first error re-raised with the derivation's name), and
:func:`result_json` turns one result into the object the ``--json`` output
and its schema describe.

>>> from derivations import get
>>> [r.first_wrong_step for r in run_checks([get("example_square_of_sum")], cache=False)]
['2']
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any, Callable, Sequence

from ..exceptions import InvalidInputError, StepcheckError

__all__ = ["default_jobs", "run_checks", "check_named", "result_json", "cache_stats", "ignored_line"]


_WORK: list = []  # (name, build) per derivation, set before the workers fork


def default_jobs(units: int) -> int:
    """How many processes check ``units`` independent units of work (an audit's questions) by default:
    one per CPU, never more than the units (one unit: this process, no fork).

    >>> default_jobs(1), default_jobs(0), default_jobs(10_000) == (os.cpu_count() or 1)
    (1, 1, True)
    """
    return max(1, min(os.cpu_count() or 1, units))
_OPTS: dict = {}


def _work(i: int):
    from ..verdicts.engine import check
    from ..read.loader import Invalid

    name, build = _WORK[i]
    try:
        d = build()
        if isinstance(d, Invalid):  # could not be built: reported as it is
            return "invalid", d
        if hasattr(d, "decls"):  # a Derivation
            _has_steps(d)
            return "ok", check(d, **_OPTS)
        return "ok", d.check(**_OPTS)  # an object checked its own way (e.g. a code check)
    except StepcheckError as err:
        return "error", err.with_context(derivation=name)
    except RecursionError:  # sympy itself could not build (or we could not walk) an expression this deep
        return "error", InvalidInputError("an expression is nested too deeply for Python to build or check "
                                          "(RecursionError); keep expressions shallower", derivation=name)
    except Exception as exc:  # never a traceback: one line naming the derivation
        return "error", InvalidInputError(f"internal error while checking ({type(exc).__name__}: {exc})",
                                          derivation=name)


def _has_steps(d) -> None:
    if not d.steps:
        raise InvalidInputError("has no steps: nothing to check", derivation=d.name)


def _validate_all(derivations) -> None:
    from ..verdicts.engine import validate
    from ..read.loader import Invalid

    for d in derivations:
        if isinstance(d, Invalid):
            raise InvalidInputError(d.error, derivation=d.name)
        if hasattr(d, "decls"):
            _has_steps(d)
            validate(d)


def dispatch_order(weights: Sequence[float]) -> list[int]:
    """The order in which the workers take the units of work: the heaviest first (a long unit started last
    would finish alone), ties in their own order.

    >>> dispatch_order([1, 5, 2, 5])
    [1, 3, 2, 0]
    """
    return sorted(range(len(weights)), key=lambda i: (-weights[i], i))


def _checked(work: list, *, seed: int, cache: bool, jobs: int, on_result: Callable[[int, Any], None] | None,
             meanwhile: Callable[[], None] = lambda: None, keep_invalid: bool = False,
             weights: Sequence[float] | None = None) -> list:
    """Run ``work`` (``(name, build)`` pairs), in forked workers when ``jobs > 1`` (the heaviest first by
    ``weights``, when given); the results always in the order of ``work``.

    ``meanwhile`` runs in this process once the workers have started (at
    once without workers); the first error outcome is raised, unless
    ``keep_invalid``: then it is the derivation's result, an :class:`~symbolic.read.loader.Invalid`.
    """
    from ..read.loader import Invalid

    _WORK[:] = work
    _OPTS.clear()
    _OPTS.update(seed=seed, cache=cache)
    results: list = []

    def take(i: int, out) -> None:
        kind, value = out
        if kind != "ok" and not keep_invalid:
            raise value if kind == "error" else InvalidInputError(value.error, derivation=value.name)
        if kind == "error":
            value = Invalid(work[i][0], str(value))
        results.append(value)
        if on_result is not None:
            on_result(i, value)

    try:
        if jobs > 1 and len(work) > 1:
            import multiprocessing

            order = dispatch_order(weights) if weights is not None else list(range(len(work)))
            with multiprocessing.get_context("fork").Pool(min(jobs, len(work))) as pool:
                outcomes = pool.imap(_work, order)  # the workers start now, the heaviest work first
                meanwhile()
                done: dict = {}
                for i, out in zip(order, outcomes):
                    done[i] = out
                    while len(results) in done:  # taken in the order of ``work``, whatever order they ended in
                        take(len(results), done.pop(len(results)))
        else:
            meanwhile()
            for i in range(len(work)):
                take(i, _work(i))
    finally:
        _WORK.clear()
    return results


def run_checks(derivations: Sequence, *, seed: int = 0, cache: bool = True, jobs: int = 1,
               on_result: Callable[[int, Any], None] | None = None, keep_invalid: bool = False,
               weights: Sequence[float] | None = None) -> list:
    """Check ``derivations`` (in ``jobs`` forked processes when > 1, the heaviest ``weights`` first); results
    in the same order.

    Raises the first :class:`~symbolic.StepcheckError` met, after validating everything first;
    with ``keep_invalid``, each derivation stands alone: one that cannot be checked (an
    :class:`~symbolic.read.loader.Invalid` entry, a validation error) has an ``Invalid`` result
    naming the reason, and the others are checked.

    >>> from derivations import get
    >>> [r.first_wrong_step for r in run_checks([get("example_square_of_sum")], cache=False)]
    ['2']
    """
    if not keep_invalid:
        _validate_all(derivations)
    return _checked([(d.name, (lambda d=d: d)) for d in derivations], seed=seed, cache=cache, jobs=jobs,
                    on_result=on_result, keep_invalid=keep_invalid, weights=weights)


def check_named(names: Sequence[str], build: Callable[[str], Any], *, seed: int = 0, cache: bool = True,
                jobs: int = 2, on_result: Callable[[int, Any, Any], None] | None = None) -> tuple[list, list]:
    """Build and check the derivations ``names`` with ``build``; ``(derivations, results)`` in order.

    With ``jobs > 1`` the workers fork first and each builds what it checks,
    while this process builds every derivation again for the output and
    validates it: building, which is sequential in :func:`run_checks`, then
    overlaps checking.  Errors are raised as :func:`run_checks` raises them.

    >>> from derivations import get
    >>> ds, rs = check_named(["example_square_of_sum", "example_weight_norm_trap"], get, cache=False, jobs=2)
    >>> [d.name for d in ds], [r.first_wrong_step for r in rs]
    (['example_square_of_sum', 'example_weight_norm_trap'], ['2', 'sympy'])
    """
    built: list = []

    def build_all() -> None:
        built.extend(build(n) for n in names)
        _validate_all(built)

    if jobs <= 1 or len(names) <= 1:  # nothing to overlap: build once, here
        build_all()
        work = [(d.name, (lambda d=d: d)) for d in built]
        results = _checked(work, seed=seed, cache=cache, jobs=1,
                           on_result=None if on_result is None else lambda i, r: on_result(i, built[i], r))
        return built, results
    work = [(n, (lambda n=n: build(n))) for n in names]
    results = _checked(work, seed=seed, cache=cache, jobs=jobs, meanwhile=build_all,
                       on_result=None if on_result is None else lambda i, r: on_result(i, built[i], r))
    return built, results


def _plain(x: Any) -> Any:
    if isinstance(x, float) and not math.isfinite(x):
        return str(x)
    if isinstance(x, dict):
        return {str(k): _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    if x is None or isinstance(x, (bool, int, float, str)):
        return x
    return str(x)


def result_json(d, result, origin: Path | None = None) -> dict:
    """The JSON object of one checked derivation (see tests/schema/stepcheck-check.schema.json).

    >>> from derivations import get
    >>> from symbolic import check
    >>> d = get("example_square_of_sum")
    >>> result_json(d, check(d, cache=False))["first_wrong_step"]
    '2'
    >>> from symbolic.read.loader import Invalid
    >>> result_json(d, Invalid(d.name, "shape mismatch"))["status"]
    'invalid'
    """
    from ..read.loader import Invalid, reproduce_code
    from ..emit.terminal import status

    if isinstance(result, Invalid):
        source = getattr(d, "source", None)
        return {"name": d.name, "source": source.to_json() if source is not None else None,
                "review": bool(getattr(d, "review", False)), "status": "invalid", "error": result.error,
                "defined_in": str(origin) if origin else None, "first_wrong_step": None, "steps": []}
    steps = []
    for s in result.steps:
        js = s.to_json()
        if js.get("counterexample"):
            js["counterexample"]["code"] = reproduce_code(js["counterexample"]["code"], d.name, origin)
        steps.append(_plain(js))
    return {"name": d.name, "source": d.source.to_json(), "review": bool(d.review),
            "status": status(result, review=d.review), "defined_in": str(origin) if origin else None,
            "first_wrong_step": result.first_wrong_step, "steps": steps}


def cache_stats(results, *, ignored: int = 0) -> dict:
    """``{"hits": steps answered by a cache, "ignored": cache entries that did not verify}`` for ``results``.

    >>> from symbolic import Derivation, check
    >>> d = Derivation("demo"); x = d.scalar("x"); _ = d.start(x + x).eq(2*x, "1")
    >>> cache_stats([check(d, cache=False)])
    {'hits': 0, 'ignored': 0}
    """
    hits = sum(1 for r in results for s in r.steps if s.cached)
    return {"hits": hits, "ignored": ignored + sum(getattr(r, "cache_ignored", 0) for r in results)}


def ignored_line(stats: dict) -> str | None:
    """The line that reports cache entries ignored because they did not verify (None when there were none).

    >>> ignored_line({"hits": 0, "ignored": 3})
    'ignored 3 cache entries that did not verify (forged, copied or damaged)'
    """
    n = stats["ignored"]
    if not n:
        return None
    return f"ignored {n} cache {'entry' if n == 1 else 'entries'} that did not verify (forged, copied or damaged)"
