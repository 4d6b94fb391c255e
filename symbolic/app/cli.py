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
import math
import os
import sys
from pathlib import Path
from typing import Sequence

from .commands import _cmd_audit, _cmd_check, _cmd_list, _cmd_report, _cmd_show, _error
from ..exceptions import StepcheckError, shorten
from .runner import result_json, run_checks  # re-exported: the API of the command line
from .targets import Target, UsageError, resolve  # resolve, Target, UsageError: re-exported

__all__ = ["main", "resolve", "run_checks", "result_json"]


EPILOG = """\
examples:
  stepcheck list
  stepcheck check example_square_of_sum --json
  stepcheck check my_proofs.py -j 4
  stepcheck show example_weight_norm_trap
  stepcheck audit homework.tex --context assignment.toml --report audit-report --lang fr -j 2

exit status:
  0  no checked step is REFUTED or UNDECIDED (derivations under review report without failing)
  1  a step of a derivation not under review is REFUTED or UNDECIDED
  2  bad usage or bad input (one line on stderr)
"""


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
    q.add_argument("submission", type=Path, metavar="SUBMISSION",
                   help="a .tex, .md or .txt file, or a folder of them (a class: one result per file in --out)")
    q.add_argument("--context", type=Path, metavar="ASSIGNMENT.toml", help="the assignment's declarations")
    q.add_argument("--json", action="store_true", help="print one JSON document on stdout, nothing else")
    q.add_argument("--seed", type=int, default=0, metavar="N", help="seed of the random instances (default 0)")
    q.add_argument("--report", type=Path, metavar="DIR", help="write the LaTeX/PDF report (stepcheck-audit.tex) into DIR")
    q.add_argument("--lang", choices=("en", "fr"), default="en", help="language of the table and the report")
    q.add_argument("-j", dest="jobs", type=_jobs, default=None, metavar="N",
                   help="check questions (of a folder: its distinct questions) in N processes (0, the default: "
                        "one per CPU); the same verdicts as -j 1")
    q.add_argument("--out", type=Path, metavar="DIR",
                   help="of a folder: where each submission's result and class.json go (default: FOLDER-audit); "
                        "finished results of the same run are kept, the rest audited")
    q.add_argument("--csv", action="store_true", help="of a folder: also write class.csv in --out")
    q.add_argument("--timeout", type=_positive, default=None, metavar="SECONDS",
                   help="of a folder: the time one question of a submission may take before its worker is replaced "
                        "(default 600)")
    q.add_argument("--scheduler", metavar="ADDRESS",
                   help="of a folder: check on a Dask cluster (tcp://host:8786), or 'local' for a LocalCluster of "
                        "-j workers; needs pip install 'stepcheck[cluster]'")
    q.add_argument("--pdf", action="store_true",
                   help="of a folder: also write each submission's report (LaTeX and PDF, in --lang) in --out/reports")
    q.add_argument("--gradescope", action="store_true",
                   help="of a folder: also write Gradescope's results.json per submission in --out/gradescope, "
                        "scored by the context's [rubric]")
    q.set_defaults(func=_cmd_audit)
    return p


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
