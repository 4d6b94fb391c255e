"""The ``stepcheck`` command line: ``list``, ``check``, ``show`` and ``report``.

Exit status: 0 when no checked step is REFUTED or UNDECIDED (submissions
under review, ``Derivation(review=True)``, report findings without failing);
1 when one is; 2 for bad usage or bad input, with a one-line message on
stderr.

>>> main(["check", "example_square_of_sum", "--json", "--no-cache"])  # doctest: +ELLIPSIS
{
  "derivations": [
    {
      "name": "example_square_of_sum",
...
0
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import math
import os
import sys
import time
from pathlib import Path
from typing import Any, Sequence

from .exceptions import InvalidInputError, StepcheckError, shorten
from .runner import cache_stats, check_named, ignored_line, result_json, run_checks

__all__ = ["main", "resolve", "run_checks", "result_json"]

Target = tuple[Any, "Path | None"]  # (derivation, file it was loaded from, or None for a built-in)


EPILOG = """\
examples:
  stepcheck list
  stepcheck check example_square_of_sum --json
  stepcheck check my_proofs.py -j 4
  stepcheck show example_weight_norm_trap

exit status:
  0  no checked step is REFUTED or UNDECIDED (derivations under review report without failing)
  1  a step of a derivation not under review is REFUTED or UNDECIDED
  2  bad usage or bad input (one line on stderr)
"""


class UsageError(Exception):
    """Bad command-line usage (exit status 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, no usage block
        raise UsageError(f"{message} (see `{self.prog} --help`)")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="stepcheck", description="Check derivations step by step.",
                formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EPILOG)
    p.add_argument("--version", action="version", version="stepcheck 0.1.0")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    def common(q: argparse.ArgumentParser, names: str = "*") -> None:
        q.add_argument("names", nargs=names, metavar="NAME",
                       help="a built-in derivation's name, or a .py file of your own derivations")
        q.add_argument("-k", dest="pattern", metavar="PATTERN",
                       help="only derivations whose name contains PATTERN (shell wildcards * ? allowed)")
        q.add_argument("--json", action="store_true", help="print one JSON document on stdout, nothing else")
        loading(q)

    def loading(q: argparse.ArgumentParser) -> None:
        q.add_argument("--load-timeout", type=_positive, default=None, metavar="SECONDS",
                       help="time a .py file may take to load before it is stopped (default 30)")

    q = sub.add_parser("list", help="list the derivations known, with their source and version")
    common(q)
    q.set_defaults(func=_cmd_list)

    def checking(q: argparse.ArgumentParser) -> None:
        q.add_argument("--seed", type=int, default=0, metavar="N", help="seed of the random instances (default 0)")
        q.add_argument("--budget", type=_positive, metavar="SECONDS", help="time budget of every step")
        q.add_argument("--no-cache", action="store_true", help="do not read or write the verdict cache")

    q = sub.add_parser("check", help="check derivations; a table per derivation")
    common(q)
    checking(q)
    q.add_argument("-j", dest="jobs", type=_jobs, default=1, metavar="N",
                   help="check derivations in N processes (0: one per CPU)")
    q.set_defaults(func=_cmd_check)

    q = sub.add_parser("show", help="one derivation step by step, with counterexamples")
    q.add_argument("name", metavar="NAME", help="a built-in derivation's name, or a .py file")
    q.add_argument("member", nargs="?", metavar="DERIVATION", help="which derivation of the file")
    checking(q)
    loading(q)
    q.set_defaults(func=_cmd_show)

    q = sub.add_parser("report", help="build the report (figures, tables, PDF)")
    q.add_argument("names", nargs="*", metavar="NAME", help="only these derivations (default: every built-in one)")
    q.add_argument("-k", dest="pattern", metavar="PATTERN", help="only derivations whose name contains PATTERN")
    q.add_argument("--lang", choices=("en", "fr"), default="en")
    q.add_argument("--out", type=Path, default=Path("report"), metavar="DIR", help="output folder (default report)")
    q.add_argument("--seed", type=int, default=0, metavar="N")
    q.add_argument("--no-pdf", action="store_true", help="skip compiling the PDF")
    q.set_defaults(func=_cmd_report)

    q = sub.add_parser("audit", help="read a LaTeX or Markdown submission and check it line by line")
    q.add_argument("submission", type=Path, metavar="SUBMISSION", help="a .tex, .md or .txt file")
    q.add_argument("--context", type=Path, metavar="ASSIGNMENT.toml", help="the assignment's declarations")
    q.add_argument("--json", action="store_true", help="print one JSON document on stdout, nothing else")
    q.add_argument("--seed", type=int, default=0, metavar="N", help="seed of the random instances (default 0)")
    q.set_defaults(func=_cmd_audit)
    return p


def _cmd_audit(args) -> int:
    from .audit import audit, render

    report = audit(args.submission, context=args.context, seed=args.seed)
    print(json.dumps(report, indent=2, default=str) if args.json else render(report))
    return 0


def _positive(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not (v > 0 and math.isfinite(v)):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {text!r}")
    return v


def _jobs(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if v < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {v}")
    return v or (os.cpu_count() or 1)


# -- finding derivations ---------------------------------------------------
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

    A name ending in ``.py`` is a file, loaded with :func:`symbolic.loader.load_file` within
    ``load_timeout`` seconds (default :data:`symbolic.loader.LOAD_TIMEOUT`); a derivation of
    the file that cannot be built is an :class:`~symbolic.loader.Invalid` entry.

    >>> [d.name for d, _ in resolve(["example_square_of_sum"])]
    ['example_square_of_sum']
    """
    builtins = _builtin_names(names, pattern)
    if builtins is not None:
        return [(_builtin(n), None) for n in builtins]
    from .loader import LOAD_TIMEOUT, load_file

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
    from .loader import with_budget

    return with_budget(d, seconds)


def _code_for(d, origin):
    from .loader import reproduce_code

    return lambda r: reproduce_code(r.counterexample.code, d.name, origin)


# -- subcommands ---------------------------------------------------------------
def _invalid(x) -> bool:
    from .loader import Invalid

    return isinstance(x, Invalid)


def _invalid_line(x) -> str:
    return f"{x.name}: INVALID: {x.error}"


def _some_invalid(bad: list) -> int:
    """Exit status 2 with one line on stderr: the reason of the invalid derivation, or of the first of several."""
    if len(bad) == 1:
        _error(bad[0].error)
    else:
        _error(f"{len(bad)} invalid derivations, not checked: {', '.join(x.name for x in bad)} "
               f"(first: {bad[0].error})")
    return 2


def _cmd_list(args) -> int:
    from .terminal import list_table, make_console

    targets = resolve(args.names, args.pattern, args.load_timeout)
    if all(origin is None for _, origin in targets):  # built-ins in natural order (a file keeps its own order)
        targets.sort(key=lambda t: _natural(t[0].name))
    bad = [d for d, _ in targets if _invalid(d)]
    if args.json:
        rows = []
        for d, o in targets:
            row = {"name": d.name, "source": d.source.to_json() if d.source is not None else None,
                   "review": bool(d.review), "steps": len(d.steps), "defined_in": str(o) if o else None}
            if _invalid(d):
                row.update(status="invalid", error=d.error)
            rows.append(row)
        print(json.dumps({"derivations": rows}, indent=2))
    else:
        console = make_console()
        console.print(list_table([(d, o) for d, o in targets if not _invalid(d)]))
        for d in bad:
            console.print(_invalid_line(d), markup=False, highlight=False)
    return _some_invalid(bad) if bad else 0


def _natural(name: str) -> tuple:
    """Sort key that orders the numbers in a name by value: ``bp_1_2`` before ``bp_1_11``.

    >>> sorted(["bp_1_11", "bp_1_2", "bp_1_1"], key=_natural)
    ['bp_1_1', 'bp_1_2', 'bp_1_11']
    """
    import re

    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", name) if p)


def _cached_targets(args) -> tuple[list | None, int]:
    """Built-in derivations whose whole results are cached for the current sources (or None), and how many
    whole-result files were ignored because they did not verify."""
    if args.no_cache or args.budget is not None or any(n.endswith(".py") for n in args.names):
        return None, 0
    from . import results_cache as rc

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
    from . import results_cache as rc

    all_names = None
    if not args.names and args.pattern is None:
        all_names = [d.name for d, _ in targets]
    rc.store(rc.fingerprint(), args.seed, _SAMPLES, [(d, r) for (d, _), r in zip(targets, results)],
             all_names=all_names)


_SAMPLES = 24  # the engine's default number of random instances per step


def _cmd_check(args) -> int:
    from .terminal import make_console, progress

    t0 = time.perf_counter()
    cached, ignored = _cached_targets(args)
    if cached is not None:  # nothing changed since the last check: read the results back
        targets = [(d, None) for d, _ in cached]
        return _report_check(args, targets, [r for _, r in cached], t0)
    console = make_console()
    show_bar = not args.json and console.is_terminal
    named = _builtin_names(args.names, args.pattern) if args.jobs > 1 else None
    if named is not None and len(named) > 1:  # built-ins: workers build their own, building overlaps checking
        labels, origins = named, [None] * len(named)

        def run(on_result):
            return check_named(named, lambda n: _with_budget(_builtin(n), args.budget), seed=args.seed,
                               cache=not args.no_cache, jobs=args.jobs, on_result=on_result)
    else:
        targets = [(d if _invalid(d) else _with_budget(d, args.budget), o)
                   for d, o in resolve(args.names, args.pattern, args.load_timeout)]
        labels, origins = [d.name for d, _ in targets], [o for _, o in targets]

        def run(on_result):
            ds = [d for d, _ in targets]
            return ds, run_checks(ds, seed=args.seed, cache=not args.no_cache, jobs=args.jobs, keep_invalid=True,
                                  on_result=lambda i, res: on_result(i, ds[i], res))
    forks = args.jobs > 1 and len(labels) > 1
    with progress(console, len(labels), enabled=show_bar, auto_refresh=not forks) as bar:  # no thread when forking
        bar.describe(f"checking {labels[0]}" if labels else "checking")

        def on_result(i: int, d, res) -> None:
            _print_result(args, console, d, res)
            bar.advance()
            if i + 1 < len(labels):
                bar.describe(f"checking {labels[i + 1]}")

        built, results = run(on_result)
    targets = list(zip(built, origins))
    _store_results(args, targets, results)
    return _report_check(args, targets, results, t0, printed=True, ignored=ignored)


def _print_result(args, console, d, res) -> None:
    from .terminal import result_table, summary_line

    if not args.json:
        if _invalid(res):
            console.print(_invalid_line(res), markup=False, highlight=False)
        else:
            console.print(result_table(d, res))
            console.print(summary_line(d, res))
        console.print()


def _report_check(args, targets, results, t0: float, *, printed: bool = False, ignored: int = 0) -> int:
    from .terminal import make_console, status

    console = make_console()
    if not args.json and not printed:
        for (d, _), res in zip(targets, results):
            _print_result(args, console, d, res)
    seconds = time.perf_counter() - t0
    states = ["invalid" if _invalid(r) else status(r, review=d.review) for (d, _), r in zip(targets, results)]
    stats = cache_stats(results, ignored=ignored)
    if args.json:
        doc = {"derivations": [result_json(d, r, o) for (d, o), r in zip(targets, results)],
               "seed": args.seed, "seconds": round(seconds, 6), "cache": stats}
        print(json.dumps(doc, indent=2))
    else:
        counts = {k: states.count(k) for k in ("ok", "failed", "findings", "invalid")}
        console.print(f"checked {len(results) - counts['invalid']} derivation(s) in {seconds:.1f} s with seed "
                      f"{args.seed}: {counts['ok']} ok, {counts['failed']} failed, "
                      f"{counts['findings']} with findings (under review)"
                      + (f", {counts['invalid']} invalid (not checked)" if counts["invalid"] else ""))
        line = ignored_line(stats)
        if line:
            console.print(line)
    if "invalid" in states:
        return _some_invalid([r for r in results if _invalid(r)])
    return 1 if "failed" in states else 0


def _cmd_show(args) -> int:
    from .loader import LOAD_TIMEOUT, load_file
    from .terminal import make_console, render_show, status

    if args.name.endswith(".py"):
        path = Path(args.name)
        found = load_file(path, timeout=args.load_timeout or LOAD_TIMEOUT)
        if args.member is not None:
            found = [d for d in found if d.name == args.member]
            if not found:
                raise InvalidInputError(f"no derivation called {args.member!r} in {path}")
        elif len(found) != 1:
            raise UsageError(f"{path} defines {len(found)} derivations ({', '.join(d.name for d in found)}); "
                             "name the one to show: stepcheck show FILE.py NAME")
        d, origin = found[0], path
    else:
        if args.member is not None:
            raise UsageError("DERIVATION is only for a .py file: stepcheck show FILE.py NAME")
        d, origin = _builtin(args.name), None
    d = _with_budget(d, args.budget)
    (result,) = run_checks([d], seed=args.seed, cache=not args.no_cache)
    console = make_console()
    render_show(console, d, result, code_for=_code_for(d, origin))
    line = ignored_line(cache_stats([result]))
    if line:
        console.print(line)
    return 1 if status(result, review=d.review) == "failed" else 0


def _cmd_report(args) -> int:
    import importlib

    try:
        report = importlib.import_module("symbolic.report")
    except ModuleNotFoundError as exc:
        if exc.name != "symbolic.report":
            raise
        _error("the report builder (symbolic.report) is not installed in this version of stepcheck")
        return 2
    chosen, own = None, False
    if args.names or args.pattern:
        targets = resolve(args.names, args.pattern)
        chosen, own = [d for d, _ in targets], any(o is not None for _, o in targets)
        for d in chosen:
            if _invalid(d):
                raise InvalidInputError(d.error, derivation=d.name)
    return int(report.build_report(args.out, lang=args.lang, seed=args.seed, derivations=chosen,
                                   pdf=not args.no_pdf, figures=not own))  # a user's file: no built-in figures


def _error(message: str) -> None:
    print(f"stepcheck: error: {' '.join(str(message).split())}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); returns the exit status.

    >>> main(["show", "no_such_derivation"])
    2
    """
    try:
        args = _parser().parse_args(argv)
    except UsageError as err:
        _error(str(err))
        return 2
    except SystemExit as exc:  # --help, --version
        return int(exc.code or 0)
    try:
        return int(args.func(args))
    except UsageError as err:
        _error(str(err))
        return 2
    except StepcheckError as err:
        _error(str(err))
        return 2
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 1
    except Exception as exc:
        if os.environ.get("STEPCHECK_DEBUG"):
            raise
        _error(f"internal error ({type(exc).__name__}: {shorten(exc)}); set STEPCHECK_DEBUG=1 for the traceback")
        return 2
