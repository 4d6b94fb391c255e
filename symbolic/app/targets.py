"""Which derivations a command names: built-ins by name, ``.py`` files, ``-k`` patterns, cached results.

The command line (:mod:`symbolic.app.cli`) resolves its NAME arguments here; a derivation of a file
that cannot be built is an :class:`~symbolic.read.loader.Invalid` entry, told apart by :func:`_invalid`.
"""

from __future__ import annotations

import fnmatch
from pathlib import Path
from typing import Any, Sequence

from ..exceptions import InvalidInputError, StepcheckError

__all__ = ["Target", "UsageError", "resolve"]

Target = tuple[Any, "Path | None"]  # (derivation, file it was loaded from, or None for a built-in)


class UsageError(Exception):
    """Bad command-line usage (exit status 2)."""



def _builtin(name: str):
    from derivations import get, names

    if name not in names():
        return get(name)  # raises the registry's "Unknown derivation" error
    try:
        return get(name)
    except StepcheckError as err:
        raise err.with_context(derivation=name) from None
    except Exception as exc:  # a broken factory is bad input, reported in one line
        raise InvalidInputError(f"building it raised {type(exc).__name__}: {exc}", derivation=name) from None


def resolve(names: Sequence[str], pattern: str | None = None, load_timeout: float | None = None) -> list[Target]:
    """The derivations named on the command line (all built-ins when ``names`` is empty).

    A name ending in ``.py`` is a file, loaded with :func:`symbolic.read.loader.load_file` within
    ``load_timeout`` seconds (default :data:`symbolic.read.loader.LOAD_TIMEOUT`); a derivation of
    the file that cannot be built is an :class:`~symbolic.read.loader.Invalid` entry.

    >>> [d.name for d, _ in resolve(["example_square_of_sum"])]
    ['example_square_of_sum']
    """
    builtins = _builtin_names(names, pattern)
    if builtins is not None:
        return [(_builtin(n), None) for n in builtins]
    from ..read.loader import LOAD_TIMEOUT, load_file

    glob = _glob(pattern)
    out: list[Target] = []
    for name in names:
        if name.endswith(".py"):
            path = Path(name)
            out.extend((d, path) for d in load_file(path, timeout=load_timeout or LOAD_TIMEOUT))
        else:
            out.append((_builtin(name), None))
    seen: set = set()
    unique = []
    for d, origin in out:
        if id(d) not in seen and (glob is None or fnmatch.fnmatchcase(d.name, glob)):
            seen.add(id(d))
            unique.append((d, origin))
    if glob is not None and not unique:
        raise UsageError(f"no derivation matches -k {pattern!r}")
    return unique


def _builtin_names(names: Sequence[str], pattern: str | None) -> list[str] | None:
    """The built-ins :func:`resolve` returns, in its order, built only where -k needs it; None if a file is named.

    A built-in's registry name is its name, so -k filters names before anything is built.
    """
    if any(n.endswith(".py") for n in names):
        return None
    from derivations import names as builtin_names

    glob = _glob(pattern)
    if glob is not None:
        for n in names:  # every name given is built (and can fail) before -k filters it out
            _builtin(n)
    out: list[str] = []
    for n in (list(names) or builtin_names()):
        if n not in out and (glob is None or fnmatch.fnmatchcase(n, glob)):
            out.append(n)
    if glob is not None and not out:
        raise UsageError(f"no derivation matches -k {pattern!r}")
    return out


def _glob(pattern: str | None) -> str | None:
    """``-k`` as a glob: a pattern without ``*?[`` matches any name that contains it."""
    if pattern is None:
        return None
    return pattern if any(c in pattern for c in "*?[") else f"*{pattern}*"


def _with_budget(d, seconds: float | None):
    from ..read.loader import with_budget

    return with_budget(d, seconds)


def _code_for(d, origin):
    from ..read.loader import reproduce_code

    return lambda r: reproduce_code(r.counterexample.code, d.name, origin)



def _invalid(x) -> bool:
    from ..read.loader import Invalid

    return isinstance(x, Invalid)


def _invalid_line(x) -> str:
    return f"{x.name}: INVALID: {x.error}"


_SAMPLES = 24  # the engine's default number of random instances per step


def _cached_targets(args) -> tuple[list | None, int]:
    """Built-in derivations whose whole results are cached for the current sources (or None), and how many
    whole-result files were ignored because they did not verify."""
    if args.no_cache or args.budget is not None or any(n.endswith(".py") for n in args.names):
        return None, 0
    from ..verdicts import results_cache as rc

    data, ignored = rc.load(rc.fingerprint(), args.seed, _SAMPLES)
    if data is None:
        return None, ignored
    names = list(args.names) or data.get("all_names")
    if not names:
        return None, ignored
    if args.pattern is not None:
        glob = _glob(args.pattern)
        names = [n for n in names if fnmatch.fnmatchcase(n, glob)]
        if not names:
            return None, ignored
    return rc.lookup(data, names), ignored


def _store_results(args, targets, results) -> None:
    if (args.no_cache or args.budget is not None or any(o is not None for _, o in targets)
            or any(_invalid(r) for r in results)):
        return
    from ..verdicts import results_cache as rc

    all_names = None
    if not args.names and args.pattern is None:
        all_names = [d.name for d, _ in targets]
    rc.store(rc.fingerprint(), args.seed, _SAMPLES, [(d, r) for (d, _), r in zip(targets, results)],
             all_names=all_names)

