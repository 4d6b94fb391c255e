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

__all__ = ["run_checks", "result_json"]


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
