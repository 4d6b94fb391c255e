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
from pathlib import Path
from typing import Any, Callable, Sequence

from .exceptions import InvalidInputError, StepcheckError

__all__ = ["run_checks", "check_named", "result_json"]


_WORK: list = []  # (name, build) per derivation, set before the workers fork
_OPTS: dict = {}


def _work(i: int):
    from .engine import check

    name, build = _WORK[i]
    try:
        d = build()
        if hasattr(d, "decls"):  # a Derivation
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


def _validate_all(derivations) -> None:
    from .engine import validate

    for d in derivations:
        if hasattr(d, "decls"):
            validate(d)


def _checked(work: list, *, seed: int, cache: bool, jobs: int, on_result: Callable[[int, Any], None] | None,
             meanwhile: Callable[[], None] = lambda: None) -> list:
    """Run ``work`` (``(name, build)`` pairs) in order, in forked workers when ``jobs > 1``.

    ``meanwhile`` runs in this process once the workers have started (at
    once without workers); the first error outcome is raised.
    """
    _WORK[:] = work
    _OPTS.clear()
    _OPTS.update(seed=seed, cache=cache)
    results: list = []

    def take(i: int, out) -> None:
        kind, value = out
        if kind == "error":
            raise value
        results.append(value)
        if on_result is not None:
            on_result(i, value)

    try:
        if jobs > 1 and len(work) > 1:
            import multiprocessing

            with multiprocessing.get_context("fork").Pool(min(jobs, len(work))) as pool:
                outcomes = pool.imap(_work, range(len(work)))  # the workers start now
                meanwhile()
                for i, out in enumerate(outcomes):
                    take(i, out)
        else:
            meanwhile()
            for i in range(len(work)):
                take(i, _work(i))
    finally:
        _WORK.clear()
    return results


def run_checks(derivations: Sequence, *, seed: int = 0, cache: bool = True, jobs: int = 1,
               on_result: Callable[[int, Any], None] | None = None) -> list:
    """Check ``derivations`` (in ``jobs`` forked processes when > 1); results in the same order.

    Raises the first :class:`~symbolic.StepcheckError` met, after validating everything first.

    >>> from derivations import get
    >>> [r.first_wrong_step for r in run_checks([get("example_square_of_sum")], cache=False)]
    ['2']
    """
    _validate_all(derivations)
    return _checked([(d.name, (lambda d=d: d)) for d in derivations], seed=seed, cache=cache, jobs=jobs,
                    on_result=on_result)


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
    """
    from .loader import reproduce_code
    from .terminal import status

    steps = []
    for s in result.steps:
        js = s.to_json()
        if js.get("counterexample"):
            js["counterexample"]["code"] = reproduce_code(js["counterexample"]["code"], d.name, origin)
        steps.append(_plain(js))
    return {"name": d.name, "source": d.source.to_json(), "review": bool(d.review),
            "status": status(result, review=d.review), "defined_in": str(origin) if origin else None,
            "first_wrong_step": result.first_wrong_step, "steps": steps}
