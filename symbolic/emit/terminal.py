"""Rich rendering for the command line: verdict tables, ``show`` pages, progress.

Nothing here decides a verdict; it only draws the results the engine gave.

>>> from symbolic.model.results import DerivationResult, StepResult, Verdict
>>> r = DerivationResult("demo", (StepResult("1", "=", Verdict.PROVED),), seed=0)
>>> status(r, review=False)
'ok'
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import Any, Iterator

from rich.console import Console
from rich.table import Table
from rich.text import Text

__all__ = ["make_console", "status", "step_evidence", "result_table", "summary_line", "list_table",
           "render_show", "progress"]

STYLE = {"PROVED": "bold green", "CONFIRMED": "green", "REFUTED": "bold red", "UNDECIDED": "yellow"}


def make_console(*, stderr: bool = False) -> Console:
    """A console on stdout (or stderr); 120 columns wide when it is not a terminal.

    >>> make_console().width >= 40
    True
    """
    stream = sys.stderr if stderr else sys.stdout
    terminal = hasattr(stream, "isatty") and stream.isatty()
    width = None if terminal or os.environ.get("COLUMNS") else 120
    return Console(file=stream, width=width, highlight=False, soft_wrap=False, emoji=False)


def status(result, *, review: bool) -> str:
    """``ok`` (every step PROVED/CONFIRMED), ``failed``, or ``findings`` (a submission under review).

    >>> from symbolic.model.results import DerivationResult, StepResult, Verdict
    >>> bad = DerivationResult("d", (StepResult("1", "=", Verdict.REFUTED),), seed=0)
    >>> status(bad, review=False), status(bad, review=True)
    ('failed', 'findings')
    """
    if result.first_unsettled_step is None:
        return "ok"
    return "findings" if review else "failed"


def step_evidence(step, *, code: str | None = None) -> str:
    """One cell of text: the evidence, the reason, or the counterexample of a step.

    >>> from symbolic.model.results import StepResult, Verdict
    >>> step_evidence(StepResult("1", "=", Verdict.UNDECIDED, reason="timeout"))
    'timeout'
    """
    ce = step.counterexample
    if ce is not None:
        values = ", ".join(f"{k} = {_short(v)}" for k, v in {**ce.dims, **ce.values}.items())
        return f"counterexample: {values}; {ce.gap}"
    if step.reason:
        return step.reason
    if step.evidence is not None:
        said = step.evidence.summary()
        return f"{said}; disagreement: {step.disagreement}" if step.disagreement else said
    return ""


def _short(v: Any, limit: int = 60) -> str:
    s = str(v)
    return s if len(s) <= limit else s[: limit - 3] + "..."


def _source_text(d) -> str:
    src = d.source
    parts = [p for p in (src.file, f"question {src.question}" if src.question else "", src.version) if p]
    return ", ".join(parts)


def result_table(d, result) -> Table:
    """The table of one derivation: label, relation, verdict, evidence and time of each step.

    >>> from symbolic import Derivation, check
    >>> d = Derivation("demo"); x = d.scalar("x")
    >>> t = result_table(d, check(d.start(x + x).eq(2*x, "1"), cache=False))
    >>> t.row_count
    1
    """
    title = f"{d.name}  ({_source_text(d)}{'; under review' if d.review else ''})"
    table = Table(title=title, title_justify="left", expand=False)
    table.add_column("step", no_wrap=True)
    table.add_column("rel", no_wrap=True, justify="center")
    table.add_column("verdict", no_wrap=True)
    table.add_column("method", overflow="fold")
    table.add_column("evidence", overflow="fold", ratio=1)
    table.add_column("s", justify="right", no_wrap=True)
    for s in result.steps:
        v = s.verdict.value
        table.add_row(s.label, s.relation, Text(v, style=STYLE[v]), s.method, step_evidence(s),
                      f"{s.seconds:.2f}")
    return table


def summary_line(d, result) -> Text:
    """A one-line summary: the counts, the first wrong step, and whether it fails.

    >>> from symbolic.model.results import DerivationResult, StepResult, Verdict
    >>> from symbolic import Derivation
    >>> r = DerivationResult("d", (StepResult("1", "=", Verdict.REFUTED),), seed=0)
    >>> summary_line(Derivation("d", review=True), r).plain
    'd: refuted=1; first wrong step 1 (under review: reported, not failing)'
    """
    counts = ", ".join(f"{k.lower()}={v}" for k, v in result.counts.items() if v) or "no steps"
    text = Text(f"{d.name}: {counts}")
    bad = result.first_wrong_step or result.first_unsettled_step
    st = status(result, review=d.review)
    if bad is not None:
        what = "first wrong step" if result.first_wrong_step else "first undecided step"
        text.append(f"; {what} {bad}")
    if st == "findings":
        text.append(" (under review: reported, not failing)", style="yellow")
    elif st == "failed":
        text.append(" FAILED", style="bold red")
    else:
        text.append(" ok", style="green")
    return text


def list_table(rows: list[tuple[Any, Path | None]]) -> Table:
    """The table of ``stepcheck list``: ``rows`` are ``(derivation, file it was loaded from or None)``.

    >>> from symbolic import Derivation
    >>> list_table([(Derivation("d"), None)]).row_count
    1
    """
    table = Table(title="derivations", title_justify="left")
    for col in ("name", "source file", "question", "version", "review", "steps", "defined in"):
        table.add_column(col, overflow="fold")
    for d, origin in rows:
        src = d.source
        table.add_row(d.name, src.file or "-", src.question or "-", src.version, "yes" if d.review else "no",
                      str(len(d.steps)), str(origin) if origin else "built-in")
    return table


def _expr(e: Any) -> str:
    """An expression in terminal mathematics (``‖u‖``, ``uᵀ``, ``∇_u``), not a sympy tree."""
    from ..algebra.depth import MAX_DEPTH, expr_depth
    from ..algebra.text_printing import to_text

    depth = expr_depth(e)
    if depth > MAX_DEPTH:  # printing recurses per level
        return f"(an expression nested {depth} deep; not printed)"
    if isinstance(e, tuple) and len(e) == 2:
        return f"{to_text(e[0])} = {to_text(e[1])}"
    return to_text(e)


def render_show(console: Console, d, result, *, code_for=None) -> None:
    """Print one derivation step by step, with counterexamples and how to reproduce them.

    ``code_for(step_result)`` may rewrite a counterexample's reproduce snippet.

    >>> import io
    >>> from symbolic import Derivation, check
    >>> d = Derivation("demo"); x = d.scalar("x"); _ = d.start(x + x).eq(3*x, "1")
    >>> c = Console(file=io.StringIO(), width=100)
    >>> render_show(c, d, check(d, cache=False))
    >>> "REFUTED" in c.file.getvalue()
    True
    """
    console.print(Text(d.name, style="bold"), Text(f"({_source_text(d)})"))
    if d.statement:
        console.print(f"statement: {d.statement}")
    if d.review:
        console.print("a submission under review: its findings do not fail the exit status")
    by_label = {s.label: s for s in d.steps}
    for r in result.steps:
        step = by_label.get(r.label)
        v = r.verdict.value
        console.print()
        console.print(Text(f"step {r.label}  ", style="bold"), Text(v, style=STYLE[v]),
                      Text(f"  [{r.method}]"))
        lines: list = []
        if step is not None and step.lhs is not None:
            kind = {"chain": "", "claim": "claim: "}.get(step.kind, f"{step.kind}: ")
            lines.append(Text(f"{kind}{_expr(step.lhs)}"))
            lines.append(Text(f"  {step.relation} {_expr(step.rhs)}"))
        if step is not None and step.why:
            lines.append(Text(f"why: {step.why}", style="italic"))
        if r.evidence is not None:
            lines.append(Text(f"evidence: {r.evidence.summary()}"))
        if r.reason:
            lines.append(Text(f"reason: {r.reason}"))
        ce = r.counterexample
        if ce is not None:
            lines.append(Text("counterexample:", style="bold red"))
            for k, val in {**ce.dims, **ce.values}.items():
                lines.append(Text(f"  {k} = {val}"))
            lines.append(Text(f"  lhs = {ce.lhs}"))
            lines.append(Text(f"  rhs = {ce.rhs}"))
            lines.append(Text(f"  {ce.gap}"))
            code = code_for(r) if code_for else ce.code
            if code:
                lines.append(Text("reproduce with:"))
                lines.extend(Text(f"  {line}", style="cyan") for line in code.splitlines())
        for line in lines:
            console.print(Text("  ") + line)
    console.print()
    console.print(summary_line(d, result))


class _Ticker:
    def __init__(self, bar=None, task=None) -> None:
        self.bar, self.task = bar, task

    def describe(self, text: str) -> None:
        if self.bar is not None:
            self.bar.update(self.task, description=text)
            self.bar.refresh()

    def advance(self) -> None:
        if self.bar is not None:
            self.bar.advance(self.task)
            self.bar.refresh()


@contextlib.contextmanager
def progress(console: Console, total: int, *, enabled: bool, auto_refresh: bool = True) -> Iterator[_Ticker]:
    """A transient progress bar on ``console`` when ``enabled`` (a terminal), else nothing.

    Tables printed on the same console while it runs appear above the bar.
    With ``auto_refresh=False`` no refresh thread runs (safe to fork worker
    processes); the bar is redrawn at each update.

    >>> with progress(make_console(), 3, enabled=False) as p:
    ...     p.advance()
    """
    if not enabled:
        yield _Ticker()
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   console=console, transient=True, auto_refresh=auto_refresh)
    with bar:
        yield _Ticker(bar, bar.add_task("checking", total=total))
