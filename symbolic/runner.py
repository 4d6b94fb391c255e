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


_WORK: list = []
_OPTS: dict = {}


def _work(i: int):
    from .engine import check

    d = _WORK[i]
    try:
        if hasattr(d, "decls"):  # a Derivation
            return "ok", check(d, **_OPTS)
        return "ok", d.check(**_OPTS)  # an object checked its own way (e.g. a code check)
    except StepcheckError as err:
        return "error", err.with_context(derivation=d.name)
    except Exception as exc:  # never a traceback: one line naming the derivation
        return "error", InvalidInputError(f"internal error while checking ({type(exc).__name__}: {exc})",
                                          derivation=d.name)


def run_checks(derivations: Sequence, *, seed: int = 0, cache: bool = True, jobs: int = 1,
               on_result: Callable[[int, Any], None] | None = None) -> list:
    """Check ``derivations`` (in ``jobs`` forked processes when > 1); results in the same order.

    Raises the first :class:`~symbolic.StepcheckError` met, after validating everything first.

    >>> from derivations import get
    >>> [r.first_wrong_step for r in run_checks([get("example_square_of_sum")], cache=False)]
    ['2']
    """
    from .engine import validate

    for d in derivations:
        if hasattr(d, "decls"):
            validate(d)
    _WORK[:] = list(derivations)
    _OPTS.clear()
    _OPTS.update(seed=seed, cache=cache)
    results = []

    def take(i: int, out) -> None:
        kind, value = out
        if kind == "error":
            raise value
        results.append(value)
        if on_result is not None:
            on_result(i, value)

    try:
        if jobs > 1 and len(_WORK) > 1:
            import multiprocessing

            with multiprocessing.get_context("fork").Pool(min(jobs, len(_WORK))) as pool:
                for i, out in enumerate(pool.imap(_work, range(len(_WORK)))):
                    take(i, out)
        else:
            for i in range(len(_WORK)):
                take(i, _work(i))
    finally:
        _WORK.clear()
    return results


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


# -- built-ins by name: workers build their own copies, so building overlaps checking ------------
_NAMES: list = []
_BUILD: list = []  # [build(name) -> derivation], set before the workers fork


def _work_named(i: int):
    from .engine import validate

    name = _NAMES[i]
    try:
        d = _BUILD[0](name)
        if hasattr(d, "decls"):
            validate(d)
    except StepcheckError as err:
        return "error", err.with_context(derivation=name)
    except Exception as exc:  # never a traceback
        return "error", InvalidInputError(f"building it raised {type(exc).__name__}: {exc}", derivation=name)
    _WORK[:] = [d]
    try:
        return _work(0)
    finally:
        _WORK.clear()


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
    from .engine import validate

    if jobs <= 1 or len(names) <= 1:
        built = [build(n) for n in names]
        return built, run_checks(built, seed=seed, cache=cache, jobs=1,
                                 on_result=None if on_result is None else lambda i, r: on_result(i, built[i], r))
    import multiprocessing

    _NAMES[:] = list(names)
    _BUILD[:] = [build]
    _OPTS.clear()
    _OPTS.update(seed=seed, cache=cache)
    results: list = []
    try:
        with multiprocessing.get_context("fork").Pool(min(jobs, len(names))) as pool:
            outcomes = pool.imap(_work_named, range(len(names)))  # the workers start now
            built = [build(n) for n in names]
            for d in built:
                if hasattr(d, "decls"):
                    validate(d)
            for i, (kind, value) in enumerate(outcomes):
                if kind == "error":
                    raise value
                results.append(value)
                if on_result is not None:
                    on_result(i, built[i], value)
    finally:
        _NAMES.clear()
        _BUILD.clear()
    return built, results
