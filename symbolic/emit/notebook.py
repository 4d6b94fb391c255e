r"""Derivations and results as notebook math: what ``_repr_latex_`` shows in Jupyter.

The same printer and the same sides as the report (:mod:`symbolic.emit.latex_report`),
in MathJax-friendly ``aligned`` and ``array`` blocks instead of report tables.

>>> from symbolic import Derivation
>>> d = Derivation("demo"); x = d.scalar("x")
>>> derivation_latex(d.start(x * x).eq(x**2, "1")).startswith("$$")
True
"""

from __future__ import annotations

from typing import Any

from .latex_report import Printer, _sides
from .tex_text import math_text

__all__ = ["derivation_latex", "result_table_latex"]


_NB_MARKS = {"PROVED": r"{\color{green}\checkmark}", "CONFIRMED": r"{\color{teal}\sim}",
             "REFUTED": r"{\color{red}\times}", "UNDECIDED": r"{\color{orange}?}"}


def derivation_latex(d: Any) -> str:
    r"""The chain of a derivation as notebook math: ``$$\begin{aligned}...\end{aligned}$$``.

    >>> from symbolic import Derivation
    >>> d = Derivation("demo"); x = d.scalar("x")
    >>> print(derivation_latex(d.start(x * x).eq(x**2, "1")))
    $$\begin{aligned}
    x^{2} &= x^{2} &&\qquad \text{(1) }\\
    \end{aligned}$$
    """
    P, rows, previous = Printer(d), [], None
    for step in getattr(d, "steps", ()):
        lhs, rel, rhs = _sides(step, P)
        first = lhs if previous is None or step.lhs != previous else ""
        rows.append(r"%s &%s %s &&\qquad %s\\" % (first, rel, rhs, math_text("(%s) %s" % (step.label, step.why))))
        previous = step.rhs if step.kind != "exists" else None
    if not rows:
        rows.append(r"%s\\" % math_text(getattr(d, "name", "")))
    return "$$\\begin{aligned}\n%s\n\\end{aligned}$$" % "\n".join(rows)


def result_table_latex(result: Any) -> str:
    r"""The verdicts of a result as a notebook table: ``$$\begin{array}...$$``.

    >>> from symbolic.model.results import DerivationResult, StepResult, Verdict
    >>> r = DerivationResult("d", (StepResult("1", "=", Verdict.PROVED),), seed=0)
    >>> print(result_table_latex(r).splitlines()[3])
    \text{1} & {\color{green}\checkmark} & \text{PROVED} & \\
    """
    rows = [r"\text{step} & & \text{verdict} & \text{evidence}\\", r"\hline"]
    for s in result.steps:
        ev = s.evidence.summary() if s.evidence is not None else (s.reason or "")
        rows.append(r"%s & %s & \text{%s} & %s\\" % (math_text(s.label), _NB_MARKS[s.verdict.value],
                                                      s.verdict.value, math_text(ev) if ev else ""))
    return "$$\\begin{array}{llll}\n%s\n\\end{array}$$" % "\n".join(rows)
