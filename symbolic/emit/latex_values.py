r"""LaTeX for the values a report shows: numbers, vectors and matrices of a counterexample or
witness, verdict marks, and the evidence of a step (samples, tolerance, largest error).

>>> value_tex({"x": [1, 2], "n": 2})
'n = 2,\\ x = \\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}'
"""

from __future__ import annotations

import math
import re
from typing import Any, Callable

from ..algebra import sp
from ..algebra.printing import name_latex, to_latex
from .tex_text import tex_escape

__all__ = ["number_tex", "value_tex", "mark", "evidence_text"]


def number_tex(x: Any) -> str:
    r"""A number for a counterexample or witness: ints exact, floats to 6 digits.

    >>> [number_tex(v) for v in (3, -0.5, 1.25e-07, 2.0, "1/3")]
    ['3', '-0.5', '1.25 \\times 10^{-7}', '2', '\\texttt{1/3}']
    """
    if isinstance(x, bool):
        return str(int(x))
    if isinstance(x, int):
        return str(x)
    if isinstance(x, float):
        if math.isfinite(x) and x == int(x) and abs(x) < 1e15:
            return str(int(x))
        m = re.fullmatch(r"(-?[\d.]+)e([+-]\d+)", "%.6g" % x)
        return r"%s \times 10^{%d}" % (m.group(1), int(m.group(2))) if m else "%.6g" % x
    if isinstance(x, sp.Basic):
        return to_latex(x)
    return r"\texttt{%s}" % tex_escape(x)


def value_tex(v: Any) -> str:
    r"""A value: a number, a vector or matrix as a ``pmatrix``, or named values.

    >>> value_tex([[1, 0], [0.5, 2]])
    '\\begin{pmatrix} 1 & 0 \\\\ 0.5 & 2 \\end{pmatrix}'
    >>> value_tex([[[1.0]], [2.0, 3.0]])  # two outputs: a pair of matrices
    '\\left(\\begin{pmatrix} 1 \\end{pmatrix},\\ \\begin{pmatrix} 2 \\\\ 3 \\end{pmatrix}\\right)'
    """
    if hasattr(v, "tolist"):
        v = v.tolist()
    if isinstance(v, dict):
        return r",\ ".join("%s = %s" % (name_latex(str(k)), value_tex(x)) for k, x in sorted(v.items()))
    if isinstance(v, (list, tuple)) and _depth(v) is None:  # ragged, or arrays of arrays: one by one
        parts = [value_tex(x) for x in v]
        return parts[0] if len(parts) == 1 else r"\left(%s\right)" % r",\ ".join(parts)
    if isinstance(v, (list, tuple)):
        rows = [r if isinstance(r, (list, tuple)) else [r] for r in v]
        return r"\begin{pmatrix} %s \end{pmatrix}" % r" \\ ".join(
            " & ".join(number_tex(x) for x in row) for row in rows)
    return number_tex(v)


def _depth(v: Any) -> int | None:
    """Nesting depth of a number (0), a vector (1) or a matrix (2); ``None`` when ragged or deeper."""
    if not isinstance(v, (list, tuple)):
        return 0
    depths = {_depth(x) for x in v} or {0}
    return None if len(depths) > 1 or depths & {None, 2} else depths.pop() + 1


def mark(verdict: Any) -> str:
    r"""The report macro for a verdict mark (``\vPROVED``, ...; ``\vNONE`` when unchecked).

    >>> mark(None), mark("REFUTED")
    ('\\vNONE', '\\vREFUTED')
    """
    return "\\v" + (getattr(verdict, "value", verdict) or "NONE")


def _error_tex(x: float) -> str:
    if x == 0:
        return "$0$"
    if x < 1e-3:
        return r"$< 10^{%d}$" % math.ceil(math.log10(x))
    return "$%s$" % number_tex(float("%.2g" % x))


def _tolerance_tex(tol: float) -> str:
    r"""A tolerance: ``10^{-9}`` for a power of ten, else the number (``2 \times 10^{-5}``)."""
    exponent = round(math.log10(tol)) if tol > 0 else 0
    if tol > 0 and math.isclose(tol, 10.0 ** exponent, rel_tol=1e-12):
        return "10^{%d}" % exponent
    return number_tex(float(tol))


def evidence_text(res: Any, T: Callable[..., str]) -> str:
    r"""Compact evidence of a step result: method, samples and the tolerance they were checked
    against, reason.

    The float64 error the samples measured depends on the CPU and the BLAS
    build, so it is never printed when the tolerance is known: the report
    says the bound the samples were held to, which is the same everywhere.
    Without a tolerance (an exact check, a witness evaluated at 60 digits)
    the largest error is printed, rounded up to a power of ten.

    >>> from symbolic.emit.report_text import texts
    >>> from symbolic.model.results import Evidence, StepResult, Verdict
    >>> evidence_text(StepResult("1", "=", Verdict.CONFIRMED, Evidence("numeric", 24, 3e-16, (), 1e-9)), texts("en"))
    'numeric; 24 samples agree within $10^{-9}$'
    >>> evidence_text(StepResult("1", "=", Verdict.PROVED, Evidence("witness", 1, 3e-40)), texts("en"))
    'witness; 1 samples; max.\\ rel.\\ error $< 10^{-39}$'
    """
    if res is None:
        return ""
    ev = getattr(res, "evidence", None)
    parts = []
    if ev is not None:
        parts.append(tex_escape(ev.method))
        tol = getattr(ev, "tolerance", None)
        if ev.samples and tol is not None:
            parts.append(T("agree_within", n=ev.samples, tol="$%s$" % _tolerance_tex(tol)))
        else:
            if ev.samples:
                parts.append("%d %s" % (ev.samples, T("samples")))
            if ev.max_error is not None:
                parts.append("%s %s" % (T("max_error"), _error_tex(ev.max_error)))
    if getattr(res, "reason", None):
        parts.append(tex_escape(res.reason))
    return "; ".join(parts)


def _shown(value: Any) -> str:
    """A value in running text: words stay words, numbers and arrays become math."""
    return tex_escape(value) if isinstance(value, str) else r"\fitmath{%s}" % value_tex(value)
