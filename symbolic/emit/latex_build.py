r"""Building the report's PDF: latexmk in a locked-down TeX, and reading its log.

TeX runs with ``-no-shell-escape`` and may read and write only below the build folder;
a LaTeX error, an undefined reference or a line running more than :data:`OVERFULL_PT`
points off the page fails the build, with one line that says why (:func:`log_problem`).

>>> log_problem("Output written on stepcheck-report.pdf (3 pages).") is None
True
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from .report_text import message

__all__ = ["MAIN", "OVERFULL_PT", "log_problem"]

MAIN = "stepcheck-report"
OVERFULL_PT = 10.0
LATEXMK = ["latexmk", "-pdf", "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error",
           "-file-line-error", "-outdir=build"]
#: TeX may read and write only files below the build folder ("p": paranoid), never run programs.
LATEX_ENV = {"openin_any": "p", "openout_any": "p", "shell_escape": "f"}
LATEX_TIMEOUT = 600


def log_problem(log: str) -> str | None:
    r"""What is wrong in a LaTeX log, in one line, or ``None``.

    Looks for errors, undefined references and overfull boxes wider than
    :data:`OVERFULL_PT`.

    >>> log_problem("Overfull \\hbox (3.1pt too wide) in paragraph at lines 1--2") is None
    True
    >>> log_problem("(./derivations/d.tex\nOverfull \\hbox (30.5pt too wide) in paragraph at lines 7--9")
    'a line runs 30.5pt off the page in derivations/d.tex in paragraph at lines 7--9 (log line 2)'
    >>> log_problem("LaTeX Warning: Reference `fig:x' on page 2 undefined on input line 9.")
    'undefined reference(s) fig:x'
    """
    lines = log.splitlines()
    for i, line in enumerate(lines):
        m = re.match(r"^(?:(\S+?\.tex):(\d+): |! )(.*)$", line)
        if m:
            where = f" in {m.group(1)} line {m.group(2)}" if m.group(1) else ""
            return f"error{where}: {m.group(3).strip()} (log line {i + 1})"
    refs = sorted(set(re.findall(r"(?:Hyper r|R)eference `([^']*)' on page \d+ undefined", log)))
    if refs or "There were undefined references" in log:
        return "undefined reference(s) " + (", ".join(refs) or "?")
    for i, line in enumerate(lines):
        m = re.match(r"^Overfull \\hbox \((\d+(?:\.\d+)?)pt too wide\)(.*)$", line)
        if m and float(m.group(1)) > OVERFULL_PT:
            opened = re.findall(r"\(\./([^\s()]+\.tex)", "\n".join(lines[:i]))
            where = f" in {opened[-1]}" if opened else ""
            return (f"a line runs {m.group(1)}pt off the page{where}{m.group(2).rstrip()} "
                    f"(log line {i + 1})")
    return None


def _latexmk(out_dir: Path, main: str = MAIN) -> tuple[int, str]:
    """Run latexmk on ``main``.tex in ``out_dir``; (status, one-line message)."""
    import os

    log = out_dir / "build" / f"{main}.log"
    pdf = out_dir / f"{main}.pdf"
    pdf.unlink(missing_ok=True)
    env = dict(os.environ, max_print_line="1000", SOURCE_DATE_EPOCH="0", FORCE_SOURCE_DATE="1", **LATEX_ENV)
    try:
        proc = subprocess.run([*LATEXMK, f"{main}.tex"], cwd=out_dir, env=env, capture_output=True,
                              text=True, timeout=LATEX_TIMEOUT)
    except subprocess.TimeoutExpired:
        return 1, message("timeout", seconds=LATEX_TIMEOUT, log=log)
    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    problem = log_problem(text)
    if proc.returncode != 0 or problem:
        if not problem:
            tail = (proc.stderr or proc.stdout).strip().splitlines()
            problem = "error: latexmk exited with status %d%s" % (
                proc.returncode, f" ({tail[-1]})" if tail else "")
        return 1, f"LaTeX: {problem} (see {log})"
    shutil.copyfile(out_dir / "build" / f"{main}.pdf", pdf)
    return 0, ""
