"""The subcommands of the command line: ``list``, ``check``, ``show``, ``report`` and ``audit``.

Each ``_cmd_*`` takes the parsed arguments of :mod:`symbolic.app.cli` and returns the exit status.

>>> import argparse
>>> _cmd_list(argparse.Namespace(names=["example_square_of_sum"], pattern=None, load_timeout=None,
...                              json=True))  # doctest: +ELLIPSIS
{
  "derivations": [
    {
      "name": "example_square_of_sum",
...
0
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from ..exceptions import InvalidInputError
from .runner import cache_stats, check_named, ignored_line, result_json, run_checks
from .targets import (
    UsageError,
    _builtin,
    _builtin_names,
    _cached_targets,
    _code_for,
    _invalid,
    _invalid_line,
    _store_results,
    _with_budget,
    resolve,
)


def _cmd_audit(args) -> int:
    from .audit import audit_lines, render

    if args.submission.is_dir():
        return _cmd_audit_class(args)
    for flag in ("out", "csv", "timeout", "scheduler", "gradescope", "pdf"):
        if getattr(args, flag, None) not in (None, False):
            raise UsageError(f"--{flag} is for a folder of submissions; {args.submission} is one file")

    report, shown = audit_lines(args.submission, context=args.context, seed=args.seed,
                                jobs=getattr(args, "jobs", None))
    lang = getattr(args, "lang", "en")
    print(json.dumps(report, indent=2, default=str) if args.json else render(report, lang=lang))
    if getattr(args, "report", None) is None:
        return 0
    from ..emit.audit_report import write_report

    status, line = write_report(report, args.report, lang=lang, shown=shown)
    print(line, file=sys.stderr if status or args.json else sys.stdout)  # --json: stdout is the JSON alone
    return status


def _cmd_audit_class(args) -> int:
    """``stepcheck audit FOLDER``: every submission of the folder, one result each in ``--out``."""
    from .audit_class import SUFFIXES, TIMEOUT, audit_class, submissions
    from .audit_class_summary import write_csv
    from .runner import default_jobs
    from ..emit.class_progress import class_progress

    if getattr(args, "report", None) is not None:
        raise UsageError("--report is for one submission; a folder's results go to --out")
    files = submissions(args.submission)
    if not files:
        raise UsageError(f"{args.submission}: no submission in this folder (files ending in {', '.join(SUFFIXES)})")
    out = args.out if args.out is not None else args.submission.parent / f"{args.submission.name}-audit"
    jobs = args.jobs if args.jobs else default_jobs(len(files))
    with class_progress(len(files), enabled=sys.stderr.isatty()) as progress:
        summary = audit_class(args.submission, context=args.context, seed=args.seed, jobs=jobs, out=out,
                              timeout=args.timeout or TIMEOUT, scheduler=args.scheduler,
                              gradescope=args.gradescope, pdf=args.pdf, lang=args.lang, progress=progress)
    if args.csv:
        write_csv(summary, out / "class.csv")
    if args.json:
        print(json.dumps(summary, indent=2, default=str))
    else:
        print(_class_table(summary, out))
    return 0


def _class_table(summary: dict, out: Path) -> str:
    """The class in a few lines: one per submission, then the most common wrong lines."""
    rows = [f"{'file':<28} {'status':<8} {'lines':>5} {'checked':>7} {'refuted':>7} {'unread':>6}  first wrong lines"]
    for s in summary["submissions"]:
        c = s["summary"] or {}
        firsts = ", ".join(f"{q}: {line}" for q, line in s["first_wrong_lines"].items() if line is not None)
        rows.append(f"{s['file'][:28]:<28} {s['status']:<8} {c.get('lines', ''):>5} {c.get('checked', ''):>7} "
                    f"{c.get('refuted', ''):>7} {c.get('unread', ''):>6}  {firsts or (s['reason'] or '-')}")
    for w in summary["common_wrong_lines"][:5]:
        rows.append(f"wrong in {w['students']} submission(s), question {w['question']}: {w['latex'][:70]}")
    if "reports" in summary:
        r = summary["reports"]
        rows.append(f"reports: {r['built']} PDF built in {out / 'reports'}" + (f"; {r['problem']}" if r["problem"] else ""))
    n = summary["counts"]
    rows.append(f"class: submissions {n['submissions']}, ok {n['ok']}, crashed {n['crashed']}, timeout {n['timeout']}, "
                f"error {n['error']}, resumed {summary['resumed']}, steps checked {summary['steps_checked']}, "
                f"shared {summary['memo_hits']}, seconds {summary['seconds']:.1f}; results in {out}")
    return "\n".join(rows)


def _some_invalid(bad: list) -> int:
    """Exit status 2 with one line on stderr: the reason of the invalid derivation, or of the first of several."""
    if len(bad) == 1:
        _error(bad[0].error)
    else:
        _error(f"{len(bad)} invalid derivations, not checked: {', '.join(x.name for x in bad)} "
               f"(first: {bad[0].error})")
    return 2


def _cmd_list(args) -> int:
    from ..emit.terminal import list_table, make_console

    targets = resolve(args.names, args.pattern, args.load_timeout)
    if all(origin is None for _, origin in targets):  # built-ins in natural order (a file keeps its own order)
        from ..emit.report import natural_key

        targets.sort(key=lambda t: natural_key(t[0].name))
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



def _cmd_check(args) -> int:
    from ..emit.terminal import make_console, progress

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
    from ..emit.terminal import result_table, summary_line

    if not args.json:
        if _invalid(res):
            console.print(_invalid_line(res), markup=False, highlight=False)
        else:
            console.print(result_table(d, res))
            console.print(summary_line(d, res))
        console.print()


def _report_check(args, targets, results, t0: float, *, printed: bool = False, ignored: int = 0) -> int:
    from ..emit.terminal import make_console, status

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
    from ..read.loader import LOAD_TIMEOUT, load_file
    from ..emit.terminal import make_console, render_show, status

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
        report = importlib.import_module("symbolic.emit.report")
    except ModuleNotFoundError as exc:
        if exc.name != "symbolic.emit.report":
            raise
        _error("the report builder (symbolic.emit.report) is not installed in this version of stepcheck")
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
